/**
 * Walls of every instance through the database (PGlite; PostgreSQL too when TEST_DATABASE_URL
 * is set): listed from any instance; a reload reaches every instance's displays (NOTIFY on
 * PostgreSQL, the local hub on PGlite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/client';
import { openTestDatabase, TEST_BACKENDS } from '../db/testing';
import type { WallClient } from '../../live/protocol';
import { InstancePresence } from './instance-presence';
import { WALLS_CHANNEL, WallRegistry, type LocalWalls } from './wall-registry';

async function until(ok: () => boolean, ms: number): Promise<void> {
	const end = Date.now() + ms;
	while (!ok()) {
		if (Date.now() > end) throw new Error(`not within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

function fakeHub(names: string[]): LocalWalls & { commands: Array<{ msg: Record<string, unknown>; name?: string }> } {
	const at = '2026-11-23T01:00:00.000Z';
	const commands: Array<{ msg: Record<string, unknown>; name?: string }> = [];
	return {
		commands,
		listClients: (): WallClient[] => names.map((name) => ({ name, scope: 'center:PJ-001', connectedAt: at, lastHeartbeatAt: at, lastMessageAt: null, lagging: false })),
		command(type, name) {
			commands.push({ msg: { type }, name });
			return names.filter((n) => !name || n === name).length;
		}
	};
}

describe.each(TEST_BACKENDS)('wall registry on %s', (backend) => {
	let handle: DbHandle;
	let cleanup: () => Promise<void>;
	let clock = Date.parse('2026-11-23T09:00:00+08:00');
	const now = () => clock;

	beforeAll(async () => {
		({ handle, cleanup } = await openTestDatabase(backend));
	}, 60_000);
	afterAll(async () => cleanup?.());

	it('lists the walls of every instance and reloads them all, or those of one name', async () => {
		const hubA = fakeHub(['大厅主屏', '领导办公室']);
		const hubB = fakeHub(['大厅主屏']);
		const notify = backend === 'postgres';
		const presenceOf = (instanceId: string, hub: LocalWalls) => new InstancePresence({ db: handle.db, instanceId, local: () => ({ terminals: [], walls: hub.listClients() }), now });
		const [pa, pb] = [presenceOf('A', hubA), presenceOf('B', hubB)];
		const a = new WallRegistry({ db: handle.db, presence: pa, local: hubA, notify });
		const b = new WallRegistry({ db: handle.db, presence: pb, local: hubB, notify });
		const unlisten = await Promise.all([a, b].map((r) => handle.listen(WALLS_CHANNEL, (p) => r.onNotify(p))));
		try {
			await pa.sync();
			await pb.sync();
			const listed = (await b.list()).map((c) => `${c.instance}:${c.name}`).sort();
			expect(listed).toEqual(['A:大厅主屏', 'A:领导办公室', 'B:大厅主屏']);
			expect(await b.command({ type: 'reload' }, '大厅主屏')).toBe(2);
			if (notify) {
				// Both instances carry it out on their own displays.
				await until(() => hubA.commands.length === 1 && hubB.commands.length === 1, 5000);
				expect(hubA.commands[0]).toEqual({ msg: { type: 'reload' }, name: '大厅主屏' });
			} else expect(hubB.commands).toEqual([{ msg: { type: 'reload' }, name: '大厅主屏' }]);
			// A stops writing: 30 s later its walls are no longer listed.
			clock += 31_000;
			expect((await b.list()).map((c) => `${c.instance}:${c.name}`)).toEqual(['B:大厅主屏']);
			// A revoked display token: its displays are told so, on every instance.
			expect(await b.command({ type: 'revoked' }, '大厅主屏')).toBe(1);
			if (notify) await until(() => hubB.commands.length === 2, 5000);
			expect(hubB.commands.at(-1)).toEqual({ msg: { type: 'revoked' }, name: '大厅主屏' });
			// The CLI (PostgreSQL) has no hub: it reads the rows and notifies.
			if (notify) {
				await pb.sync();
				const cli = new WallRegistry({ db: handle.db, presence: new InstancePresence({ db: handle.db, instanceId: 'cli', now }), notify: true });
				expect(await cli.command({ type: 'reload' })).toBe(1);
				await until(() => hubB.commands.length === 3, 5000);
				expect(hubB.commands[2]).toEqual({ msg: { type: 'reload' }, name: undefined });
			}
			await pb.clear();
			expect(await a.list()).toHaveLength(2); // A's own, live
		} finally {
			for (const u of unlisten) await u();
		}
	});
});
