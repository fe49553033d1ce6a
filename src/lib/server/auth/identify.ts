/**
 * Who is asking: one answer for SvelteKit requests (hooks.server.ts) and for both WebSockets
 * (`/api/v1/stream`, `/api/v1/terminal`), with one precedence:
 *
 * 1. On a route that takes a display token (the wall pages, the snapshot, the stream), a token
 *    presented with the request (`?token=` or `Authorization: Bearer`) wins: it was given for
 *    this request, the cookie merely travels along. A wall PC where someone is also signed in
 *    keeps showing what its token allows, and its socket does not end when that person signs out.
 * 2. Otherwise the session cookie, when it names a valid session of an enabled account.
 * 3. Otherwise nobody.
 *
 * A token on a route that does not take one is ignored (the session, if any, decides). A
 * cookie-authenticated WebSocket must come from a page of this site (see `originAllowed`).
 */
import type { Credentials } from './credentials';
import { cookieFromHeader, SESSION_COOKIE, type Session, type SessionStore, type SessionUser } from './session';
import { bearerOrQueryToken, viewerFromToken, viewerFromUser, type Viewer } from './viewer';

export type Identity =
	| { kind: 'user'; user: SessionUser; session: Session; viewer: Viewer; token: string; refreshed: boolean }
	| { kind: 'display'; viewer: Viewer }
	| {
			kind: 'anonymous';
			/** A cookie was sent but names no valid session: the caller drops it. */
			staleCookie: boolean;
			/** A display token was presented and is not valid (unknown or revoked): say so, do not ask to sign in. */
			badToken?: boolean;
	  };

export interface IdentifyDeps {
	sessions: SessionStore;
	credentials: Credentials;
}

export interface Presented {
	url: URL;
	/** The raw Cookie header (or the session cookie's value via `sessionToken`). */
	cookie?: string | null;
	sessionToken?: string | null;
	authorization?: string | null;
	/** Does this route take a display token? */
	acceptsDisplayToken: boolean;
}

export async function identify(deps: IdentifyDeps, p: Presented): Promise<Identity> {
	if (p.acceptsDisplayToken) {
		const token = bearerOrQueryToken(p.url, p.authorization);
		if (token) {
			const viewer = await viewerFromToken(deps.credentials, token);
			// A wrong token is not silently replaced by the cookie: the wall must learn its token is bad.
			return viewer ? { kind: 'display', viewer } : { kind: 'anonymous', staleCookie: false, badToken: true };
		}
	}
	const token = p.sessionToken ?? cookieFromHeader(p.cookie, SESSION_COOKIE);
	if (!token) return { kind: 'anonymous', staleCookie: false };
	const found = await deps.sessions.validate(token);
	if (!found) return { kind: 'anonymous', staleCookie: true };
	return { kind: 'user', user: found.user, session: found.session, viewer: viewerFromUser(found.user), token, refreshed: found.refreshed };
}

/**
 * May a cookie-authenticated WebSocket upgrade go ahead? Browsers always send `Origin` on a
 * WebSocket; a page of another site (or another port of this host) would otherwise ride on the
 * user's cookie. Allowed: no Origin (not a browser, so no ambient cookie to abuse), or the
 * configured public `ORIGIN`, or, without one, an Origin naming the host the request came to.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, configured: string | null): boolean {
	if (origin === undefined) return true;
	let o: URL;
	try {
		o = new URL(origin);
	} catch {
		return false;
	}
	if (configured) {
		try {
			return o.origin === new URL(configured).origin;
		} catch {
			return false;
		}
	}
	return !!host && (o.protocol === 'http:' || o.protocol === 'https:') && o.host === host.toLowerCase();
}
