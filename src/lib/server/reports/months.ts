/**
 * A month's counters for reports: from the live state's buckets while the month is still kept
 * in memory (they hold everything, flushed or not), else from the `rollups` table (plus the
 * writer's deltas not yet flushed). Never from the event log.
 */
import { sql } from 'drizzle-orm';
import type { MonthCounters } from '../../domain/bulletin';
import type { Counters } from '../../domain/counters';
import { bucketKey, oldestKeptMonth, type LiveState, type ScopeKind } from '../../domain/projection';
import { dayKey } from '../../domain/time';
import type { Database } from '../db/client';

export async function monthCounters(db: Database, state: LiveState, month: string, now: number, tz: string): Promise<{ counters: MonthCounters; source: 'state' | 'rollups' }> {
	if (month >= oldestKeptMonth(dayKey(now, tz)))
		return { counters: (kind: ScopeKind, code: string) => state.buckets.get(bucketKey(kind, code, month)), source: 'state' };
	const r = await db.execute(sql`select scope_kind, scope_code, counters from rollups where period = ${month}`);
	const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Array<{ scope_kind: string; scope_code: string; counters: Record<string, number> | string }>;
	const map = new Map<string, Partial<Counters>>();
	for (const row of rows) map.set(bucketKey(row.scope_kind as ScopeKind, row.scope_code, month), { ...(typeof row.counters === 'string' ? JSON.parse(row.counters) : row.counters) });
	// A late event for a pruned month: its delta waits in the writer's dirty map until the next checkpoint.
	for (const [key, delta] of state.dirty ?? []) {
		if (!key.endsWith(`|${month}`)) continue;
		const c = map.get(key) ?? {};
		for (const [k, v] of Object.entries(delta)) c[k as keyof Counters] = (c[k as keyof Counters] ?? 0) + (v ?? 0);
		map.set(key, c);
	}
	return { counters: (kind: ScopeKind, code: string) => map.get(bucketKey(kind, code, month)), source: 'rollups' };
}

/** January to `month` added up per scope (1–N月累计), each month read as `monthCounters` reads it. */
export async function yearCounters(db: Database, state: LiveState, month: string, now: number, tz: string): Promise<MonthCounters> {
	const months: MonthCounters[] = [];
	for (let m = 1, last = Number(month.slice(5)); m <= last; m++) months.push((await monthCounters(db, state, `${month.slice(0, 4)}-${String(m).padStart(2, '0')}`, now, tz)).counters);
	const cache = new Map<string, Partial<Counters>>();
	return (kind: ScopeKind, code: string) => {
		const key = `${kind}|${code}`;
		let c = cache.get(key);
		if (!c) {
			c = {};
			for (const f of months)
				for (const [k, v] of Object.entries(f(kind, code) ?? {})) c[k as keyof Counters] = (c[k as keyof Counters] ?? 0) + (v ?? 0);
			cache.set(key, c);
		}
		return c;
	};
}
