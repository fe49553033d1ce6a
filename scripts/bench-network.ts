/**
 * Network-size benchmarks (part `network` of `npm run bench`, issue #12): the real production
 * server(s) driven through the public API only, as the bulletins' networks would.
 *
 * - prefecture: PGlite, one process. 600 centers × 8 windows in 17 counties (凉山州), the day's
 *   events so far loaded, 100 center walls + 20 region walls, 200 ev/s.
 * - province:   PostgreSQL, several instances behind one TCP address (round robin, as an L4
 *   balancer would). 3,000 centers, 30,000 windows, 14 cities; 1,000 walls over center, county,
 *   city and province scopes; 1,000 ev/s. Resident memory and the longest event-loop stall of
 *   each instance, and the start-up of one restarted on the loaded database.
 * - province-routed: the same, with each wall sent to the instance of its city (as a balancer
 *   routing display tokens by region would; the province's own walls to the first): each
 *   instance then computes the figures of its cities only.
 * - center:     one center (the demo hall), 1,000 walls, 1,000 ev/s.
 *
 * Latency is what a wall sees: from just before the POST that carries an event to the first
 * message the wall receives that brings it up to that event's `seq` (every message carries the
 * seq it brings the client up to), for every wall whose scope contains the event. Walls read
 * the stream as real walls do (`events=notable`). Events come from the network simulator's
 * day, timed so that the bench's "now" is 10:30 of a working day, and are sent faster than
 * that day ran (a replay), never with an `occurredAt` in the future.
 */
import net from 'node:net';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { HallEvent } from '../src/lib/domain/catalog';
import { OrgIndex, type EventPlace, type OrgData } from '../src/lib/domain/org';
import type { Scope } from '../src/lib/domain/snapshot';
import { dayKey, previousDay } from '../src/lib/domain/time';
import { Reach } from '../src/lib/server/auth/reach';
import { demoOrg } from '../src/lib/server/sim/demo-org';
import { networkOrg, NetworkSimulator, PRESETS } from '../src/lib/server/sim/network';
import { sleep, type Backend, type TestServer } from '../tests/integration/harness';
import { BenchServer, fmt, freshDb, launch, median, ms, now, onCleanup, percentile, say, withTimeout } from './bench-kit';

const TZ = 'Asia/Shanghai';
/** The limits of issue #12. */
export const LIMITS = { wallP99Ms: 250, prefectureSnapshotMs: 25, centerP99Ms: 150, rssMb: 2048, loopStallMs: 50, startupMs: 30_000 };

export interface WallLatency {
	walls: number;
	samples: number;
	missed: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
}

export interface ScaleFigure {
	name: 'prefecture' | 'province' | 'province-routed' | 'center';
	backend: Backend;
	instances: number;
	centers: number;
	windows: number;
	preloaded: number;
	eventsPerSec: number;
	seconds: number;
	sent: number;
	accepted: number;
	centerWalls: WallLatency;
	regionWalls: WallLatency | null;
	snapshot: { scope: string; medianMs: number; p99Ms: number; kib: number } | null;
	/** Per instance, at the end of the run. */
	rssMb: number[];
	/** Per instance: the longest event-loop stall in the last full minute of the run. */
	loopMaxMs: number[];
	/** A restarted instance on the loaded database: spawn → /healthz 200. */
	startupMs: number | null;
	wallSnapshotsResent: number;
}

// ── events of a working day, timed to end at the bench's "now" ─────────────────────

/** The last weekday before today (simulated as the day whose 10:30 is now). */
function simulatedDay(): string {
	let d = previousDay(dayKey(Date.now(), TZ));
	for (;;) {
		const wd = new Date(`${d}T12:00:00+08:00`).getUTCDay();
		if (wd >= 1 && wd <= 5) return d;
		d = previousDay(d);
	}
}

/** Midnight of a day in China time (no daylight saving). */
const dayStartMs = (day: string) => Date.parse(`${day}T00:00:00+08:00`);

