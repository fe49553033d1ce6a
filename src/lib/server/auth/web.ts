/**
 * Session cookies on SvelteKit requests: start one after a sign-in, end one at sign-out.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Runtime } from '../runtime';
import { generateSessionToken, SESSION_COOKIE, sessionCookieOptions } from './session';

export async function startSession(rt: Runtime, event: { cookies: Cookies; url: URL; request: Request; getClientAddress(): string }, userId: number): Promise<void> {
	const token = generateSessionToken();
	let ip: string | null = null;
	try {
		ip = event.getClientAddress();
	} catch {
		/* no address (tests) */
	}
	const session = await rt.sessions.create(token, userId, { ip, userAgent: event.request.headers.get('user-agent') });
	event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(session.expiresAt, event.url.protocol === 'https:'));
}

export function endSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

/** Where to go after signing in: a local path from `?next=` (never another site), else home. */
export function safeNext(next: string | null, home: string): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return home;
	return next;
}

/** HH:MM in Shanghai time, for "try again after" messages. */
export function clockTime(d: Date): string {
	return d.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
}
