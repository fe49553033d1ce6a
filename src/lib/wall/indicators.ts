/** The regional indicators in their display order: every key of the catalog's INDICATORS (type-checked). */
import type { INDICATORS } from '$lib/domain/catalog';

type IndicatorKey = keyof typeof INDICATORS;
const ORDER = ['online_entry_rate', 'online_handling_rate', 'one_door_rate', 'max_one_trip_rate'] as const satisfies readonly IndicatorKey[];
const _all: Exclude<IndicatorKey, (typeof ORDER)[number]> extends never ? true : never = true;
void _all;

export const INDICATOR_ORDER: string[] = [...ORDER];
