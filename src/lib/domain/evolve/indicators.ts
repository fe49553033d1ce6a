/**
 * Regional indicators (进一网, 网上办, 进一门, 最多跑一次 …) reported by the provincial platform
 * per region and month. The latest report of a (indicator, period, region) wins; nothing is
 * counted, and nothing is pruned (a few values per region and month).
 */
import { exhaustive, type EventsOf, type MapDef, type SliceOf } from './slice';

type ByPeriod = Map<string, Map<string, number>>;

type Stored = Array<[string, Array<[string, Array<[string, number]>]>]>;

/** Stored as nested entries. Every checkpoint has had it: one without it is refused (a TypeError). */
const nestedEntries: MapDef<ByPeriod> = {
	create: () => new Map(),
	save: (map) => [...map].map(([ind, periods]) => [ind, [...periods].map(([p, regions]) => [p, [...regions]])]),
	load: (raw) => new Map((raw as Stored).map(([ind, periods]) => [ind, new Map(periods.map(([p, regions]) => [p, new Map(regions)]))]))
};

export const indicatorMaps = {
	/** indicator → period → regionCode → value */
	indicators: nestedEntries
};

export type IndicatorSlice = SliceOf<typeof indicatorMaps>;

export type IndicatorEvent = EventsOf<'indicator'>;

export function evolveIndicators(state: IndicatorSlice, e: IndicatorEvent): void {
	switch (e.type) {
		case 'indicator.reported': {
			const d = e.data;
			let byPeriod = state.indicators.get(d.indicator);
			if (!byPeriod) state.indicators.set(d.indicator, (byPeriod = new Map()));
			let byRegion = byPeriod.get(d.period);
			if (!byRegion) byPeriod.set(d.period, (byRegion = new Map()));
			byRegion.set(d.regionCode, d.value);
			return;
		}
		default:
			return exhaustive(e.type); // one type: the type narrows to never, the event (not a union) does not
	}
}
