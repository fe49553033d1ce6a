/**
 * The slice every subdomain counts into: the additive rollup buckets (with the writer's dirty
 * deltas) and the overdue gauges per home, and the helpers that write them.
 */
import { addInto, compact, emptyCounters, type Counters } from '../counters';
import { bucketKey, homeKey, homeOf, parseHomeKey, periodOf, type BucketKey, type HomeKey, type ScopeKind } from '../keys';
import type { EventPlace } from '../org';
import { monthOfDay } from '../time';
import { entries, type MapDef, type SliceOf } from './slice';

export interface Gauges {
	casesOverdueOpen: number;
	hotlineOverdueOpen: number;
}

/** Keep only the counters that are not zero; a bucket is mostly zeros (a checkpoint 5× smaller). */
const bucketDef: MapDef<Counters> = {
	...entries<Counters>((_, key, h) => {
		const period = periodOf(key);
		return period.length === 10 ? period >= h.oldestDay : period >= h.oldestMonth;
	}),
	save: (map) => Array.from(map, ([k, c]) => [k, compact(c)]),
	load: (raw) => new Map(((raw ?? []) as Array<[string, Partial<Counters>]>).map(([k, c]) => [k, addInto(emptyCounters(), c)]))
};

export const countMaps = {
	/** Rollup buckets kept in memory (current and recent periods). */
	buckets: bucketDef,
	/** home → open cases and hotline tickets past due (gauges, not counters: they go down again). */
	gauges: entries<Gauges>()
};

export interface CountSlice extends SliceOf<typeof countMaps> {
	/** Additive changes not yet flushed to the rollup tables (only tracked by the writer). */
	dirty: Map<BucketKey, Partial<Counters>> | null;
	/**
	 * Homes whose figures an applied event changed (its own, and those of the items it counted
	 * at: a revoked card's, a closed ticket's), with the departments and windows whose buckets
	 * it counted into, when someone keeps figures incrementally (figures.ts sets it and takes
	 * it). Not stored in checkpoints.
	 */
	touched?: Set<HomeKey> | null;
}

export function bump(state: CountSlice, key: BucketKey, delta: Partial<Counters>): void {
	let b = state.buckets.get(key);
	if (!b) state.buckets.set(key, (b = emptyCounters()));
	addInto(b, delta);
	if (state.dirty) {
		const d = state.dirty.get(key);
		if (d) addInto(d as Counters, delta);
		else state.dirty.set(key, { ...delta });
	}
}

/**
 * Add `delta` to the day and month buckets of every scope the place belongs to: its home, then
 * its department and window (this order is the buckets' order in a checkpoint). Per event on
 * the hot path: no arrays or objects built beyond the keys.
 */
export function count(state: CountSlice, place: EventPlace, day: string, delta: Partial<Counters>): void {
	const month = monthOfDay(day);
	const h = homeOf(place);
	const touched = state.touched;
	if (touched) {
		// A department's and a window's buckets show where they work: figures.ts maps them to their center.
		touched.add(homeKey(h.kind, h.code));
		if (place.departmentCode) touched.add(homeKey('department', place.departmentCode));
		if (place.windowCode) touched.add(homeKey('window', place.windowCode));
	}
	bumpBoth(state, h.kind, h.code, day, month, delta);
	if (place.departmentCode) bumpBoth(state, 'department', place.departmentCode, day, month, delta);
	if (place.windowCode) bumpBoth(state, 'window', place.windowCode, day, month, delta);
}

function bumpBoth(state: CountSlice, kind: ScopeKind, code: string, day: string, month: string, delta: Partial<Counters>): void {
	bump(state, bucketKey(kind, code, day), delta);
	bump(state, bucketKey(kind, code, month), delta);
}

export function gauge(state: CountSlice, home: HomeKey): Gauges {
	state.touched?.add(home);
	let g = state.gauges.get(home);
	if (!g) state.gauges.set(home, (g = { casesOverdueOpen: 0, hotlineOverdueOpen: 0 }));
	return g;
}

/** The place an item kept in the state counts at: its home, with the parts of `base` it recorded. */
export function placeOfHome(home: HomeKey, base?: Partial<EventPlace>): EventPlace {
	const { kind, code } = parseHomeKey(home);
	return {
		centerCode: kind === 'center' ? code : null,
		regionCode: kind === 'region' ? code : null,
		departmentCode: null,
		windowCode: null,
		staffCode: null,
		...base
	};
}

/** Whole seconds from `from` to `at`, never negative (waits and service times). */
export const secondsSince = (from: number, at: number): number => Math.max(0, Math.round((at - from) / 1000));
