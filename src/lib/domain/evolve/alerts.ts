/**
 * Alerts (告警, spec §5): what the alert rules raised, as it stands (level, title, who
 * acknowledged it, whether it is resolved), the open alert of each rule key (so a cause is
 * raised once and its next occurrence gets the next id), and the freshness of every sender
 * (`sources`: the last event each external sender sent, for `source_silent`).
 */
import type { EventPlace, OrgIndex } from '../org';
import { homeKeyOf, type HomeKey } from '../keys';
import { entries, exhaustive, type EventsOf, type PlacedEvent, type SliceOf } from './slice';

export type AlertLevel = 'yellow' | 'orange' | 'red';

/** An event behind an alert: by seq where the state knows it, else by the item it made (`cardId`). */
export interface AlertCause {
	type: string;
	seq?: number;
	id?: string;
	cardId?: string;
}

export interface AlertState {
	alertId: string;
	kind: string;
	level: AlertLevel;
	title: string;
	scope: { kind: 'center' | 'region' | 'all'; code: string };
	home: HomeKey;
	place: EventPlace;
	/** The rule key this alert answers (kind and cause), for the judge. */
	key: string;
	raisedAt: number;
	raisedSeq: number;
	day: string;
	value: number | null;
	threshold: number | null;
	causes: AlertCause[];
	/** How many `alert.updated` it had (the next update's id). */
	updates: number;
	updatedAt: number | null;
	ackedAt: number | null;
	ackedBy: string | null;
	ackNote: string | null;
	resolvedAt: number | null;
	resolvedDay: string | null;
	resolvedBy: string | null;
	resolveNote: string | null;
}

/** A rule key: its open alert (null once resolved) and how many it raised, for the next id. */
export interface AlertKeyState {
	open: string | null;
	raised: number;
	lastDay: string;
}

/** An external sender: when it last sent, and where (its latest event's place). */
export interface SourceState {
	lastEventAt: number;
	lastSeq: number;
	centerCode: string | null;
	regionCode: string | null;
}

export const alertMaps = {
	/** alertId → the alert, open ones always, resolved ones for `KEEP_DAYS` after resolution. */
	alerts: entries<AlertState>((a, _, h) => a.resolvedDay == null || a.resolvedDay >= h.oldestDay),
	/** rule key → its open alert and count (kept while open or used this past month). */
	alertKeys: entries<AlertKeyState>((k, _, h) => k.open != null || k.lastDay >= h.oldestMonth),
	/** sender → its freshness (never pruned: one entry per sender). */
	sources: entries<SourceState>()
};

export type AlertSlice = SliceOf<typeof alertMaps>;

export type AlertEvent = EventsOf<'alert'>;

/** Senders that are people or the system itself (`system`, `user:…`, `terminal:…`) are not sources. */
export function isSource(sender: string): boolean {
	return sender !== 'system' && !sender.includes(':');
}

/** Every event: its sender's freshness (one map write). */
export function noteSource(state: AlertSlice, e: PlacedEvent): void {
	if (!isSource(e.sender)) return;
	const s = state.sources.get(e.sender);
	if (!s) state.sources.set(e.sender, { lastEventAt: e.at, lastSeq: e.seq, centerCode: e.place.centerCode, regionCode: e.place.regionCode });
	else {
		if (e.at >= s.lastEventAt) s.lastEventAt = e.at;
		s.lastSeq = e.seq;
		if (e.place.centerCode || e.place.regionCode) {
			s.centerCode = e.place.centerCode;
			s.regionCode = e.place.regionCode;
		}
	}
}

/** The rule key of an alert id `a:<kind>:<rest>:<n>`, as the judge built it (`<kind>|<rest>`). */
export function alertKeyOf(alertId: string): string {
	const body = alertId.slice(2, alertId.lastIndexOf(':'));
	const i = body.indexOf(':');
	return `${body.slice(0, i)}|${body.slice(i + 1)}`;
}

export function evolveAlerts(state: AlertSlice, e: AlertEvent, day: string): void {
	switch (e.type) {
		case 'alert.raised': {
			const d = e.data;
			if (state.alerts.has(d.alertId)) return;
			const key = (d as { key?: string }).key ?? alertKeyOf(d.alertId);
			state.alerts.set(d.alertId, {
				alertId: d.alertId,
				kind: d.kind,
				level: d.level,
				title: d.title,
				scope: { kind: d.scope.kind, code: d.scope.code },
				home: homeKeyOf(e.place),
				place: e.place,
				key,
				raisedAt: e.at,
				raisedSeq: e.seq,
				day,
				value: d.value ?? null,
				threshold: d.threshold ?? null,
				causes: (d.causes ?? []).map((c) => ({ type: c.type, ...(c.seq != null ? { seq: c.seq } : {}), ...(c.id ? { id: c.id } : {}), ...(typeof c.cardId === 'string' ? { cardId: c.cardId } : {}) })),
				updates: 0,
				updatedAt: null,
				ackedAt: null,
				ackedBy: null,
				ackNote: null,
				resolvedAt: null,
				resolvedDay: null,
				resolvedBy: null,
				resolveNote: null
			});
			const k = state.alertKeys.get(key);
			if (k) {
				k.open = d.alertId;
				k.raised++;
				k.lastDay = day;
			} else state.alertKeys.set(key, { open: d.alertId, raised: 1, lastDay: day });
			return;
		}
		case 'alert.updated': {
			const a = state.alerts.get(e.data.alertId);
			if (!a || a.resolvedAt != null) return;
			a.level = e.data.level;
			a.title = e.data.title;
			a.value = e.data.value ?? a.value;
			a.threshold = e.data.threshold ?? a.threshold;
			a.updates++;
			a.updatedAt = e.at;
			return;
		}
		case 'alert.acknowledged': {
			const a = state.alerts.get(e.data.alertId);
			if (!a || a.ackedAt != null) return;
			a.ackedAt = e.at;
			a.ackedBy = e.data.by;
			a.ackNote = e.data.note ?? null;
			return;
		}
		case 'alert.resolved': {
			const a = state.alerts.get(e.data.alertId);
			if (!a || a.resolvedAt != null) return;
			a.resolvedAt = e.at;
			a.resolvedDay = day;
			a.resolvedBy = e.data.by ?? null;
			a.resolveNote = e.data.note ?? null;
			const k = state.alertKeys.get(a.key);
			if (k && k.open === a.alertId) {
				k.open = null;
				k.lastDay = day;
			}
			return;
		}
		default:
			return exhaustive(e);
	}
}

/** Whether an alert falls within a scope (its own, or a center or region below it). */
export function alertInScope(a: Pick<AlertState, 'place'>, scope: { kind: 'all' } | { kind: 'center' | 'region'; code: string }, org: Pick<OrgIndex, 'subtree' | 'centers'>): boolean {
	if (scope.kind === 'all') return true;
	if (scope.kind === 'center') return a.place.centerCode === scope.code;
	const regions = org.subtree(scope.code);
	const region = a.place.centerCode ? org.centers.get(a.place.centerCode)?.regionCode : a.place.regionCode;
	return !!region && regions.has(region);
}
