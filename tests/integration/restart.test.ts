/**
 * Restarts (spec §1 "accepted means durably committed", §2 resume): SIGTERM mid-stream loses
 * nothing acknowledged and streams resume with since=; SIGKILL restores the same figures from
 * checkpoint + tail; deadlines that pass while the server is down are judged on start-up.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BACKENDS, cst, figuresOf, freshPostgres, provisioned, sleep, startServer, StreamClient, until, type TestServer } from './harness';

/** Sends ticket events in small batches until stopped, retrying each batch until it is acknowledged. */
class Ingester {
	/** id → how it was acknowledged. */
	acked = new Map<string, 'accepted' | 'duplicate'>();
	/** ids acknowledged while the server was considered down / up, by phase. */
	ackedInPhase = new Map<string, number>();
	phase = 0;
	failures = 0;
	statuses: number[] = [];
	errors: string[] = [];
	private running = true;
	private loop: Promise<void> | null = null;
	private n = 0;

	constructor(
		private server: TestServer,
		private key: string,
		private tag: string
	) {}

	start(): void {
		this.loop = this.run();
	}

	async stop(): Promise<void> {
		this.running = false;
		await this.loop;
	}

	private batch(): any[] {
		const at = cst(Date.now() - 2000);
		return Array.from({ length: 3 }, () => {
			const i = this.n++;
			return { id: `${this.tag}-${i}`, type: 'queue.ticket_issued', occurredAt: at, data: { centerCode: 'HC1', ticketNo: `${this.tag}${i}`, departmentCode: 'GSJ' } };
		});
	}

	private async run(): Promise<void> {
		while (this.running) {
			const events = this.batch();
			let attempts = 0;
			for (;;) {
				attempts++;
				if (attempts > 300) {
					this.errors.push(`batch ${events[0].id} never acknowledged`);
					return;
				}
				try {
					const r = await this.server.post('/api/v1/events', { events }, this.key);
					if (r.status === 200) {
						for (const res of r.body.results) {
							if (res.status === 'rejected') this.errors.push(`${res.id} rejected: ${res.error}`);
							else if (this.acked.has(res.id)) this.errors.push(`${res.id} acknowledged twice`);
							else {
								// A duplicate is only possible for a batch whose earlier attempt failed.
								if (res.status === 'duplicate' && attempts === 1) this.errors.push(`${res.id} duplicate on first attempt`);
								this.acked.set(res.id, res.status);
								this.ackedInPhase.set(res.id, this.phase);
							}
						}
						break;
					}
					this.statuses.push(r.status);
				} catch {
					this.failures++;
				}
				await sleep(100);
			}
			await sleep(15);
		}
	}
}

