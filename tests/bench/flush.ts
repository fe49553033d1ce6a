/**
 * The live figures' flush at network size: `npx tsx tests/bench/flush.ts [--preset province|prefecture]
 * [--per 100] [--minutes 30] [--walls 1000] [--day 2026-12-02]
 * [--profile FILE.cpuprofile]`.
 *
 * What one instance does every STREAM_FLUSH_MS while a network's walls are connected, without the
 * sockets: a simulated morning of the network (NetworkSimulator, the `npm run simulate` presets) is
 * (up to 10:30 of `--day`, a working day) validated and placed as ingest does and applied to a state; then the last 30 000 events are applied
 * `--per` at a time (100 = 1 000 ev/s flushed every 100 ms) and after each step every wall group
 * whose homes changed gets a fresh snapshot, diffed against its last one as the hub does. The walls
 * are one center wall for every third center (up to `--walls` minus the regions) and every region's.
 * Prints the flush time (median, p99, max), the apply time, how many groups a flush touches, the
 * patch bytes, GC time per flush by kind, and the CPU time per step (apply + flush; wall-clock figures
 * stretch when other processes share the cores, CPU time much less). Pure CPU: no database, no server. `--profile` writes a
 * CPU profile of the flush loop alone (open it in Chrome's DevTools or VS Code).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseEvent } from '../../src/lib/domain/catalog';
import { LiveFigures, NO_CENTER_DEPARTMENTS } from '../../src/lib/domain/figures';
import { homeKey } from '../../src/lib/domain/keys';
import { OrgIndex } from '../../src/lib/domain/org';
import { apply, type PlacedEvent } from '../../src/lib/domain/projection';
import { createState } from '../../src/lib/domain/projection-state';
import { homesOf, type Scope } from '../../src/lib/domain/snapshot';
import { diffFigures } from '../../src/lib/server/live/hub';
import { networkOrg, NetworkSimulator, PRESETS } from '../../src/lib/server/sim/network';

function option(name: string, fallback: string): string {
	const i = process.argv.indexOf(name);
	return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
}
function count(name: string, fallback: number): number {
	const n = Number(option(name, String(fallback)));
	if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive whole number, got "${option(name, '')}"`);
	return n;
}

const presetName = option('--preset', 'province');
if (!(presetName in PRESETS)) throw new Error(`--preset: unknown preset "${presetName}" (expected ${Object.keys(PRESETS).join(', ')})`);
const per = count('--per', 100);
const minutes = count('--minutes', 30);
const wallLimit = count('--walls', 1000);
const TAIL = 30_000;

const org = networkOrg(PRESETS[presetName as keyof typeof PRESETS]);
const index = new OrgIndex(org);
const day = option('--day', '2026-12-02');
if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`--day: expected YYYY-MM-DD, got "${day}"`);
const end = Date.parse(`${day}T10:30:00+08:00`);
let t0 = performance.now();
const raw = new NetworkSimulator({ org, seed: 7, idPrefix: 'b' }).eventsBetween(end - minutes * 60_000, end);
console.log(`${presetName}: ${org.centers.length} centers, ${org.regions.length} regions; ${raw.length} events of ${minutes} min simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (raw.length <= TAIL) throw new Error(`--minutes: ${raw.length} events is not more than the ${TAIL} flushed; simulate more minutes`);

let seq = 0;
const placed: PlacedEvent[] = raw.map((e) => {
	const p = parseEvent(e, { now: end + 60_000 });
	if (!p.ok) throw new Error(p.error);
	return { ...p.event, seq: ++seq, sender: 'bench', at: Date.parse(p.event.occurredAt), place: index.place(p.event) } as PlacedEvent;
});
const state = createState(true);
const first = placed.length - TAIL;
for (let i = 0; i < first; i++) apply(state, placed[i]);
let clock = placed[first - 1].at;
const figures = new LiveFigures({ state: () => state, org: () => index });

const scopes: Scope[] = [];
const centerWalls = Math.max(0, wallLimit - org.regions.length);
for (let i = 0; i < org.centers.length && scopes.length < centerWalls; i += 3) scopes.push({ kind: 'center', code: org.centers[i].code });
for (const r of org.regions) scopes.push({ kind: 'region', code: r.code });
type Group = { scope: Scope; figures: unknown; dirty: boolean };
const groups: Group[] = scopes.map((scope) => ({ scope, figures: null, dirty: true }));
const byHome = new Map<string, Group[]>();
for (const g of groups) {
	const homes = new Set(homesOf(g.scope, index).map((h) => homeKey(h.kind, h.code)));
	if (g.scope.kind !== 'center') homes.add(NO_CENTER_DEPARTMENTS);
	for (const h of homes) (byHome.get(h) ?? byHome.set(h, []).get(h)!).push(g);
}
const strip = (s: ReturnType<LiveFigures['snapshot']>) => {
	const { seq: _seq, asOf: _asOf, ...f } = s;
	return f;
};
t0 = performance.now();
for (const g of groups) g.figures = strip(figures.snapshot(g.scope, clock));
figures.takeChanged(clock);
console.log(`first snapshots of ${groups.length} walls (${groups.length - org.regions.length} centers, ${org.regions.length} regions): ${(performance.now() - t0).toFixed(0)} ms`);

const gc: Record<string, number> = {};
let counting = false;
new PerformanceObserver((list) => {
	if (counting) for (const e of list.getEntries()) {
		const kind = String((e as { detail?: { kind?: number } }).detail?.kind ?? '?');
		gc[kind] = (gc[kind] ?? 0) + e.duration;
	}
}).observe({ entryTypes: ['gc'] });

const flushMs: number[] = [];
const applyMs: number[] = [];
let bytes = 0;
let touched = 0;
const profile = option('--profile', '');
const inspector = profile ? new Session() : null;
if (inspector) {
	inspector.connect();
	await inspector.post('Profiler.enable');
	await inspector.post('Profiler.start');
}
counting = true;
const loopStart = performance.now();
const cpuStart = process.cpuUsage();
for (let i = first; i + per <= placed.length; i += per) {
	let a = performance.now();
	const batch = placed.slice(i, i + per);
	for (const e of batch) apply(state, e);
	clock = Math.max(clock, batch[batch.length - 1].at);
	figures.applied(batch);
	applyMs.push(performance.now() - a);
	a = performance.now();
	const changed = figures.takeChanged(clock);
	if (changed === 'all') for (const g of groups) g.dirty = true;
	else for (const h of changed) for (const g of byHome.get(h) ?? []) g.dirty = true;
	for (const g of groups) {
		if (!g.dirty) continue;
		g.dirty = false;
		touched++;
		const next = strip(figures.snapshot(g.scope, clock));
		const patch = diffFigures(g.figures as never, next as never);
		g.figures = next;
		if (patch) bytes += JSON.stringify(patch).length;
	}
	flushMs.push(performance.now() - a);
}
const cpu = process.cpuUsage(cpuStart);
await new Promise((resolve) => setTimeout(resolve, 50)); // the GC entries of the loop arrive after it
counting = false;
if (inspector) {
	const { profile: p } = await inspector.post('Profiler.stop');
	fs.writeFileSync(profile, JSON.stringify(p));
	console.log(`CPU profile of the loop: ${profile}`);
}
const flushes = flushMs.length;
const loopMs = (performance.now() - loopStart) / flushes;
const q = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) * p)].toFixed(1);
const kinds: Record<string, string> = { '1': 'minor', '2': 'major', '4': 'incremental', '8': 'weakcb' };
console.log(
	`${flushes} flushes of ${per} events: flush median ${q(flushMs, 0.5)} ms, p99 ${q(flushMs, 0.99)}, max ${q(flushMs, 1)}; apply median ${q(applyMs, 0.5)} ms; ` +
		`${(touched / flushes).toFixed(0)} walls refreshed and ${(bytes / 1024 / flushes).toFixed(0)} KiB of patches per flush; ${loopMs.toFixed(1)} ms per step in all, ${((cpu.user + cpu.system) / 1000 / flushes).toFixed(1)} ms of CPU (the figure to compare on a busy machine)`
);
console.log(`GC per flush: ${Object.entries(gc).map(([k, v]) => `${kinds[k] ?? k} ${(v / flushes).toFixed(1)} ms`).join(', ')}; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
