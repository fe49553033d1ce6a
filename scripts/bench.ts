/**
 * Hallwatch benchmark: `npm run bench [-- --quick] [--only ingest,latency,snapshot,wall] [--json FILE]`.
 * BENCH_INGEST_RUNS sets the ingest runs (default 3), each on top of the previous ones.
 *
 * Runs the real production server (build/ + server.js, rebuilt first when stale) as child
 * processes through the integration harness, on PGlite always and on PostgreSQL when
 * DATABASE_URL or TEST_DATABASE_URL is set (a fresh database per run, dropped afterwards).
 *
 * 1. ingest    events/s through POST /api/v1/events (500-event batches of DaySimulator events,
 *              one sender in sequence, then 8 senders in flight), next to a raw 500-row multi-row INSERT of the same rows
 *              into the same `events` table through the same driver; median of a few runs.
 * 2. latency   ingest → WebSocket client latency p50/p99 with 100 clients (events=all) at
 *              500 events/s (10-event batches every 20 ms); the send time rides in the event id.
 * 3. snapshot  GET /api/v1/snapshot median/p99 at 10k and 1M stored events. The log is
 *              bulk-loaded directly (DaySimulator events, validated and placed like ingest does)
 *              and checkpointed by the real Projector, so the server restores instead of
 *              replaying; start-up time and the server's "projection restored" line are shown.
 * 4. wall      the wall display in Chromium (scripts/bench-wall.ts, also runnable on its own):
 *              gzipped JS a /wall load fetches, and navigation start → first KPI value, cold
 *              and with a warm browser cache (median of several loads).
 * 5. network   networks of centers (scripts/bench-network.ts): a prefecture of 600 centers with
 *              120 walls at 200 ev/s, one center with 1,000 walls at 1,000 ev/s, and (PostgreSQL)
 *              a province of 3,000 centers on 3 instances behind one address with 1,000 walls at
 *              1,000 ev/s (province-routed: each wall to its city's instance); `--network prefecture,center,province,province-routed` picks runs.
 *
 * Everything it starts (servers, worker, temp dirs, databases) is stopped/removed on exit,
 * errors and Ctrl-C. Only loopback traffic; every loop is bounded in count and time.
 * BENCH_SERVER_NODE_ARGS adds node flags to the servers (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import buildIfStale from '../tests/integration/global-setup';
import { sleep, type Backend, type TestServer } from '../tests/integration/harness';
import { checkDeadline, cleanupAll, cpuSeconds, fmt, freshDb, launch, median, MIGRATIONS, ms, now, onCleanup, percentile, privateBuild, say, serverScript, setDeadline, T0, tempDir, withTimeout } from './bench-kit';
import { parseEvent, type HallEvent } from '../src/lib/domain/catalog';
import { OrgIndex, type OrgData } from '../src/lib/domain/org';
import type { PlacedEvent } from '../src/lib/domain/projection';
import { openDatabase, type DbHandle } from '../src/lib/server/db/client';
import { Credentials } from '../src/lib/server/auth/credentials';
import { Projector } from '../src/lib/server/live/projector';
import { HotlineTickets } from '../src/lib/server/hotline/tickets';
import { loadOrg, upsertOrg } from '../src/lib/server/org/store';
import { demoOrg } from '../src/lib/server/sim/demo-org';
import { DaySimulator } from '../src/lib/server/sim/simulator';
import { benchNetwork, LIMITS, type ScaleFigure } from './bench-network';
import { benchWall, type WallFigures } from './bench-wall';

// ── options ────────────────────────────────────────────────────────────────────

type Part = 'ingest' | 'latency' | 'snapshot' | 'wall' | 'network';
const PARTS: Part[] = ['ingest', 'latency', 'snapshot', 'wall', 'network'];
const NETWORK_RUNS = ['prefecture', 'center', 'province', 'province-routed'] as const;

function parseArgs(argv: string[]): { only: Part[]; quick: boolean; json: string | null; network: Array<(typeof NETWORK_RUNS)[number]> } {
	let only: Part[] = PARTS;
	let network: Array<(typeof NETWORK_RUNS)[number]> = [...NETWORK_RUNS];
	let quick = false;
	let json: string | null = null;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = (name: string) => {
			const eq = a.indexOf('=');
			if (eq >= 0) return a.slice(eq + 1);
			const v = argv[++i];
			if (v === undefined) throw new Error(`${name}: expected a value`);
			return v;
		};
		if (a === '--quick') quick = true;
		else if (a === '--only' || a.startsWith('--only=')) {
			const list = value('--only')
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			for (const p of list) if (!PARTS.includes(p as Part)) throw new Error(`--only: unknown part "${p}" (expected ${PARTS.join(', ')})`);
			only = list as Part[];
		} else if (a === '--json' || a.startsWith('--json=')) json = path.resolve(value('--json'));
		else if (a === '--network' || a.startsWith('--network=')) {
			const list = value('--network').split(',').map((x) => x.trim());
			for (const n of list) if (!(NETWORK_RUNS as readonly string[]).includes(n)) throw new Error(`--network: unknown run "${n}" (expected ${NETWORK_RUNS.join(', ')})`);
			network = list as typeof network;
		}
		else if (a === '--help' || a === '-h') {
			console.log('usage: npm run bench -- [--quick] [--only ingest,latency,snapshot,wall,network] [--network prefecture,center,province,province-routed] [--json FILE]');
			process.exit(0);
		} else throw new Error(`unknown option "${a}" (try --help)`);
	}
	return { only, quick, json, network };
}

const OPTS = (() => {
	try {
		return parseArgs(process.argv.slice(2));
	} catch (err) {
		console.error(`[bench] ${(err as Error).message}`);
		process.exit(2);
	}
})();
const Q = OPTS.quick;

/** BENCH_INGEST_RUNS: how many ingest runs, each on top of the previous ones (default 3). */
function ingestRunsFromEnv(): number {
	const raw = process.env.BENCH_INGEST_RUNS;
	if (raw === undefined || raw === '') return 3;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > 100) {
		console.error(`BENCH_INGEST_RUNS: expected a whole number from 1 to 100, found "${raw}"`);
		process.exit(2);
	}
	return n;
}

const SIZES = {
	ingestEventsPerRun: Q ? 10_000 : 50_000,
	ingestRuns: Q ? 2 : ingestRunsFromEnv(),
	ingestBatch: 500,
	/** Issue #12: one sender posting in sequence, and eight concurrent senders. */
	ingestSenders: [1, 8],
	latencyClients: 100,
	latencyBatch: 10,
	latencyEveryMs: 20,
	latencySeconds: Q ? 5 : 20,
	snapshotSmall: 10_000,
	snapshotLarge: Q ? 100_000 : 1_000_000,
	snapshotRequests: Q ? 50 : 200,
	snapshotWarmup: 10,
	/** Stop bulk-loading (and say so) past this. */
	loadBudgetMs: 5 * 60_000
};
/** The whole run stops itself after this. */
const OVERALL_MS = (Q ? 15 : 75) * 60_000;

