import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeOrg } from '../../domain/testkit';
import { createState } from '../../domain/projection';
import { diffFigures, Hub, sameJson } from './hub';

/** A hub behind a real HTTP server, so displays connect over WebSocket as in production. */
async function hubServer(heartbeatMs: number) {
	let now = Date.parse('2026-11-22T09:00:00+08:00');
	const state = createState();
	const org = makeOrg();
	const hub = new Hub({ state: () => state as never, org: () => org, flushMs: 50, heartbeatMs, now: () => now });
	const server = http.createServer();
	server.on('upgrade', (req, socket, head) => {
		const name = new URL(req.url ?? '/', 'http://x').searchParams.get('name') ?? 'wall';
		hub.accept(req, socket, head, { scope: { kind: 'center', code: 'PJ-001' }, since: null, events: 'notable', name });
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as net.AddressInfo).port;
	const connect = async (name: string) => {
		const ws = new WebSocket(`ws://127.0.0.1:${port}/?name=${name}`);
		const messages: Array<{ type: string }> = [];
		ws.on('message', (m) => messages.push(JSON.parse(String(m))));
		await new Promise((r) => ws.once('open', r));
		return { ws, messages };
	};
	return {
		hub,
		connect,
		setNow: (t: number) => (now = t),
		get now() {
			return now;
		},
		async close() {
			await hub.close();
			await new Promise((r) => server.close(r));
		}
	};
}

const waitFor = async (pred: () => boolean, ms = 3000) => {
	const end = Date.now() + ms;
	while (!pred()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 10));
	}
};

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
	for (const c of cleanup) await c();
	cleanup = [];
});

describe('Hub.listClients', () => {
	it('reports each display’s connection, last heartbeat (pong) and last message sent', async () => {
		const s = await hubServer(250);
		cleanup.push(() => s.close());
		const t0 = s.now;
		const a = await s.connect('hall-wall');
		cleanup.push(async () => a.ws.close());
		await waitFor(() => a.messages.length > 0);
		let [c] = s.hub.listClients();
		expect(c).toEqual({
			name: 'hall-wall',
			scope: 'center:PJ-001',
			connectedAt: new Date(t0).toISOString(),
			lastHeartbeatAt: new Date(t0).toISOString(),
			lastMessageAt: new Date(t0).toISOString(),
			lagging: false
		});

		// (250 ms heartbeats: a loaded CI machine still answers a ping before the next one.)
		// Later the server pings and sends a heartbeat; the display's pong moves its last heartbeat.
		s.setNow(t0 + 10_000);
		await waitFor(() => s.hub.listClients()[0].lastHeartbeatAt === new Date(t0 + 10_000).toISOString());
		[c] = s.hub.listClients();
		expect(c.connectedAt).toBe(new Date(t0).toISOString());
		expect(c.lastMessageAt).toBe(new Date(t0 + 10_000).toISOString());
		expect(a.messages.some((m) => m.type === 'heartbeat')).toBe(true);
	});

	it('reloads one display by token name, or all', async () => {
		const s = await hubServer(60_000);
		cleanup.push(() => s.close());
		const a = await s.connect('wall-a');
		const b = await s.connect('wall-b');
		cleanup.push(async () => (a.ws.close(), b.ws.close()));
		await waitFor(() => s.hub.listClients().length === 2);
		expect(s.hub.command('reload', 'wall-b')).toBe(1);
		await waitFor(() => b.messages.some((m) => m.type === 'reload'));
		expect(a.messages.some((m) => m.type === 'reload')).toBe(false);
		expect(s.hub.command('reload')).toBe(2);
		await waitFor(() => a.messages.some((m) => m.type === 'reload'));
	});
});

describe('diffFigures and sameJson', () => {
	it('compares as JSON would, without serializing', () => {
		const cases: Array<[unknown, unknown]> = [
			[1, 1],
			[1, 2],
			['a', 'a'],
			[null, 0],
			[NaN, null],
			[Infinity, NaN],
			[[1, 2], [1, 2]],
			[[1, 2], [2, 1]],
			[[1, undefined], [1, null]],
			[[1], [1, 2]],
			[{ a: 1, b: undefined }, { a: 1 }],
			[{ a: 1 }, { a: 1, b: 2 }],
			[{ a: 1, b: 2 }, { b: 2, a: 1 }],
			[{ a: [1, { x: 'y' }] }, { a: [1, { x: 'y' }] }],
			[{ a: [1, { x: 'y' }] }, { a: [1, { x: 'z' }] }],
			[[], {}],
			[{}, []],
			[{ a: null }, { a: undefined }]
		];
		const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
		for (const [a, b] of cases) expect(sameJson(a, b), JSON.stringify([a, b])).toBe(canonical(a) === canonical(b));
	});

	it('sends the leaves that changed and whole lists when an item changed', () => {
		const prev = { queue: { waiting: 3, longestWaitSec: 60 }, windows: [{ code: 'W1', status: 'open' }], rank: [1, 2] };
		expect(diffFigures(prev, { ...prev, queue: { waiting: 4, longestWaitSec: 60 } })).toEqual({ queue: { waiting: 4 } });
		expect(diffFigures(prev, { ...prev, windows: [{ code: 'W1', status: 'paused' }] })).toEqual({ windows: [{ code: 'W1', status: 'paused' }] });
		expect(diffFigures(prev, { ...prev, windows: [{ code: 'W1', status: 'open' }] })).toBeUndefined();
		expect(diffFigures(prev, { ...prev, rank: [2, 1] })).toEqual({ rank: [2, 1] });
	});
});
