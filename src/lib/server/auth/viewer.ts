/**
 * Who reads the snapshot and the stream, and which scope they may see: a wall display with a
 * display token (read-only, maybe scoped to a center or region), or a signed-in user with a
 * reading role and their own scope.
 */
import type { OrgIndex } from '../../domain/org';
import type { Scope } from '../../domain/snapshot';
import type { Credentials, DisplayToken } from './credentials';
import { Reach } from './reach';

export interface Viewer {
	kind: 'display' | 'user';
	/** Token name or `user:USERNAME` (shown in the admin's list of connected displays). */
	name: string;
	scope: DisplayToken['scope'];
}

export function viewerFromUser(user: { username: string; scope: DisplayToken['scope'] }): Viewer {
	return { kind: 'user', name: `user:${user.username}`, scope: user.scope };
}

/** Token from `?token=` or `Authorization: Bearer`. */
export function bearerOrQueryToken(url: URL, authorization: string | null | undefined): string | null {
	const q = url.searchParams.get('token');
	if (q) return q;
	const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
	return m ? m[1] : null;
}

export async function viewerFromToken(credentials: Credentials, token: string | null): Promise<Viewer | null> {
	if (!token) return null;
	const t = await credentials.verifyToken(token);
	return t ? { kind: 'display', name: t.name, scope: t.scope } : null;
}

export class ScopeError extends Error {
	constructor(
		readonly status: 400 | 403 | 404,
		message: string
	) {
		super(message);
	}
}

/**
 * The scope a request asks for (`?center=` / `?region=`), checked against what the viewer may
 * see. Without a parameter, the viewer's own scope.
 */
export function resolveScope(url: URL, viewer: Viewer, org: OrgIndex): Scope {
	const center = url.searchParams.get('center');
	const region = url.searchParams.get('region');
	if (center && region) throw new ScopeError(400, 'give either center or region, not both');
	let wanted: Scope = viewer.scope;
	if (center) {
		if (!org.centers.has(center)) throw new ScopeError(404, `center: unknown center "${center}"`);
		wanted = { kind: 'center', code: center };
	} else if (region) {
		if (!org.regions.has(region)) throw new ScopeError(404, `region: unknown region "${region}"`);
		wanted = { kind: 'region', code: region };
	}
	if (!Reach.of(viewer.scope, org).canView(wanted))
		throw new ScopeError(403, `${viewer.kind === 'user' ? 'your account' : 'this display token'} is limited to ${viewer.scope.kind} "${'code' in viewer.scope ? viewer.scope.code : ''}"`);
	return wanted;
}