/** A day's worth of different events (queue lifecycle, windows, evaluations, hotline, cards, cases) for one tag. */
function mixedEvents(tag: string): any[] {
	const now = Date.now();
	const at = (ago: number) => cst(now - ago * 1000);
	const ev = (i: number, type: string, ago: number, data: any) => ({ id: `${tag}-m${i}`, type, occurredAt: at(ago), data });
	return [
		ev(1, 'window.status_changed', 120, { windowCode: 'W01', status: 'open', staffCode: 'S001' }),
		ev(2, 'attendance.clock_in', 119, { staffCode: 'S001', method: 'face' }),
		ev(3, 'queue.ticket_issued', 100, { centerCode: 'HC1', ticketNo: `${tag}X1`, departmentCode: 'GSJ' }),
		ev(4, 'queue.ticket_issued', 95, { centerCode: 'HC1', ticketNo: `${tag}X2`, departmentCode: 'GSJ' }),
		ev(5, 'queue.ticket_called', 80, { centerCode: 'HC1', ticketNo: `${tag}X1`, windowCode: 'W01' }),
		ev(6, 'queue.service_started', 78, { centerCode: 'HC1', ticketNo: `${tag}X1`, windowCode: 'W01' }),
		ev(7, 'queue.service_completed', 20, { centerCode: 'HC1', ticketNo: `${tag}X1`, windowCode: 'W01', result: 'done' }),
		ev(8, 'evaluation.submitted', 19, { rating: 5, windowCode: 'W01' }),
		ev(9, 'evaluation.submitted', 18, { rating: 1, windowCode: 'E01' }),
		ev(10, 'hotline.ticket_created', 60, { ticketId: `${tag}-RX`, channel: 'phone', category: '城市管理', summary: '路灯', callerPhone: '13900001111', regionCode: 'D1' }),
		ev(11, 'hotline.ticket_closed', 10, { ticketId: `${tag}-RX` }),
		ev(12, 'card.issued', 15, { cardId: `${tag}-card`, color: 'yellow', target: { kind: 'staff', code: 'S002' }, reason: 'late_or_early_leave' }),
		ev(13, 'case.accepted', 50, { caseId: `${tag}-case`, departmentCode: 'GAJ', itemName: '户籍迁移', immediate: true, online: false, promisedDays: 0 }),
		ev(14, 'case.completed', 40, { caseId: `${tag}-case` }),
		ev(15, 'presence.check_issued', 30, { checkId: `${tag}-chk`, staffCode: 'S001', windowCode: 'W01', respondWithinSec: 60 }),
		ev(16, 'presence.check_confirmed', 25, { checkId: `${tag}-chk`, staffCode: 'S001' })
	];
}

