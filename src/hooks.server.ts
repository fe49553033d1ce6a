import { json, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { ACCESS, decide } from '$lib/server/auth/access';
import { identify } from '$lib/server/auth/identify';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session';
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

/** The services of the running Hallwatch, for every route (the one place that reads the global slot). */
const services: Handle = ({ event, resolve }) => {
	event.locals.services = getRuntime();
	return resolve(event);
};

/**
 * Who is asking (`identify`: one precedence for pages, endpoints and both WebSockets), then the
 * one guard: the access table decides for every route, pages, form actions and endpoints alike.
 */
const guard: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.viewer = null;
	const { url, cookies, route } = event;
	const api = url.pathname.startsWith('/api/') || url.pathname === '/healthz';
	// Before anything else looks at the request (the form's fields: once the guard let it in).
	const action = event.request.headers.get('x-sveltekit-action') === 'true';
	const nulUrl = nulInUrl(url);
	if (nulUrl) return nulRefused(nulUrl, api, action);
	const rt = event.locals.services;
	const secure = url.protocol === 'https:';
	const lang = parseLang(cookies.get('lang'));
	const rule = route.id ? ACCESS[route.id] : undefined;

	let badToken = false;
	try {
		const who = await identify(rt, {
			url,
			sessionToken: cookies.get(SESSION_COOKIE),
			authorization: event.request.headers.get('authorization'),
			acceptsDisplayToken: rule?.kind === 'signed-in' && !!rule.display
		});
		if (who.kind === 'user') {
			event.locals.user = who.user;
			event.locals.session = who.session;
			event.locals.viewer = who.viewer;
			if (who.refreshed) cookies.set(SESSION_COOKIE, who.token, sessionCookieOptions(who.session.expiresAt, secure));
		} else if (who.kind === 'display') event.locals.viewer = who.viewer;
		else {
			if (who.staleCookie) cookies.delete(SESSION_COOKIE, { path: '/', secure });
			badToken = !!who.badToken;
		}
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
		if (badToken && decision.status === 401) {
			const reason = 'token: this display token is unknown or revoked; ask an administrator for a new one';
			return api ? json({ error: reason }, { status: 401 }) : html(messagePage(lang, 'badToken'), 401);
		}
		if (api) return json({ error: decision.reason }, { status: decision.status });
		// A wall screen has nobody at a keyboard: not a sign-in form, but what its operator must do.
		if (decision.status === 401 && route.id?.startsWith('/wall') && !url.searchParams.has('token')) return html(messagePage(lang, 'noToken', `/login?next=${encodeURIComponent(url.pathname + url.search)}`), 401);
		if (decision.status === 401) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
		if ('firstPassword' in decision) redirect(303, '/account?first=1');
		return html(messagePage(lang, decision.status === 403 ? 'forbidden' : 'notFound'), decision.status);
	}
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

export const handle = sequence(services, guard);

/** An unexpected error: logged with an id (no personal data), answered with a generic message and the id. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	// SvelteKit's own 4xx (no such route, method not allowed) come here too: nothing went wrong.
	if (status < 500) return { message };
	return unexpectedError(error, { method: event.request.method, route: event.route.id });
};

const html = (body: string, status: number) => new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });

const MESSAGES = {
	zh: {
		forbidden: ['无权访问', '您的账户无权打开此页面。', '返回我的首页'],
		notFound: ['页面不存在', '此页面不存在。', '返回我的首页'],
		badToken: ['显示令牌无效', '此大屏地址中的显示令牌不存在或已被撤销。请联系管理员在“接入密钥”页面新建显示令牌，并更新大屏地址。', '登录'],
		noToken: ['大屏地址缺少显示令牌', '此大屏地址没有显示令牌。请联系管理员在“接入密钥”页面新建显示令牌，把它生成的大屏地址设为此屏幕的打开页面；个人查看请先登录。', '登录']
	},
	en: {
		forbidden: ['Not allowed', 'Your account may not open this page.', 'Back to my home page'],
		notFound: ['Not found', 'This page does not exist.', 'Back to my home page'],
		badToken: ['Display token not valid', 'The display token in this wall address is unknown or has been revoked. Ask an administrator for a new display token (Keys page) and update the wall address.', 'Sign in'],
		noToken: ['No display token in this wall address', 'This wall address has no display token. Ask an administrator to create one on the Keys page and open the wall address it gives on this screen; to look yourself, sign in first.', 'Sign in']
	}
} as const;

function messagePage(lang: 'zh' | 'en', which: keyof (typeof MESSAGES)['zh'], href = '/'): string {
	const [title, text, back] = MESSAGES[lang][which];
	return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><title>${title} · Hallwatch</title><style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;background:#f4f6f9;color:#1d2733;display:grid;place-items:center;height:100vh;margin:0}main{background:#fff;padding:40px 56px;border-radius:8px;box-shadow:0 2px 12px #0001;text-align:center;max-width:640px}h1{margin:0 0 12px;font-size:28px}a{color:#1f6feb}</style></head><body><main><h1>${title}</h1><p>${text}</p><p><a href="${href.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}">${back}</a></p></main></body></html>`;
}