/** Move an RFC 3339 instant by `shift` ms, written in China time. */
function shifted(iso: string, shift: number): string {
	const t = Date.parse(iso) + shift;
	return new Date(t + 8 * 3_600_000).toISOString().replace(/\.(\d{3})Z$/, '.$1+08:00');
}

interface Day {
	org: OrgData;
	index: OrgIndex;
	/** The day's events up to 10:30, moved so that 10:30 is when they were generated. */
	events: HallEvent[];
	places: EventPlace[];
}

/** The last `hours` of the simulated day up to 10:30 (the morning peak), at `intensity`. */
function dayOf(org: OrgData, label: string, hours: number, intensity = 1): Day {
	const day = simulatedDay();
	const end = dayStartMs(day) + 10.5 * 3_600_000;
	const t0 = performance.now();
	const sim = new NetworkSimulator({ org, seed: 7, idPrefix: 'b', intensity });
	const raw = sim.eventsBetween(end - hours * 3_600_000, end);
	const shift = Date.now() - end - 1000;
	const index = new OrgIndex(org);
	const events = raw.map((e) => ({ ...e, occurredAt: shifted(e.occurredAt, shift) }));
	say(`network/${label}: simulated ${fmt(events.length)} events of ${sim.centers} centers (${hours} h up to 10:30) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	return { org, index, events, places: events.map((e) => index.place(e)) };
}

// ── sending ──────────────────────────────────────────────────────────────────────

interface Sent {
	at: number;
	seq: number;
	place: EventPlace;
	type: string;
}

let firstRejection: string | null = null;

async function post(base: string, key: string, events: HallEvent[]): Promise<Array<number | null>> {
	const body = JSON.stringify({ events });
	for (let attempt = 0; attempt < 30; attempt++) {
		let r: Response;
		try {
			r = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
		} catch (e) {
			// A kept-alive connection the server (or the balancer's upstream) closed as the request
			// went out: send again. Event ids make it safe: what was stored answers as duplicates.
			if (attempt >= 3) throw e;
			await sleep(100);
			continue;
		}
		if (r.status === 429 || r.status === 503) {
			await r.arrayBuffer();
			await sleep(Number(r.headers.get('retry-after') ?? 1) * 1000);
			continue;
		}
		const b = (await r.json()) as { results?: Array<{ status: string; seq?: number; error?: string }> };
		if (r.status !== 200 || !b.results) throw new Error(`POST /api/v1/events: ${r.status} ${JSON.stringify(b).slice(0, 300)}`);
		firstRejection ??= b.results.find((x) => x.status === 'rejected')?.error ?? null;
		return b.results.map((x) => (x.status === 'accepted' ? (x.seq ?? null) : null));
	}
	throw new Error('POST /api/v1/events: still 429/503 after 30 tries');
}

/** Load events as fast as the server takes them (4 requests in flight), showing progress. */
async function preload(base: string, key: string, events: HallEvent[], label: string): Promise<number> {
	const batch = 1000;
	let next = 0;
	let accepted = 0;
	let lastSay = Date.now();
	const t0 = performance.now();
	const worker = async () => {
		while (next < events.length) {
			const chunk = events.slice(next, (next += batch));
			const seqs = await post(base, key, chunk);
			accepted += seqs.filter((s) => s !== null).length;
			if (Date.now() - lastSay > 5000) {
				lastSay = Date.now();
				say(`network/${label}: loading the day so far: ${fmt(Math.min(next, events.length))}/${fmt(events.length)}`);
			}
		}
	};
	await Promise.all([worker(), worker(), worker(), worker()]);
	if (firstRejection) say(`network/${label}: some events were refused, e.g. ${firstRejection}`);
	say(`network/${label}: loaded ${fmt(accepted)} events in ${((performance.now() - t0) / 1000).toFixed(1)} s (${fmt(accepted / ((performance.now() - t0) / 1000))} ev/s)`);
	return accepted;
}

/** Send `events` at `rate` per second in batches every `everyMs`; what each accepted one got, and when. */
async function paced(base: string, key: string, events: HallEvent[], places: EventPlace[], rate: number, seconds: number, label: string): Promise<{ sent: Sent[]; posted: number }> {
	const everyMs = rate >= 500 ? 20 : 50;
	const batch = Math.max(1, Math.round((rate * everyMs) / 1000));
	const batches = Math.min(Math.floor(events.length / batch), Math.round((seconds * 1000) / everyMs));
	const sent: Sent[] = [];
	const pending: Array<Promise<void>> = [];
	let failure: unknown = null;
	let inFlight = 0;
	const start = performance.now();
	for (let k = 0; k < batches; k++) {
		const wait = start + k * everyMs - performance.now();
		if (wait > 1) await sleep(wait);
		const chunk = events.slice(k * batch, (k + 1) * batch);
		const where = places.slice(k * batch, (k + 1) * batch);
		const at = now();
		inFlight++;
		if (inFlight > 300) throw new Error(`network/${label}: more than 300 requests in flight; the server is not keeping up`);
		pending.push(
			post(base, key, chunk).then(
				(seqs) => {
					inFlight--;
					seqs.forEach((seq, i) => seq !== null && sent.push({ at, seq, place: where[i], type: chunk[i].type }));
				},
				(e: unknown) => {
					// Kept until the sends are awaited (an unhandled rejection would end the bench without its cleanup).
					failure ??= e;
				}
			)
		);
		if (failure) break;
	}
	await withTimeout(Promise.all(pending), 120_000, `${label} sends`);
	if (failure) throw failure;
	return { sent, posted: batches * batch };
}

// ── walls (WebSocket clients in a worker thread, so their parsing does not hold up the sender) ──

const WALL_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const WebSocket = require(workerData.wsPath);
const now = () => performance.timeOrigin + performance.now();
const walls = workerData.urls.map((url) => ({ url, seqs: [], times: [], snapshots: 0 }));
let ready = 0;
for (const w of walls) {
  const connect = () => {
    const ws = new WebSocket(w.url);
    w.ws = ws;
    ws.on('message', (raw) => {
      const t = now();
      const m = JSON.parse(String(raw));
      if (m.type === 'snapshot' && w.snapshots++ === 0 && ++ready === walls.length) parentPort.postMessage({ type: 'ready' });
      if (typeof m.seq === 'number') { w.seqs.push(m.seq); w.times.push(t); }
    });
    ws.on('error', (err) => parentPort.postMessage({ type: 'error', message: String(err && err.message || err) }));
  };
  connect();
}
parentPort.on('message', (msg) => {
  if (msg.type !== 'finish') return;
  for (const w of walls) w.ws.terminate();
  const out = walls.map((w) => ({ seqs: Float64Array.from(w.seqs), times: Float64Array.from(w.times), snapshots: w.snapshots }));
  parentPort.postMessage({ type: 'result', walls: out }, out.flatMap((w) => [w.seqs.buffer, w.times.buffer]));
});
`;

interface WallTrace {
	seqs: Float64Array;
	times: Float64Array;
	snapshots: number;
}

async function openWalls(urls: string[], label: string): Promise<{ finish: () => Promise<WallTrace[]> }> {
	const worker = new Worker(WALL_WORKER, { eval: true, workerData: { wsPath: createRequire(import.meta.url).resolve('ws'), urls } });
	const stop = onCleanup(`${label} walls`, async () => void (await worker.terminate()));
	let errors = 0;
	const ready = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`network/${label}: walls not connected in 120 s`)), 120_000);
		worker.on('message', (m) => {
			if (m.type === 'ready') {
				clearTimeout(timer);
				resolve();
			}
			if (m.type === 'error' && errors++ < 5) say(`network/${label}: wall error: ${m.message}`);
		});
	});
	await ready;
	return {
		finish: () =>
			new Promise<WallTrace[]>((resolve) => {
				worker.on('message', (m) => {
					if (m.type === 'result') {
						resolve(m.walls);
						void stop();
					}
				});
				worker.postMessage({ type: 'finish' });
			})
	};
}