describe.each(BACKENDS)('restart on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let creds: { key: string; token: string };
	const ingest = async (events: any[]) => {
		const r = await server.post('/api/v1/events', { events }, creds.key);
		expect(r.status, JSON.stringify(r.body)).toBe(200);
		expect(r.body.accepted, JSON.stringify(r.body.results.filter((x: any) => x.status !== 'accepted'))).toBe(events.length);
		return r.body;
	};
	const connect = async (query: string) => {
		const c = await StreamClient.connect(server, creds.token, query);
		await c.waitFor((m) => m.type === 'snapshot' || m.resumed === true);
		return c;
	};
	/** The start-up line: `projection restored at seq S (checkpoint C, T tail events replayed)`. */
	const restoredLine = () => {
		const m = /projection restored at seq (\d+) \(checkpoint (\d+|none), (\d+) tail events replayed\)/.exec(server.output);
		expect(m, server.output).not.toBeNull();
		return { seq: Number(m![1]), checkpoint: m![2] === 'none' ? null : Number(m![2]), tail: Number(m![3]) };
	};

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		// Checkpoints by time only every 10 minutes: a restart after SIGKILL must replay a tail.
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0', CHECKPOINT_EVERY_MS: '600000' } });
		creds = await provisioned(server);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
		if (server && backend === 'pglite') fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	it('loses nothing acknowledged across a SIGTERM restart mid-stream; the stream resumes with since=', async () => {
		await ingest(mixedEvents('a'));
		const before = await server.snapshot(creds.token);
		const c1 = await connect('&events=all');
		const ing = new Ingester(server, creds.key, 'run');
		ing.start();
		onTestFinished(() => ing.stop());
		await until(() => ing.acked.size >= 30, 10_000);
		const tStop = Date.now();
		const code = await server.stop();
		const stopMs = Date.now() - tStop;
		expect(code).toBe(0);
		expect(server.output).toContain('stopped cleanly');
		await c1.closed;
		ing.phase = 1;
		const ackedWhileUp = ing.acked.size;
		await sleep(300);
		const tStart = Date.now();
		await server.start();
		const startMs = Date.now() - tStart;
		ing.phase = 2;
		const restored = restoredLine();
		console.log(`[${backend}] after SIGTERM: restored at seq ${restored.seq}, checkpoint ${restored.checkpoint}, ${restored.tail} tail events`);
		expect(restored.checkpoint).not.toBeNull();
		expect(restored.seq - restored.checkpoint!).toBe(restored.tail);
		await until(() => ing.acked.size >= ackedWhileUp + 30, 10_000);
		const c2 = await connect(`&events=all&since=${c1.lastSeq}`);
		await sleep(500);
		await ing.stop();
		console.log(
			`[${backend}] SIGTERM stop ${stopMs} ms, start ${startMs} ms; ${ing.acked.size} events acknowledged ` +
				`(${[...ing.acked.values()].filter((s) => s === 'duplicate').length} on retry as duplicates), ${ing.failures} failed attempts, statuses ${[...new Set(ing.statuses)].join(',') || '-'}`
		);
		expect(ing.errors).toEqual([]);
		// The ingester really ran across the restart.
		expect(ing.failures + ing.statuses.length).toBeGreaterThan(0);
		expect([...ing.ackedInPhase.values()].filter((p) => p === 0).length).toBeGreaterThan(0);
		expect([...ing.ackedInPhase.values()].filter((p) => p === 2).length).toBeGreaterThan(0);

		// Every acknowledged event is in the log exactly once: counts and seq match.
		const after = await server.snapshot(creds.token);
		expect(after.hall.ticketsIssuedToday - before.hall.ticketsIssuedToday).toBe(ing.acked.size);
		expect(after.seq - before.seq).toBe(ing.acked.size);
		expect(after.hall.waitingNow - before.hall.waitingNow).toBe(ing.acked.size);

		// The stream: before the restart plus the resumed connection = every event, none twice.
		expect(c2.messages[0].type).toBe('delta');
		expect(c2.messages[0].resumed).toBe(true);
		await c2.waitFor((m) => m.seq === after.seq, 3000);
		const streamed = [...c1.events, ...c2.events].map((e: any) => e.id).filter((id: string) => id.startsWith('run-'));
		expect(new Set(streamed).size).toBe(streamed.length);
		expect(streamed.sort()).toEqual([...ing.acked.keys()].sort());
		const seqs = [...c1.events, ...c2.events].map((e: any) => e.seq);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => before.seq + 1 + i));
		expect(figuresOf(c2.figures)).toEqual(figuresOf(after));
		c2.close();
	});

	it('restores the same figures after SIGKILL (checkpoint + tail, no final checkpoint)', async () => {
		await ingest(mixedEvents('b'));
		await ingest(mixedEvents('c'));
		const all = await server.snapshot(creds.token);
		const hc1 = await server.snapshot(creds.token, '&center=HC1');
		const d1 = await server.snapshot(creds.token, '&region=D1');
		const c = await connect('&events=all');
		await server.kill();
		await c.closed;
		await server.start();
		const restored = restoredLine();
		expect(restored.seq).toBe(all.seq);
		expect(restored.checkpoint).not.toBeNull();
		expect(restored.checkpoint!).toBeLessThan(all.seq);
		expect(restored.tail).toBe(all.seq - restored.checkpoint!);
		expect(figuresOf(await server.snapshot(creds.token))).toEqual(figuresOf(all));
		expect(figuresOf(await server.snapshot(creds.token, '&center=HC1'))).toEqual(figuresOf(hc1));
		expect(figuresOf(await server.snapshot(creds.token, '&region=D1'))).toEqual(figuresOf(d1));
		expect((await server.snapshot(creds.token)).seq).toBe(all.seq);
		// Resume after the crash: nothing missed, nothing to replay.
		const r = await connect(`&events=all&since=${c.lastSeq}`);
		expect(r.messages[0]).toMatchObject({ type: 'delta', resumed: true, seq: all.seq, events: [] });
		r.close();
		// And a second kill straight after start-up changes nothing either.
		await server.kill();
		await server.start();
		expect(figuresOf(await server.snapshot(creds.token))).toEqual(figuresOf(all));
	});

	it('judges a presence check whose deadline passed while the server was down as missed on start-up', async () => {
		const before = await server.snapshot(creds.token, '&center=HC1');
		// Issued 2 s ago (whole seconds), so the 5 s deadline is 2–3 s away.
		const occurredAt = cst(Date.now() - 2000);
		const deadline = Date.parse(occurredAt) + 5000;
		const res = await ingest([{ id: 'chk-down', type: 'presence.check_issued', occurredAt, data: { checkId: 'chk-down', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 5 } }]);
		const issuedSeq = res.results[0].seq;
		await server.stop();
		expect(Date.now()).toBeLessThan(deadline); // it went down before the deadline
		await sleep(Math.max(0, deadline - Date.now()) + 500);
		await server.start();
		const c = await connect(`&events=all&since=${issuedSeq}`);
		const m = await c.waitFor((m) => (m.events ?? []).some((e: any) => e.type === 'presence.check_missed'), 5000);
		const missed = m.events.find((e: any) => e.type === 'presence.check_missed');
		expect(missed.data.checkId).toBe('chk-down');
		expect(missed.data.staffCode).toBe('S001');
		expect(typeof missed.data.derivedBy).toBe('string');
		expect(Date.parse(missed.occurredAt)).toBe(deadline);
		expect(missed.seq).toBe(issuedSeq + 1);
		const snap = await server.snapshot(creds.token, '&center=HC1');
		expect(before.presence.missedToday).toBe(0);
		expect(snap.presence.missedToday).toBe(1);
		expect(snap.presence.checksToday - before.presence.checksToday).toBe(1);
		// Judged once: no second check_missed on later ticks.
		await sleep(1500);
		expect(c.events.filter((e: any) => e.type === 'presence.check_missed')).toHaveLength(1);
		expect((await server.snapshot(creds.token, '&center=HC1')).presence.missedToday - before.presence.missedToday).toBe(1);
		c.close();
	});

	it('derives cases.overdueOpen once a case passes its due time', async () => {
		const c = await connect('&center=HC1&events=notable');
		const base = c.messages[0].cases.overdueOpen;
		const dueAt = cst(Date.now() + 4000);
		const due = Date.parse(dueAt);
		const accepted = Date.now() - 20_000;
		await ingest([
			{ id: 'case-due', type: 'case.accepted', occurredAt: cst(accepted), data: { caseId: 'GSJ-DUE-1', departmentCode: 'GSJ', itemName: '企业设立登记', immediate: false, online: true, dueAt } }
		]);
		expect((await server.snapshot(creds.token, '&center=HC1')).cases.overdueOpen).toBe(base);
		const snapAt = await until(async () => {
			const s = await server.snapshot(creds.token, '&center=HC1');
			return s.cases.overdueOpen === base + 1 ? Date.now() : 0;
		}, due - Date.now() + 4000);
		console.log(`[${backend}] case overdue seen ${snapAt - due} ms after its due time`);
		expect(snapAt).toBeGreaterThan(due);
		expect(snapAt - due).toBeLessThan(2500);
		const m = await c.waitFor((m) => (m.events ?? []).some((e: any) => e.type === 'case.overdue'), 2000);
		const ev = m.events.find((e: any) => e.type === 'case.overdue');
		expect(ev.data).toMatchObject({ caseId: 'GSJ-DUE-1', departmentCode: 'GSJ' });
		expect(typeof ev.data.derivedBy).toBe('string');
		expect(Date.parse(ev.occurredAt)).toBe(due);
		expect(c.figures.cases.overdueOpen).toBe(base + 1);
		// Completing it closes the overdue case again.
		await ingest([{ id: 'case-due-done', type: 'case.completed', occurredAt: cst(Date.now()), data: { caseId: 'GSJ-DUE-1' } }]);
		await c.waitFor((m) => m.type === 'delta' && m.figures?.cases?.overdueOpen === base, 2000);
		c.close();
	});
});
