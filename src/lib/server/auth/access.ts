/**
 * Who may open what: one table from route id (SvelteKit's `event.route.id`) to the credentials
 * and roles that may use it. The guard in hooks.server.ts applies it to every request, pages,
 * form actions and endpoints alike; a route missing here is refused (and fails the route-matrix
 * test, which lists src/routes).
 */
import type { Role } from '../../domain/roles';

export type Access =
	/** Anyone (sign-in pages, health, the catalog's docs). */
	| { kind: 'public' }
	/** Machine senders with an ingest key; the endpoint checks the key and its types. */
	| { kind: 'ingest-key' }
	/**
	 * Signed-in users with one of `roles` (any role when `roles` is 'any-role'); `display`: a
	 * display token also does; `firstPassword`: open to an account still on its one-time password
	 * (every other route refuses it until it has chosen its own).
	 */
	| { kind: 'signed-in'; roles: readonly Role[] | 'any-role'; display?: boolean; firstPassword?: boolean };

/** Roles that read the live figures (wall pages, snapshot, stream). */
export const READ_ROLES: readonly Role[] = ['admin', 'leader', 'supervisor', 'hotline_operator'];
const ADMIN: readonly Role[] = ['admin'];
/** 督查: presence rounds and cards (leaders read the results on the wall). */
const SUPERVISION: readonly Role[] = ['admin', 'supervisor'];
/** 市长热线: operators and admins work the tickets; leaders read the console (never act). */
export const HOTLINE_READ: readonly Role[] = ['admin', 'leader', 'hotline_operator'];
export const HOTLINE_DESK: readonly Role[] = ['admin', 'hotline_operator'];
/** 报表: bulletins, scores, indicators (leaders publish bulletins; admins enter indicators). */
const REPORTS: readonly Role[] = ['admin', 'leader'];
/** 告警: supervisors, leaders and admins see and handle the alerts of their scope. */
const ALERTS: readonly Role[] = ['admin', 'leader', 'supervisor'];

export const ACCESS: Record<string, Access> = {
	'/': { kind: 'public' }, // sends each visitor to their home page or to sign in
	'/login': { kind: 'public' },
	'/setup': { kind: 'public' }, // works only while no user exists
	'/logout': { kind: 'signed-in', roles: 'any-role', firstPassword: true },
	'/account': { kind: 'signed-in', roles: 'any-role', firstPassword: true },
	'/healthz': { kind: 'public' },
	'/api/v1/catalog': { kind: 'public' },
	'/api/v1/events': { kind: 'ingest-key' },
	'/api/v1/org': { kind: 'ingest-key' },
	'/api/v1/snapshot': { kind: 'signed-in', roles: READ_ROLES, display: true },
	'/wall': { kind: 'signed-in', roles: READ_ROLES, display: true },
	'/wall/hall': { kind: 'signed-in', roles: READ_ROLES, display: true },
	'/wall/hotline': { kind: 'signed-in', roles: READ_ROLES, display: true },
	'/wall/supervision': { kind: 'signed-in', roles: READ_ROLES, display: true },
	'/wall/rankings': { kind: 'signed-in', roles: READ_ROLES, display: true },
	'/wall/map': { kind: 'signed-in', roles: READ_ROLES, display: true }, // a region wall's map (GeoJSON from /admin/maps)
	'/terminal': { kind: 'signed-in', roles: ['window_staff'] },
	'/terminal/evidence/[id]': { kind: 'signed-in', roles: ['window_staff'] }, // evidence of the staff member's own cards
	'/supervision': { kind: 'signed-in', roles: SUPERVISION },
	'/supervision/export': { kind: 'signed-in', roles: SUPERVISION },
	'/supervision/evidence/[id]': { kind: 'signed-in', roles: SUPERVISION },
	'/hotline': { kind: 'signed-in', roles: HOTLINE_READ },
	'/hotline/[ticketId]': { kind: 'signed-in', roles: HOTLINE_READ },
	'/hotline/export': { kind: 'signed-in', roles: HOTLINE_READ }, // the filtered list as Excel (phones as the viewer sees them)
	// Every console action (form actions) lives here, so the table alone keeps leaders out.
	'/hotline/act': { kind: 'signed-in', roles: HOTLINE_DESK },
	'/hotline/limits': { kind: 'signed-in', roles: ADMIN },
	// 承办单位: a department handler's queue and its actions (签收, 退单, 申请延期, 回复), theirs alone.
	'/hotline/department': { kind: 'signed-in', roles: ['department_handler'] },
	'/admin/presence': { kind: 'signed-in', roles: ADMIN },
	'/admin': { kind: 'signed-in', roles: ADMIN },
	'/admin/users': { kind: 'signed-in', roles: ADMIN },
	'/admin/audit': { kind: 'signed-in', roles: ADMIN },
	'/admin/keys': { kind: 'signed-in', roles: ADMIN },
	'/admin/org': { kind: 'signed-in', roles: ADMIN },
	'/admin/quarantine': { kind: 'signed-in', roles: ADMIN },
	'/admin/walls': { kind: 'signed-in', roles: ADMIN },
	'/admin/rules': { kind: 'signed-in', roles: ADMIN },
	'/admin/scoring': { kind: 'signed-in', roles: ADMIN },
	'/admin/maps': { kind: 'signed-in', roles: ADMIN },
	'/admin/alerts': { kind: 'signed-in', roles: ADMIN },
	'/alerts': { kind: 'signed-in', roles: ALERTS },
	// 报表: leaders read and publish bulletins; admins read (and enter indicators). Actions check the role.
	'/reports': { kind: 'signed-in', roles: REPORTS },
	'/reports/scores': { kind: 'signed-in', roles: REPORTS },
	'/reports/indicators': { kind: 'signed-in', roles: REPORTS },
	'/reports/bulletin/[month]': { kind: 'signed-in', roles: REPORTS },
	'/reports/bulletin/[month]/print': { kind: 'signed-in', roles: REPORTS },
	'/reports/bulletin/[month]/pdf': { kind: 'signed-in', roles: REPORTS },
	'/reports/bulletin/[month]/xlsx': { kind: 'signed-in', roles: REPORTS }
};

