/**
 * Append-only audit log of state-changing actions: who, when, from where, what changed.
 * Secrets never go in `detail` (callers pass names and scopes, not keys or passwords).
 */
import type { Executor } from './db/client';
import { auditLog } from './db/schema';

export interface AuditEntry {
	actor: string;
	action: string;
	target?: string | null;
	ip?: string | null;
	detail?: Record<string, unknown> | null;
}

export async function audit(db: Executor, entry: AuditEntry): Promise<void> {
	await db.insert(auditLog).values({
		actor: entry.actor,
		action: entry.action,
		target: entry.target ?? null,
		ip: entry.ip ?? null,
		detail: entry.detail ?? null
	});
}

/** Who did it and from where, for an action taken in a request (signed-in user or display). */
export function requestActor(event: { locals: App.Locals; getClientAddress(): string }): { actor: string; ip: string | null } {
	let ip: string | null = null;
	try {
		ip = event.getClientAddress();
	} catch {
		ip = null;
	}
	return { actor: event.locals.user ? `user:${event.locals.user.username}` : event.locals.viewer ? `display:${event.locals.viewer.name}` : 'anonymous', ip };
}

/** Record an action taken in a request by the signed-in user. */
export async function auditRequest(
	db: Executor,
	event: { locals: App.Locals; getClientAddress(): string },
	action: string,
	target?: string | null,
	detail?: Record<string, unknown> | null
): Promise<void> {
	await audit(db, { ...requestActor(event), action, target, detail });
}
