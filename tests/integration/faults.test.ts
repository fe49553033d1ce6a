/**
 * Faults: malformed input never takes the server down, the log's seq stays gap-free under
 * concurrent senders, an unreachable database gives 503 with nothing half-stored (and the retry
 * is accepted exactly once), and an acknowledged event survives a SIGKILL.
 */
import net from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, cst, freePort, freshPostgres, provisioned, sleep, startServer, TEST_ORG, TestServer } from './harness';

let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${n++}`;
const ticket = (id = uid('t'), center = 'HC1') => ({
	id,
	type: 'queue.ticket_issued',
	occurredAt: cst(Date.now() - 2000),
	data: { centerCode: center, ticketNo: `F${n++}`, departmentCode: 'GSJ' }
});

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be reproduced from its seed. */
function rng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
	return { next, int, pick };
}

const NASTY_STRINGS = [
	'',
	' ',
	'\u0000',
	'A\u0000B',
	'\ud800',
	'\udfff\ud800',
	'💥'.repeat(50),
	'政务服务中心',
	'\u202e\u200b',
	'x'.repeat(5000),
	'"; drop table events; --',
	"' or 1=1 --",
	'<script>alert(1)</script>',
	'${process.exit(1)}',
	'__proto__',
	'constructor',
	'\\u0000',
	'%00',
	'\r\n\r\n',
	'2026-11-22T09:15:02+08:00',
	'9999-12-31T23:59:59+14:00',
	'0000-01-01T00:00:00Z',
	'HC1',
	'W01',
	'queue.*'
];
const NASTY_NUMBERS = [0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5, 6, 1e-320];

function fuzzValue(r: ReturnType<typeof rng>, depth = 0): unknown {
	switch (r.int(depth > 3 ? 4 : 7)) {
		case 0:
			return r.pick(NASTY_STRINGS);
		case 1:
			return r.pick(NASTY_NUMBERS);
		case 2:
			return r.pick([true, false, null]);
		case 3:
			return r.pick(['queue.ticket_issued', 'window.status_changed', 'evaluation.submitted', 'card.issued', 'x', 'queue.', 'presence.check_missed']);
		case 4:
			return Array.from({ length: r.int(4) }, () => fuzzValue(r, depth + 1));
		case 5: {
			const o: Record<string, unknown> = {};
			for (let i = r.int(5); i > 0; i--) o[r.pick(['id', 'type', 'occurredAt', 'data', 'source', 'events', '__proto__', 'constructor', 'centerCode', 'ticketNo', 'windowCode', 'target', 'x'])] = fuzzValue(r, depth + 1);
			return o;
		}
		default:
			return `__DEEP_${r.pick([50, 2000, 20_000, 200_000])}__`;
	}
}

/** `{"d":[{"d":[…]}]}` nested 2 × `pairs` deep: a small text that recursive code (JSON.stringify, jsonb) chokes on. */
const deepText = (pairs: number) => '{"d":['.repeat(pairs) + '[]' + ']}'.repeat(pairs);
/** JSON text, with each `"__DEEP_n__"` placeholder replaced by n-deep nesting. */
const toJson = (v: unknown) => JSON.stringify(v).replace(/"__DEEP_(\d+)__"/g, (_, d) => deepText(Number(d) / 2));

const VALID_EXAMPLES = () => [
	ticket(),
	{ id: uid('w'), type: 'window.status_changed', occurredAt: cst(Date.now() - 1000), data: { windowCode: 'W01', status: 'open', staffCode: 'S001' } },
	{ id: uid('e'), type: 'evaluation.submitted', occurredAt: cst(Date.now() - 1000), data: { rating: 4, windowCode: 'W02' } },
	{ id: uid('c'), type: 'card.issued', occurredAt: cst(Date.now() - 1000), data: { cardId: uid('k'), color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent' } }
];

/** A valid event with one part replaced by something odd. */
function mutatedEvent(r: ReturnType<typeof rng>): unknown {
	const ev = structuredClone(r.pick(VALID_EXAMPLES())) as any;
	const mutations = 1 + r.int(3);
	for (let m = 0; m < mutations; m++) {
		const where = r.int(3) === 0 || !ev.data || typeof ev.data !== 'object' ? ev : ev.data;
		const keys = Object.keys(where);
		const k = r.int(4) === 0 ? r.pick(['__proto__', 'constructor', 'extra', 'toString']) : r.pick(keys.length ? keys : ['id']);
		if (r.int(5) === 0) delete where[k];
		else where[k] = fuzzValue(r);
	}
	return ev;
}

function fuzzBody(r: ReturnType<typeof rng>): { body: string | Buffer; contentType: string; events: number | null } {
	const contentType = r.int(12) === 0 ? r.pick(['application/json; charset=latin1', 'APPLICATION/JSON', 'application/vnd.hallwatch+json', 'application/json;;', 'application/jsonp']) : 'application/json';
	switch (r.int(10)) {
		case 0: {
			const bytes = Buffer.alloc(r.int(300));
			for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(256);
			return { body: bytes, contentType, events: null };
		}
		case 1: {
			const text = JSON.stringify({ events: [ticket(), ticket()] });
			return { body: text.slice(0, r.int(text.length)), contentType, events: null };
		}
		case 2:
			return { body: toJson(fuzzValue(r)), contentType, events: null };
		case 3:
			return { body: '\ufeff' + JSON.stringify(ticket()), contentType, events: null };
		case 4:
			return { body: toJson(mutatedEvent(r)), contentType, events: 1 };
		default: {
			const list = Array.from({ length: 1 + r.int(30) }, () => (r.int(3) === 0 ? fuzzValue(r) : r.int(4) === 0 ? r.pick(VALID_EXAMPLES()) : mutatedEvent(r)));
			return { body: toJson({ events: list, extra: r.int(2) ? fuzzValue(r) : undefined }), contentType, events: list.length };
		}
	}
}

/** A TCP proxy in this process between the server and PostgreSQL, to cut the database off. */
class DbProxy {
	private server: net.Server | null = null;
	private sockets = new Set<net.Socket>();
	constructor(
		readonly port: number,
		private target: { host: string; port: number }
	) {}
	async up(): Promise<void> {
		const server = net.createServer((client) => {
			const upstream = net.connect(this.target.port, this.target.host);
			for (const s of [client, upstream]) {
				this.sockets.add(s);
				s.on('close', () => this.sockets.delete(s));
				s.on('error', () => {
					client.destroy();
					upstream.destroy();
				});
			}
			client.pipe(upstream).pipe(client);
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => resolve());
		});
		this.server = server;
	}
	/** Refuse new connections and cut the open ones. */
	async down(): Promise<void> {
		const s = this.server;
		this.server = null;
		for (const sock of this.sockets) sock.destroy();
		this.sockets.clear();
		if (s) await new Promise<void>((r) => s.close(() => r()));
	}
}

describe.each(BACKENDS)('faults on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let creds: { key: string; token: string };

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		// No rate limit (many parallel senders); checkpoints often, so restarts restore from one.
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0', CHECKPOINT_EVERY_MS: '300' } });
		creds = await provisioned(server);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
	});

	const snap = (q = '') => server.snapshot(creds.token, q);

	it('gap-free seq: 8 parallel senders × 50 batches get exactly head+1 … head+N, and the snapshot agrees', async () => {
		const base = await snap('&center=HC1');
		const CLIENTS = 8;
		const BATCHES = 50;
		const seqs: number[] = [];
		let acceptedTickets = 0;
		const sharedAccepted = new Map<string, number>();
		await Promise.all(
			Array.from({ length: CLIENTS }, async (_, c) => {
				const mine: any[] = [];
				for (let b = 0; b < BATCHES; b++) {
					const fresh = Array.from({ length: 4 }, () => ticket(`g${c}-${b}-${n++}`));
					const batch: any[] = [...fresh];
					// Every client sends the same id in its b-th batch: only one may be accepted.
					batch.push(ticket(`shared-${b}`));
					if (b % 5 === 1) batch.push(mine[b - 1]); // a retry of an earlier event: duplicate
					if (b % 7 === 3) batch.push({ ...ticket(), data: { centerCode: 'HC1' } }); // invalid
					mine.push(fresh[0]);
					const res = await server.post('/api/v1/events', { events: batch }, creds.key);
					expect(res.status).toBe(200);
					res.body.results.forEach((r: any, i: number) => {
						if (r.status === 'accepted') {
							seqs.push(r.seq);
							acceptedTickets++;
							if (r.id.startsWith('shared-')) sharedAccepted.set(r.id, (sharedAccepted.get(r.id) ?? 0) + 1);
						} else expect(r.seq, `result ${i}`).toBeUndefined();
					});
					for (let i = 0; i < 4; i++) expect(res.body.results[i].status).toBe('accepted');
				}
			})
		);
		const N = CLIENTS * BATCHES * 4 + BATCHES;
		expect(seqs.length).toBe(N);
		expect([...sharedAccepted.values()]).toEqual(Array(BATCHES).fill(1));
		const sorted = [...seqs].sort((a, b) => a - b);
		expect(sorted[0]).toBe(base.seq + 1);
		expect(sorted[N - 1]).toBe(base.seq + N);
		expect(new Set(sorted).size).toBe(N);
		const after = await snap('&center=HC1');
		expect(after.seq).toBe(base.seq + N);
		expect(after.hall.ticketsIssuedToday).toBe(base.hall.ticketsIssuedToday + acceptedTickets);
		const health = await (await fetch(`${server.url}/healthz`)).json();
		expect(health.seq).toBe(base.seq + N);
	});

	it('never crashes on malformed input: 300 fuzzed requests, then /healthz is 200 and a valid event is accepted', async () => {
		// FUZZ_SEED / FUZZ_RUNS reproduce or widen a run.
		const seed = Number(process.env.FUZZ_SEED) || 0x5eed + (backend === 'postgres' ? 1 : 0);
		const runs = Number(process.env.FUZZ_RUNS) || 300;
		const r = rng(seed);
		const before = await snap();
		let accepted = 0;
		const unexpected: string[] = [];
		for (let i = 0; i < runs; i++) {
			const { body, contentType, events } = fuzzBody(r);
			const auth = r.int(20) === 0 ? r.pick(['', 'Bearer', 'Bearer \u00e9', `bearer ${creds.key}`, `Bearer ${creds.key} extra`]) : `Bearer ${creds.key}`;
			let res: Response;
			try {
				res = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { 'content-type': contentType, ...(auth ? { authorization: auth } : {}) }, body: body as BodyInit });
			} catch (err) {
				unexpected.push(`#${i} (seed ${seed}): request failed: ${(err as Error).message} ${String((err as any).cause ?? '')}`);
				if (server.proc?.exitCode !== null) break;
				continue;
			}
			const text = await res.text();
			let json: any = null;
			try {
				json = JSON.parse(text);
			} catch {
				/* checked below */
			}
			const sample = typeof body === 'string' ? body.slice(0, 200) : `<${body.length} bytes>`;
			if (![200, 400, 401, 413, 415].includes(res.status) || !json) {
				unexpected.push(`#${i} (seed ${seed}): ${res.status} ${text.slice(0, 300)} for ${sample}`);
				continue;
			}
			if (res.status !== 200) {
				if (typeof json.error !== 'string' || !json.error) unexpected.push(`#${i}: ${res.status} without an error sentence: ${text.slice(0, 200)}`);
				continue;
			}
			const results = json.results as any[];
			if (events !== null && results.length !== events) unexpected.push(`#${i}: ${results.length} results for ${events} events`);
			if (json.accepted + json.duplicates + json.rejected !== results.length) unexpected.push(`#${i}: counts do not add up: ${text.slice(0, 200)}`);
			for (const x of results) {
				if (!['accepted', 'duplicate', 'rejected'].includes(x.status)) unexpected.push(`#${i}: status ${x.status}`);
				if (x.status === 'rejected' && (typeof x.error !== 'string' || !/^[A-Za-z_.[\]0-9]+: /.test(x.error)))
					unexpected.push(`#${i}: rejected without a field-naming error: ${JSON.stringify(x)}`);
			}
			accepted += json.accepted;
		}
		expect(unexpected, unexpected.slice(0, 15).join('\n')).toEqual([]);
		expect(server.proc?.exitCode).toBe(null);
		expect(accepted).toBeGreaterThan(0);
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status).toBe(200);
		// Everything acknowledged, and nothing else, went into the log.
		const after = await snap();
		expect(after.seq).toBe(before.seq + accepted);
		const ok = await server.post('/api/v1/events', ticket(), creds.key);
		expect(ok.status).toBe(200);
		expect(ok.body.results[0]).toMatchObject({ status: 'accepted', seq: after.seq + 1 });
	});

	it('rejects strings PostgreSQL cannot store (NUL, lone surrogates) and very deep nesting per event, keeping the rest of the batch', async () => {
		const before = await snap('&center=HC1');
		const good = ticket();
		const nul = { ...ticket(), data: { centerCode: 'HC1', ticketNo: 'A\u0000B' } };
		const surrogate = { ...ticket(), source: 'machine-\ud800' };
		const deepEv = { ...ticket(), data: { centerCode: 'HC1', ticketNo: 'D1', extra: '__DEEP_50000__' } };
		const badNul = { ...ticket(), type: 'queue.unknown\u0000' };
		const deepBad = { ...ticket(), type: 'queue.nope', data: { extra: '__DEEP_50000__' } };
		const good2 = ticket();
		const res = await server.post('/api/v1/events', toJson({ events: [good, nul, surrogate, deepEv, badNul, deepBad, good2] }), creds.key);
		expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
		expect(res.body.results.map((x: any) => x.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
		expect(res.body.results.map((x: any) => x.error)).toEqual([
			undefined,
			'data.ticketNo: contains the NUL character (\\u0000)',
			'source: contains an unpaired UTF-16 surrogate (\\ud800)',
			expect.stringMatching(/^data\.extra(\.d|\[0\])+: nested more than 32 levels deep$/),
			'type: contains the NUL character (\\u0000)',
			expect.stringMatching(/^data\.extra(\.d|\[0\])+: nested more than 32 levels deep$/),
			undefined
		]);
		// They are in the quarantine (made storable), where replay rejects them again.
		const q = server.cli('quarantine', 'list', '--limit', '1000');
		expect(q.code, q.stderr).toBe(0);
		for (const ev of [nul, surrogate, deepEv, badNul, deepBad]) expect(q.stdout).toContain(ev.id);
		const after = await snap('&center=HC1');
		expect(after.hall.ticketsIssuedToday).toBe(before.hall.ticketsIssuedToday + res.body.accepted);
		expect(after.seq).toBe(before.seq + res.body.accepted);
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});

	it('accepted means durably committed: acknowledged events survive SIGKILL mid-stream and a restart', async () => {
		const before = await snap('&center=HC1');
		const acked = new Map<string, number>(); // id → seq
		const sent: any[] = [];
		let stop = false;
		// Four senders keep sending until the server dies under them.
		const senders = Array.from({ length: 4 }, async (_, c) => {
			for (let b = 0; !stop; b++) {
				const batch = Array.from({ length: 10 }, () => ticket(`dur${c}-${b}-${n++}`));
				sent.push(...batch);
				try {
					const res = await server.post('/api/v1/events', { events: batch }, creds.key);
					if (res.status !== 200) continue;
					for (const r of res.body.results) if (r.status === 'accepted') acked.set(r.id, r.seq);
				} catch {
					return; // connection cut by the kill: not acknowledged
				}
			}
		});
		// Let some checkpoints happen (every 300 ms), then pull the plug while requests are in flight.
		const until = Date.now() + 60_000;
		while (acked.size < 600 && Date.now() < until) await sleep(20);
		expect(acked.size).toBeGreaterThanOrEqual(600);
		await server.kill();
		stop = true;
		await Promise.all(senders);
		expect(server.proc).toBe(null);
		const maxAcked = Math.max(...acked.values());

		await server.start();
		const after = await snap('&center=HC1');
		// Every acknowledged event is there (possibly more: ones committed but cut before the reply).
		expect(after.seq).toBeGreaterThanOrEqual(maxAcked);
		expect(after.hall.ticketsIssuedToday).toBeGreaterThanOrEqual(before.hall.ticketsIssuedToday + acked.size);
		// Re-send everything: acknowledged ones are duplicates; the others are accepted now or were stored.
		const resend = new Map<string, string>();
		for (let i = 0; i < sent.length; i += 1000) {
			const res = await server.post('/api/v1/events', { events: sent.slice(i, i + 1000) }, creds.key);
			expect(res.status).toBe(200);
			for (const r of res.body.results) resend.set(r.id, r.status);
		}
		for (const id of acked.keys()) expect(resend.get(id), id).toBe('duplicate');
		const final = await snap('&center=HC1');
		expect(final.hall.ticketsIssuedToday).toBe(before.hall.ticketsIssuedToday + sent.length);
		// The log is still gap-free: the new events numbered right after what was stored.
		const fresh = [...resend.values()].filter((s) => s === 'accepted').length;
		expect(final.seq).toBe(after.seq + fresh);
		expect(after.seq).toBe(before.seq + sent.length - fresh);
	});
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('database unreachable (postgres)', () => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>>;
	let proxy: DbProxy;
	let creds: { key: string; token: string };

	beforeAll(async () => {
		pg = await freshPostgres();
		const real = new URL(pg.url);
		proxy = new DbProxy(await freePort(), { host: real.hostname, port: Number(real.port || 5432) });
		await proxy.up();
		const viaProxy = new URL(pg.url);
		viaProxy.hostname = '127.0.0.1';
		viaProxy.port = String(proxy.port);
		server = await startServer({ backend: 'postgres', databaseUrl: viaProxy.toString(), env: { INGEST_RATE_LIMIT: '0' } });
		// The CLI runs synchronously (spawnSync), which would stall the proxy in this process:
		// give it the database directly.
		const direct = new TestServer(server.port, server.dataDir, pg.url, {});
		const k = direct.cli('key', 'create', '--name', 'outage', '--types', '*,org');
		const t = direct.cli('token', 'create', '--name', 'outage-wall');
		expect(k.code, k.stderr).toBe(0);
		expect(t.code, t.stderr).toBe(0);
		creds = { key: k.last, token: t.last };
		const org = await server.post('/api/v1/org', TEST_ORG, creds.key);
		expect(org.status).toBe(200);
	});
	afterAll(async () => {
		await server?.stop();
		await proxy?.down();
		await pg?.drop();
	});

	it('503 with nothing stored while the database is away; the retry is accepted exactly once after it is back', async () => {
		const db = postgres(pg.url, { max: 1, onnotice: () => {} });
		try {
			const first = await server.post('/api/v1/events', { events: [ticket(), ticket()] }, creds.key);
			expect(first.status).toBe(200);
			const snap0 = await server.snapshot(creds.token, '&center=HC1');

			await proxy.down();
			const batch = [ticket(), ticket(), { ...ticket(), data: { centerCode: 'HC1', ticketNo: 'Q1', departmentCode: 'NOPE' } }, ticket()];
			const ids = batch.map((e) => e.id);
			const res = await server.post('/api/v1/events', { events: batch }, creds.key);
			expect(res.status).toBe(503);
			expect(res.body.error).toMatch(/^database unavailable: nothing was stored; retry/);
			expect(res.headers.get('retry-after')).toBe('5');
			const single = await server.post('/api/v1/events', ticket(), creds.key);
			expect(single.status).toBe(503);
			const org = await server.post('/api/v1/org', { regions: [{ code: 'RX', name: 'x' }] }, creds.key);
			expect(org.status).toBe(503);
			const health = await fetch(`${server.url}/healthz`);
			expect(health.status).toBe(503);
			expect((await health.json()).status).toBe('database unavailable');
			expect(server.proc?.exitCode).toBe(null);

			// Nothing half-stored: not in the log, not in the quarantine.
			const stored = await db`select count(*)::int as n from events where event_id in ${db(ids)}`;
			expect(stored[0].n).toBe(0);
			const quarantined = await db`select count(*)::int as n from quarantine where event_id in ${db(ids)}`;
			expect(quarantined[0].n).toBe(0);

			await proxy.up();
			const deadline = Date.now() + 30_000;
			let status = 0;
			while (Date.now() < deadline && (status = (await fetch(`${server.url}/healthz`)).status) !== 200) await sleep(200);
			expect(status).toBe(200);

			const retry = await server.post('/api/v1/events', { events: batch }, creds.key);
			expect(retry.status).toBe(200);
			expect(retry.body.results.map((r: any) => r.status)).toEqual(['accepted', 'accepted', 'rejected', 'accepted']);
			expect(retry.body.results.filter((r: any) => r.seq).map((r: any) => r.seq)).toEqual([snap0.seq + 1, snap0.seq + 2, snap0.seq + 3]);
			const again = await server.post('/api/v1/events', { events: batch }, creds.key);
			expect(again.body.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate', 'rejected', 'duplicate']);

			const rows = await db`select event_id, count(*)::int as n from events where event_id in ${db(ids)} group by event_id`;
			expect(Object.fromEntries(rows.map((r) => [r.event_id, r.n]))).toEqual({ [ids[0]]: 1, [ids[1]]: 1, [ids[3]]: 1 });
			const head = await db`select (select seq from log_head where id = 1)::int as head, count(*)::int as n, max(seq)::int as max from events`;
			expect(head[0].head).toBe(head[0].n);
			expect(head[0].max).toBe(head[0].n);
			const snap1 = await server.snapshot(creds.token, '&center=HC1');
			expect(snap1.hall.ticketsIssuedToday).toBe(snap0.hall.ticketsIssuedToday + 3);
			expect(snap1.seq).toBe(snap0.seq + 3);
		} finally {
			await db.end();
		}
	});
});
