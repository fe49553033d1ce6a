/**
 * The department's side of the hotline (承办单位): who a `department_handler` acts for, and the
 * one rule of what they may do. A handler's account belongs to a staff member of the org (the
 * account's `staffCode`, as a window_staff account does); that member's department is the one
 * they act for. Their scope (all, a center or a region) narrows the tickets further, as any
 * user's does. A handler may take (签收), return (退单), ask for more time (申请延期) and reply
 * (回复) on a ticket whose latest assignment is their department, inside their scope, and
 * nothing else; any other ticket is unknown to them (404, never "forbidden").
 */
import { DEPARTMENT_ACTIONS, type HotlineAction, type TicketSummary } from '../../domain/hotline';
import type { OrgIndex } from '../../domain/org';
import type { Role } from '../../domain/roles';
import { actorOf, type Actor } from './reach';

/** An actor acting for a department (a department handler). */
export interface DepartmentActor extends Actor {
	departmentCode: string;
}

/** The department a signed-in user handles tickets for, or null (not a handler, or their staff member is gone). */
export function handledDepartment(user: { roles: readonly Role[]; staffCode: string | null }, org: OrgIndex): string | null {
	if (!user.roles.includes('department_handler') || !user.staffCode) return null;
	return org.staff.get(user.staffCode)?.departmentCode ?? null;
}

/** The department actor of a signed-in handler (null: not one, or no department). */
export function departmentActorOf(user: { username: string; scope: Actor['reach']['scope']; roles: readonly Role[]; staffCode: string | null }, org: OrgIndex): DepartmentActor | null {
	const departmentCode = handledDepartment(user, org);
	return departmentCode ? { ...actorOf(user, org), departmentCode } : null;
}

/**
 * Whether a department actor may see and act on a ticket: its latest assignment is their
 * department (a ticket re-dispatched elsewhere is no longer theirs) and it lies in their scope.
 */
export function handlesTicket(actor: DepartmentActor, t: Pick<TicketSummary, 'departmentCode' | 'regionCode' | 'detail'>): boolean {
	return t.departmentCode === actor.departmentCode && actor.reach.place({ centerCode: t.detail.centerCode ?? null, regionCode: t.regionCode });
}

/** Whether the action is one a department handler takes (the rest belong to the hotline center). */
export const isDepartmentAction = (a: HotlineAction): boolean => DEPARTMENT_ACTIONS.includes(a);