const PG_BASE = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
// harness.freshPostgres reads TEST_DATABASE_URL.
if (PG_BASE) process.env.TEST_DATABASE_URL = PG_BASE;
const BACKENDS: Backend[] = PG_BASE ? ['pglite', 'postgres'] : ['pglite'];

const DEADLINE = Date.now() + OVERALL_MS;
setDeadline(DEADLINE, OVERALL_MS);

// ── realistic events ─────────────────────────────────────────────────────────

const DAY = 86_400_000;
const ORG: OrgData = demoOrg();
const ORG_INDEX = new OrgIndex(ORG);

/** `n` DaySimulator events of the demo center, in occurredAt order, ending no later than `end`. */
function simulatedEvents(n: number, opts: { seed: number; idPrefix: string; end: number }): HallEvent[] {
	const sim = new DaySimulator({ org: ORG, seed: opts.seed, idPrefix: opts.idPrefix });
	// ~11k events a simulated day; start far enough back, then take the first n.
	const days = Math.ceil(n / 8000) + 1;
	const out: HallEvent[] = [];
	for (let t = opts.end - days * DAY, i = 0; t < opts.end && out.length < n && i < days + 1; t += DAY, i++) {
		for (const e of sim.eventsBetween(t, Math.min(opts.end, t + DAY))) {
			out.push(e);
			if (out.length >= n) break;
		}
	}
	if (out.length < n) throw new Error(`simulator produced ${out.length} events, wanted ${n}`);
	return out;
}

// ── raw inserts into the events table (the baseline, and the bulk loader) ──────────

const COLS = '(seq, sender, event_id, type, occurred_at, occurred_at_raw, source, data, center_code, region_code, department_code, window_code, staff_code)';
const NCOLS = 13;
const insertTexts = new Map<number, string>();
function insertText(rows: number): string {
	let t = insertTexts.get(rows);
	if (!t) {
		const parts: string[] = [];
		for (let i = 0; i < rows; i++) {
			const b = i * NCOLS;
			parts.push(`($${b + 1}::bigint,$${b + 2},$${b + 3},$${b + 4},$${b + 5}::timestamptz,$${b + 6},$${b + 7},$${b + 8}::jsonb,$${b + 9},$${b + 10},$${b + 11},$${b + 12},$${b + 13})`);
		}
		insertTexts.set(rows, (t = `insert into events ${COLS} values ${parts.join(',')}`));
	}
	return t;
}

type Param = string | number | null;

/** The row the log would store for a placed event (same columns as appendEvents writes). */
function rowParams(e: PlacedEvent): Param[] {
	return [
		e.seq,
		e.sender,
		e.id,
		e.type,
		new Date(e.at).toISOString(),
		e.occurredAt,
		e.source ?? null,
		JSON.stringify(e.data),
		e.place.centerCode,
		e.place.regionCode,
		e.place.departmentCode,
		e.place.windowCode,
		e.place.staffCode
	];
}

/** Validate and place events exactly as ingest does; number them from `firstSeq`. Rejected ones are counted and left out. */
function placeEvents(evs: HallEvent[], sender: string, firstSeq: number, org: OrgIndex, at = Date.now()): { placed: PlacedEvent[]; rejected: number; firstError?: string } {
	const placed: PlacedEvent[] = [];
	let rejected = 0;
	let firstError: string | undefined;
	let seq = firstSeq - 1;
	for (const raw of evs) {
		const p = parseEvent(raw, { now: at });
		const err = p.ok ? org.checkRefs(p.event) : p.error;
		if (!p.ok || err) {
			rejected++;
			firstError ??= err ?? undefined;
			continue;
		}
		const event = p.event;
		seq++;
		placed.push({ ...event, seq, sender, at: Date.parse(event.occurredAt), place: org.place(event) } as PlacedEvent);
	}
	return { placed, rejected, firstError };
}

/** The driver under a drizzle handle: a transaction running raw parameterized statements. */
interface RawDriver {
	tx(fn: (query: (text: string, params: Param[]) => Promise<unknown>) => Promise<void>): Promise<void>;
}
function rawDriver(handle: DbHandle): RawDriver {
	const client = (handle.db as unknown as { $client: unknown }).$client;
	if (handle.kind === 'pglite') {
		const pg = client as { transaction<T>(fn: (tx: { query(t: string, p: Param[]): Promise<unknown> }) => Promise<T>): Promise<T> };
		return { tx: (fn) => pg.transaction((tx) => fn((t, p) => tx.query(t, p))) };
	}
	const pg = client as { begin<T>(fn: (tx: { unsafe(t: string, p: Param[]): Promise<unknown> }) => Promise<T>): Promise<T> };
	return { tx: (fn) => pg.begin((tx) => fn((t, p) => tx.unsafe(t, p))) as Promise<void> };
}

/** Insert rows in multi-row INSERTs of `perStatement` rows, `statementsPerTx` statements per transaction. */
async function rawInsert(driver: RawDriver, rows: Param[][], perStatement: number, statementsPerTx: number, afterTx?: () => Promise<void>): Promise<void> {
	const perTx = perStatement * statementsPerTx;
	for (let i = 0; i < rows.length; i += perTx) {
		const txRows = rows.slice(i, i + perTx);
		await driver.tx(async (query) => {
			for (let j = 0; j < txRows.length; j += perStatement) {
				const chunk = txRows.slice(j, j + perStatement);
				await query(insertText(chunk.length), chunk.flat());
			}
		});
		await afterTx?.();
	}
}

async function openRawDb(backend: Backend): Promise<{ handle: DbHandle; close: () => Promise<void> }> {
	const dir = tempDir(`raw-${backend}`);
	let url: string | null = null;
	let drop: (() => Promise<void>) | null = null;
	if (backend === 'postgres') ({ url, drop } = await freshDb());
	const handle = await openDatabase({ databaseUrl: url, dataDir: dir.dir, migrationsFolder: MIGRATIONS });
	const closeHandle = onCleanup(`raw ${backend} database handle`, () => handle.close());
	return {
		handle,
		close: async () => {
			await closeHandle();
			if (drop) await drop();
			await dir.remove();
		}
	};
}

// ── provisioning a server through its real CLI and API ──────────────────────────

async function provision(server: TestServer, tag: string): Promise<{ key: string; token: string }> {
	const k = server.cli('key', 'create', '--name', `bench-${tag}`, '--types', '*,org');
	if (k.code !== 0) throw new Error(`key create failed: ${k.stderr}${k.stdout}`);
	const t = server.cli('token', 'create', '--name', `bench-wall-${tag}`);
	if (t.code !== 0) throw new Error(`token create failed: ${t.stderr}${t.stdout}`);
	const org = await server.post('/api/v1/org', ORG, k.last);
	if (org.status !== 200) throw new Error(`PUT /api/v1/org failed: ${org.status} ${JSON.stringify(org.body)}`);
	return { key: k.last, token: t.last };
}

