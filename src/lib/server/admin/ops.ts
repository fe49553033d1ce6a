/**
 * Operator actions shared by the CLI (`npm run key|token|quarantine|walls`) and the admin
 * console: each changes state and records it in the audit log, through the `audit` callback
 * the caller passes (the CLI names the OS user, the console the signed-in user and their IP).
 * Secrets never reach the audit log; caller phones only masked, in bodies and in reasons (a
 * malformed phone is quoted in the reason: `quarantineReason`).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { parseEvent } from '../../domain/catalog';
import type { OrgIndex } from '../../domain/org';
import type { DisplayToken, Credentials } from '../auth/credentials';
import { CredentialError } from '../auth/credentials';
import type { Database, Executor } from '../db/client';
import { quarantine } from '../db/schema';
import { SYSTEM_SENDER, type IngestService } from '../ingest/service';
import type { WallCommand } from '../live/wall-registry';
import { maskEventData, maskPhone, maskText } from '../privacy';

export interface OpsContext {
	db: Database;
	credentials: Credentials;
	ingest: IngestService;
	org: () => OrgIndex;
	/** The wall displays of every instance (WallRegistry), when the server or the database can tell. */
	walls?: { command(msg: { type: WallCommand }, name?: string): Promise<number> };
}

/** Records one action; `db` is the executor to write with (a transaction when the change is one). */
export type AuditFn = (action: string, target?: string | null, detail?: Record<string, unknown> | null, db?: Executor) => Promise<void>;

/** Scope codes must exist in the org. */
function checkScope(ctx: OpsContext, scope: DisplayToken['scope']): void {
	if (scope.kind === 'center' && !ctx.org().centers.has(scope.code)) throw new CredentialError(`--center: unknown center "${scope.code}"`);
	if (scope.kind === 'region' && !ctx.org().regions.has(scope.code)) throw new CredentialError(`--region: unknown region "${scope.code}"`);
}

export async function createIngestKey(ctx: OpsContext, audit: AuditFn, name: string, types: string[], scope: DisplayToken['scope'] = { kind: 'all' }): Promise<string> {
	checkScope(ctx, scope);
	const { key } = await ctx.credentials.createKey(name, types, scope);
	await audit('ingest_key.create', name, { types, scope });
	return key;
}

export async function revokeIngestKey(ctx: OpsContext, audit: AuditFn, name: string): Promise<boolean> {
	const ok = await ctx.credentials.revokeKey(name);
	if (ok) await audit('ingest_key.revoke', name, { before: 'active', after: 'revoked' });
	return ok;
}

export async function createDisplayToken(ctx: OpsContext, audit: AuditFn, name: string, scope: DisplayToken['scope']): Promise<string> {
	checkScope(ctx, scope);
	const { token } = await ctx.credentials.createToken(name, scope);
	await audit('display_token.create', name, { scope });
	return token;
}

/** Revoke, and tell the displays using it (they stop and say so). */
export async function revokeDisplayToken(ctx: OpsContext, audit: AuditFn, name: string): Promise<boolean> {
	const ok = await ctx.credentials.revokeToken(name);
	if (!ok) return false;
	const displays = (await ctx.walls?.command({ type: 'revoked' }, name)) ?? 0;
	await audit('display_token.revoke', name, { before: 'active', after: 'revoked', displays });
	return true;
}

export function reloadWalls(ctx: OpsContext & Required<Pick<OpsContext, 'walls'>>, audit: AuditFn, name?: string): Promise<number> {
	return ctx.walls.command({ type: 'reload' }, name).then((n) => audit('walls.reload', name ?? 'all', { clients: n }).then(() => n));
}

/**
 * A quarantine reason as people see it (console, CLI, audit): a malformed caller phone is quoted
 * in it (`data.callerPhone: … found "1380000123x"`), masked like the body. The stored reason and
 * the sender's own ingest answer keep it as sent: the sender sent it, and needs it to find the record.
 */
export const quarantineReason = maskText;

