/**
 * Soak: /wall at 1920×1080 in real Chromium while events stream in for SOAK_MINUTES (default
 * 10; e.g. SOAK_MINUTES=2 while developing). The browser's JS heap (after a forced GC, via CDP),
 * DOM nodes and event listeners must stay flat.
 *
 * Sender: an accelerated replay of the demo center through the public ingest API, in order, at
 * SOAK_RATE events/s (default 100): the deterministic demo simulator's last days up to now, with
 * the center's zone pinned so that its working day is over (local time ≈ 17:50), so the replay
 * runs through earlier days (window states, month figures, cards, hotline, ticker, yesterday's
 * chart) and ends with today's whole day (every KPI, the hourly chart, presence rounds).
 *
 * Every SOAK_SAMPLE_SEC (default 30) s: a heap snapshot after a forced GC, summarized by
 * constructor (its `code` entries are V8's compiled code), Runtime.getHeapUsage and
 * Performance.getMetrics (Nodes, JSEventListeners), and the layout checks of wall-layout.spec.ts
 * (nothing clipped or overlapping as the figures and lists change). After the warm-up (2 min, or
 * 40 % of a shorter run) least-squares lines through the samples give the heap's growth per hour,
 * with and without compiled code (which grows while the JIT warms up and levels off later), and
 * the census diff from the end of the warm-up to the end says what grew.
 * Fails when the heap without compiled code grows by more than SOAK_MAX_MB_PER_HOUR (default 20)
 * MB/h, the whole heap by more than twice that, or by more than 50 % of the post-warm-up heap
 * over the run, or when DOM nodes or listeners keep growing.
 */
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { startServer, type TestServer } from '../integration/harness';
import { DaySimulator } from '../../src/lib/server/sim/simulator';
import { credentials, demoOrgIn, ensureShotsDir, figuresMatchSnapshot, inspectLayout, localMidnight, postAll, SHOTS, wallUrl, watchErrors, zoneWithLocalHour } from './wall-helpers';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 100);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_SEC ?? 30) * 1000;
const MAX_MB_PER_HOUR = Number(process.env.SOAK_MAX_MB_PER_HOUR ?? 20);
const DURATION_MS = MINUTES * 60_000;
/** Caches, fonts, chart instances and the first data of every panel settle first: 2 min, or 40 % of a short run. */
const WARMUP_MS = Math.min(120_000, DURATION_MS * 0.4);
/** Events of one simulated day of the demo center (intensity 1), to size the replay. */
const EVENTS_PER_DAY = 10_500;
const MB = 1024 * 1024;

let server: TestServer;

test.afterAll(async () => {
	await server?.stop();
});

interface Sample {
	t: number;
	heap: number;
	/** Of `heap`, V8's compiled code (bytecode and machine code): it grows as the JIT warms up. */
	code: number;
	total: number;
	nodes: number;
	listeners: number;
	documents: number;
	sent: number;
}