async function headSeqOf(server: TestServer): Promise<number> {
	const r = await fetch(`${server.url}/healthz`);
	const b = (await r.json().catch(() => ({}))) as { seq?: number; detail?: { seq?: number } };
	return Number(b.seq ?? b.detail?.seq ?? NaN);
}

/** Wait (at most `limit` ms) until the server's seq has not moved for `quietMs`. */
async function settle(server: TestServer, quietMs = 1500, limit = 20_000): Promise<number> {
	const end = Date.now() + limit;
	let last = await headSeqOf(server);
	let since = Date.now();
	while (Date.now() < end) {
		await sleep(250);
		const s = await headSeqOf(server);
		if (s !== last) {
			last = s;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) break;
	}
	return last;
}

// ── 1. ingest throughput ───────────────────────────────────────────────────────

/** The server's rate with a number of senders in flight, next to the raw INSERT of the same rows. */
interface IngestMode {
	senders: number;
	serverEventsPerSec: number[];
	serverMedian: number;
	/** server ÷ raw (medians). */
	ratio: number;
	/** Server process CPU during each run, in % of one core. */
	serverCpuPct: number[];
}

interface IngestFigure {
	backend: Backend;
	eventsPerRun: number;
	runs: number;
	batch: number;
	modes: IngestMode[];
	rawEventsPerSec: number[];
	/** PGlite only: the raw INSERTs plus the server's own WAL fsync after each transaction (DbHandle.flushCommits). */
	rawFsyncEventsPerSec: number[] | null;
	rawMedian: number;
	rawFsyncMedian: number | null;
	/** What one stored event costs on disk: the raw table with its indexes ÷ its rows (the log's growth). */
	bytesPerEvent: number | null;
}

/** Bench limit (issue #12): ingest at least half the raw batched INSERT, for each sender mode. */
export const INGEST_MIN_RATIO = 0.5;

async function postBatch(server: TestServer, key: string, body: string): Promise<{ accepted: number; rejected: number; duplicates: number; firstError?: string }> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const r = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
		if (r.status === 429 || r.status === 503) {
			await r.text();
			await sleep(Number(r.headers.get('retry-after') ?? 1) * 1000);
			continue;
		}
		const b = (await r.json()) as { accepted: number; rejected: number; duplicates: number; results: Array<{ status: string; error?: string }> };
		if (r.status !== 200) throw new Error(`POST /api/v1/events: ${r.status} ${JSON.stringify(b)}`);
		return { accepted: b.accepted, rejected: b.rejected, duplicates: b.duplicates, firstError: b.results.find((x) => x.error)?.error };
	}
	throw new Error('POST /api/v1/events: still 429/503 after 20 tries');
}

async function benchIngest(backend: Backend): Promise<IngestFigure> {
	const { ingestEventsPerRun: perRun, ingestRuns: runs, ingestBatch: batch, ingestSenders: modes } = SIZES;
	const total = perRun * runs * modes.length;
	say(`ingest/${backend}: generating ${fmt(total)} DaySimulator events (${runs} runs × ${modes.length} sender modes × ${fmt(perRun)})`);
	const all = simulatedEvents(total, { seed: 101, idPrefix: `ing${backend === 'pglite' ? 'l' : 'p'}`, end: Date.now() - 60_000 });

	const srv = await launch(backend);
	const raw = await openRawDb(backend);
	try {
		const { key } = await provision(srv.server, `ingest-${backend}`);
		say(`ingest/${backend}: server up in ${(srv.startupMs / 1000).toFixed(1)} s, demo org loaded via PUT /api/v1/org`);
		const driver = rawDriver(raw.handle);
		const serverRates = modes.map(() => [] as number[]);
		const serverCpu = modes.map(() => [] as number[]);
		const rawRates: number[] = [];
		const rawFsyncRates: number[] = [];
		let rawSeq = 1;
		let slice = 0;
		for (let r = 0; r < runs; r++) {
			checkDeadline('ingest');
			const notes: string[] = [];
			let evs: HallEvent[] = [];
			for (const [m, senders] of modes.entries()) {
				evs = all.slice(slice * perRun, ++slice * perRun);
				// Server: bodies serialized beforehand, `senders` requests in flight (1: each waits for the previous reply).
				const bodies: string[] = [];
				for (let i = 0; i < evs.length; i += batch) bodies.push(JSON.stringify({ events: evs.slice(i, i + batch) }));
				let next = 0;
				let accepted = 0;
				let rejected = 0;
				let dups = 0;
				let firstError: string | undefined;
				const cpu0 = cpuSeconds(srv.server.proc?.pid);
				const t0 = performance.now();
				await withTimeout(
					Promise.all(
						Array.from({ length: senders }, async () => {
							while (next < bodies.length) {
								const res = await postBatch(srv.server, key, bodies[next++]);
								accepted += res.accepted;
								rejected += res.rejected;
								dups += res.duplicates;
								firstError ??= res.firstError;
							}
						})
					),
					10 * 60_000,
					'ingest run'
				);
				const serverSec = (performance.now() - t0) / 1000;
				serverCpu[m].push(((cpuSeconds(srv.server.proc?.pid) - cpu0) / serverSec) * 100);
				if (accepted !== evs.length) say(`ingest/${backend}: WARNING ${accepted} accepted, ${rejected} rejected, ${dups} duplicates of ${evs.length}; first error: ${firstError}`);
				serverRates[m].push(accepted / serverSec);
				notes.push(`${senders} sender${senders === 1 ? '' : 's'} ${fmt(accepted / serverSec)} ev/s (${serverCpu[m].at(-1)!.toFixed(0)}% of a core)`);
				await settle(srv.server, 1000, 10_000);
			}

			// Raw: rows like the last mode's (validated and placed the same way), 500-row INSERTs, one transaction each.
			const { placed } = placeEvents(evs, `bench-ingest-${backend}`, rawSeq, ORG_INDEX);
			rawSeq += placed.length;
			const rows = placed.map(rowParams);
			const t1 = performance.now();
			await withTimeout(rawInsert(driver, rows, batch, 1), 10 * 60_000, 'raw insert run');
			const rawSec = (performance.now() - t1) / 1000;
			rawRates.push(rows.length / rawSec);
			let fsyncNote = '';
			if (backend === 'pglite') {
				// PGlite runs with fsync off; the server fsyncs the WAL before each reply. The same rows again, with that flush.
				const again = placeEvents(evs, `bench-ingest-${backend}-fsync`, rawSeq, ORG_INDEX).placed;
				rawSeq += again.length;
				const t2 = performance.now();
				await withTimeout(rawInsert(driver, again.map(rowParams), batch, 1, () => raw.handle.flushCommits()), 10 * 60_000, 'raw insert + fsync run');
				const sec = (performance.now() - t2) / 1000;
				rawFsyncRates.push(again.length / sec);
				fsyncNote = `; raw + WAL fsync ${fmt(again.length / sec)} rows/s`;
			}
			say(
				`ingest/${backend} run ${r + 1}/${runs}: server ${notes.join(', ')}, load avg ${os.loadavg()[0].toFixed(2)}; ` +
					`raw INSERT ${fmt(rows.length)} rows in ${rawSec.toFixed(2)} s = ${fmt(rows.length / rawSec)} rows/s${fsyncNote}`
			);
		}
		const rawMedian = median(rawRates);
		let bytesPerEvent: number | null = null;
		await driver.tx(async (query) => {
			const [row] = rowsOfAny(await query(`select pg_total_relation_size('events')::float8 / greatest(count(*), 1) as b from events`, []));
			bytesPerEvent = row ? Math.round(Number(row.b)) : null;
		});
		say(`ingest/${backend}: the log on disk: ${bytesPerEvent ?? '?'} bytes an event (the events table with its indexes ÷ its rows)`);
		const fig: IngestFigure = {
			backend,
			eventsPerRun: perRun,
			runs,
			batch,
			modes: modes.map((senders, m) => ({
				senders,
				serverEventsPerSec: serverRates[m].map(Math.round),
				serverMedian: Math.round(median(serverRates[m])),
				ratio: median(serverRates[m]) / rawMedian,
				serverCpuPct: serverCpu[m].map((x) => Math.round(x))
			})),
			rawEventsPerSec: rawRates.map(Math.round),
			rawFsyncEventsPerSec: rawFsyncRates.length ? rawFsyncRates.map(Math.round) : null,
			rawMedian: Math.round(rawMedian),
			rawFsyncMedian: rawFsyncRates.length ? Math.round(median(rawFsyncRates)) : null,
			bytesPerEvent
		};
		for (const mode of fig.modes)
			say(
				`ingest/${backend}: ${mode.senders} sender${mode.senders === 1 ? '' : 's'}: median server ${fmt(mode.serverMedian)} ev/s, raw ${fmt(fig.rawMedian)} rows/s, server÷raw ${mode.ratio.toFixed(2)} (limit ≥ ${INGEST_MIN_RATIO})` +
					(fig.rawFsyncMedian ? `; raw + WAL fsync ${fmt(fig.rawFsyncMedian)} rows/s (server÷that ${(mode.serverMedian / fig.rawFsyncMedian).toFixed(2)})` : '')
			);
		// Each run lands on top of the previous ones: a cost that grows with the log shows here
		// (BENCH_INGEST_RUNS=6 or more makes it plain).
		const last = fig.modes.at(-1)!.serverEventsPerSec;
		say(`ingest/${backend}: last run ÷ first run ${(last[last.length - 1] / last[0]).toFixed(2)} with ${fmt(perRun * modes.length * (runs - 1))} more events in the log (1.0 = flat)`);
		return fig;
	} finally {
		await raw.close();
		await srv.stop();
	}
}

