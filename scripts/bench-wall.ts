/**
 * Wall display benchmark: `npm run bench -- --only wall`, or on its own:
 * `npx tsx scripts/bench-wall.ts [--quick] [--loads N] [--json FILE]`.
 *
 * Against a real server (PGlite, a busy demo day seeded through the ingest API, as the e2e
 * tests do) in real Chromium (Debian's, or CHROMIUM_PATH), at 1920×1080:
 * 1. JS weight of /wall: every script a /wall load actually fetches (recorded requests), raw,
 *    gzipped (adapter-node's precompressed .gz when there is one, else zlib level 9) and as
 *    transferred (Content-Encoding the server chose); CSS and fonts alongside.
 * 2. Time to first figures: navigation start → the first KPI value rendered
 *    (kpi-ticketsIssuedToday shows a number), and → live (status data-state=live); median of
 *    several loads, three ways: cold (new browser context: empty HTTP cache and storage), warm
 *    HTTP cache with the figure cache cleared (figures must come from the server), and warm
 *    with the figure cache (instant start: figures from localStorage before the socket is up).
 *
 * Everything it starts (server, browser, temp dir) is stopped on exit. Only loopback traffic;
 * every loop is bounded in count and time.
 */
import { spawn, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import buildIfStale from '../tests/integration/global-setup';
import { freePort, sleep, TestServer } from '../tests/integration/harness';
import { seedBusyDemo, wallUrl } from '../tests/e2e/wall-helpers';

export interface BenchWallOptions {
	/** Fewer loads (3 instead of 7 per kind). */
	quick?: boolean;
	/** Loads per kind (overrides quick). */
	loads?: number;
	/** The server script to run (default server.js; bench.ts passes its private copy of build/). */
	serverScript?: string;
	/** Progress lines (default: console.log with a [bench-wall] prefix). */
	say?: (msg: string) => void;
	/** Give up after this long (default 10 min). */
	timeoutMs?: number;
}

export interface LoadTimes {
	/** Navigation start → first KPI value on screen, each load (ms). */
	firstFigureMs: number[];
	/** Navigation start → status live, each load (ms). */
	liveMs: number[];
	medianFirstFigureMs: number;
	medianLiveMs: number;
}

export interface WallFigures {
	url: string;
	js: { files: number; rawBytes: number; gzipBytes: number; transferredBytes: number; chunks: Array<{ path: string; rawBytes: number; gzipBytes: number }> };
	css: { files: number; rawBytes: number; gzipBytes: number };
	fonts: { files: number; bytes: number };
	cold: LoadTimes;
	warm: LoadTimes;
	cachedFigures: LoadTimes;
	seededEvents: number;
}

const ROOT = process.cwd();
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

function chromiumPath(): string {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	try {
		return execSync('command -v chromium || command -v chromium-browser', { shell: '/bin/sh' }).toString().trim();
	} catch {
		throw new Error('chromium not found: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)');
	}
}

/** The harness's TestServer running a given server script. */
class ScriptServer extends TestServer {
	constructor(
		port: number,
		dataDir: string,
		private script: string
	) {
		super(port, dataDir, undefined, {});
	}
	override async start(): Promise<void> {
		this.output = '';
		const proc = spawn(process.execPath, [this.script], { cwd: ROOT, env: this.baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		this.proc = proc;
		proc.stdout!.on('data', (d) => (this.output += d));
		proc.stderr!.on('data', (d) => (this.output += d));
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${this.output.slice(-2000)}`);
			try {
				const r = await fetch(`${this.url}/healthz`);
				await r.arrayBuffer();
				if (r.status === 200) return;
			} catch {
				/* not up yet */
			}
			await sleep(50);
		}
		proc.kill('SIGKILL');
		throw new Error(`server did not become ready in 60 s:\n${this.output.slice(-2000)}`);
	}
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/**
 * Installed before any page script: records when the first KPI value and the live status
 * appear (performance.now(), i.e. ms since navigation start).
 */
const PROBE = `(() => {
	const marks = (window.__wallMarks = { firstFigure: null, live: null });
	const check = () => {
		if (marks.firstFigure === null) {
			const el = document.querySelector('[data-testid="kpi-ticketsIssuedToday"]');
			if (el && /\\d/.test(el.textContent || '')) marks.firstFigure = performance.now();
		}
		if (marks.live === null && document.querySelector('[data-testid="status"][data-state="live"]')) marks.live = performance.now();
		if (marks.firstFigure !== null && marks.live !== null) obs.disconnect();
	};
	const obs = new MutationObserver(check);
	obs.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

const CLEAR_FIGURE_CACHE = `(() => { try { for (const k of Object.keys(localStorage)) if (k.startsWith('hallwatch:figures:')) localStorage.removeItem(k); } catch {} })();`;

async function timedLoad(ctx: BrowserContext, url: string, deadline: number): Promise<{ firstFigure: number; live: number }> {
	const page = await ctx.newPage();
	try {
		await page.goto(url, { waitUntil: 'commit', timeout: 30_000 });
		for (;;) {
			const marks = (await page.evaluate(() => (window as unknown as { __wallMarks?: { firstFigure: number | null; live: number | null } }).__wallMarks ?? null)) ?? { firstFigure: null, live: null };
			if (marks.firstFigure !== null && marks.live !== null) return { firstFigure: marks.firstFigure, live: marks.live };
			if (Date.now() > deadline) throw new Error('the wall did not show live figures in time');
			await sleep(20);
		}
	} finally {
		await page.close();
	}
}

function times(samples: Array<{ firstFigure: number; live: number }>): LoadTimes {
	const firstFigureMs = samples.map((s) => Math.round(s.firstFigure));
	const liveMs = samples.map((s) => Math.round(s.live));
	return { firstFigureMs, liveMs, medianFirstFigureMs: median(firstFigureMs), medianLiveMs: median(liveMs) };
}

/** The gzipped size of a built client file: adapter-node's precompressed .gz, or zlib level 9. */
function gzipSize(pathname: string, body: Buffer): number {
	const gz = path.join(ROOT, 'build', 'client', pathname + '.gz');
	// The private copy of build/ (bench) has the same files; a rebuilt build/ may not: then compute.
	if (fs.existsSync(gz) && fs.statSync(path.join(ROOT, 'build', 'client', pathname), { throwIfNoEntry: false })?.size === body.length) return fs.statSync(gz).size;
	return zlib.gzipSync(body, { level: 9 }).length;
}

export async function benchWall(opts: BenchWallOptions = {}): Promise<WallFigures> {
	const say = opts.say ?? ((m: string) => console.log(`[bench-wall] ${m}`));
	const loads = opts.loads ?? (opts.quick ? 3 : 7);
	const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-bench-wall-'));
	const server = new ScriptServer(await freePort(), dataDir, opts.serverScript ?? path.join(ROOT, 'server.js'));
	let browser: Browser | null = null;
	try {
		say(`starting a server (PGlite, ${dataDir}) …`);
		await server.start();
		say('seeding a busy demo day (45 windows, yesterday and today) through the ingest API …');
		const seeded = await seedBusyDemo(server, { days: 1 });
		say(`seeded ${seeded.events} events in ${(seeded.ms / 1000).toFixed(1)} s`);
		browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS });
		const url = wallUrl(server, seeded.token);
		const contextOptions = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

		// 1. What a /wall load fetches.
		say('recording what a cold /wall load fetches …');
		const ctx = await browser.newContext(contextOptions);
		const page = await ctx.newPage();
		const fetched: Array<{ path: string; type: string; body: Promise<Buffer | null>; transferred: Promise<number> }> = [];
		page.on('requestfinished', (req) => {
			const u = new URL(req.url());
			if (u.origin !== server.url) return;
			const type = req.resourceType();
			if (type !== 'script' && type !== 'stylesheet' && type !== 'font') return;
			fetched.push({
				path: u.pathname,
				type,
				body: req.response().then((r) => (r ? r.body() : null)).catch(() => null),
				transferred: req.sizes().then((s) => s.responseBodySize).catch(() => NaN)
			});
		});
		await page.addInitScript(PROBE);
		await page.goto(url);
		for (;;) {
			const live = await page.evaluate(() => !!document.querySelector('[data-testid="status"][data-state="live"]'));
			if (live) break;
			if (Date.now() > deadline) throw new Error('the wall did not go live');
			await sleep(50);
		}
		await page.evaluate(() => document.fonts.ready.then(() => undefined));
		await sleep(1000); // late chunks (charts) and font slices
		const js = { files: 0, rawBytes: 0, gzipBytes: 0, transferredBytes: 0, chunks: [] as WallFigures['js']['chunks'] };
		const css = { files: 0, rawBytes: 0, gzipBytes: 0 };
		const fonts = { files: 0, bytes: 0 };
		const seen = new Set<string>();
		for (const f of fetched) {
			if (seen.has(f.path)) continue;
			seen.add(f.path);
			const body = await f.body;
			if (!body) continue;
			if (f.type === 'script') {
				const gz = gzipSize(f.path, body);
				js.files++;
				js.rawBytes += body.length;
				js.gzipBytes += gz;
				js.transferredBytes += (await f.transferred) || 0;
				js.chunks.push({ path: f.path, rawBytes: body.length, gzipBytes: gz });
			} else if (f.type === 'stylesheet') {
				css.files++;
				css.rawBytes += body.length;
				css.gzipBytes += gzipSize(f.path, body);
			} else {
				fonts.files++;
				fonts.bytes += body.length;
			}
		}
		js.chunks.sort((a, b) => b.gzipBytes - a.gzipBytes);
		await ctx.close();
		say(`JS: ${js.files} files, ${kb(js.rawBytes)} raw, ${kb(js.gzipBytes)} gzipped, ${kb(js.transferredBytes)} transferred`);
		say(`    largest: ${js.chunks
			.slice(0, 4)
			.map((c) => `${path.basename(c.path)} ${kb(c.gzipBytes)}`)
			.join(', ')}`);
		say(`CSS: ${css.files} files, ${kb(css.gzipBytes)} gzipped; fonts: ${fonts.files} files, ${kb(fonts.bytes)}`);

		// 2. Time to first figures.
		const cold: Array<{ firstFigure: number; live: number }> = [];
		say(`timing ${loads} cold loads (new browser context each: empty HTTP cache and storage) …`);
		for (let i = 0; i < loads; i++) {
			const c = await browser.newContext(contextOptions);
			await c.addInitScript(PROBE);
			cold.push(await timedLoad(c, url, deadline));
			await c.close();
			say(`  cold ${i + 1}/${loads}: first figure ${cold[i].firstFigure.toFixed(0)} ms, live ${cold[i].live.toFixed(0)} ms`);
		}
		const warmCtx = await browser.newContext(contextOptions);
		await warmCtx.addInitScript(PROBE);
		await timedLoad(warmCtx, url, deadline); // fills the HTTP cache
		const warm: Array<{ firstFigure: number; live: number }> = [];
		const cached: Array<{ firstFigure: number; live: number }> = [];
		say(`timing ${loads} loads with a warm HTTP cache, figure cache cleared …`);
		const warmNoFigures = await browser.newContext(contextOptions);
		// Same HTTP cache is per context: warm this one first, then clear the figure cache before each load.
		await warmNoFigures.addInitScript(PROBE);
		await timedLoad(warmNoFigures, url, deadline);
		await warmNoFigures.addInitScript(CLEAR_FIGURE_CACHE);
		for (let i = 0; i < loads; i++) {
			warm.push(await timedLoad(warmNoFigures, url, deadline));
			say(`  warm ${i + 1}/${loads}: first figure ${warm[i].firstFigure.toFixed(0)} ms, live ${warm[i].live.toFixed(0)} ms`);
		}
		await warmNoFigures.close();
		say(`timing ${loads} loads with a warm HTTP cache and the figure cache (instant start) …`);
		for (let i = 0; i < loads; i++) {
			// (Every load writes the figure cache with its first figures from the server.)
			cached.push(await timedLoad(warmCtx, url, deadline));
			say(`  cached ${i + 1}/${loads}: first figure ${cached[i].firstFigure.toFixed(0)} ms, live ${cached[i].live.toFixed(0)} ms`);
		}
		await warmCtx.close();
		const figures: WallFigures = { url: url.replace(/token=[^&]+/, 'token=…'), js, css, fonts, cold: times(cold), warm: times(warm), cachedFigures: times(cached), seededEvents: seeded.events };
		say(
			`time to first figures (median of ${loads}): cold ${figures.cold.medianFirstFigureMs} ms (live ${figures.cold.medianLiveMs} ms), ` +
				`warm HTTP cache ${figures.warm.medianFirstFigureMs} ms (live ${figures.warm.medianLiveMs} ms), ` +
				`warm + figure cache ${figures.cachedFigures.medianFirstFigureMs} ms (live ${figures.cachedFigures.medianLiveMs} ms)`
		);
		return figures;
	} finally {
		await browser?.close().catch(() => {});
		await server.stop().catch(() => {});
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

// ── on its own: npx tsx scripts/bench-wall.ts [--quick] [--loads N] [--json FILE] ─────────────

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const args = process.argv.slice(2);
	const opt = (name: string) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	if (args.includes('--help')) {
		console.log('usage: npx tsx scripts/bench-wall.ts [--quick] [--loads N] [--json FILE]');
		process.exit(0);
	}
	const json = opt('--json');
	let code = 0;
	try {
		console.log('[bench-wall] building the server if build/ is older than src/ …');
		buildIfStale();
		const figures = await benchWall({ quick: args.includes('--quick'), loads: opt('--loads') ? Number(opt('--loads')) : undefined });
		if (json) {
			fs.mkdirSync(path.dirname(path.resolve(json)), { recursive: true });
			fs.writeFileSync(path.resolve(json), JSON.stringify(figures, null, 2) + '\n');
			console.log(`[bench-wall] figures written to ${json}`);
		}
	} catch (err) {
		console.error(`[bench-wall] ${(err as Error).stack ?? err}`);
		code = 1;
	}
	process.exit(code);
}
