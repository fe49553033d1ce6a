import { desc, eq, isNull, sql } from 'drizzle-orm';
import { auditLog, displayTokens, ingestKeys, quarantine, users } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

const count = (rows: Array<{ n: number }>) => Number(rows[0]?.n ?? 0);

/** Overview: how many of each, and the latest audit entries. */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const db = rt.handle.db;
	const n = sql<number>`count(*)::int`;
	const [u, k, t, q, recent, walls] = await Promise.all([
		db.select({ n }).from(users).where(isNull(users.disabledAt)),
		db.select({ n }).from(ingestKeys).where(isNull(ingestKeys.revokedAt)),
		db.select({ n }).from(displayTokens).where(isNull(displayTokens.revokedAt)),
		db.select({ n }).from(quarantine).where(eq(quarantine.status, 'open')),
		db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(10),
		rt.walls.list() // every instance's, as on /admin/walls
	]);
	return {
		counts: { users: count(u), keys: count(k), tokens: count(t), quarantine: count(q), walls: walls.length, seq: rt.projector.seq },
		recent: recent.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target })),
		names: await rt.accounts.namesOf(recent.map((r) => r.actor))
	};
};
