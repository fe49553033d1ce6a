import { json, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { decide } from '$lib/server/auth/access';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session';
import { bearerOrQueryToken, viewerFromToken, viewerFromUser } from '$lib/server/auth/viewer';
import { loadConfig } from '$lib/server/config';
import { isUnavailable } from '$lib/server/db/client';
import { unexpectedError } from '$lib/server/http/errors';
import { nulInForm, nulInUrl } from '$lib/server/http/nul';
import { getRuntime, startRuntime } from '$lib/server/runtime';
import { parseLang } from '$lib/i18n';

/** Start the runtime (database, projection, stream, simulator) before the first request. */
export const init: ServerInit = async () => {
	await startRuntime(loadConfig());
};

/** 400 for a NUL byte: JSON for the API and for enhanced form actions (as SvelteKit answers them), else text. */
function nulRefused(where: string, api: boolean, action: boolean): Response {
	const reason = `${where}: contains a NUL byte (%00)`;
	if (api) return json({ error: reason }, { status: 400 });
	if (action) return json({ type: 'error', error: { message: reason } }, { status: 400 });
	return new Response(`400 ${reason}`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Pages a user with a one-time password may open before choosing their own. */
const FIRST_PASSWORD_ROUTES = new Set(['/account', '/logout']);

/**
 * Who is asking (session cookie, or a display token where the route takes one), then the one
 * guard: the access table decides for every route, pages, form actions and endpoints alike.
 */
export const handle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.viewer = null;
	const { url, cookies, route } = event;
	const api = url.pathname.startsWith('/api/') || url.pathname === '/healthz';
	// Before anything else looks at the request (the form's fields: once the guard let it in).
	const action = event.request.headers.get('x-sveltekit-action') === 'true';
	const nulUrl = nulInUrl(url);
	if (nulUrl) return nulRefused(nulUrl, api, action);
	const rt = getRuntime();
	const secure = url.protocol === 'https:';

	try {
		const token = cookies.get(SESSION_COOKIE);
		if (token) {
			const found = await rt.sessions.validate(token);
			if (found) {
				event.locals.user = found.user;
				event.locals.session = found.session;
				if (found.refreshed) cookies.set(SESSION_COOKIE, token, sessionCookieOptions(found.session.expiresAt, secure));
			} else cookies.delete(SESSION_COOKIE, { path: '/', secure });
		}
		const displayToken = bearerOrQueryToken(url, event.request.headers.get('authorization'));
		if (!event.locals.user && displayToken) event.locals.viewer = await viewerFromToken(rt.credentials, displayToken);
		else if (event.locals.user) event.locals.viewer = viewerFromUser(event.locals.user);
	} catch (err) {
		if (isUnavailable(err)) return api ? json({ error: 'database unavailable' }, { status: 503 }) : new Response('数据库暂不可用 · database unavailable', { status: 503 });
		throw err;
	}

	// ?lang=en|zh switches the console language and remembers it.
	const langParam = url.searchParams.get('lang');
	if ((langParam === 'en' || langParam === 'zh') && cookies.get('lang') !== langParam)
		cookies.set('lang', langParam, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge: 365 * 24 * 3600 });

	const decision = decide(route.id, event.locals.user, event.locals.viewer?.kind === 'display');
	if (!decision.allow) {
		if (api) return json({ error: decision.reason }, { status: decision.status });
		if (decision.status === 401) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
		return new Response(forbiddenPage(parseLang(cookies.get('lang')), decision.status), { status: decision.status, headers: { 'content-type': 'text/html; charset=utf-8' } });
	}
	if (event.locals.user?.mustChangePassword && route.id && !FIRST_PASSWORD_ROUTES.has(route.id) && !api) redirect(303, '/account?first=1');
	const nulForm = event.request.method === 'GET' ? null : await nulInForm(event.request);
	if (nulForm) return nulRefused(nulForm, api, action);

	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	if (!api) {
		response.headers.set('x-frame-options', 'DENY');
		response.headers.set('referrer-policy', 'same-origin');
	}
	return response;
};

/** An unexpected error: logged with an id (no personal data), answered with a generic message and the id. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	// SvelteKit's own 4xx (no such route, method not allowed) come here too: nothing went wrong.
	if (status < 500) return { message };
	return unexpectedError(error, { method: event.request.method, route: event.route.id });
};

function forbiddenPage(lang: 'zh' | 'en', status: number): string {
	const [title, text, back] =
		lang === 'en'
			? [status === 403 ? 'Not allowed' : 'Not found', status === 403 ? 'Your account may not open this page.' : 'This page does not exist.', 'Back to my home page']
			: [status === 403 ? '无权访问' : '页面不存在', status === 403 ? '您的账户无权打开此页面。' : '此页面不存在。', '返回我的首页'];
	return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><title>${title} · Hallwatch</title><style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;background:#f4f6f9;color:#1d2733;display:grid;place-items:center;height:100vh;margin:0}main{background:#fff;padding:40px 56px;border-radius:8px;box-shadow:0 2px 12px #0001;text-align:center}h1{margin:0 0 12px;font-size:28px}a{color:#1f6feb}</style></head><body><main><h1>${title}</h1><p>${text}</p><p><a href="/">${back}</a></p></main></body></html>`;
}
