/**
 * Several server processes on one PostgreSQL database: events ingested on one are streamed by
 * the others (LISTEN/NOTIFY), all agree on seq and figures, concurrent ingest makes one gap-free
 * sequence, and when the writer dies another instance takes over checkpoints and deadlines.
 */
import fs from 'node:fs';
import * as devalue from 'devalue';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, cst, figuresOf, freshPostgres, provisioned, sleep, startServer, StreamClient, ticketEvents, until, WebSession, type TestServer } from './harness';

async function checkpointSeq(db: postgres.Sql): Promise<number> {
	const [row] = await db`select seq from checkpoints where name = 'live'`;
	return row ? Number(row.seq) : 0;
}

const health = async (s: TestServer) => (await (await fetch(`${s.url}/healthz`)).json()) as { seq: number; writer: boolean; status: string };

describe.skipIf(!process.env.TEST_DATABASE_URL)('multi-instance on postgres', () => {
	let a: TestServer;
	let b: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>>;
	let creds: { key: string; token: string };
	// Checkpoints only by volume (every 10 000 events), deadlines judged every 20 ms.
	const env = { INGEST_RATE_LIMIT: '0', CHECKPOINT_EVERY_MS: '600000', CHECKPOINT_EVERY_EVENTS: '10000', DERIVE_EVERY_MS: '20' };
	const ingestOn = async (s: TestServer, events: any[]) => {
		const r = await s.post('/api/v1/events', { events }, creds.key);
		expect(r.status, JSON.stringify(r.body)).toBe(200);
		expect(r.body.accepted, JSON.stringify(r.body.results.filter((x: any) => x.status !== 'accepted'))).toBe(events.length);
		return r.body;
	};
	const connect = async (s: TestServer, query: string) => {
		const c = await StreamClient.connect(s, creds.token, query);
		await c.waitFor((m) => m.type === 'snapshot');
		return c;
	};
	/** Wait until both instances are at the same seq, then compare their figures for a scope. */
	const expectAgree = async (query = '') => {
		const [sa, sb] = (await until(async () => {
			const x = await a.snapshot(creds.token, query);
			const y = await b.snapshot(creds.token, query);
			return x.seq === y.seq ? [x, y] : null;
		}, 5000))!;
		expect(figuresOf(sb)).toEqual(figuresOf(sa));
		return sa;
	};

	beforeAll(async () => {
		pg = await freshPostgres();
		a = await startServer({ backend: 'postgres', databaseUrl: pg.url, env });
		b = await startServer({ backend: 'postgres', databaseUrl: pg.url, env });
		// Org and credentials go in after both started: B learns the org by notification.
		creds = await provisioned(a);
	});
	afterAll(async () => {
		await a?.stop();
		await b?.stop();
		await pg?.drop();
		for (const s of [a, b]) if (s) fs.rmSync(s.dataDir, { recursive: true, force: true });
	});

	it('has exactly one writer', async () => {
		expect((await health(a)).writer).toBe(true);
		expect((await health(b)).writer).toBe(false);
		// B knows the org A just received (windows of HC1 in its snapshot).
		await until(async () => (await b.snapshot(creds.token, '&center=HC1')).hall.windowsTotal === 2, 3000);
	});

	it('streams an event ingested on A to a client of B within 1–2 s', async () => {
		const cb = await connect(b, '&center=HC1&events=all');
		const base = cb.messages[0].hall.ticketsIssuedToday;
		const latencies: number[] = [];
		for (let i = 1; i <= 5; i++) {
			const t0 = Date.now();
			const res = await ingestOn(a, ticketEvents('HC1', 1));
			const m = await cb.waitFor((x) => x.type === 'delta' && x.events.some((e: any) => e.id === res.results[0].id), 3000);
			latencies.push(cb.times[cb.messages.indexOf(m)] - t0);
			expect(m.figures.hall.ticketsIssuedToday).toBe(base + i);
			expect(m.events.find((e: any) => e.id === res.results[0].id).seq).toBe(res.results[0].seq);
		}
		console.log(`[postgres] A ingest → B stream latency ms: ${latencies.join(', ')}`);
		for (const l of latencies) expect(l).toBeLessThan(2000);
		cb.close();
	});

	it('agrees on seq and figures on both instances', async () => {
		const now = Date.now();
		await ingestOn(a, [
			{ id: 'ag-w', type: 'window.status_changed', occurredAt: cst(now - 60_000), data: { windowCode: 'W01', status: 'open', staffCode: 'S001' } },
			{ id: 'ag-e', type: 'evaluation.submitted', occurredAt: cst(now - 50_000), data: { rating: 2, windowCode: 'W01' } }
		]);
		await ingestOn(b, [
			{ id: 'ag-h', type: 'hotline.ticket_created', occurredAt: cst(now - 40_000), data: { ticketId: 'AG-1', channel: 'web', category: '咨询', summary: '办事指南', regionCode: 'D1' } },
			{ id: 'ag-c', type: 'card.issued', occurredAt: cst(now - 30_000), data: { cardId: 'AG-card', color: 'red', target: { kind: 'department', code: 'DGS' }, reason: 'complaint' } },
			...ticketEvents('HC2', 2)
		]);
		const all = await expectAgree();
		expect(all.evaluations.satisfactionRate).toBe(0);
		expect(all.cards.redToday).toBe(1);
		expect(all.hall.windowsOpen).toBe(1);
		expect(all.seq).toBe((await health(a)).seq);
		expect(all.seq).toBe((await health(b)).seq);
		await expectAgree('&center=HC1');
		await expectAgree('&center=HC2');
		await expectAgree('&region=D1');
	});

	it('numbers concurrent ingest on both instances as one gap-free sequence', async () => {
		const ca = await connect(a, '&events=all');
		const cb = await connect(b, '&events=all');
		const head0 = (await health(a)).seq;
		const seqs: number[] = [];
		const ids: string[] = [];
		await Promise.all(
			[a, b, a, b, a, b].map(async (s, w) => {
				for (let i = 0; i < 12; i++) {
					const evs = ticketEvents(w % 2 ? 'HC2' : 'HC1', 5);
					const res = await ingestOn(s, evs);
					for (const r of res.results) {
						seqs.push(r.seq);
						ids.push(r.id);
					}
				}
			})
		);
		const n = 6 * 12 * 5;
		expect(seqs).toHaveLength(n);
		expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => head0 + 1 + i));
		const all = await expectAgree();
		expect(all.seq).toBe(head0 + n);
		// Both streams carry the same events in the same (seq) order.
		await ca.waitFor((m) => m.type === 'delta' && m.seq === head0 + n, 3000);
		await cb.waitFor((m) => m.type === 'delta' && m.seq === head0 + n, 3000);
		const fromA = ca.events.map((e: any) => `${e.seq}:${e.id}`);
		const fromB = cb.events.map((e: any) => `${e.seq}:${e.id}`);
		expect(fromA).toHaveLength(n);
		expect(fromB).toEqual(fromA);
		expect(ca.events.map((e: any) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => head0 + 1 + i));
		expect(new Set(ca.events.map((e: any) => e.id))).toEqual(new Set(ids));
		expect(figuresOf(cb.figures)).toEqual(figuresOf(ca.figures));
		ca.close();
		cb.close();
	});

	it('records a window terminal open on one instance in a round a supervisor starts on the other', async () => {
		const staff = createUser(a, 'mi-staff', ['window_staff'], { staff: 'S001' });
		const sup = createUser(a, 'mi-sup', ['supervisor']);
		const onA = new WebSession(a);
		await onA.signIn(staff.username, staff.password);
		expect((await onA.action('/terminal?/act', { action: 'clock_in' })).type).toBe('success');
		// The window PC's terminal socket reaches A.
		const ws = new WebSocket(`${a.url.replace('http', 'ws')}/api/v1/terminal`, { headers: { cookie: onA.cookieHeader } });
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		try {
			// The supervisor's request reaches B.
			const onB = new WebSession(b);
			await onB.signIn(sup.username, sup.password);
			const db = postgres(pg.url, { max: 1, onnotice: () => {} });
			try {
				const checks = (await until(async () => {
					// S001's window only: no other check is left open to be judged missed in the next test.
					const r = await onB.action('/supervision?/startRound', { center: 'HC1', target: 'windows', windows: 'W01', respondWithinSec: '60', sample: '0' });
					if (r.type !== 'success') return null; // B has not applied the clock-in yet
					const [row] = await db`select checks from presence_rounds where id = ${r.data.started.id}`;
					return row.checks as Array<{ checkId: string; staffCode: string; atTerminal: boolean }>;
				}, 15_000, 300))!;
				expect(checks).toHaveLength(1);
				expect(checks[0]).toMatchObject({ staffCode: 'S001', atTerminal: true });
				// Confirmed at the PC (on A, once it has the round from B).
				await until(async () => (await onA.action('/terminal?/act', { action: 'confirm_check', checkId: checks[0].checkId })).type === 'success', 10_000, 200);
			} finally {
				await db.end();
			}
		} finally {
			ws.close();
		}
	});

	it('an admin on one instance sees and reloads a wall connected to the other (overview, /admin/walls)', async () => {
		const adm = createUser(a, 'mi-admin', ['admin']);
		const onA = new WebSession(a);
		await onA.signIn(adm.username, adm.password);
		const pageData = async (path: string) => {
			const r = await onA.get(`${path.replace(/\/$/, '')}/__data.json`);
			expect(r.status).toBe(200);
			const body = await r.json();
			return devalue.unflatten(body.nodes[body.nodes.length - 1].data) as any;
		};
		const token = a.cli('token', 'create', '--name', 'mi-lobby').last;
		const wallOnB = await StreamClient.connect(b, token);
		try {
			await wallOnB.waitFor((m) => m.type === 'snapshot');
			// B writes its row of instance_presence every heartbeat; A reads it.
			const listed = await until(async () => (await pageData('/admin/walls')).walls.find((w: any) => w.name === 'mi-lobby'), 30_000, 300);
			expect(listed.instance).toContain(String(b.proc!.pid));
			expect((await pageData('/admin')).counts.walls).toBeGreaterThanOrEqual(1);
			// The reload asked on A reaches the display on B (NOTIFY).
			const r = await onA.form('/admin/walls?/reload', { name: 'mi-lobby' }, { enhanced: true });
			const reply = await r.json();
			expect(devalue.parse(reply.data).reloaded).toEqual({ name: 'mi-lobby', count: 1 });
			await wallOnB.waitFor((m) => m.type === 'reload', 5000);
		} finally {
			wallOnB.close();
		}
	});

	it('hands the writer role to the other instance when the writer dies, and keeps judging deadlines', async () => {
		// A presence check due in ~10 s, then a checkpoint on the writer that includes it, then a
		// long tail after that checkpoint; then the writer dies before the deadline. The new writer
		// rebuilds its projection from that checkpoint + tail and judges deadlines meanwhile
		// (DERIVE_EVERY_MS=20): nothing may be lost or streamed twice on the way.
		const cb = await connect(b, '&events=all');
		const before = await b.snapshot(creds.token);
		const occurredAt = cst(Date.now());
		// 20 s leaves room for a slow checkpoint on a loaded CI machine (the writer checks every
		// 500 ms whether CHECKPOINT_EVERY_EVENTS are pending, and the write itself takes a while).
		const deadline = Date.parse(occurredAt) + 20_000;
		const res = await ingestOn(a, [{ id: 'mi-chk', type: 'presence.check_issued', occurredAt, data: { checkId: 'mi-chk', staffCode: 'S002', windowCode: 'W02', respondWithinSec: 20 } }]);
		const issued = res.results[0].seq;
		const db = postgres(pg.url, { max: 1, onnotice: () => {} });
		try {
			// Enough events to pass CHECKPOINT_EVERY_EVENTS (10000), then wait for the checkpoint.
			let sent = 0;
			while ((await checkpointSeq(db)) < issued) {
				expect(Date.now(), 'the writer checkpoints within 12 s').toBeLessThan(deadline - 8_000);
				if (sent < 11_000) {
					await ingestOn(a, ticketEvents('HC2', 1000));
					sent += 1000;
				} else await sleep(100);
			}
		} finally {
			await db.end();
		}
		let tail = 0;
		while (Date.now() < deadline - 1500 && tail < 5000) {
			await ingestOn(a, ticketEvents('HC2', 1000));
			tail += 1000;
		}
		const head = (await health(a)).seq;
		await sleep(deadline - 100 - Date.now()); // dies just before the deadline: the next writer must judge it
		const tKill = Date.now();
		await a.kill();
		expect(tKill).toBeLessThan(deadline);
		await until(async () => (await health(b)).writer, 12_000, 100);
		const takeover = Date.now() - tKill;
		console.log(`[postgres] writer takeover after ${takeover} ms`);
		expect(takeover).toBeLessThan(10_000);
		// B judges the check once its deadline passed.
		const m = await cb.waitFor((x) => (x.events ?? []).some((e: any) => e.type === 'presence.check_missed'), Math.max(0, deadline - Date.now()) + 5000);
		const missed = m.events.find((e: any) => e.type === 'presence.check_missed');
		console.log(`[postgres] tail of ${tail} events after the checkpoint; check judged missed ${cb.times[cb.messages.indexOf(m)] - deadline} ms after its deadline; ${(b.output.match(/projection restored at[^\n]*/g) ?? []).join(' / ')}`);
		expect(missed.data.checkId).toBe('mi-chk');
		expect(missed.seq).toBe(head + 1);
		// Then the card rule: one yellow card for the miss, issued by the new writer, right after it.
		const carded = await cb.waitFor((x) => (x.events ?? []).some((e: any) => e.type === 'card.issued'), 5000);
		const card = carded.events.find((e: any) => e.type === 'card.issued');
		expect(card).toMatchObject({ seq: missed.seq + 1, data: { rule: 'presence_missed', color: 'yellow', causes: [{ seq: missed.seq }] } });
		const snap = await b.snapshot(creds.token);
		expect(snap.presence.missedToday - before.presence.missedToday).toBe(1);
		expect(snap.presence.checksToday - before.presence.checksToday).toBe(1);
		expect(snap.cards.yellowToday - before.cards.yellowToday).toBe(1);
		// B still takes events, gap-free after the derived ones.
		const more = await ingestOn(b, ticketEvents('HC1', 2));
		expect(more.results.map((r: any) => r.seq)).toEqual([card.seq + 1, card.seq + 2]);
		await cb.waitFor((x) => x.type === 'delta' && x.seq === card.seq + 2, 2000);
		// The client of B saw every event across the takeover once, in order; its figures are B's.
		const seqs = cb.events.map((e: any) => e.seq);
		expect(seqs).toEqual(Array.from({ length: card.seq + 2 - issued + 1 }, (_, i) => issued + i));
		expect(cb.events.filter((e: any) => e.type === 'card.issued')).toHaveLength(1);
		expect(figuresOf(cb.figures)).toEqual(figuresOf(await b.snapshot(creds.token)));
		// A resume across the takeover: exactly the events after `since`, none twice.
		const r = await StreamClient.connect(b, creds.token, `&events=all&since=${Math.max(0, issued - 3)}`);
		const first = await r.waitFor((x) => x.type === 'delta' || x.type === 'snapshot');
		expect(first.resumed).toBe(true);
		const from = Math.max(0, issued - 3) + 1;
		expect(first.events.map((e: any) => e.seq)).toEqual(Array.from({ length: card.seq + 2 - from + 1 }, (_, i) => from + i));
		r.close();
		cb.close();
		// A comes back as a follower and catches up.
		await a.start();
		expect((await health(a)).writer).toBe(false);
		await sleep(200);
		await expectAgree();
	});
});
