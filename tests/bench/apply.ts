/**
 * Reducer throughput: `npx tsx tests/bench/apply.ts [--events 200000] [--runs 5] [--baseline REV]`.
 *
 * Builds a fixed list of placed events once: DaySimulator days of the demo center, validated and
 * placed as ingest does, with the derived events (missed checks, deadline warnings, overdue cases
 * and tickets) the deadline judge would add, judged once per simulated minute. Then applies the
 * whole list to a fresh state (dirty tracking on, as on the writer) `runs` times after one warm-up
 * and prints the median events/s. Pure CPU: no database, no server.
 *
 * Also prints a hash of the event list and of the final state's content (the checkpoint without
 * its version header, maps in name order), so two versions of the reducer can be compared on the same events.
 * `--baseline REV` does that in one process: it extracts `src/lib/domain` of git revision REV
 * into `.tmp/` and alternates runs of REV's reducer and this tree's on the same list (fair on a
 * shared, noisy machine), printing both medians and whether the final states agree.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseEvent, type HallEvent } from '../../src/lib/domain/catalog';
import { OrgIndex } from '../../src/lib/domain/org';
import { apply, createState, dueDerivedEvents, serializeState, type ApplyContext, type PlacedEvent } from '../../src/lib/domain/projection';
import { demoOrg } from '../../src/lib/server/sim/demo-org';
import { DaySimulator } from '../../src/lib/server/sim/simulator';

function option(name: string, fallback: number): number {
	const i = process.argv.indexOf(name);
	if (i < 0) return fallback;
	const n = Number(process.argv[i + 1]);
	if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, found ${process.argv[i + 1]}`);
	return n;
}

const EVENTS = option('--events', 200_000);
const BASELINE = process.argv.includes('--baseline') ? process.argv[process.argv.indexOf('--baseline') + 1] : null;
const RUNS = option('--runs', 5);
const DAY = 86_400_000;
const END = Date.parse('2026-11-30T00:00:00+08:00');

const org = new OrgIndex(demoOrg());
const ctx: ApplyContext = { tzOf: (c) => org.timezoneOf(c) };

function place(raw: unknown, seq: number, sender: string): PlacedEvent | null {
	const p = parseEvent(raw, { now: END + DAY, allowSystem: true });
	if (!p.ok || org.checkRefs(p.event)) return null;
	return { ...(p.event as HallEvent), seq, sender, at: Date.parse(p.event.occurredAt), place: org.place(p.event) } as PlacedEvent;
}

/** The simulator's events plus what the deadline judge derives, in apply order. */
function buildEvents(n: number): PlacedEvent[] {
	const sim = new DaySimulator({ org: demoOrg(), seed: 7, idPrefix: 'bench' });
	const state = createState(false);
	const out: PlacedEvent[] = [];
	const add = (e: PlacedEvent | null) => {
		if (!e) return;
		out.push(e);
		apply(state, e, ctx);
	};
	let judgedAt = 0;
	for (let t = END - Math.ceil(n / 8000 + 1) * DAY; t < END && out.length < n; t += DAY) {
		for (const raw of sim.eventsBetween(t, t + DAY)) {
			const e = place(raw, out.length + 1, 'bench');
			if (!e) continue;
			if (e.at - judgedAt >= 60_000) {
				judgedAt = e.at;
				for (const d of dueDerivedEvents(state, e.at)) if (out.length < n) add(place(d, out.length + 1, 'system'));
			}
			if (out.length >= n) break;
			add({ ...e, seq: out.length + 1 });
		}
	}
	return out;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

function stateContent(json: string): string {
	const { v: _v, ruleCardCounters: _r, ...rest } = JSON.parse(json) as Record<string, unknown>;
	return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
}

const t0 = performance.now();
const events = buildEvents(EVENTS);
const types = new Set(events.map((e) => e.type));
console.log(`${events.length} events (${types.size} types) built in ${Math.round(performance.now() - t0)} ms; list ${sha(JSON.stringify(events))}`);

type Reducer = { name: string; apply: typeof apply; createState: typeof createState; serializeState: typeof serializeState };
const reducers: Reducer[] = [{ name: 'this tree', apply, createState, serializeState }];
if (BASELINE) {
	const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
	const dir = path.join(root, '.tmp', `bench-${BASELINE.replace(/[^A-Za-z0-9._-]/g, '_')}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	execFileSync('sh', ['-c', `git -C "${root}" archive "${BASELINE}" src/lib/domain | tar -x -C "${dir}"`]);
	const old = (await import(path.join(dir, 'src/lib/domain/projection.ts'))) as typeof import('../../src/lib/domain/projection');
	reducers.unshift({ name: BASELINE, apply: old.apply, createState: old.createState, serializeState: old.serializeState });
}

const figures = new Map<Reducer, number[]>(reducers.map((r) => [r, []]));
const content = new Map<Reducer, string>();
for (let run = 0; run <= RUNS; run++)
	for (const r of reducers) {
		const state = r.createState(true);
		const start = performance.now();
		for (let i = 0; i < events.length; i++) r.apply(state, events[i], ctx);
		const ms = performance.now() - start;
		if (run === 0) {
			content.set(r, stateContent(r.serializeState(state)));
			console.log(`${r.name}: warm-up ${Math.round(ms)} ms; state ${sha(content.get(r)!)}`);
			continue;
		}
		figures.get(r)!.push(events.length / (ms / 1000));
		console.log(`${r.name}: run ${run}: ${Math.round(ms)} ms, ${Math.round(events.length / (ms / 1000)).toLocaleString('en')} events/s`);
	}
for (const r of reducers) {
	const f = figures.get(r)!.sort((a, b) => a - b);
	console.log(`${r.name}: median of ${RUNS}: ${Math.round(f[Math.floor(f.length / 2)]).toLocaleString('en')} events/s`);
}
if (reducers.length > 1) console.log(new Set(content.values()).size === 1 ? 'final states agree' : 'FINAL STATES DIFFER');
