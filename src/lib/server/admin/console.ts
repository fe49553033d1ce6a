/**
 * Glue for the admin console's pages: the operator context (ops.ts, shared with the CLI) and an
 * audit callback that records the signed-in user and their address (auditRequest) for every action.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { auditRequest } from '../audit';
import type { AuditFn, OpsContext } from './ops';

export function consoleOps(event: RequestEvent) {
	const rt = event.locals.services;
	const ctx: OpsContext & Required<Pick<OpsContext, 'walls'>> = { db: rt.handle.db, credentials: rt.credentials, ingest: rt.ingest, org: rt.org, walls: rt.walls };
	const audit: AuditFn = (action, target, detail, db = rt.handle.db) => auditRequest(db, event, action, target, detail);
	return { rt, ctx, audit };
}