export async function replayQuarantine(ctx: OpsContext, audit: AuditFn, ids: number[] | 'all') {
	const res = await ctx.ingest.replayQuarantine(ids);
	await audit('quarantine.replay', ids === 'all' ? 'all' : ids.join(','), { ...res, stillRejected: res.stillRejected.length });
	return { ...res, stillRejected: res.stillRejected.map((r) => ({ id: r.id, error: quarantineReason(r.error) })) };
}

/** Discard open items with a reason; returns how many were open (the others are left as they are). */
export async function discardQuarantine(ctx: OpsContext, audit: AuditFn, ids: number[], reason: string): Promise<number> {
	return ctx.db.transaction(async (tx) => {
		const rows = await tx
			.update(quarantine)
			.set({ status: 'discarded', resolvedAt: new Date(), resolution: reason })
			.where(and(inArray(quarantine.id, ids), eq(quarantine.status, 'open')))
			.returning({ id: quarantine.id });
		if (rows.length) await audit('quarantine.discard', rows.map((r) => r.id).join(','), { reason, discarded: rows.length }, tx);
		return rows.length;
	});
}

/** A quarantined body as people may see it: caller phones masked. */
export function maskBody(body: unknown): unknown {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
	const b = body as Record<string, unknown>;
	if (!b.data || typeof b.data !== 'object' || Array.isArray(b.data)) return body;
	const type = typeof b.type === 'string' ? b.type : '';
	const data = maskEventData(type, b.data as Record<string, unknown>);
	return data === b.data ? body : { ...b, data };
}

/**
 * An edited body shown masked keeps the original phone where the editor left the mask as it
 * was (so fixing another field never overwrites a caller's number with its mask).
 */
export function unmaskEdited(edited: unknown, original: unknown): unknown {
	const phone = (b: unknown) => (b as { data?: { callerPhone?: unknown } } | null)?.data?.callerPhone;
	const was = phone(original);
	const now = phone(edited);
	if (typeof was !== 'string' || typeof now !== 'string' || now !== maskPhone(was)) return edited;
	const e = edited as { data: Record<string, unknown> };
	return { ...e, data: { ...e.data, callerPhone: was } };
}

/** The reason of an item fixed but not yet replayed starts with this (the old reason follows). */
export const FIXED = 'fixed, not replayed yet (was: ';

export type FixResult =
	| { ok: true; warning: string | null }
	| { ok: false; field: 'body'; error: string };

/**
 * Replace an open item's body with a corrected one. It must be JSON and a valid event of the
 * catalog; a reference the org cannot resolve yet is a warning (fix the org, then replay).
 */
export async function fixQuarantine(ctx: OpsContext, audit: AuditFn, id: number, text: string, now = Date.now()): Promise<FixResult> {
	const [row] = await ctx.db.select().from(quarantine).where(eq(quarantine.id, id));
	if (!row || row.status !== 'open') return { ok: false, field: 'body', error: `#${id}: no open quarantined event with this number` };
	let edited: unknown;
	try {
		edited = JSON.parse(text);
	} catch (err) {
		return { ok: false, field: 'body', error: `body: not valid JSON (${(err as Error).message})` };
	}
	const body = unmaskEdited(edited, row.body);
	const parsed = parseEvent(body, { now, allowSystem: row.sender === SYSTEM_SENDER });
	// A phone left masked as shown is the original again here: its problem is told masked.
	if (!parsed.ok) return { ok: false, field: 'body', error: quarantineReason(parsed.error) };
	const warning = ctx.org().checkRefs(parsed.event);
	await ctx.db.transaction(async (tx) => {
		await tx
			.update(quarantine)
			.set({ body: sql`${JSON.stringify(body)}::jsonb`, eventId: parsed.event.id, type: parsed.event.type, error: `${FIXED}${row.error.startsWith(FIXED) ? row.error.slice(FIXED.length) : `${row.error})`}` })
			.where(eq(quarantine.id, id));
		await audit('quarantine.fix', String(id), { before: maskBody(row.body), after: maskBody(body), error: quarantineReason(row.error) }, tx);
	});
	return { ok: true, warning };
}