// ── 2. ingest → client latency ─────────────────────────────────────────────────

interface LatencyFigure {
	backend: Backend;
	clients: number;
	eventsPerSec: number;
	batch: number;
	seconds: number;
	sent: number;
	accepted: number;
	samples: number;
	expectedSamples: number;
	missed: number;
	resyncs: number;
	p50Ms: number;
	p90Ms: number;
	p99Ms: number;
	maxMs: number;
	senderLateBatches: number;
	/** Server process CPU while sending, in % of one core. */
	serverCpuPct: number;
	loadAvg1: number;
}

/** The WebSocket clients live in a worker thread so their parsing does not delay the sender's clock. */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const WebSocket = require(workerData.wsPath);
const now = () => performance.timeOrigin + performance.now();
const { url, clients: n, capacity } = workerData;
const lat = new Float64Array(capacity);
let samples = 0, resyncs = 0, deltas = 0, overflow = 0;
const seen = new Array(n).fill(0);
const sockets = [];
let ready = 0;
for (let i = 0; i < n; i++) {
  const ws = new WebSocket(url);
  sockets.push(ws);
  let greeted = false;
  ws.on('message', (raw) => {
    const t = now();
    const m = JSON.parse(String(raw));
    if (m.type === 'snapshot') {
      if (greeted) resyncs++;
      else { greeted = true; if (++ready === n) parentPort.postMessage({ type: 'ready' }); }
      return;
    }
    if (m.type !== 'delta' || !m.events) return;
    deltas++;
    for (const e of m.events) {
      const id = e.id;
      if (typeof id !== 'string' || !id.startsWith('lat-')) continue;
      const sent = Number(id.slice(id.lastIndexOf('-t') + 2));
      seen[i]++;
      if (samples < capacity) lat[samples++] = t - sent; else overflow++;
    }
  });
  ws.on('error', (err) => parentPort.postMessage({ type: 'error', message: String(err && err.message || err) }));
}
parentPort.on('message', (msg) => {
  if (msg.type !== 'finish') return;
  const end = Date.now() + msg.timeoutMs;
  const check = () => {
    if (seen.every((s) => s >= msg.expected) || Date.now() > end) {
      for (const ws of sockets) ws.terminate();
      const out = lat.slice(0, samples);
      parentPort.postMessage({ type: 'result', latencies: out, samples, resyncs, deltas, overflow, seenMin: Math.min(...seen) }, [out.buffer]);
    } else setTimeout(check, 50);
  };
  check();
});
`;

async function benchLatency(backend: Backend): Promise<LatencyFigure> {
	const { latencyClients: clients, latencyBatch: batch, latencyEveryMs: every, latencySeconds: seconds } = SIZES;
	const batches = Math.round((seconds * 1000) / every);
	const total = batches * batch;
	say(`latency/${backend}: generating ${fmt(total)} DaySimulator events`);
	const evs = simulatedEvents(total, { seed: 202, idPrefix: 'lat', end: Date.now() - 60_000 });

	const srv = await launch(backend);
	let worker: Worker | null = null;
	const stopWorker = onCleanup('WebSocket client worker', async () => {
		await worker?.terminate();
	});
	try {
		const { key, token } = await provision(srv.server, `lat-${backend}`);
		await settle(srv.server, 1000, 10_000);
		const wsPath = createRequire(import.meta.url).resolve('ws');
		const url = `ws://127.0.0.1:${srv.server.port}/api/v1/stream?token=${encodeURIComponent(token)}&events=all`;
		worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { wsPath, url, clients, capacity: clients * total + 1000 } });
		const w = worker;
		const messages: Array<Record<string, unknown>> = [];
		const waiters: Array<() => void> = [];
		w.on('message', (m) => {
			if (m.type === 'error') say(`latency/${backend}: client error: ${m.message}`);
			messages.push(m);
			for (const f of waiters.splice(0)) f();
		});
		w.on('error', (err) => say(`latency/${backend}: worker error: ${err.message}`));
		const waitMsg = async (type: string, limit: number) => {
			const end = Date.now() + limit;
			for (;;) {
				const m = messages.find((x) => x.type === type);
				if (m) return m;
				if (Date.now() > end) throw new Error(`latency: no "${type}" from the client worker in ${limit} ms`);
				await new Promise<void>((r) => {
					waiters.push(r);
					setTimeout(r, 200);
				});
			}
		};
		await waitMsg('ready', 60_000);
		say(`latency/${backend}: ${clients} WebSocket clients connected (events=all); sending ${batch}-event batches every ${every} ms for ${seconds} s`);

		// Sender: batch k is due at start + k·every; its send time (just before the POST) rides in each event id.
		let sentEvents = 0;
		let accepted = 0;
		let late = 0;
		let inFlight = 0;
		const pending: Array<Promise<void>> = [];
		const cpu0 = cpuSeconds(srv.server.proc?.pid);
		const start = performance.now();
		for (let k = 0; k < batches; k++) {
			const due = start + k * every;
			const wait = due - performance.now();
			if (wait > 1) await sleep(wait);
			else if (wait < -every) late++;
			if (Date.now() > DEADLINE) throw new Error('overall time limit reached during latency');
			const t = now();
			const body = JSON.stringify({
				events: evs.slice(k * batch, (k + 1) * batch).map((e, j) => ({ ...e, id: `lat-${k * batch + j}-t${t.toFixed(3)}` }))
			});
			sentEvents += batch;
			inFlight++;
			const p = postBatch(srv.server, key, body).then(
				(res) => {
					accepted += res.accepted;
					inFlight--;
				},
				(err) => {
					inFlight--;
					say(`latency/${backend}: POST failed: ${(err as Error).message}`);
				}
			);
			pending.push(p);
			if (inFlight > 200) throw new Error('latency: more than 200 requests in flight; the server is not keeping up');
		}
		await withTimeout(Promise.all(pending), 60_000, 'latency sends');
		const sendSec = (performance.now() - start) / 1000;
		const serverCpuPct = ((cpuSeconds(srv.server.proc?.pid) - cpu0) / sendSec) * 100;
		say(`latency/${backend}: sent ${fmt(sentEvents)} events in ${sendSec.toFixed(1)} s (${fmt(sentEvents / sendSec)} ev/s), ${fmt(accepted)} accepted; waiting for clients`);
		w.postMessage({ type: 'finish', expected: accepted, timeoutMs: 15_000 });
		const res = (await waitMsg('result', 60_000)) as { latencies: Float64Array; samples: number; resyncs: number; deltas: number; overflow: number; seenMin: number };
		const sorted = Float64Array.from(res.latencies).sort();
		const fig: LatencyFigure = {
			backend,
			clients,
			eventsPerSec: (batch * 1000) / every,
			batch,
			seconds,
			sent: sentEvents,
			accepted,
			samples: res.samples,
			expectedSamples: accepted * clients,
			missed: accepted * clients - res.samples,
			resyncs: res.resyncs,
			p50Ms: percentile(sorted, 0.5),
			p90Ms: percentile(sorted, 0.9),
			p99Ms: percentile(sorted, 0.99),
			maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
			senderLateBatches: late,
			serverCpuPct,
			loadAvg1: os.loadavg()[0]
		};
		say(
			`latency/${backend}: p50 ${ms(fig.p50Ms)} ms, p90 ${ms(fig.p90Ms)} ms, p99 ${ms(fig.p99Ms)} ms, max ${ms(fig.maxMs)} ms over ${fmt(fig.samples)} deliveries ` +
				`(${fmt(fig.missed)} missed, ${fig.resyncs} resync snapshots, ${res.deltas} delta messages, ${late} sender batches late > ${every} ms; ` +
				`server used ${fig.serverCpuPct.toFixed(0)}% of a core while sending, load avg ${fig.loadAvg1.toFixed(2)})`
		);
		return fig;
	} finally {
		await stopWorker();
		await srv.stop();
	}
}

