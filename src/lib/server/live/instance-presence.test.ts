/**
 * Terminals and walls shared across instances through the database (PGlite; PostgreSQL too
 * when TEST_DATABASE_URL is set): each instance sees the others' until their rows go stale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/client';
import { instancePresence } from '../db/schema';
import { openTestDatabase, TEST_BACKENDS } from '../db/testing';
import type { WallClient } from './hub';
import { InstancePresence, type InstanceLists } from './instance-presence';

const wall = (name: string): WallClient => ({ name, scope: 'center:PJ-001', connectedAt: '2026-11-23T01:00:00.000Z', lastHeartbeatAt: '2026-11-23T01:00:00.000Z', lastMessageAt: null, lagging: false });
const sorted = (s: Set<string>) => [...s].sort();

describe.each(TEST_BACKENDS)('instance presence on %s', (backend) => {
	let handle: DbHandle;
	let cleanup: () => Promise<void>;
	let clock = Date.parse('2026-11-23T09:00:00+08:00');
	const now = () => clock;

	beforeAll(async () => {
		({ handle, cleanup } = await openTestDatabase(backend));
	}, 60_000);
	afterAll(async () => cleanup?.());

	it('an instance sees the terminals and walls of the others, until they leave or their rows go stale', async () => {
		const onA: InstanceLists = { terminals: ['S001'], walls: [wall('大厅主屏')] };
		const onB: InstanceLists = { terminals: ['S002', 'S003'], walls: [] };
		const a = new InstancePresence({ db: handle.db, instanceId: 'A', local: () => onA, staleMs: 30_000, now });
		const b = new InstancePresence({ db: handle.db, instanceId: 'B', local: () => onB, staleMs: 30_000, now });
		// Before B writes, A knows only its own.
		expect(sorted(await a.connectedStaff())).toEqual(['S001']);
		await Promise.all([a.sync(), b.sync()]);
		expect(sorted(await a.connectedStaff())).toEqual(['S001', 'S002', 'S003']);
		expect(sorted(await b.connectedStaff())).toEqual(['S001', 'S002', 'S003']);
		expect((await b.others()).map((r) => [r.instanceId, r.walls.map((w) => w.name)])).toEqual([['A', ['大厅主屏']]]);
		// S003's PC on B closes: gone at B's next write.
		onB.terminals = ['S002'];
		await b.sync();
		expect(sorted(await a.connectedStaff())).toEqual(['S001', 'S002']);
		// B dies (no more writes): 30 s later its row no longer counts; A's own lists still do.
		clock += 31_000;
		expect(sorted(await a.connectedStaff())).toEqual(['S001']);
		expect(await a.others()).toEqual([]);
		// A stops cleanly: its row is deleted.
		await a.clear();
		const rows = await handle.db.select().from(instancePresence);
		expect(rows.map((r) => `${r.instanceId}:${r.terminals.join(',')}`)).toEqual(['B:S002']);
	});

	it('coalesces writes asked for while one runs, and forgets instances gone for a day', async () => {
		const local: InstanceLists = { terminals: ['S010'], walls: [] };
		let reads = 0;
		const c = new InstancePresence({
			db: handle.db,
			instanceId: 'C',
			local: () => {
				reads++;
				return local;
			},
			now
		});
		await Promise.all([c.sync(), c.sync(), c.sync(), c.sync()]);
		expect(reads, 'one write, and one more for the calls made meanwhile').toBe(2);
		clock += 25 * 3_600_000;
		await c.sync();
		const rows = await handle.db.select().from(instancePresence);
		expect(rows.map((r) => `${r.instanceId}:${r.terminals.join(',')}`)).toEqual(['C:S010']);
	});

	it('a reader without lists of its own (the CLI) writes nothing and reads everyone', async () => {
		const d = new InstancePresence({ db: handle.db, instanceId: 'D', local: () => ({ terminals: ['S020'], walls: [wall('领导办公室')] }), now });
		await d.sync();
		const cli = new InstancePresence({ db: handle.db, instanceId: 'cli', now });
		await cli.sync();
		expect((await cli.others()).map((r) => r.instanceId).sort()).toEqual(['C', 'D']);
		expect(sorted(await cli.connectedStaff())).toEqual(['S010', 'S020']);
		expect((await handle.db.select().from(instancePresence)).map((r) => r.instanceId).sort()).toEqual(['C', 'D']);
	});
});
