/**
 * The log's promises, on PGlite (and PostgreSQL when TEST_DATABASE_URL is set): one gap-free
 * sequence in commit order under concurrent appends, duplicates stored once, and an aborted
 * append hands out no numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HallEvent } from '../../domain/catalog';
import type { EventPlace } from '../../domain/org';
import type { DbHandle } from './client';
import { appendEvents, headSeq, readAfter, type AppendInput } from './log';
import { openTestDatabase, TEST_BACKENDS } from './testing';

const place: EventPlace = { centerCode: 'HC1', regionCode: null, departmentCode: null, windowCode: null, staffCode: null };
const item = (id: string): AppendInput => ({
	event: { id, type: 'queue.ticket_issued', occurredAt: '2026-11-23T09:00:00+08:00', data: { centerCode: 'HC1', ticketNo: id } } as HallEvent,
	place
});

describe.each(TEST_BACKENDS)('event log on %s', (backend) => {
	let handle: DbHandle;
	let cleanup: () => Promise<void>;

	beforeAll(async () => {
		({ handle, cleanup } = await openTestDatabase(backend));
	}, 60_000);
	afterAll(async () => cleanup?.());

	it('numbers concurrent appends as one gap-free sequence; each append gets a contiguous run', async () => {
		const before = await headSeq(handle.db);
		const senders = 8;
		const perSender = 5;
		const batch = 20;
		const results = await Promise.all(
			Array.from({ length: senders }, async (_, s) => {
				const out: number[][] = [];
				for (let b = 0; b < perSender; b++) {
					const r = await appendEvents(handle.db, `sender-${s}`, Array.from({ length: batch }, (_, i) => item(`e-${b}-${i}`)), { notify: backend === 'postgres' });
					out.push(r.committed.map((e) => e.seq));
				}
				return out;
			})
		);
		const runs = results.flat();
		for (const run of runs) expect(run, 'one append, one contiguous run').toEqual(Array.from({ length: batch }, (_, i) => run[0] + i));
		const all = runs.flat().sort((x, y) => x - y);
		const total = senders * perSender * batch;
		expect(all).toEqual(Array.from({ length: total }, (_, i) => before + 1 + i));
		expect(await headSeq(handle.db)).toBe(before + total);
		// The stored rows say the same, with sender and id.
		const stored = await readAfter(handle.db, before, total + 10);
		expect(stored.map((e) => e.seq)).toEqual(all);
		expect(new Set(stored.map((e) => `${e.sender}/${e.id}`)).size).toBe(total);
	});

	it('stores an id once per sender: a re-send is a duplicate, another sender may use the same id', async () => {
		const first = await appendEvents(handle.db, 'dup-a', [item('x1'), item('x2')], { notify: false });
		expect(first.committed).toHaveLength(2);
		const again = await appendEvents(handle.db, 'dup-a', [item('x2'), item('x3')], { notify: false });
		expect([...again.duplicates]).toEqual(['x2']);
		expect(again.committed.map((e) => e.id)).toEqual(['x3']);
		expect(again.committed[0].seq).toBe(first.committed[1].seq + 1);
		const other = await appendEvents(handle.db, 'dup-b', [item('x1')], { notify: false });
		expect(other.duplicates.size).toBe(0);
		expect(other.committed).toHaveLength(1);
	});

	it('an append that fails inside its transaction stores nothing and hands out no number', async () => {
		const before = await headSeq(handle.db);
		await expect(
			appendEvents(handle.db, 'abort', [item('a1'), item('a2')], {
				notify: false,
				within: async () => {
					throw new Error('quarantine write failed');
				}
			})
		).rejects.toThrow('quarantine write failed');
		expect(await headSeq(handle.db)).toBe(before);
		expect(await readAfter(handle.db, before)).toEqual([]);
		const next = await appendEvents(handle.db, 'abort', [item('a1')], { notify: false });
		expect(next.committed.map((e) => e.seq)).toEqual([before + 1]);
	});
});