/** Latency of each (wall, event in its scope): first message with seq ≥ the event's, minus its send time. */
function latencies(traces: WallTrace[], scopes: Scope[], sent: Sent[], org: OrgIndex): WallLatency {
	const out: number[] = [];
	const worst: Array<{ ms: number; s: Sent }> = [];
	let missed = 0;
	traces.forEach((tr, i) => {
		const reach = Reach.of(scopes[i], org);
		// Seqs only grow on one socket; a running maximum makes the search safe anyway.
		const high = new Float64Array(tr.seqs.length);
		let m = -1;
		for (let k = 0; k < tr.seqs.length; k++) high[k] = m = Math.max(m, tr.seqs[k]);
		for (const s of sent) {
			if (!MEASURED.test(s.type) || !reach.place(s.place)) continue;
			let lo = 0;
			let hi = high.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (high[mid] >= s.seq) hi = mid;
				else lo = mid + 1;
			}
			// Arrivals before the send are a later batch's that overtook it: look on.
			while (lo < high.length && tr.times[lo] < s.at) lo++;
			if (lo < high.length) {
				out.push(tr.times[lo] - s.at);
				if (process.env.BENCH_DEBUG && tr.times[lo] - s.at > 300) worst.push({ ms: tr.times[lo] - s.at, s });
			} else missed++;
		}
	});
	if (worst.length) {
		const t0 = Math.min(...sent.map((x) => x.at));
		for (const w of worst.sort((a, b) => b.ms - a.ms).slice(0, 12)) say(`  slow: ${ms(w.ms)} ms for ${w.s.type} seq ${w.s.seq} sent at +${((w.s.at - t0) / 1000).toFixed(2)} s (${w.s.place.centerCode ?? w.s.place.regionCode})`);
	}
	const sorted = Float64Array.from(out).sort();
	return { walls: traces.length, samples: out.length, missed, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.length ? sorted[sorted.length - 1] : NaN };
}

