/**
 * What every subdomain of the reducer is made of: the events it evolves on (a family of the
 * catalog's types) and the maps of the live state it owns (its slice), each map defined once —
 * how it is created, stored in a checkpoint, loaded and pruned.
 */
import type { LoggedEvent } from '../catalog';
import type { EventPlace } from '../org';

/** A committed event with the place the ingest resolved for it. */
export type PlacedEvent = LoggedEvent & { place: EventPlace };

/** The family of an event type: `queue` of `queue.ticket_issued`. */
export type FamilyOf<T extends string> = T extends `${infer F}.${string}` ? F : never;

/**
 * The placed events of the catalog's families `F` (`'queue'`: every `queue.*` type). Derived
 * from the catalog, never listed by hand: a type added there joins its family's union, and the
 * family's evolve function stops compiling until it has a case for it (see `exhaustive`).
 */
export type EventsOf<F extends string> = Extract<PlacedEvent, { type: `${F}.${string}` }>;

/**
 * The `default:` of an evolve function's switch over `e.type`: what is left there, `e` (or
 * `e.type` for a family of one type), is `never` once every type has its case, so a type
 * without one fails to compile, named in the error. Not reached at run time (`apply`
 * dispatches catalog types only); it does nothing, as the single reducer did with a type it
 * did not know.
 */
export function exhaustive(left: never): void {
	void left;
}

/** What `prune` measures age against, computed once per prune from today. */
export interface Horizon {
	yesterday: string;
	dayBeforeYesterday: string;
	/** The oldest day whose day buckets are kept (`keepDays` before today). */
	oldestDay: string;
	/** Closed hotline tickets are kept this long after their closure (a callback may come weeks later). */
	oldestClosure: string;
	/** The oldest month whose month buckets (and cards) are kept (`YYYY-MM`). */
	oldestMonth: string;
}

/** One map of the live state, keyed by string. Methods (not function properties), so any MapDef<V> is a MapDef<unknown>. */
export interface MapDef<V> {
	create(): Map<string, V>;
	/** The JSON a checkpoint stores. */
	save(map: Map<string, V>): unknown;
	/** Back from what `save` stored (undefined: a checkpoint from before the map existed). */
	load(raw: unknown): Map<string, V>;
	/** Whether `prune` keeps an entry; without it the map is never pruned. */
	keep?(value: V, key: string, h: Horizon): boolean;
}

/** A map stored as its entries (`[[key, value], …]`), empty when the checkpoint lacks it. */
export function entries<V>(keep?: (value: V, key: string, h: Horizon) => boolean): MapDef<V> {
	return {
		create: () => new Map(),
		save: (map) => [...map],
		load: (raw) => new Map((raw ?? []) as Array<[string, V]>),
		...(keep ? { keep } : {})
	};
}

/** The state a set of map definitions makes: `{ windows: entries<WindowState>() }` → `{ windows: Map<string, WindowState> }`. */
export type SliceOf<D> = { [K in keyof D]: D[K] extends MapDef<infer V> ? Map<string, V> : never };
