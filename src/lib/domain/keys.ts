/**
 * The string keys of the live state and the rollups, built and taken apart in one place.
 *
 * - a *home* (`center|PJ-001`, `region|XLT`, `all|`) is the scope an event's counters accrue
 *   to: its center, else its region, else the deployment;
 * - a *bucket* (`center|PJ-001|2026-11-23`, `department|GSJ|2026-11`) is a scope × period of the
 *   rollups, period `YYYY-MM-DD` (day) or `YYYY-MM` (month);
 * - an *hourly* key (`center|PJ-001|2026-11-23`) is a home × day of the tickets-per-hour chart;
 * - a *ticket* key (`PJ-001|A023`) names a queue ticket: ticket numbers repeat across centers.
 *
 * Org codes never contain `|` (`[A-Za-z0-9._-]`, see org.ts, and every code an event names is
 * checked against the org at ingest), so a home splits at its first `|` and the last part of a
 * bucket or hourly key is its period. Ticket numbers are free text: they come last.
 */
import type { EventPlace } from './org';

export type ScopeKind = 'center' | 'region' | 'all' | 'department' | 'window';

/** The kinds of scope an event's home can be. */
export type HomeKind = 'center' | 'region' | 'all';

/** `kind|code` of a home. */
export type HomeKey = string;

/** A rollup bucket key: `kind|code|period`, period `YYYY-MM-DD` (day) or `YYYY-MM` (month). */
export type BucketKey = string;

export const homeKey = (kind: ScopeKind, code: string): HomeKey => `${kind}|${code}`;

/** The scope whose counters an event feeds: its center, else its region, else the deployment. */
export function homeOf(place: EventPlace): { kind: HomeKind; code: string } {
	if (place.centerCode) return { kind: 'center', code: place.centerCode };
	if (place.regionCode) return { kind: 'region', code: place.regionCode };
	return { kind: 'all', code: '' };
}

/** The home key of a place (`homeKey(homeOf(place))`). */
export function homeKeyOf(place: EventPlace): HomeKey {
	if (place.centerCode) return `center|${place.centerCode}`;
	if (place.regionCode) return `region|${place.regionCode}`;
	return 'all|';
}

export function parseHomeKey(home: HomeKey): { kind: HomeKind; code: string } {
	const bar = home.indexOf('|');
	return { kind: home.slice(0, bar) as HomeKind, code: home.slice(bar + 1) };
}

/** The center of a home, or null for a region's or the deployment's. */
export const centerOfHome = (home: HomeKey): string | null => (home.startsWith('center|') ? home.slice(7) : null);

export const bucketKey = (kind: ScopeKind, code: string, period: string): BucketKey => `${kind}|${code}|${period}`;

export function parseBucketKey(key: BucketKey): { kind: ScopeKind; code: string; period: string } {
	const [kind, code, period] = key.split('|');
	return { kind: kind as ScopeKind, code, period };
}

/** The period (day or month) of a bucket key, or the day of an hourly key. */
export const periodOf = (key: string): string => key.slice(key.lastIndexOf('|') + 1);

/** Tickets per hour of a home on a day: `kind|code|day`. */
export const hourlyKey = (home: HomeKey, day: string): string => `${home}|${day}`;

export const ticketKey = (centerCode: string, ticketNo: string): string => `${centerCode}|${ticketNo}`;

/** What every ticket key of a center starts with; the ticket number follows it. */
export const ticketKeyPrefix = (centerCode: string): string => `${centerCode}|`;
