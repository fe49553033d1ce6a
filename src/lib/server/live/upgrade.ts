/**
 * WebSocket upgrades of `/api/v1/stream` (the live figures) and `/api/v1/terminal` (a window
 * PC's own channel): who is asking (`identify`, the same precedence as every HTTP request), the
 * access table's rule for the socket, the Origin of a cookie-authenticated upgrade, and the
 * stream's parameters. A socket opened with a session is registered with `SessionSockets`, so it
 * closes when the session ends. Other paths are left to others (Vite's HMR socket in dev).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { OrgIndex } from '../../domain/org';
import { decideRule, STREAM_ACCESS, TERMINAL_ACCESS } from '../auth/access';
import { identify, originAllowed, type IdentifyDeps } from '../auth/identify';
import { resolveScope, ScopeError } from '../auth/viewer';
import type { TerminalHub } from '../supervision/terminal';
import { EVENTS_MODES, type EventsMode } from '../../live/protocol';
import type { Hub } from './hub';
import type { SessionSockets } from './session-sockets';

export interface UpgradeDeps extends IdentifyDeps {
	org: () => OrgIndex;
	hub: Hub;
	terminalHub: TerminalHub;
	sessionSockets: SessionSockets;
	/** The public URL (`ORIGIN`), or null. */
	origin: string | null;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

function reject(socket: Duplex, status: number, message: string): void {
	socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}`);
}

/** Handle an upgrade; returns false for a path that is not Hallwatch's. */
export function handleUpgrade(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const stream = url.pathname === '/api/v1/stream';
	if (!stream && url.pathname !== '/api/v1/terminal') return false;
	const rule = stream ? STREAM_ACCESS : TERMINAL_ACCESS;
	identify(deps, { url, cookie: req.headers.cookie, authorization: req.headers.authorization, acceptsDisplayToken: rule.kind === 'signed-in' && !!rule.display })
		.then((who) => {
			if (who.kind === 'anonymous')
				return reject(socket, 401, who.badToken ? 'token: this display token is unknown or revoked' : stream ? 'sign in, or give a display token (?token= or Authorization: Bearer)' : 'sign in first');
			if (who.kind === 'user' && !originAllowed(req.headers.origin, req.headers.host, deps.origin)) return reject(socket, 403, `origin: "${req.headers.origin}" is not this site`);
			const decision = decideRule(rule, who.kind === 'user' ? who.user : null, who.kind === 'display');
			if (!decision.allow) return reject(socket, decision.status, stream ? `${decision.reason}` : 'a window staff account linked to a staff member is required');
			const bind = who.kind === 'user' ? (close: (code: number, reason: string) => void) => deps.sessionSockets.add(who.session.id, close) : undefined;
			if (!stream) {
				if (who.kind !== 'user' || !who.user.staffCode) return reject(socket, 403, 'a window staff account linked to a staff member is required');
				return deps.terminalHub.accept(req, socket, head, who.user.staffCode, bind);
			}
			const scope = resolveScope(url, who.viewer, deps.org());
			const sinceRaw = url.searchParams.get('since');
			const since = sinceRaw !== null && /^\d{1,15}$/.test(sinceRaw) ? Number(sinceRaw) : null;
			if (sinceRaw !== null && since === null) return reject(socket, 400, `since: expected a sequence number, found "${sinceRaw.slice(0, 40)}"`);
			const ev = url.searchParams.get('events') ?? 'notable';
			if (!(EVENTS_MODES as readonly string[]).includes(ev)) return reject(socket, 400, `events: expected all, notable or none, found "${ev.slice(0, 40)}"`);
			deps.hub.accept(req, socket, head, { scope, since, events: ev as EventsMode, name: who.viewer.name, bind });
		})
		.catch((err) => {
			if (err instanceof ScopeError) reject(socket, err.status, err.message);
			else reject(socket, 503, 'database unavailable');
		});
	return true;
}
