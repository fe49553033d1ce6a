/**
 * The projector's rollups and checkpoints, on PGlite (and PostgreSQL when TEST_DATABASE_URL is
 * set): the rollups always equal the counters rebuilt from the log, whatever happens between
 * flushes, checkpoints and restarts — a bucket the state keeps is written whole, a late event
 * for a period it no longer keeps adds its delta, events the rollups already hold are not
 * counted twice after a restart, and a checkpoint written in parts restores to the same state.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HallEvent } from '../../domain/catalog';
import { compact, type Counters } from '../../domain/counters';
import { OrgIndex } from '../../domain/org';
import { apply, bucketKey, createState, serializeState } from '../../domain/projection';
import type { DbHandle } from '../db/client';
import { appendEvents, readAfter } from '../db/log';
import { checkpointParts, checkpoints } from '../db/schema';
import { openTestDatabase, TEST_BACKENDS } from '../db/testing';
import { Projector } from './projector';

const ORG = new OrgIndex({
	regions: [{ code: 'R', name: '市' }],
	centers: [{ code: 'HC1', name: '中心', regionCode: 'R' }],
	departments: [{ code: 'D', name: '部门', centerCode: 'HC1' }],
	windows: [{ code: 'W', name: '窗口', centerCode: 'HC1', departmentCode: 'D' }],
	staff: []
});
const NOW = Date.parse('2026-11-23T15:00:00+08:00');

let n = 0;
const ticket = (day: string): HallEvent =>
	({ id: `t${++n}`, type: 'queue.ticket_issued', occurredAt: `${day}T10:00:00+08:00`, data: { centerCode: 'HC1', ticketNo: `A${n}`, departmentCode: 'D' } }) as HallEvent;

describe.each(TEST_BACKENDS)('projector on %s', (backend) => {
	let handle: DbHandle;
	let cleanup: () => Promise<void>;
	const projector = () => new Projector(handle.db, { org: () => ORG, now: () => NOW });

	beforeAll(async () => {
		({ handle, cleanup } = await openTestDatabase(backend));
	}, 60_000);
	afterAll(async () => cleanup?.());

	async function send(p: Projector | null, events: HallEvent[]) {
		const r = await appendEvents(handle.db, 's', events.map((event) => ({ event, place: ORG.place(event) })), { notify: false });
		p?.submit(r.committed);
	}

	/** The rollups as stored, and the counters rebuilt from the whole log, for every stored bucket. */
	async function compare() {
		const r = await handle.db.execute(sql`select scope_kind, scope_code, period, counters from rollups`);
		const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Array<{ scope_kind: string; scope_code: string; period: string; counters: Record<string, number> | string }>;
		const stored = new Map(rows.map((x) => [`${x.scope_kind}|${x.scope_code}|${x.period}`, compact(typeof x.counters === 'string' ? JSON.parse(x.counters) : x.counters)]));
		const truth = createState(false);
		for (const e of await readAfter(handle.db, 0, 100_000)) apply(truth, e);
		const expected = new Map([...truth.buckets].map(([k, c]) => [k, compact(c as Counters)]));
		return { stored, expected };
	}

	it('keeps the rollups equal to the log through flushes, late events, checkpoints and a restart that lost its deltas', async () => {
		const p = projector();
		await p.restore(true);
		await send(p, [ticket('2026-11-23'), ticket('2026-11-23'), ticket('2026-11-22')]);
		await p.flushRollups();
		// A checkpoint (the state now prunes day buckets older than a week), then a late event for a pruned day.
		await send(p, [ticket('2026-11-01')]);
		await p.checkpoint();
		expect(p.state.buckets.has(bucketKey('center', 'HC1', '2026-11-01'))).toBe(false);
		await send(p, [ticket('2026-11-01'), ticket('2026-11-23')]);
		expect(p.state.buckets.get(bucketKey('center', 'HC1', '2026-11-01'))?.ticketsIssued).toBe(1); // the late one only
		await p.flushRollups();
		let { stored, expected } = await compare();
		expect(stored.get(bucketKey('center', 'HC1', '2026-11-01'))).toEqual({ ticketsIssued: 2, waiting: 2 });
		for (const [k, c] of expected) expect(stored.get(k), k).toEqual(c);

		// More events, flushed; then the process dies before the next checkpoint (its later deltas lost).
		await send(p, [ticket('2026-11-23'), ticket('2026-11-01')]);
		await p.flushRollups();
		await send(p, [ticket('2026-11-23'), ticket('2026-11-20')]); // never flushed by this instance
		const restarted = projector();
		const replayed = await restarted.restore(true);
		expect(replayed).toBe(6);
		await restarted.flushRollups();
		({ stored, expected } = await compare());
		for (const [k, c] of expected) expect(stored.get(k), k).toEqual(c);
		expect(stored.get(bucketKey('center', 'HC1', '2026-11-01'))).toEqual({ ticketsIssued: 3, waiting: 3 });
	});

	it('restores a checkpoint written in parts to the same state, ignoring a generation left half-written', async () => {
		const p = projector();
		await p.restore(true);
		await send(p, Array.from({ length: 300 }, () => ticket('2026-11-23')));
		await p.checkpoint();
		const [cp] = await handle.db.select().from(checkpoints).where(sql`${checkpoints.name} = 'live'`);
		expect(cp.parts).toBeGreaterThan(0);
		// A later checkpoint that died after writing one part of the next generation.
		await handle.db.insert(checkpointParts).values({ name: 'live', gen: cp.gen! + 1, part: 0, data: '{"garbage"' });
		const again = projector();
		expect(await again.restore(true)).toBe(0);
		expect(serializeState(again.state)).toBe(serializeState(p.state));
		// The next checkpoint writes that generation whole and removes the others.
		await send(again, [ticket('2026-11-23')]);
		await again.checkpoint();
		const parts = await handle.db.select({ gen: checkpointParts.gen }).from(checkpointParts);
		expect(new Set(parts.map((x) => x.gen))).toEqual(new Set([cp.gen! + 1]));
	});
});
