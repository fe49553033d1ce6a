/**
 * The incremental figures (figures.ts) against the figures from scratch, after every batch of
 * a simulated network's day: a cache kept across batches, invalidated only by what the reducer
 * touched and by time, must give exactly what a fresh computation gives, for every scope.
 */
import { describe, expect, it } from 'vitest';
import { parseEvent } from './catalog';
import { LiveFigures, mergeTop } from './figures';
import { OrgIndex } from './org';
import { apply, createState, dueDerivedEvents, type PlacedEvent } from './projection';
import { buildSnapshot, type Scope } from './snapshot';
import { networkOrg, NetworkSimulator } from '../server/sim/network';

const DAY_START = Date.parse('2026-11-23T00:00:00+08:00');

function* simulatedBatches(centers: number, hours: number, batch: number): Generator<{ events: PlacedEvent[]; at: number; org: OrgIndex }> {
	const data = networkOrg({ centers, windowsPerCenter: 6, cities: 2, counties: 4 });
	const org = new OrgIndex(data);
	const sim = new NetworkSimulator({ org: data, seed: 3, intensity: 2 });
	const raws = sim.eventsBetween(DAY_START + 7 * 3_600_000, DAY_START + (7 + hours) * 3_600_000);
	let seq = 0;
	for (let i = 0; i < raws.length; i += batch) {
		const events: PlacedEvent[] = [];
		for (const raw of raws.slice(i, i + batch)) {
			const r = parseEvent(raw, { now: Date.parse(raw.occurredAt) + 1000 });
			if (!r.ok) throw new Error(r.error);
			events.push({ ...r.event, seq: ++seq, at: Date.parse(r.event.occurredAt), sender: 'sim', place: org.place(r.event) } as PlacedEvent);
		}
		yield { events, at: events[events.length - 1].at, org };
	}
}

describe('LiveFigures', () => {
	it('equals the figures from scratch for every scope after every batch of a network’s morning', () => {
		const state = createState(false);
		let org: OrgIndex | null = null;
		const live = new LiveFigures({ state: () => state, org: () => org! });
		let checked = 0;
		let n = 0;
		for (const b of simulatedBatches(30, 5, 400)) {
			org = b.org;
			for (const e of b.events) apply(state, e);
			// The deadline judge's own events too (missed checks, overdue items), at the batch's time.
			let seq = state.seq;
			const derived = dueDerivedEvents(state, b.at).map((d) => ({ ...d, seq: ++seq, at: Date.parse(d.occurredAt), sender: 'system', place: org!.place(d as never) }) as PlacedEvent);
			for (const e of derived) apply(state, e);
			live.applied([...b.events, ...derived]);
			if (n++ % 5) continue;
			const scopes: Scope[] = [{ kind: 'all' }, ...[...org.regions.keys()].map((code): Scope => ({ kind: 'region', code })), ...[...org.centers.keys()].filter((_, i) => i % 3 === 0).map((code): Scope => ({ kind: 'center', code }))];
			// Some time later too: deadlines pass with no event.
			for (const now of [b.at + 1000, b.at + 150_000]) {
				for (const scope of scopes) {
					const fresh = buildSnapshot(state, org, scope, { now });
					expect(live.snapshot(scope, now), `${JSON.stringify(scope)} at ${new Date(now).toISOString()}`).toEqual(fresh);
					checked++;
				}
			}
		}
		expect(checked).toBeGreaterThan(100);
	});

	it('says which homes changed, and everything after a new state', () => {
		const state = createState(false);
		const org = new OrgIndex(networkOrg({ centers: 4, windowsPerCenter: 2, cities: 0, counties: 2 }));
		const live = new LiveFigures({ state: () => state, org: () => org });
		expect(live.takeChanged(0)).toBe('all');
		expect(live.takeChanged(0)).toEqual(new Set());
		const center = [...org.centers.keys()][1];
		const w = org.windowsOf(center)[0];
		apply(state, { seq: 1, id: 'w1', type: 'window.status_changed', occurredAt: '2026-11-23T09:00:00+08:00', at: Date.parse('2026-11-23T09:00:00+08:00'), sender: 's', data: { windowCode: w.code, status: 'open' }, place: org.place({ type: 'window.status_changed', data: { windowCode: w.code } } as never) } as PlacedEvent);
		expect(live.takeChanged(Date.parse('2026-11-23T09:00:01+08:00'))).toEqual(new Set([`center|${center}`]));
	});
});

describe('mergeTop', () => {
	it('gives what sorting all the lists and keeping the first cap would', () => {
		let seed = 42;
		const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
		const cmp = (a: { v: number; ord: number }, b: { v: number; ord: number }) => b.v - a.v || a.ord - b.ord;
		let ord = 0;
		for (let round = 0; round < 200; round++) {
			const lists = Array.from({ length: rand(6) }, () => Array.from({ length: rand(8) }, () => ({ v: rand(5), ord: ord++ })).sort(cmp));
			const cap = [0, 1, 3, 10, Infinity][rand(5)];
			expect(mergeTop(lists, cmp, cap)).toEqual(lists.flat().sort(cmp).slice(0, cap));
		}
	});
});