// ── servers ──────────────────────────────────────────────────────────────────────

/** A TCP round robin over the instances: one address for walls and senders, as a load balancer gives. */
async function balancer(targets: number[]): Promise<{ port: number; close: () => Promise<void> }> {
	let next = 0;
	const open = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const upstream = net.connect(targets[next++ % targets.length], '127.0.0.1');
		client.pipe(upstream).pipe(client);
		const end = () => (client.destroy(), upstream.destroy());
		client.on('error', end);
		upstream.on('error', end);
		client.on('close', end);
		upstream.on('close', end);
		open.add(client).add(upstream);
		client.once('close', () => open.delete(client));
		upstream.once('close', () => open.delete(upstream));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const close = onCleanup('balancer', async () => {
		for (const s of open) s.destroy();
		await new Promise<void>((r) => server.close(() => r()));
	});
	return { port: (server.address() as net.AddressInfo).port, close };
}

interface Health {
	rssMb?: number;
	eventLoopDelay?: { lastMinute: { maxMs: number }; windows: Array<{ from: string; maxMs: number }> };
}

async function health(s: TestServer): Promise<Health> {
	return (await (await fetch(`${s.url}/healthz`)).json()) as never;
}

/** The longest event-loop stall in the 10-s windows that began after `since` (the live load), or the last minute's. */
function stallSince(h: Health, since: number): number {
	const ws = (h.eventLoopDelay?.windows ?? []).filter((w) => Date.parse(w.from) >= since);
	return ws.length ? Math.max(...ws.map((w) => w.maxMs)) : (h.eventLoopDelay?.lastMinute.maxMs ?? NaN);
}

/**
 * Events that always change the figures of their home's walls, whatever came before: what the
 * latency is measured on. (A follow-up of an item created before the loaded part of the day, a
 * hotline ticket's reply say, may change nothing a wall shows: no message would say it arrived.)
 */
const MEASURED = /^(queue\.|window\.|attendance\.|evaluation\.|presence\.check_issued|card\.issued|case\.accepted|hotline\.ticket_created)/;

