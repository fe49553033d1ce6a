import { redirect, type RequestHandler } from '@sveltejs/kit';
import { auditRequest } from '$lib/server/audit';
import { endSessionCookie } from '$lib/server/auth/web';

/** Sign out (POST only, from the bar's form): the session ends on the server, the cookie goes. */
export const POST: RequestHandler = async (event) => {
	const rt = event.locals.services;
	if (event.locals.session) {
		await rt.sessions.invalidate(event.locals.session.id);
		// Its sockets here close now; on other instances by their next heartbeat.
		rt.sessionSockets.end(event.locals.session.id);
		await auditRequest(rt.handle.db, event, 'auth.logout', event.locals.user?.username);
	}
	endSessionCookie(event.cookies, event.url);
	redirect(303, '/login');
};