// ── 3. snapshot at 10k and 1M stored events ──────────────────────────────────────

interface LoadResult {
	events: number;
	wanted: number;
	seconds: number;
	rejected: number;
	token: string;
	note: string | null;
}

/**
 * Fill a fresh database with `wanted` events, ending now: DaySimulator days, validated and
 * placed as ingest does, multi-row INSERTs straight into `events`, log_head moved, and the real
 * Projector applying them in-process and checkpointing every 20 000 events (the server's
 * default) with its clock at the loaded time, so the last checkpoint is at the head.
 */
const loadPlans = new Map<number, { end: number; days: number; surplus: number }>();

async function bulkLoad(backend: Backend, wanted: number, data: { dataDir: string; databaseUrl?: string }): Promise<LoadResult> {
	const started = performance.now();
	const budgetEnd = Date.now() + SIZES.loadBudgetMs;
	const handle = await openDatabase({ databaseUrl: data.databaseUrl ?? null, dataDir: data.dataDir, migrationsFolder: MIGRATIONS });
	const close = onCleanup(`bulk-load ${backend} database handle`, () => handle.close());
	try {
		await upsertOrg(handle.db, ORG);
		const org = await loadOrg(handle.db);
		const { token } = await new Credentials(handle.db).createToken(`bench-snapshot-${wanted}`, { kind: 'all' });
		let simNow = 0;
		const projector = new Projector(handle.db, { org: () => org, now: () => simNow, log: (m) => say(`snapshot/${backend}: projector: ${m}`) });
		await projector.restore(true);
		const driver = rawDriver(handle);

		// Which day to start on so that `wanted` events end now: count days backwards first
		// (deterministic, so the plan is shared by the backends).
		let plan = loadPlans.get(wanted);
		if (!plan) {
			const end = Date.now() - 60_000;
			const counter = new DaySimulator({ org: ORG, seed: 303, idPrefix: 'snap' });
			let days = 0;
			let counted = 0;
			for (; counted < wanted && days < 2000; days++) counted += counter.eventsBetween(end - (days + 1) * DAY, end - days * DAY).length;
			loadPlans.set(wanted, (plan = { end, days, surplus: counted - wanted }));
			say(`snapshot: ${fmt(wanted)} events = ${days} simulated days of the demo center ending now`);
		}
		const { end, days } = plan;
		const sim = new DaySimulator({ org: ORG, seed: 303, idPrefix: 'snap' });
		// Drop the surplus from the oldest day so the log ends at `end` with (about) `wanted` events.
		let surplus = plan.surplus;
		let seq = 0;
		let rejected = 0;
		let sinceCheckpoint = 0;
		let note: string | null = null;
		let lastReport = performance.now();
		const sender = 'bench-loader';
		for (let d = days; d > 0; d--) {
			checkDeadline('bulk load');
			if (Date.now() > budgetEnd) {
				note = `load budget ${SIZES.loadBudgetMs / 60_000} min reached: stopped at ${fmt(seq)} of ${fmt(wanted)} events`;
				say(`snapshot/${backend}: ${note}`);
				break;
			}
			const from = end - d * DAY;
			const to = end - (d - 1) * DAY;
			let evs = sim.eventsBetween(from, to);
			if (surplus > 0) {
				const cut = Math.min(surplus, evs.length);
				evs = evs.slice(cut);
				surplus -= cut;
			}
			if (seq + evs.length > wanted) evs = evs.slice(0, wanted - seq);
			// In 5 000-event steps: insert, apply, checkpoint every 20 000 like the server.
			for (let i = 0; i < evs.length; i += 5000) {
				const part = evs.slice(i, i + 5000);
				const { placed, rejected: rej, firstError } = placeEvents(part, sender, seq + 1, org, to + 60_000);
				if (rej) {
					rejected += rej;
					say(`snapshot/${backend}: ${rej} generated events rejected by validation (first: ${firstError})`);
				}
				if (!placed.length) continue;
				await rawInsert(driver, placed.map(rowParams), 500, 10);
				seq = placed[placed.length - 1].seq;
				await handle.db.execute(sql`update log_head set seq = ${seq} where id = 1`);
				simNow = placed[placed.length - 1].at;
				projector.submit(placed);
				if (projector.seq !== seq) throw new Error(`projector at ${projector.seq}, log at ${seq}`);
				sinceCheckpoint += placed.length;
				if (sinceCheckpoint >= 20_000) {
					await projector.checkpoint();
					sinceCheckpoint = 0;
				}
			}
			if (performance.now() - lastReport > 10_000) {
				lastReport = performance.now();
				const sec = (performance.now() - started) / 1000;
				say(`snapshot/${backend}: loaded ${fmt(seq)}/${fmt(wanted)} events in ${sec.toFixed(0)} s (${fmt(seq / sec)} ev/s)`);
			}
			if (seq >= wanted) break;
		}
		simNow = Date.now();
		await projector.checkpoint();
		// The hotline console's table projection, as the server's writer keeps it while it runs
		// (otherwise the server would catch it up from seq 0 at start-up, a one-off cost of a
		// bulk load that a running server never has).
		await new HotlineTickets({ db: handle.db, org: () => org, isLeader: () => true, log: (m) => say(`snapshot/${backend}: ${m}`) }).catchUp();
		const [cp] = rowsOfAny(await handle.db.execute(sql`select seq, length(state) as bytes from checkpoints where name = 'live'`));
		const head = rowsOfAny(await handle.db.execute(sql`select seq from log_head where id = 1`))[0];
		const seconds = (performance.now() - started) / 1000;
		say(
			`snapshot/${backend}: loaded ${fmt(seq)} events in ${seconds.toFixed(1)} s (${fmt(seq / seconds)} ev/s incl. generation, validation, projection); ` +
				`log_head ${head?.seq}, checkpoint at seq ${cp?.seq} (${fmt(Number(cp?.bytes) / 1024)} KiB of state)`
		);
		return { events: seq, wanted, seconds, rejected, token, note };
	} finally {
		await close();
	}
}

