import { and, desc, gte, ilike, lt, lte, type SQL } from 'drizzle-orm';
import { auditLog } from '$lib/server/db/schema';
import { param, parseQuery } from '$lib/server/http/params';
import type { PageServerLoad } from './$types';

const PAGE = 100;
/** `%` and `_` typed by the admin are literal. */
const like = (v: string) => `%${v.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
/** A date (YYYY-MM-DD) as the start of that day in Shanghai time. */
const day = (v: string | undefined) => (v ? new Date(`${v}T00:00:00+08:00`) : null);
const QUERY = {
	actor: param.text(200).optional(),
	action: param.text(200).optional(),
	target: param.text(200).optional(),
	from: param.day().optional(),
	to: param.day().optional(),
	before: param.id().optional()
};

/** The audit log, newest first, filtered; pages go back by id (`before`), never by offset. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const q = parseQuery(url, QUERY);
	const filters = { actor: q.actor ?? '', action: q.action ?? '', target: q.target ?? '', from: q.from ?? '', to: q.to ?? '' };
	const where: SQL[] = [];
	if (filters.actor) where.push(ilike(auditLog.actor, like(filters.actor)));
	if (filters.action) where.push(ilike(auditLog.action, like(filters.action)));
	if (filters.target) where.push(ilike(auditLog.target, like(filters.target)));
	const from = day(q.from);
	const to = day(q.to);
	if (from) where.push(gte(auditLog.at, from));
	if (to) where.push(lte(auditLog.at, new Date(to.getTime() + 86_400_000 - 1)));
	if (q.before) where.push(lt(auditLog.id, q.before));
	const rows = await locals.services
		.handle.db.select()
		.from(auditLog)
		.where(where.length ? and(...where) : undefined)
		.orderBy(desc(auditLog.id))
		.limit(PAGE + 1);
	return {
		filters,
		entries: rows.slice(0, PAGE).map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, ip: r.ip, detail: r.detail })),
		older: rows.length > PAGE ? rows[PAGE - 1].id : null,
		names: await locals.services.accounts.namesOf(rows.map((r) => r.actor))
	};
};