/** The live stream (`/api/v1/stream`, a WebSocket outside SvelteKit's routes). */
export const STREAM_ACCESS: Access = { kind: 'signed-in', roles: READ_ROLES, display: true };
/** A window PC's own channel (`/api/v1/terminal`, WebSocket): presence checks and its view. */
export const TERMINAL_ACCESS: Access = { kind: 'signed-in', roles: ['window_staff'] };

export type Decision =
	| { allow: true }
	/** Nobody signed in: pages go to the sign-in page, APIs answer 401. */
	| { allow: false; status: 401; reason: string }
	/** Signed in, but this role may not. */
	| { allow: false; status: 403; reason: string }
	| { allow: false; status: 404; reason: string }
	/** Signed in on a one-time password: pages go to /account to choose one, APIs and sockets answer 403. */
	| { allow: false; status: 403; reason: string; firstPassword: true };

/** Who is asking, as far as the table cares. */
export interface Who {
	roles: readonly Role[];
	mustChangePassword?: boolean;
}

/** Decide for a route id and who is asking. Pure: the table test and the guard share it. */
export function decide(routeId: string | null, who: Who | null, display: boolean): Decision {
	if (routeId === null) return { allow: true }; // no route: SvelteKit answers 404
	const rule = ACCESS[routeId];
	if (!rule) return { allow: false, status: 404, reason: `no access rule for ${routeId}` };
	return decideRule(rule, who, display);
}

export function decideRule(rule: Access, who: Who | null, display: boolean): Decision {
	if (rule.kind === 'public' || rule.kind === 'ingest-key') return { allow: true };
	if (who) {
		if (who.mustChangePassword && !rule.firstPassword) return { allow: false, status: 403, reason: 'choose your own password first (/account)', firstPassword: true };
		if (rule.roles === 'any-role' || who.roles.some((r) => (rule.roles as readonly Role[]).includes(r))) return { allow: true };
		return { allow: false, status: 403, reason: 'your roles do not include this page' };
	}
	if (display && rule.display) return { allow: true };
	return { allow: false, status: 401, reason: rule.display ? 'sign in, or open with a display token (?token=)' : 'sign in first' };
}