async function sample(cdp: CDPSession, t0: number, sent: number): Promise<Sample & { census: Census }> {
	// Twice: the first pass can leave garbage reachable only from finalizers/weak callbacks.
	await cdp.send('HeapProfiler.collectGarbage');
	const census = await heapCensus(cdp); // collects garbage again first
	const heap = await cdp.send('Runtime.getHeapUsage');
	const { metrics } = await cdp.send('Performance.getMetrics');
	const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
	const code = census.get('code')?.size ?? 0;
	return { t: Date.now() - t0, heap: heap.usedSize, code, total: heap.totalSize, nodes: m('Nodes'), listeners: m('JSEventListeners'), documents: m('Documents'), sent, census };
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
	const n = xs.length;
	const mx = xs.reduce((a, b) => a + b, 0) / n;
	const my = ys.reduce((a, b) => a + b, 0) / n;
	let num = 0;
	let den = 0;
	for (let i = 0; i < n; i++) {
		num += (xs[i] - mx) * (ys[i] - my);
		den += (xs[i] - mx) ** 2;
	}
	return den === 0 ? 0 : num / den;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Animation frames per second over `ms` (the ticker and count-ups run on rAF). */
async function fps(page: Page, ms = 2000): Promise<number> {
	return page.evaluate(
		(ms) =>
			new Promise<number>((resolve) => {
				let n = 0;
				const start = performance.now();
				const tick = () => {
					n++;
					if (performance.now() - start < ms) requestAnimationFrame(tick);
					else resolve((n * 1000) / (performance.now() - start));
				};
				requestAnimationFrame(tick);
			}),
		ms
	);
}

/** Heap objects by kind and constructor: count and self size (bytes). */
type Census = Map<string, { count: number; size: number }>;

/** A heap snapshot (after a GC), summarized by `type:name` (strings and code lumped by type). */
async function heapCensus(cdp: CDPSession): Promise<Census> {
	const chunks: string[] = [];
	const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
	cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
	try {
		await cdp.send('HeapProfiler.collectGarbage');
		await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	} finally {
		cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
	}
	const snap = JSON.parse(chunks.join('')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
	const fields = snap.snapshot.meta.node_fields;
	const types = snap.snapshot.meta.node_types[0];
	const [TYPE, NAME, SIZE] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
	const census: Census = new Map();
	for (let i = 0; i < snap.nodes.length; i += fields.length) {
		const type = types[snap.nodes[i + TYPE]];
		const key = /string|code|number|bigint|symbol/.test(type) ? type : `${type}:${snap.strings[snap.nodes[i + NAME]].slice(0, 60)}`;
		const c = census.get(key) ?? { count: 0, size: 0 };
		c.count++;
		c.size += snap.nodes[i + SIZE];
		census.set(key, c);
	}
	return census;
}

/** The kinds that grew most (by self size), as "name +KiB (+count)". */
function diffCensus(a: Census, b: Census, top = 12): string[] {
	const rows = [...b].map(([k, v]) => ({ k, size: v.size - (a.get(k)?.size ?? 0), count: v.count - (a.get(k)?.count ?? 0) }));
	return rows
		.filter((r) => r.size > 0)
		.sort((x, y) => y.size - x.size)
		.slice(0, top)
		.map((r) => `${r.k} +${(r.size / 1024).toFixed(0)} KiB (${r.count >= 0 ? '+' : ''}${r.count})`);
}

test(`soak: /wall at 1920×1080 for ${MINUTES} min of streaming events keeps heap, DOM nodes and listeners flat`, async ({ page }) => {
	test.setTimeout(DURATION_MS + 4 * 60_000);
	expect(MINUTES, 'SOAK_MINUTES').toBeGreaterThan(0);
	ensureShotsDir();
	server = await startServer({ backend: 'pglite' });
	const { key, token } = credentials(server);
	const { tz, offsetHours } = zoneWithLocalHour(17.8);
	const org = demoOrgIn(tz);
	const up = await server.post('/api/v1/org', org, key);
	expect(up.status).toBe(200);

	// The replay: enough whole days back that RATE × duration events end at now.
	const now = Date.now() - 2000;
	const days = Math.max(0, Math.ceil((RATE * DURATION_MS) / 1000 / EVENTS_PER_DAY) - 1);
	const from = localMidnight(offsetHours, now) - days * 86_400_000;
	const sim = new DaySimulator({ org, seed: 4242, idPrefix: 'soak', since: from });
	const events = sim.eventsBetween(from, now);
	const rate = events.length / (DURATION_MS / 1000);
	console.log(`[soak] ${MINUTES} min; replaying ${events.length} events (${days} days back + today, center zone ${tz}) at ${rate.toFixed(0)} events/s`);

	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(wallUrl(server, token));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Performance.enable');

	// Sender: paced in order, bounded by the run's duration (and catching up if the server lags).
	let sent = 0;
	let senderError: Error | null = null;
	const t0 = Date.now();
	const stopAt = t0 + DURATION_MS;
	const sender = (async () => {
		while (sent < events.length && Date.now() < stopAt + 30_000) {
			const due = Math.min(events.length, Math.ceil((events.length * (Date.now() - t0)) / DURATION_MS));
			if (due > sent) {
				const batch = events.slice(sent, Math.min(due, sent + 1000));
				await postAll(server, key, batch, Date.now() + 60_000);
				sent += batch.length;
			}
			await new Promise((r) => setTimeout(r, 200));
		}
	})().catch((e: Error) => {
		senderError = e;
	});

	// Sampler; the layout is checked at every sample too, as the data changes (geometry only:
	// figures may rightly be empty while the replay is still days back). The first time a new
	// kind of problem shows, a screenshot is kept (at most 5).
	const samples: Sample[] = [];
	const layoutProblems = new Map<string, string>();
	let shots = 0;
	const checkLayout = async (at: number) => {
		const report = await inspectLayout(page);
		let shot = '';
		for (const p of report.problems) {
			const key = p.replace(/"[^"]*"/g, '""').replace(/[\d.,:–-]+/g, '#');
			if (layoutProblems.has(key)) continue;
			if (!shot && shots < 5) {
				shot = `${SHOTS}/wall-soak-problem-${++shots}.png`;
				await page.screenshot({ path: shot });
			}
			layoutProblems.set(key, `${(at / 60_000).toFixed(1)} min: ${p}${shot ? ` (${shot})` : ''}`);
		}
	};
	let censusStart: Census | null = null;
	let censusEnd: Census | null = null;
	const fpsStart = await fps(page);
	const { census: _first, ...first0 } = await sample(cdp, t0, sent);
	samples.push(first0);
	while (Date.now() < stopAt && !senderError) {
		await page.waitForTimeout(Math.min(SAMPLE_MS, Math.max(0, stopAt - Date.now())));
		const { census, ...s } = await sample(cdp, t0, sent);
		samples.push(s);
		await checkLayout(s.t);
		if (!censusStart && s.t >= WARMUP_MS) censusStart = census;
		censusEnd = census;
		console.log(
			`[soak] ${(s.t / 60_000).toFixed(1)} min: heap ${(s.heap / MB).toFixed(2)} MB (of which compiled code ${(s.code / MB).toFixed(2)}; total ${(s.total / MB).toFixed(1)}), nodes ${s.nodes}, listeners ${s.listeners}, documents ${s.documents}, events sent ${s.sent}/${events.length}`
		);
	}
	await sender;
	if (senderError) throw senderError;
	expect(sent, 'every event was sent').toBe(events.length);
	const fpsEnd = await fps(page);
	// What grew between the end of the warm-up and the end: heap objects by kind and constructor.
	const growth = censusStart && censusEnd ? diffCensus(censusStart, censusEnd) : [];

	// Still live and right after the run.
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live');
	await expect(page.getByTestId('banner-stale')).toHaveCount(0);
	await figuresMatchSnapshot(page, server, token, 'after the soak');
	await page.screenshot({ path: `${SHOTS}/wall-soak-end-1920x1080.png` });

	// The figures.
	const after = samples.filter((s) => s.t >= WARMUP_MS);
	expect(after.length, 'samples after the warm-up').toBeGreaterThanOrEqual(3);
	const heapSlope = slope(
		after.map((s) => s.t),
		after.map((s) => s.heap)
	); // bytes per ms
	const mbPerHour = (heapSlope * 3_600_000) / MB;
	// The same without V8's compiled code: what the wall's data and DOM hold. Code grows while
	// the JIT warms up (new paths as the replay reaches new kinds of data, optimizing tiers) and
	// levels off in longer runs (docs/wall.md, "Soak"); data that grows is a leak.
	const dataMbPerHour =
		(slope(
			after.map((s) => s.t),
			after.map((s) => s.heap - s.code)
		) *
			3_600_000) /
		MB;
	const first = after[0];
	const last = after[after.length - 1];
	const head = after.slice(0, 3);
	const tail = after.slice(-3);
	const nodesStart = median(head.map((s) => s.nodes));
	const nodesEnd = median(tail.map((s) => s.nodes));
	const listenersStart = median(head.map((s) => s.listeners));
	const listenersEnd = median(tail.map((s) => s.listeners));
	const summary = [
		`duration ${MINUTES} min, ${events.length} events at ${rate.toFixed(0)}/s, ${samples.length} samples (warm-up ${(WARMUP_MS / 1000).toFixed(0)} s)`,
		`heap: start ${(samples[0].heap / MB).toFixed(2)} MB, after warm-up ${(first.heap / MB).toFixed(2)} MB, end ${(last.heap / MB).toFixed(2)} MB, max ${(Math.max(...after.map((s) => s.heap)) / MB).toFixed(2)} MB, slope ${mbPerHour.toFixed(2)} MB/h; without compiled code: after warm-up ${((first.heap - first.code) / MB).toFixed(2)} MB, end ${((last.heap - last.code) / MB).toFixed(2)} MB, slope ${dataMbPerHour.toFixed(2)} MB/h`,
		`DOM nodes: start ${samples[0].nodes}, after warm-up ${nodesStart}, end ${nodesEnd}; JS event listeners: start ${samples[0].listeners}, after warm-up ${listenersStart}, end ${listenersEnd}`,
		`animation frames: ${fpsStart.toFixed(0)} fps at the start, ${fpsEnd.toFixed(0)} fps at the end`
	];
	if (growth.length) summary.push(`heap growth after the warm-up by constructor (self size, count): ${growth.join('; ')}`);
	for (const line of summary) console.log(`[soak] ${line}`);
	test.info().annotations.push({ type: 'soak', description: summary.join('; ') });

	// Soft: every figure out of bounds is reported, not only the first.
	expect.soft(dataMbPerHour, `heap growth without compiled code (MB/h) after the warm-up`).toBeLessThan(MAX_MB_PER_HOUR);
	expect.soft(mbPerHour, `heap growth with compiled code (MB/h) after the warm-up`).toBeLessThan(2 * MAX_MB_PER_HOUR);
	expect.soft(last.heap - first.heap, 'heap growth over the run (bytes)').toBeLessThan(0.5 * first.heap);
	expect.soft(nodesEnd, 'DOM nodes do not keep growing').toBeLessThanOrEqual(Math.max(nodesStart * 1.1, nodesStart + 200));
	expect.soft(listenersEnd, 'event listeners do not keep growing').toBeLessThanOrEqual(Math.max(listenersStart * 1.1, listenersStart + 20));
	expect.soft(last.documents, 'no leaked documents').toBeLessThanOrEqual(first.documents);
	expect.soft(fpsEnd, 'animation still runs at the end').toBeGreaterThan(fpsStart * 0.5);
	expect.soft(errors, 'console errors and page errors').toEqual([]);
	expect.soft([...layoutProblems.values()], 'layout problems seen during the soak').toEqual([]);
});
