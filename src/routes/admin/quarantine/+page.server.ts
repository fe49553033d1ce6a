import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { consoleOps } from '$lib/server/admin/console';
import { discardQuarantine, fixQuarantine, maskBody, quarantineReason, replayQuarantine } from '$lib/server/admin/ops';
import { quarantine } from '$lib/server/db/schema';
import { field, formAction, Refused } from '$lib/server/http/form';
import { param, parseIdList, parseQuery } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

const LIMIT = 200;

/** The stored body (jsonb keeps keys in its own order) with the envelope's fields first, as senders write it. */
function envelopeFirst(body: unknown): unknown {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
	const { id, type, occurredAt, source, data, ...rest } = body as Record<string, unknown>;
	return Object.fromEntries(Object.entries({ id, type, occurredAt, source, data, ...rest }).filter(([, v]) => v !== undefined));
}

const QUERY = { sender: param.text(200).optional(), type: param.text(200).optional(), fix: param.id().optional() };

export const load: PageServerLoad = async ({ locals, url }) => {
	const db = locals.services.handle.db;
	const q = parseQuery(url, QUERY);
	const sender = q.sender ?? '';
	const type = q.type ?? '';
	const where: SQL[] = [eq(quarantine.status, 'open')];
	if (sender) where.push(eq(quarantine.sender, sender));
	if (type) where.push(eq(quarantine.type, type));
	const [rows, [{ n }], senders, types] = await Promise.all([
		db.select().from(quarantine).where(and(...where)).orderBy(desc(quarantine.id)).limit(LIMIT),
		db.select({ n: count() }).from(quarantine).where(and(...where)),
		db.selectDistinct({ v: quarantine.sender }).from(quarantine).where(eq(quarantine.status, 'open')).orderBy(quarantine.sender),
		db.selectDistinct({ v: quarantine.type }).from(quarantine).where(eq(quarantine.status, 'open')).orderBy(quarantine.type)
	]);
	const fixId = q.fix;
	const fix = rows.find((r) => r.id === fixId) ?? (fixId ? (await db.select().from(quarantine).where(and(eq(quarantine.id, fixId), eq(quarantine.status, 'open'))))[0] : undefined);
	const shown = (r: typeof quarantine.$inferSelect) => ({
		id: r.id,
		receivedAt: r.receivedAt.toISOString(),
		sender: r.sender,
		type: r.type,
		eventId: r.eventId,
		error: quarantineReason(r.error),
		body: JSON.stringify(envelopeFirst(maskBody(r.body)), null, 2)
	});
	return {
		items: rows.map(shown),
		total: Number(n),
		limit: LIMIT,
		filter: { sender, type },
		senders: senders.map((s) => s.v),
		types: types.map((t) => t.v).filter((t): t is string => t !== null),
		fix: fix ? shown(fix) : null
	};
};

const FIX = { id: field.hidden(param.id()), body: z.string().default('') };
const DISCARD = { reason: param.text(500).describe('quarantine.reasonLabel') };

export const actions: Actions = {
	fix: formAction('fix', FIX, async ({ id, body }, event) => {
		const { ctx, audit } = consoleOps(event);
		const res = await fixQuarantine(ctx, audit, id, body);
		if (!res.ok) throw new Refused({ body: { key: 'quarantine.errBody', params: { detail: res.error } } });
		return { fixed: { id, warning: res.warning } };
	}),

	replay: formAction('replay', {}, async (_, event, form) => {
		const ids = parseIdList(form);
		if (!ids.length) throw new Refused({ id: { key: 'quarantine.errNoneSelected' } });
		const { ctx, audit } = consoleOps(event);
		return { replayed: await replayQuarantine(ctx, audit, ids) };
	}),

	replayAll: async (event) => {
		const { ctx, audit } = consoleOps(event);
		return { replayed: await replayQuarantine(ctx, audit, 'all') };
	},

	discard: formAction('discard', DISCARD, async ({ reason }, event, form) => {
		const ids = parseIdList(form);
		if (!ids.length) throw new Refused({ id: { key: 'quarantine.errNoneSelected' } });
		const { ctx, audit } = consoleOps(event);
		const n = await discardQuarantine(ctx, audit, ids, reason);
		return { discarded: { count: n, notOpen: ids.length - n } };
	})
};
