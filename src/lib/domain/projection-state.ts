/**
 * The live state: the slices the subdomains own (src/lib/domain/evolve/), composed into one
 * object whose maps are listed once, in STATE_MAPS. `createState`, the checkpoints and `prune`
 * all go through that list, and LiveState's type is derived from it, so a map is added in one
 * place: its slice's definitions.
 */
import { alertMaps } from './evolve/alerts';
import { cardMaps } from './evolve/cards';
import { caseMaps } from './evolve/cases';
import { countMaps, type CountSlice } from './evolve/count';
import { hotlineMaps } from './evolve/hotline';
import { indicatorMaps } from './evolve/indicators';
import { presenceMaps } from './evolve/presence';
import { queueMaps } from './evolve/queue';
import type { MapDef, SliceOf } from './evolve/slice';

/** Every map of the live state, by slice. */
export const STATE_MAPS = { ...countMaps, ...queueMaps, ...presenceMaps, ...cardMaps, ...caseMaps, ...hotlineMaps, ...indicatorMaps, ...alertMaps };

export type MapName = keyof typeof STATE_MAPS;

/** Everything the snapshot needs, and nothing that grows with history. */
export interface LiveState extends SliceOf<typeof STATE_MAPS>, Pick<CountSlice, 'dirty' | 'touched'> {
	/** Last applied sequence number. */
	seq: number;
}

/** STATE_MAPS as a list, for the loops over every map. */
export const MAP_DEFS = Object.entries(STATE_MAPS) as Array<[MapName, MapDef<unknown>]>;

/** One map of the state, by name, for those loops. */
export const mapOf = (state: LiveState, name: MapName) => state[name] as Map<string, unknown>;

export function createState(trackDirty = true): LiveState {
	const state: Record<string, unknown> = { seq: 0, dirty: trackDirty ? new Map() : null };
	for (const [name, def] of MAP_DEFS) state[name] = def.create();
	return state as unknown as LiveState;
}
