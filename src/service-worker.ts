/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The wall's service worker (registered by src/routes/wall/+layout.svelte with scope /wall):
 * lets a wall PC that restarts while the Hallwatch server (or the network) is down load the
 * wall at all. LiveFeed then shows the last figures from the browser's cache, marked stale,
 * and reconnects by itself.
 *
 * - Caches the app shell of the five wall pages and the built assets (JS, CSS and every WOFF2
 *   slice of the self-hosted CJK font, about 6 MB in all: text that first shows during an
 *   outage, a ticker item or a page not shown before, must not lack its glyphs), in one cache
 *   per build version; older versions' caches are deleted when a new version activates.
 * - Wall pages and their server data (`__data.json`, which the client fetches at start as the
 *   pages are not rendered on the server): network first (so a new deployment is picked up on
 *   reload), the cached copy when the server does not answer, answers 5xx (a proxy in front) or takes longer than
 *   NAVIGATION_TIMEOUT_MS. Built assets: cache first (their names carry a content hash).
 * - Never touches the API (snapshot, catalog, ingest …) or the stream (WebSocket upgrades do
 *   not pass through service workers anyway): those always go to the network.
 */
import { base, build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const PREFIX = 'hallwatch-wall-';
const CACHE = `${PREFIX}${version}`;
const NAVIGATION_TIMEOUT_MS = 4000;
/** The wall pages whose shell is kept (ssr = false: the server sends the same shell for any token). */
const PAGES = ['', '/hall', '/hotline', '/supervision', '/rankings'].map((p) => `${base}/wall${p}`);
/**
 * Their server data (the root layout's: who is signed in, the language). With ssr = false the
 * client fetches it as `<page>/__data.json` when it starts, so it is kept beside each shell.
 */
const PAGE_DATA = PAGES.map((p) => `${p}/__data.json`);
/** Built and static files, by path. (version.json is how SvelteKit notices a new version: never cached.) */
const ASSETS = new Set([...build, ...files].filter((p) => !p.endsWith('/version.json')));
/** Fetched at install: all but the WOFF fallbacks of the font slices (cached if ever used: browsers without WOFF2). */
const PRECACHE = [...ASSETS].filter((p) => !p.endsWith('.woff'));

/** A response worth keeping: a complete same-origin 200 that is not the end of a redirect. */
const keepable = (r: Response) => r.status === 200 && r.type === 'basic' && !r.redirected;

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll(PRECACHE);
			// The shells: a failure here (server busy) is made good by the next load of each page.
			// The server lets a wall page through only for a display token or a signed-in reader, so
			// they are fetched with the token of the wall that registered this worker (a session
			// cookie goes along by itself); each is kept under its path, as the shell is the same for
			// any token (ssr = false).
			const auth = await wallCredentials();
			await Promise.all(
				[...PAGES, ...PAGE_DATA].map(async (path) => {
					try {
						const res = await fetch(path + auth, { cache: 'no-store' });
						if (keepable(res)) await cache.put(path, res);
					} catch {
						/* the next navigation stores it */
					}
				})
			);
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	if (req.method !== 'GET') return;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin || url.pathname.startsWith(`${base}/api/`)) return;
	if (ASSETS.has(url.pathname)) event.respondWith(asset(req, url.pathname));
	else if ((req.mode === 'navigate' && PAGES.includes(url.pathname)) || PAGE_DATA.includes(url.pathname)) event.respondWith(page(req, url.pathname));
});

/** `?token=…` from the wall page (this origin's /wall…) that is installing this worker, or ''. */
async function wallCredentials(): Promise<string> {
	for (const client of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
		const url = new URL(client.url);
		const token = url.searchParams.get('token');
		if (url.pathname.startsWith(`${base}/wall`) && token) return `?${new URLSearchParams({ token })}`;
	}
	return '';
}

async function asset(req: Request, path: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	const hit = await cache.match(path);
	if (hit) return hit;
	const res = await fetch(req);
	if (keepable(res)) await cache.put(path, res.clone());
	return res;
}

async function page(req: Request, path: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	let res: Response | null = null;
	try {
		res = await withTimeout(fetch(req), NAVIGATION_TIMEOUT_MS);
		if (keepable(res)) {
			await cache.put(path, res.clone());
			return res;
		}
	} catch {
		/* server down, network gone, or too slow: the cached shell */
	}
	if (res && res.status < 500) return res; // the server answered (a 4xx is its answer)
	return (await cache.match(path)) ?? res ?? Response.error();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('timeout')), ms);
		p.then(
			(v) => {
				clearTimeout(timer);
				resolve(v);
			},
			(e) => {
				clearTimeout(timer);
				reject(e);
			}
		);
	});
}
