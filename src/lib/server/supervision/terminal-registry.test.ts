/**
 * Terminals shared across instances through the database (PGlite; PostgreSQL too when
 * TEST_DATABASE_URL is set): each instance sees the others' terminals until their rows go stale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/client';
import { terminalPresence } from '../db/schema';
import { openTestDatabase, TEST_BACKENDS } from '../db/testing';
import { TerminalRegistry } from './terminal-registry';

describe.each(TEST_BACKENDS)('terminal registry on %s', (backend) => {
	let handle: DbHandle;
	let cleanup: () => Promise<void>;
	let clock = Date.parse('2026-11-23T09:00:00+08:00');
	const now = () => clock;

	beforeAll(async () => {
		({ handle, cleanup } = await openTestDatabase(backend));
	}, 60_000);
	afterAll(async () => cleanup?.());

	it('an instance sees the terminals of the others, until they leave or their rows go stale', async () => {
		const onA = new Set(['S001']);
		const onB = new Set(['S002', 'S003']);
		const a = new TerminalRegistry({ db: handle.db, instanceId: 'A', local: () => onA, staleMs: 30_000, now });
		const b = new TerminalRegistry({ db: handle.db, instanceId: 'B', local: () => onB, staleMs: 30_000, now });
		// Before B writes, A knows only its own.
		expect([...(await a.connected())].sort()).toEqual(['S001']);
		await Promise.all([a.sync(), b.sync()]);
		expect([...(await a.connected())].sort()).toEqual(['S001', 'S002', 'S003']);
		expect([...(await b.connected())].sort()).toEqual(['S001', 'S002', 'S003']);
		// S003's PC on B closes: gone at B's next write.
		onB.delete('S003');
		await b.sync();
		expect([...(await a.connected())].sort()).toEqual(['S001', 'S002']);
		// B dies (no more writes): 30 s later its rows no longer count; A's own still do.
		clock += 31_000;
		expect([...(await a.connected())].sort()).toEqual(['S001']);
		// A stops cleanly: its rows are deleted.
		await a.clear();
		const rows = await handle.db.select().from(terminalPresence);
		expect(rows.map((r) => `${r.instanceId}:${r.staffCode}`)).toEqual(['B:S002']);
	});

	it('coalesces writes asked for while one runs, and forgets instances gone for a day', async () => {
		const local = new Set(['S010']);
		let writes = 0;
		const c = new TerminalRegistry({
			db: handle.db,
			instanceId: 'C',
			local: () => {
				writes++;
				return local;
			},
			now
		});
		await Promise.all([c.sync(), c.sync(), c.sync(), c.sync()]);
		expect(writes, 'one write, and one more for the calls made meanwhile').toBe(2);
		clock += 25 * 3_600_000;
		await c.sync();
		const rows = await handle.db.select().from(terminalPresence);
		expect(rows.map((r) => `${r.instanceId}:${r.staffCode}`)).toEqual(['C:S010']);
	});
});
