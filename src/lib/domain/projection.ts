/**
 * The live projection: turns committed events, in sequence order, into the state behind every
 * snapshot figure of spec §2. Pure and synchronous: no I/O, no clock (time comes in as
 * arguments). The server applies each committed event exactly once, checkpoints the state,
 * and flushes the additive rollup deltas this reducer records.
 *
 * The reducer is one evolve function per subdomain (src/lib/domain/evolve/), each owning its
 * slice of the state (projection-state.ts) and switching exhaustively over its family of the
 * catalog's event types; `apply` only dispatches. Checkpoints: checkpoint.ts. Keys: keys.ts.
 */
import { EVENT_TYPES, type EventType } from './catalog';
import { evolveAlerts, noteSource } from './evolve/alerts';
import { evolveCards } from './evolve/cards';
import { evolveCases } from './evolve/cases';
import { evolveHotline } from './evolve/hotline';
import { evolveIndicators } from './evolve/indicators';
import { evolvePresence } from './evolve/presence';
import { evolveQueue } from './evolve/queue';
import type { EventsOf, FamilyOf, Horizon, PlacedEvent } from './evolve/slice';
import { hash53 } from './hash';
import { homeKeyOf } from './keys';
import { MAP_DEFS, mapOf, STATE_MAPS, type LiveState } from './projection-state';
import { dayKey, DEFAULT_TZ, previousDay } from './time';

// What consumers have always imported from here.
export { checkpointVersion, CHECKPOINT_VERSION, deserializeState, serializeState, serializeStateParts } from './checkpoint';
export type { AlertLevel, AlertState, SourceState } from './evolve/alerts';
export type { CardState } from './evolve/cards';
export { caseDueAt, type CaseState } from './evolve/cases';
export type { Gauges } from './evolve/count';
export type { HotlineTicketState } from './evolve/hotline';
export type { CheckState } from './evolve/presence';
export { BAD_REVIEW_KEEP, type BadReview, type DepartmentWaiting, type WindowState, type WindowStatus } from './evolve/queue';
export type { PlacedEvent } from './evolve/slice';
export { bucketKey, homeOf, parseBucketKey, type BucketKey, type ScopeKind } from './keys';
export { createState, type LiveState } from './projection-state';

export interface ApplyContext {
	/** Time zone of a center (or the default for events without one). */
	tzOf(centerCode: string | null): string;
}

const defaultCtx: ApplyContext = { tzOf: () => DEFAULT_TZ };

// ── the reducer ────────────────────────────────────────────────────────────────

type Evolve<E> = (state: LiveState, e: E, day: string, tz: string) => void;

/**
 * The evolve function of each family of event types. Keyed by the catalog's families: one
 * it gains (`appointment.*`) fails to compile here until it has a subdomain, and a type it
 * gains in a family fails to compile in that family's switch.
 */
const EVOLVE: { [F in FamilyOf<EventType>]: Evolve<EventsOf<F>> } = {
	queue: evolveQueue,
	window: evolveQueue,
	evaluation: evolveQueue,
	attendance: evolvePresence,
	presence: evolvePresence,
	card: evolveCards,
	case: evolveCases,
	hotline: evolveHotline,
	indicator: evolveIndicators,
	alert: evolveAlerts
};

/** The same by event type, built once: dispatching is one lookup, with nothing built per event. */
const BY_TYPE = new Map<string, Evolve<PlacedEvent>>(EVENT_TYPES.map((t) => [t, EVOLVE[t.slice(0, t.indexOf('.')) as FamilyOf<EventType>] as Evolve<PlacedEvent>]));

/**
 * Apply one committed event. Events must come in seq order; an event at or below the
 * state's seq is ignored (each committed event is applied once), and so is a type the
 * catalog does not know.
 */
export function apply(state: LiveState, e: PlacedEvent, ctx: ApplyContext = defaultCtx): void {
	if (e.seq <= state.seq) return;
	state.seq = e.seq;
	const tz = ctx.tzOf(e.place.centerCode);
	const day = dayKey(e.at, tz);
	state.touched?.add(homeKeyOf(e.place));
	noteSource(state, e);
	BY_TYPE.get(e.type)?.(state, e, day, tz);
}

// ── deadlines the system judges (derived events) ──────────────────────────────

export interface DerivedEvent {
	id: string;
	type: 'presence.check_missed' | 'case.deadline_near' | 'case.overdue' | 'hotline.ticket_overdue' | 'hotline.acknowledge_overdue' | 'card.issued' | 'alert.raised' | 'alert.updated' | 'alert.acknowledged' | 'alert.resolved';
	occurredAt: string;
	data: Record<string, unknown>;
}

/** Share of a case's time limit left at which the 预警 warning is derived (spec: ≤ 20%). */
export const CASE_WARNING_SHARE = 0.2;

const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * `sys:<type>:<key>`. Check, case and ticket ids are free text (up to 128 characters of
 * anything), so where that would break the envelope's id rule the key is replaced by its hash.
 */
export function derivedId(type: DerivedEvent['type'], key: string): string {
	const id = `sys:${type}:${key}`;
	return EVENT_ID.test(id) ? id : `sys:${type}:h-${hash53(key)}`;
}

/**
 * The derived events whose time has come at `now`: presence checks not confirmed by their
 * deadline, cases near or past their due time, hotline tickets past theirs. Ids are
 * deterministic, so deriving twice (a restart, two instances) stores each once.
 * Cost: one pass over open items (not over history).
 */