function rowsOfAny(r: unknown): Array<Record<string, unknown>> {
	return Array.isArray(r) ? (r as Array<Record<string, unknown>>) : ((r as { rows?: Array<Record<string, unknown>> }).rows ?? []);
}

interface SnapshotFigure {
	backend: Backend;
	events: number;
	wanted: number;
	loadSec: number;
	loadNote: string | null;
	startupMs: number;
	restoredLine: string;
	tailReplayed: number | null;
	requests: number;
	medianMs: number;
	p99Ms: number;
	meanMs: number;
	bytes: number;
	seq: number;
}

interface SnapshotServer {
	backend: Backend;
	load: LoadResult;
	srv: Awaited<ReturnType<typeof launch>>;
	restoredLine: string;
	tail: number | null;
	url: string;
	dispose: () => Promise<void>;
}

/** Bulk-load `wanted` events into a fresh database and start a server on it (restoring from the checkpoint). */
async function snapshotServer(backend: Backend, wanted: number): Promise<SnapshotServer> {
	const dir = tempDir(`snap-${backend}-${wanted}`);
	let db: { url: string; drop: () => Promise<void> } | null = null;
	const dispose = async () => {
		if (db) await db.drop();
		await dir.remove();
	};
	try {
		if (backend === 'postgres') db = await freshDb();
		say(`snapshot/${backend}: bulk-loading ${fmt(wanted)} events`);
		const load = await bulkLoad(backend, wanted, { dataDir: dir.dir, databaseUrl: db?.url });
		checkDeadline('snapshot');
		const srv = await launch(backend, { dataDir: dir.dir, databaseUrl: db?.url });
		const restoredLine = (srv.server.output.split('\n').find((l) => l.includes('projection restored')) ?? '(no "projection restored" line in the server output)').trim();
		const tail = /, (\d+) tail events replayed/.exec(restoredLine);
		say(`snapshot/${backend} ${fmt(load.events)} events: server ready in ${(srv.startupMs / 1000).toFixed(2)} s (spawn → /healthz 200) — ${restoredLine}`);
		const seq = await settle(srv.server, 1500, 20_000); // the deadline judge may append derived events right after start
		if (seq !== load.events) say(`snapshot/${backend} ${fmt(load.events)} events: the server's deadline judge appended ${fmt(seq - load.events)} derived events after start (seq now ${fmt(seq)})`);
		return {
			backend,
			load,
			srv,
			restoredLine,
			tail: tail ? Number(tail[1]) : null,
			url: `${srv.server.url}/api/v1/snapshot?token=${encodeURIComponent(load.token)}`,
			dispose: async () => {
				await srv.stop();
				await dispose();
			}
		};
	} catch (err) {
		await dispose();
		throw err;
	}
}

/**
 * Time GET /api/v1/snapshot on each server: warm-up, then `requests` rounds that ask each
 * server in turn (so load from elsewhere on the machine hits both sizes alike).
 */
async function measureSnapshots(servers: SnapshotServer[]): Promise<SnapshotFigure[]> {
	const times: number[][] = servers.map(() => []);
	const bytes: number[] = servers.map(() => 0);
	const seqs: number[] = servers.map(() => 0);
	for (let i = 0; i < SIZES.snapshotWarmup + SIZES.snapshotRequests; i++) {
		checkDeadline('snapshot requests');
		for (let k = 0; k < servers.length; k++) {
			const t = performance.now();
			const r = await fetch(servers[k].url);
			const text = await r.text();
			const dt = performance.now() - t;
			if (r.status !== 200) throw new Error(`snapshot ${r.status}: ${text.slice(0, 200)}`);
			if (i >= SIZES.snapshotWarmup) times[k].push(dt);
			bytes[k] = text.length;
			seqs[k] = (JSON.parse(text) as { seq: number }).seq;
		}
	}
	return servers.map((s, k) => {
		const sorted = [...times[k]].sort((a, b) => a - b);
		const fig: SnapshotFigure = {
			backend: s.backend,
			events: s.load.events,
			wanted: s.load.wanted,
			loadSec: s.load.seconds,
			loadNote: s.load.note,
			startupMs: s.srv.startupMs,
			restoredLine: s.restoredLine,
			tailReplayed: s.tail,
			requests: sorted.length,
			medianMs: median(sorted),
			p99Ms: percentile(sorted, 0.99),
			meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
			bytes: bytes[k],
			seq: seqs[k]
		};
		say(
			`snapshot/${s.backend} ${fmt(fig.events)} events: GET /api/v1/snapshot median ${ms(fig.medianMs)} ms, p99 ${ms(fig.p99Ms)} ms, mean ${ms(fig.meanMs)} ms ` +
				`(${fig.requests} requests after ${SIZES.snapshotWarmup} warm-up${servers.length > 1 ? ', alternating with the other size' : ''}; ${fmt(fig.bytes / 1024, 1)} KiB; seq ${fmt(fig.seq)})`
		);
		return fig;
	});
}

