/**
 * Session cookies on SvelteKit requests: start one after a sign-in, end one at sign-out.
 */
import type { Cookies } from '@sveltejs/kit';
import { generateSessionToken, SESSION_COOKIE, sessionCookieOptions, type SessionStore } from './session';

export async function startSession(sessions: SessionStore, event: { cookies: Cookies; url: URL; request: Request; getClientAddress(): string }, userId: number): Promise<void> {
	const token = generateSessionToken();
	let ip: string | null = null;
	try {
		ip = event.getClientAddress();
	} catch {
		/* no address (tests) */
	}
	const session = await sessions.create(token, userId, { ip, userAgent: event.request.headers.get('user-agent') });
	event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(session.expiresAt, event.url.protocol === 'https:'));
}

export function endSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

/**
 * Where to go after signing in: `?next=` when it is a path of this site, else `home`. Decided
 * the way a browser reads it: parsed as a URL against our own origin (which drops tabs and
 * newlines, and reads `/\\host` and `//host` as another host); only a same-origin result is kept,
 * and it is re-serialized, so the Location header never carries control characters.
 */
export function safeNext(next: string | null, home: string, origin = 'http://hallwatch.invalid'): string {
	if (!next) return home;
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return home;
	}
	if (url.origin !== new URL(origin).origin) return home;
	const path = url.pathname + url.search + url.hash;
	// What the parser kept must still read as a path of this site when sent as Location.
	return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : home;
}

/** HH:MM in Shanghai time, for "try again after" messages. */
export function clockTime(d: Date): string {
	return d.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
}