export function dueDerivedEvents(state: LiveState, now: number, derivedBy = 'deadline-timer'): DerivedEvent[] {
	const out: DerivedEvent[] = [];
	const iso = (ms: number) => new Date(ms).toISOString();
	for (const [checkId, c] of state.checks) {
		// A confirmation after the deadline does not count: that check is missed as well.
		if (!c.missed && (c.confirmedAt == null || c.confirmedAt > c.deadline) && now > c.deadline)
			out.push({
				id: derivedId('presence.check_missed', checkId),
				type: 'presence.check_missed',
				occurredAt: iso(c.deadline),
				data: { checkId, staffCode: c.staffCode, ...(c.windowCode ? { windowCode: c.windowCode } : {}), deadline: iso(c.deadline), derivedBy }
			});
	}
	for (const [caseId, c] of state.cases) {
		if (!c.overdue && now > c.dueAt)
			out.push({
				id: derivedId('case.overdue', caseId),
				type: 'case.overdue',
				occurredAt: iso(c.dueAt),
				data: { caseId, departmentCode: c.departmentCode, dueAt: iso(c.dueAt), derivedBy }
			});
		else if (!c.near && !c.overdue && c.dueAt > c.acceptedAt) {
			const warnAt = c.dueAt - (c.dueAt - c.acceptedAt) * CASE_WARNING_SHARE;
			if (now >= warnAt)
				out.push({
					id: derivedId('case.deadline_near', caseId),
					type: 'case.deadline_near',
					occurredAt: iso(Math.max(warnAt, c.acceptedAt)),
					data: { caseId, departmentCode: c.departmentCode, dueAt: iso(c.dueAt), derivedBy }
				});
		}
	}
	for (const [ticketId, t] of state.hotline) {
		if (t.mergedInto) continue;
		// 签收 not done by the limit of the latest assignment (one event per assignment).
		if (!t.ackJudged && t.acknowledgedAt == null && t.ackBy != null && t.departmentCode && t.closedAt == null && now > t.ackBy)
			out.push({
				id: derivedId('hotline.acknowledge_overdue', `${ticketId}@${t.assignedSeq ?? 0}`),
				type: 'hotline.acknowledge_overdue',
				occurredAt: iso(t.ackBy),
				data: { ticketId, departmentCode: t.departmentCode, acknowledgeBy: iso(t.ackBy), derivedBy }
			});
		if (!t.overdue && t.closedAt == null && t.dueAt != null && t.departmentCode && now > t.dueAt)
			out.push({
				id: derivedId('hotline.ticket_overdue', ticketId),
				type: 'hotline.ticket_overdue',
				occurredAt: iso(t.dueAt),
				data: { ticketId, departmentCode: t.departmentCode, dueAt: iso(t.dueAt), derivedBy }
			});
	}
	return out;
}

// ── keeping memory flat ────────────────────────────────────────────────────────

/** Month buckets (and cards) this many months before today's are dropped from memory by `prune`. */
export const KEEP_MONTHS = 13;
/** Day buckets this many days before today are dropped (no live figure reads older days; the rollups keep them). */
export const KEEP_DAYS = 7;
/** Closed hotline tickets are kept this many days after their closure (a callback may come late). */
export const KEEP_CLOSED_DAYS = 40;

/** What `prune` keeps on `today`: the oldest day and month, and yesterday's for the maps of daily items. */
export function horizonOf(today: string, opts: { keepDays?: number; keepMonths?: number } = {}): Horizon {
	const back = (n: number) => {
		let d = today;
		for (let i = 0; i < n; i++) d = previousDay(d);
		return d;
	};
	const yesterday = previousDay(today);
	return { yesterday, dayBeforeYesterday: previousDay(yesterday), oldestDay: back(opts.keepDays ?? KEEP_DAYS), oldestClosure: back(KEEP_CLOSED_DAYS), oldestMonth: oldestKeptMonth(today, opts.keepMonths) };
}

/**
 * Whether the state holds a bucket whole on `today`: its period is one `prune` keeps (the state
 * has had it, unpruned, since its first event). A bucket of an older period in the state was
 * made again by a late event and holds that event's delta only.
 */
export function bucketWhole(key: string, h: Horizon): boolean {
	return STATE_MAPS.buckets.keep!(undefined as never, key, h);
}

/** The oldest month whose buckets `prune` keeps in memory on `today` (`YYYY-MM`). */
export function oldestKeptMonth(today: string, keepMonths = KEEP_MONTHS): string {
	const [y, m] = today.slice(0, 7).split('-').map(Number);
	const mm = y * 12 + (m - 1) - keepMonths;
	return `${Math.floor(mm / 12)}-${String((mm % 12) + 1).padStart(2, '0')}`;
}

/**
 * Drop what no live figure reads any more: day buckets older than `keepDays`, month buckets
 * older than `keepMonths`, tickets of earlier days, judged checks of earlier days, closed
 * hotline tickets and cards long past. Rollup tables keep the history. What each map keeps is
 * said where its slice defines it (`keep`).
 */
export function prune(state: LiveState, today: string, opts: { keepDays?: number; keepMonths?: number } = {}): void {
	const h = horizonOf(today, opts);
	for (const [name, def] of MAP_DEFS) {
		if (!def.keep) continue;
		const map = mapOf(state, name);
		for (const [key, value] of map) if (!def.keep(value, key, h)) map.delete(key);
	}
}