async function provision(server: TestServer, org: OrgData): Promise<{ key: string; token: string }> {
	const k = server.cli('key', 'create', '--name', 'bench-net', '--types', '*,org');
	if (k.code !== 0) throw new Error(`key create failed: ${k.stderr}${k.stdout}`);
	const t = server.cli('token', 'create', '--name', 'bench-net-walls');
	if (t.code !== 0) throw new Error(`token create failed: ${t.stderr}${t.stdout}`);
	// Upserts by code, in the order references need (1 MiB a request at most): regions and centers, then the rest in chunks.
	const kinds = ['regions', 'centers', 'departments', 'windows', 'staff'] as const;
	for (const kind of kinds)
		for (let i = 0; i < org[kind].length; i += 3000) {
			const r = await server.post('/api/v1/org', { [kind]: org[kind].slice(i, i + 3000) }, k.last);
			if (r.status !== 200) throw new Error(`PUT /api/v1/org (${kind}) failed: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
		}
	return { key: k.last, token: t.last };
}

async function snapshotTiming(base: string, token: string, scope: Scope, n: number): Promise<ScaleFigure['snapshot']> {
	const q = scope.kind === 'all' ? '' : `&${scope.kind}=${encodeURIComponent(scope.code)}`;
	const times: number[] = [];
	let bytes = 0;
	for (let i = 0; i < n + 3; i++) {
		const t0 = performance.now();
		const r = await fetch(`${base}/api/v1/snapshot?token=${encodeURIComponent(token)}${q}`);
		const b = await r.arrayBuffer();
		if (r.status !== 200) throw new Error(`snapshot ${r.status}`);
		if (i >= 3) times.push(performance.now() - t0);
		bytes = b.byteLength;
	}
	const sorted = [...times].sort((a, b) => a - b);
	return { scope: scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.code}`, medianMs: median(times), p99Ms: percentile(sorted, 0.99), kib: bytes / 1024 };
}

// ── the three runs ───────────────────────────────────────────────────────────────

interface RunPlan {
	name: ScaleFigure['name'];
	backend: Backend;
	instances: number;
	org: OrgData;
	/** Hours of the simulated morning to take events from, and its volume multiplier. */
	hours: number;
	intensity?: number;
	preload: number;
	walls: Scope[];
	rate: number;
	seconds: number;
	snapshotScope: Scope | null;
	restart: boolean;
	/** Walls to the instance of their city instead of round robin. */
	byRegion?: boolean;
}

/**
 * Each wall's instance when walls are routed by region: the cities (children of the top
 * regions) dealt out to the instances by their number of centers, largest first, each to the
 * least loaded; a wall goes to its city's instance, a wall above the cities to the first.
 */
export function instanceByRegion(org: OrgData, walls: Scope[], instances: number): number[] {
	const regions = new Map(org.regions.map((r) => [r.code, r]));
	const cityOf = (region: string | null | undefined): string | null => {
		let r = region ? regions.get(region) : undefined;
		while (r?.parentCode && regions.get(r.parentCode)?.parentCode) r = regions.get(r.parentCode);
		return r?.parentCode ? r.code : null;
	};
	const centersOf = new Map<string, number>();
	for (const c of org.centers) {
		const city = cityOf(c.regionCode);
		if (city) centersOf.set(city, (centersOf.get(city) ?? 0) + 1);
	}
	const load = new Array<number>(instances).fill(0);
	const home = new Map<string, number>();
	for (const [city, n] of [...centersOf].sort((a, b) => b[1] - a[1])) {
		const i = load.indexOf(Math.min(...load));
		home.set(city, i);
		load[i] += n;
	}
	const centerRegion = new Map(org.centers.map((c) => [c.code, c.regionCode]));
	return walls.map((w) => {
		const city = w.kind === 'center' ? cityOf(centerRegion.get(w.code)) : w.kind === 'region' ? cityOf(w.code) : null;
		return city === null ? 0 : (home.get(city) ?? 0);
	});
}

/** Walls over a network: `centers` center walls, then regions from the top down, `regions` of them. */
function wallScopes(org: OrgData, centers: number, regions: number): Scope[] {
	const step = Math.max(1, Math.floor(org.centers.length / Math.max(1, centers)));
	const c: Scope[] = [];
	for (let i = 0; i < org.centers.length && c.length < centers; i += step) c.push({ kind: 'center', code: org.centers[i].code });
	const depth = (code: string): number => {
		const r = org.regions.find((x) => x.code === code);
		return r?.parentCode ? 1 + depth(r.parentCode) : 0;
	};
	const r = [...org.regions].sort((a, b) => depth(a.code) - depth(b.code)).slice(0, regions).map((x): Scope => ({ kind: 'region', code: x.code }));
	return [...c, ...r];
}

async function run(plan: RunPlan): Promise<ScaleFigure> {
	const { name, backend } = plan;
	const day = dayOf(plan.org, name, plan.hours, plan.intensity);
	if (day.events.length < plan.preload + plan.rate * plan.seconds) say(`network/${name}: the simulated day has only ${fmt(day.events.length)} events; the run is shorter`);
	const db = backend === 'postgres' ? await freshDb() : null;
	const env = { INGEST_RATE_LIMIT: '0' };
	const first = await launch(backend, { databaseUrl: db?.url, env });
	const servers: Array<{ server: BenchServer; stop: () => Promise<void> }> = [first];
	try {
		const { key, token } = await provision(first.server, plan.org);
		for (let i = 1; i < plan.instances; i++) servers.push(await launch(backend, { databaseUrl: db!.url, env }));
		const lb = plan.instances > 1 ? await balancer(servers.map((s) => s.server.port)) : null;
		const base = lb ? `http://127.0.0.1:${lb.port}` : first.server.url;
		const preloaded = await preload(base, key, day.events.slice(0, plan.preload), name);
		const wsBase = base.replace('http', 'ws');
		const route = plan.byRegion ? instanceByRegion(plan.org, plan.walls, servers.length) : null;
		const wallBase = (i: number) => (route ? servers[route[i]].server.url.replace('http', 'ws') : wsBase);
		const urls = plan.walls.map((s, i) => `${wallBase(i)}/api/v1/stream?token=${encodeURIComponent(token)}${s.kind === 'all' ? '' : `&${s.kind}=${encodeURIComponent(s.code)}`}`);
		say(`network/${name}: connecting ${plan.walls.length} walls (${plan.walls.filter((s) => s.kind === 'center').length} center, ${plan.walls.filter((s) => s.kind !== 'center').length} region)`);
		const walls = await openWalls(urls, name);
		await sleep(2000);
		say(`network/${name}: sending ${fmt(plan.rate)} ev/s for ${plan.seconds} s through ${lb ? `one address over ${plan.instances} instances` : 'the server'}`);
		const live = day.events.slice(plan.preload);
		const liveFrom = Date.now();
		const { sent, posted } = await paced(base, key, live, day.places.slice(plan.preload), plan.rate, plan.seconds, name);
		await sleep(3000);
		const traces = await walls.finish();
		const isCenter = plan.walls.map((s) => s.kind === 'center');
		const centerWalls = latencies(traces.filter((_, i) => isCenter[i]), plan.walls.filter((_, i) => isCenter[i]), sent, day.index);
		const regionScopes = plan.walls.filter((_, i) => !isCenter[i]);
		const regionWalls = regionScopes.length ? latencies(traces.filter((_, i) => !isCenter[i]), regionScopes, sent, day.index) : null;
		const snapshot = plan.snapshotScope ? await snapshotTiming(first.server.url, token, plan.snapshotScope, 20) : null;
		const healths = await Promise.all(servers.map((s) => health(s.server)));
		let startupMs: number | null = null;
		if (plan.restart) {
			const last = servers[servers.length - 1].server;
			await last.stop();
			await last.start();
			startupMs = (last as BenchServer).startupMs;
		}
		const fig: ScaleFigure = {
			name,
			backend,
			instances: plan.instances,
			centers: plan.org.centers.length,
			windows: plan.org.windows.length,
			preloaded,
			eventsPerSec: plan.rate,
			seconds: plan.seconds,
			sent: posted,
			accepted: sent.length,
			centerWalls,
			regionWalls,
			snapshot,
			rssMb: healths.map((h) => h.rssMb ?? NaN),
			loopMaxMs: healths.map((h) => stallSince(h, liveFrom)),
			startupMs,
			wallSnapshotsResent: traces.reduce((n, t) => n + Math.max(0, t.snapshots - 1), 0)
		};
		say(`network/${name}: ${describe(fig)}`);
		await lb?.close();
		return fig;
	} finally {
		for (const s of servers.reverse()) await s.stop();
		await db?.drop();
	}
}

const lat = (w: WallLatency) => `p50 ${ms(w.p50Ms)} / p99 ${ms(w.p99Ms)} / max ${ms(w.maxMs)} ms (${fmt(w.samples)} deliveries to ${w.walls} walls, ${fmt(w.missed)} missed)`;

export function describe(f: ScaleFigure): string {
	const parts = [`center walls ${lat(f.centerWalls)}`];
	if (f.regionWalls) parts.push(`region walls ${lat(f.regionWalls)}`);
	if (f.snapshot) parts.push(`${f.snapshot.scope} snapshot median ${ms(f.snapshot.medianMs)} ms (${f.snapshot.kib.toFixed(0)} KiB)`);
	parts.push(`RSS ${f.rssMb.map((x) => fmt(x)).join('/')} MB, longest loop stall ${f.loopMaxMs.map((x) => ms(x)).join('/')} ms${f.startupMs !== null ? `, restart ${ms(f.startupMs)} ms` : ''}`);
	return parts.join('; ');
}

export interface NetworkOptions {
	quick: boolean;
	/** PostgreSQL available (the province runs on it). */
	postgres: boolean;
	which?: Array<ScaleFigure['name']>;
}

export async function benchNetwork(opts: NetworkOptions): Promise<ScaleFigure[]> {
	const q = opts.quick;
	const which = opts.which ?? ['prefecture', 'center', 'province', 'province-routed'];
	const out: ScaleFigure[] = [];
	if (which.includes('prefecture')) {
		const org = networkOrg(PRESETS.prefecture);
		out.push(await run({ name: 'prefecture', backend: 'pglite', instances: 1, org, hours: 4, preload: q ? 20_000 : 92_000, walls: wallScopes(org, 100, 20), rate: 200, seconds: q ? 15 : 60, snapshotScope: { kind: 'region', code: org.regions[0].code }, restart: false }));
	}
	if (which.includes('center')) {
		const org = demoOrg();
		const walls = Array.from({ length: q ? 300 : 1000 }, (): Scope => ({ kind: 'center', code: org.centers[0].code }));
		out.push(await run({ name: 'center', backend: 'pglite', instances: 1, org, hours: 10, intensity: 10, preload: 5_000, walls, rate: 1000, seconds: q ? 10 : 30, snapshotScope: null, restart: false }));
	}
	if (which.includes('province')) {
		if (!opts.postgres) say('network/province: skipped (needs PostgreSQL: set TEST_DATABASE_URL or DATABASE_URL)');
		else {
			const org = networkOrg(PRESETS.province);
			out.push(await run({ name: 'province', backend: 'postgres', instances: 3, org, hours: q ? 0.5 : 1.5, preload: q ? 50_000 : 300_000, walls: wallScopes(org, q ? 300 : 863, 137), rate: 1000, seconds: q ? 20 : 75, snapshotScope: { kind: 'region', code: org.regions[0].code }, restart: true }));
		}
	}
	if (which.includes('province-routed')) {
		if (!opts.postgres) say('network/province-routed: skipped (needs PostgreSQL: set TEST_DATABASE_URL or DATABASE_URL)');
		else {
			const org = networkOrg(PRESETS.province);
			out.push(await run({ name: 'province-routed', backend: 'postgres', instances: 3, org, hours: q ? 0.5 : 1.5, preload: q ? 50_000 : 300_000, walls: wallScopes(org, q ? 300 : 863, 137), rate: 1000, seconds: q ? 20 : 75, snapshotScope: { kind: 'region', code: org.regions[0].code }, restart: false, byRegion: true }));
		}
	}
	return out;
}

