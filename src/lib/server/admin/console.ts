/**
 * Glue for the admin console's pages: the runtime's operator context and an audit callback
 * that records the signed-in user and their address (auditRequest) for every action.
 */
import { fail, type RequestEvent } from '@sveltejs/kit';
import { auditRequest } from '../audit';
import type { AuditFn, OpsContext } from './ops';

export function consoleOps(event: RequestEvent) {
	const rt = event.locals.services;
	const ctx: OpsContext & Required<Pick<OpsContext, 'walls'>> = { db: rt.handle.db, credentials: rt.credentials, ingest: rt.ingest, org: rt.org, walls: rt.walls };
	const audit: AuditFn = (action, target, detail, db = rt.handle.db) => auditRequest(db, event, action, target, detail);
	return { rt, ctx, audit };
}

/** A field's problem as a message key of the page's strings, with parameters. */
export interface FieldError {
	key: string;
	params?: Record<string, string | number>;
}

/** A refused form: which form (`action`), the problems by field, and what was entered (never secrets). */
export function refuse(action: string, errors: Record<string, FieldError>, values: Record<string, unknown> = {}) {
	return fail(400, { action, errors, values });
}