// ── main ───────────────────────────────────────────────────────────────────────

interface Results {
	machine: Record<string, unknown>;
	options: { quick: boolean; only: Part[]; backends: Backend[]; sizes: typeof SIZES };
	ingest: IngestFigure[];
	latency: LatencyFigure[];
	snapshot: SnapshotFigure[];
	snapshotRatios: Array<{ backend: Backend; small: number; large: number; medianRatio: number; p99Ratio: number }>;
	errors: string[];
	/** The wall display (scripts/bench-wall.ts): JS weight and time to first figures in Chromium. */
	wall?: WallFigures;
	/** Networks of centers (scripts/bench-network.ts): a prefecture, a province on several instances, one center with 1,000 walls. */
	network: ScaleFigure[];
	finishedAt?: string;
}

function machineFacts(): Record<string, unknown> {
	const cpus = os.cpus();
	return {
		cores: cpus.length,
		cpu: cpus[0]?.model ?? 'unknown',
		node: process.version,
		platform: `${os.platform()} ${os.release()} ${os.arch()}`,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		loadAvg: os.loadavg().map((x) => Number(x.toFixed(2))),
		startedAt: new Date().toISOString()
	};
}

function table(headers: string[], rows: string[][]): string {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function summary(res: Results): string {
	const out: string[] = ['', '══════════════ Hallwatch bench summary ══════════════'];
	const m = res.machine;
	out.push(
		`machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}; load avg at start ${(m.loadAvg as number[]).join(' ')}, at end ${((m.loadAvgEnd as number[]) ?? []).join(' ')}${res.options.quick ? '  [--quick]' : ''}`
	);
	out.push('note: 2 shared cores — other work on the machine makes these figures noisy.');
	if (res.ingest.length) {
		const f0 = res.ingest[0];
		out.push('', `1. Ingest throughput — ${f0.runs} runs × ${fmt(f0.eventsPerRun)} DaySimulator events per sender mode, ${f0.batch}/batch (median; all runs); limit: server ≥ ${INGEST_MIN_RATIO}× raw`);
		out.push(
			table(
				['backend', 'senders', 'server ev/s', 'raw INSERT rows/s', 'server÷raw', 'raw+fsync rows/s', 'server runs', 'raw runs'],
				res.ingest.flatMap((f) =>
					f.modes.map((m) => [
						f.backend,
						String(m.senders),
						fmt(m.serverMedian),
						fmt(f.rawMedian),
						m.ratio.toFixed(2),
						f.rawFsyncMedian ? fmt(f.rawFsyncMedian) : '—',
						m.serverEventsPerSec.map((x) => fmt(x)).join(' / '),
						f.rawEventsPerSec.map((x) => fmt(x)).join(' / ')
					])
				)
			)
		);
		out.push('   raw = 500-row multi-row INSERTs, one transaction each, one writer, same driver and table; raw+fsync (PGlite, which runs with fsync off) adds');
		out.push('   the WAL fsync the server does before replying. PostgreSQL fsyncs each commit itself, so its raw figure already includes it.');
		out.push(`   the log on disk: ${res.ingest.map((f) => `${f.backend} ${f.bytesPerEvent ?? '?'} bytes an event`).join(', ')} (events table with its indexes ÷ rows)`);
	}
	if (res.latency.length) {
		const f0 = res.latency[0];
		out.push('', `2. Ingest → client latency — ${f0.clients} WebSocket clients (events=all), ${f0.eventsPerSec} events/s as ${f0.batch}-event batches, ${f0.seconds} s`);
		out.push(
			table(
				['backend', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'deliveries', 'missed', 'resyncs', 'server CPU', 'load avg'],
				res.latency.map((f) => [
					f.backend,
					ms(f.p50Ms),
					ms(f.p90Ms),
					ms(f.p99Ms),
					ms(f.maxMs),
					fmt(f.samples),
					fmt(f.missed),
					String(f.resyncs),
					`${f.serverCpuPct.toFixed(0)}%`,
					f.loadAvg1.toFixed(2)
				])
			)
		);
	}
	if (res.snapshot.length) {
		out.push('', `3. Snapshot — GET /api/v1/snapshot, ${SIZES.snapshotRequests} sequential requests after ${SIZES.snapshotWarmup} warm-up; server restored from a checkpoint`);
		out.push(
			table(
				['backend', 'events', 'load s', 'start-up s', 'tail replayed', 'median ms', 'p99 ms'],
				res.snapshot.map((f) => [f.backend, fmt(f.events), f.loadSec.toFixed(1), (f.startupMs / 1000).toFixed(2), f.tailReplayed === null ? '?' : fmt(f.tailReplayed), ms(f.medianMs), ms(f.p99Ms)])
			)
		);
		for (const f of res.snapshot) if (f.loadNote) out.push(`   ${f.backend}: ${f.loadNote}`);
		for (const r of res.snapshotRatios)
			out.push(`   ${r.backend}: ${fmt(r.large)} vs ${fmt(r.small)} events — median ratio ${r.medianRatio.toFixed(2)}, p99 ratio ${r.p99Ratio.toFixed(2)} (1.0 = flat)`);
	}
	if (res.wall) {
		const w = res.wall;
		out.push('', '4. Wall display — /wall at 1920×1080 in Chromium (scripts/bench-wall.ts)');
		out.push(`   JS fetched: ${w.js.files} files, ${(w.js.gzipBytes / 1024).toFixed(1)} KiB gzipped (${(w.js.rawBytes / 1024).toFixed(1)} KiB raw); CSS ${(w.css.gzipBytes / 1024).toFixed(1)} KiB gzipped; fonts ${(w.fonts.bytes / 1024).toFixed(1)} KiB`);
		out.push(`   first figures (median): cold ${w.cold.medianFirstFigureMs} ms, warm HTTP cache ${w.warm.medianFirstFigureMs} ms, warm + figure cache ${w.cachedFigures.medianFirstFigureMs} ms; live: ${w.cold.medianLiveMs} / ${w.warm.medianLiveMs} / ${w.cachedFigures.medianLiveMs} ms`);
	}
	if (res.network.length) {
		out.push('', `5. Networks of centers — ingest → wall latency (to the first message carrying the event's seq, walls with events=notable); limits: p99 ≤ ${LIMITS.wallP99Ms} ms (one center: ${LIMITS.centerP99Ms} ms), prefecture snapshot ≤ ${LIMITS.prefectureSnapshotMs} ms, ≤ ${LIMITS.rssMb} MB and ≤ ${LIMITS.loopStallMs} ms stall per instance, start-up ≤ ${LIMITS.startupMs / 1000} s`);
		const limit = (f: ScaleFigure) => (f.name === 'center' ? LIMITS.centerP99Ms : LIMITS.wallP99Ms);
		out.push(
			table(
				['run', 'db × inst', 'centers', 'walls', 'ev/s', 'center p50/p99/max ms', 'p99÷limit', 'region p99 ms', 'p99÷limit', 'snapshot ms (KiB)', '÷limit', 'RSS MB', 'stall ms', 'restart s'],
				res.network.map((f) => [
					f.name,
					`${f.backend} × ${f.instances}`,
					fmt(f.centers),
					String(f.centerWalls.walls + (f.regionWalls?.walls ?? 0)),
					fmt(f.eventsPerSec),
					`${ms(f.centerWalls.p50Ms)}/${ms(f.centerWalls.p99Ms)}/${ms(f.centerWalls.maxMs)}`,
					(f.centerWalls.p99Ms / limit(f)).toFixed(2),
					f.regionWalls ? ms(f.regionWalls.p99Ms) : '—',
					f.regionWalls ? (f.regionWalls.p99Ms / LIMITS.wallP99Ms).toFixed(2) : '—',
					f.snapshot ? `${ms(f.snapshot.medianMs)} (${f.snapshot.kib.toFixed(0)})` : '—',
					f.snapshot && f.name === 'prefecture' ? (f.snapshot.medianMs / LIMITS.prefectureSnapshotMs).toFixed(2) : '—',
					f.rssMb.map((x) => fmt(x)).join('/'),
					f.loopMaxMs.map((x) => ms(x)).join('/'),
					f.startupMs === null ? '—' : (f.startupMs / 1000).toFixed(1)
				])
			)
		);
	}
	if (res.errors.length) out.push('', 'ERRORS:', ...res.errors.map((e) => `  ${e}`));
	return out.join('\n');
}

async function main(): Promise<number> {
	const res: Results = {
		machine: machineFacts(),
		options: { quick: Q, only: OPTS.only, backends: BACKENDS, sizes: SIZES },
		ingest: [],
		latency: [],
		snapshot: [],
		snapshotRatios: [],
		network: [],
		errors: []
	};
	const m = res.machine;
	say(`machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB memory, node ${m.node}, ${m.platform}, load avg ${(m.loadAvg as number[]).join(' ')}`);
	say(`parts: ${OPTS.only.join(', ')}; backends: ${BACKENDS.join(', ')}${PG_BASE ? '' : ' (set DATABASE_URL or TEST_DATABASE_URL for PostgreSQL)'}${Q ? '; --quick sizes' : ''}`);
	say('building the server if build/ is older than src/ …');
	buildIfStale();
	privateBuild();

	const attempt = async (what: string, fn: () => Promise<void>) => {
		try {
			checkDeadline(what);
			say(`── ${what} (load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`);
			await fn();
		} catch (err) {
			const msg = `${what}: ${(err as Error).stack ?? err}`;
			res.errors.push(`${what}: ${String((err as Error).message).slice(0, 400)}`);
			say(`FAILED ${msg}`);
		}
	};

	if (OPTS.only.includes('ingest')) for (const b of BACKENDS) await attempt(`ingest/${b}`, async () => void res.ingest.push(await benchIngest(b)));
	if (OPTS.only.includes('latency')) for (const b of BACKENDS) await attempt(`latency/${b}`, async () => void res.latency.push(await benchLatency(b)));
	if (OPTS.only.includes('snapshot'))
		for (const b of BACKENDS)
			await attempt(`snapshot/${b}`, async () => {
				const up: SnapshotServer[] = [];
				try {
					up.push(await snapshotServer(b, SIZES.snapshotSmall));
					try {
						up.push(await snapshotServer(b, SIZES.snapshotLarge));
					} catch (err) {
						res.errors.push(`snapshot/${b}/${SIZES.snapshotLarge}: ${String((err as Error).message).slice(0, 400)}`);
						say(`FAILED snapshot/${b} at ${fmt(SIZES.snapshotLarge)} events: ${(err as Error).stack ?? err}`);
					}
					say(`snapshot/${b}: timing GET /api/v1/snapshot on ${up.map((u) => `${fmt(u.load.events)}`).join(' and ')} events${up.length > 1 ? ', both servers up, requests alternating' : ''}`);
					const figs = await measureSnapshots(up);
					res.snapshot.push(...figs);
					if (figs.length === 2) {
						const [s, l] = figs;
						const r = { backend: b, small: s.events, large: l.events, medianRatio: l.medianMs / s.medianMs, p99Ratio: l.p99Ms / s.p99Ms };
						res.snapshotRatios.push(r);
						say(
							`snapshot/${b}: ${fmt(l.events)} vs ${fmt(s.events)} events — median ${ms(l.medianMs)} vs ${ms(s.medianMs)} ms (ratio ${r.medianRatio.toFixed(2)}), ` +
								`p99 ${ms(l.p99Ms)} vs ${ms(s.p99Ms)} ms (ratio ${r.p99Ratio.toFixed(2)}); start-up ${(l.startupMs / 1000).toFixed(2)} vs ${(s.startupMs / 1000).toFixed(2)} s`
						);
					}
				} finally {
					for (const u of up.reverse()) await u.dispose();
				}
			});

	if (OPTS.only.includes('network')) await attempt('network', async () => void res.network.push(...(await benchNetwork({ quick: Q, postgres: !!PG_BASE, which: OPTS.network }))));
	if (OPTS.only.includes('wall')) await attempt('wall', async () => void (res.wall = await benchWall({ quick: Q, serverScript: serverScript(), say: (msg) => say(`wall: ${msg}`) })));

	res.finishedAt = new Date().toISOString();
	res.machine.loadAvgEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
	console.log(summary(res));
	if (OPTS.json) {
		fs.mkdirSync(path.dirname(OPTS.json), { recursive: true });
		fs.writeFileSync(OPTS.json, JSON.stringify(res, null, 2) + '\n');
		say(`figures written to ${OPTS.json}`);
	}
	return res.errors.length ? 1 : 0;
}

let code = 1;
try {
	code = await main();
} catch (err) {
	console.error(`[bench] ${(err as Error).stack ?? err}`);
	code = 1;
} finally {
	await cleanupAll();
}
say(`done in ${((performance.now() - T0) / 1000).toFixed(0)} s`);
process.exit(code);
