/**
 * The live projection: turns committed events, in sequence order, into the state behind every
 * snapshot figure of spec §2. Pure and synchronous: no I/O, no clock (time comes in as
 * arguments). The server applies each committed event exactly once, checkpoints the state,
 * and flushes the additive rollup deltas this reducer records.
 */
import type { HallEvent, LoggedEvent } from './catalog';
import { addInto, emptyCounters, type CounterKey, type Counters } from './counters';
import { hash53 } from './hash';
import { bucketKey, homeKeyOf, homeOf, hourlyKey, parseHomeKey, periodOf, ticketKey, type BucketKey, type HomeKey, type ScopeKind } from './keys';
import type { EventPlace } from './org';
import { dayKey, DEFAULT_TZ, endOfDay, hourOf, monthOfDay, previousDay } from './time';

export { bucketKey, homeOf, parseBucketKey, type BucketKey, type ScopeKind } from './keys';

export type WindowStatus = 'open' | 'paused' | 'closed';

export interface WindowState {
	status: WindowStatus;
	reason: string | null;
	staffCode: string | null;
	/** Ticket being served or called, and since when (epoch ms). */
	ticketNo: string | null;
	ticketState: 'called' | 'serving' | null;
	ticketSince: number | null;
	changedAt: number;
	/** Open with no ticket called or served since then (epoch ms), and the seq and type of the event that made it so. */
	idleSince?: number | null;
	idleSeq?: number | null;
	idleType?: string | null;
}

/** People waiting for a department today (its tickets issued that day, not yet called). */
export interface DepartmentWaiting {
	day: string;
	n: number;
	/** Since when at least one has been waiting without a break, and the ticket that started it. */
	since: number | null;
	sinceSeq: number | null;
}

/** A review rated ≤ BAD_REVIEW_KEEP naming a staff member, kept two days for the card rules. */
export interface BadReview {
	id: string;
	at: number;
	day: string;
	staffCode: string;
	rating: number;
}

/** Reviews rated at or below this are kept in the live state (the bad-review rule's threshold may go up to it). */
export const BAD_REVIEW_KEEP = 3;

interface TicketState {
	day: string;
	home: HomeKey;
	issuedAt: number;
	calledAt: number | null;
	startedAt: number | null;
	state: 'waiting' | 'called' | 'serving' | 'done' | 'no_show';
	departmentCode: string | null;
}

export interface CheckState {
	home: HomeKey;
	day: string;
	staffCode: string;
	windowCode: string | null;
	departmentCode: string | null;
	issuedAt: number;
	deadline: number;
	confirmedAt: number | null;
	missed: boolean;
	missedDay: string | null;
	/** Seq of the `presence.check_missed` event (for the cards it causes). */
	missedSeq?: number | null;
}

export interface CaseState {
	home: HomeKey;
	departmentCode: string;
	acceptedAt: number;
	dueAt: number;
	immediate: boolean;
	near: boolean;
	overdue: boolean;
	overdueDay: string | null;
	/** Seqs of `case.accepted`, `case.deadline_near` and `case.overdue` (for the cards they cause). */
	acceptedSeq?: number;
	nearSeq?: number | null;
	overdueSeq?: number | null;
}

export interface HotlineTicketState {
	home: HomeKey;
	createdAt: number;
	createdDay: string;
	category: string;
	departmentCode: string | null;
	dueAt: number | null;
	closedAt: number | null;
	closedDay: string | null;
	closedOnTime: boolean;
	overdue: boolean;
	/** Whether this ticket currently counts in its home's overdueOpen gauge. */
	inOverdueGauge: boolean;
	supervised: number;
	/** Seqs of the latest `hotline.ticket_assigned` and of `hotline.ticket_overdue` (for the cards they cause). */
	assignedSeq?: number | null;
	overdueSeq?: number | null;
}

export interface CardState {
	color: 'yellow' | 'red';
	day: string;
	place: EventPlace;
	revoked: boolean;
	/** For the wall's card feed: when, to whom, why, by hand or by which rule. */
	at?: number;
	targetKind?: 'staff' | 'window' | 'department';
	targetCode?: string;
	reason?: string;
	rule?: string | null;
}

export interface Gauges {
	casesOverdueOpen: number;
	hotlineOverdueOpen: number;
}

/** Everything the snapshot needs, and nothing that grows with history. */
export interface LiveState {
	/** Last applied sequence number. */
	seq: number;
	/** Rollup buckets kept in memory (current and recent periods). */
	buckets: Map<BucketKey, Counters>;
	/** Additive changes not yet flushed to the rollup tables (only tracked by the writer). */
	dirty: Map<BucketKey, Partial<Counters>> | null;
	/** Tickets per hour: `home|day` → 24 counts (for the tickets-per-hour chart). */
	hourly: Map<string, number[]>;
	windows: Map<string, WindowState>;
	onDuty: Map<string, boolean>;
	tickets: Map<string, TicketState>;
	checks: Map<string, CheckState>;
	cases: Map<string, CaseState>;
	hotline: Map<string, HotlineTicketState>;
	cards: Map<string, CardState>;
	gauges: Map<string, Gauges>;
	/** departmentCode → who waits for it today (the window-idle rule). */
	waitingByDept: Map<string, DepartmentWaiting>;
	/** String(seq) → a bad review of today or yesterday (the bad-review rule). */
	badReviews: Map<string, BadReview>;
	/** indicator → period → regionCode → value */
	indicators: Map<string, Map<string, Map<string, number>>>;
}

export function createState(trackDirty = true): LiveState {
	return {
		seq: 0,
		buckets: new Map(),
		dirty: trackDirty ? new Map() : null,
		hourly: new Map(),
		windows: new Map(),
		onDuty: new Map(),
		tickets: new Map(),
		checks: new Map(),
		cases: new Map(),
		hotline: new Map(),
		cards: new Map(),
		gauges: new Map(),
		waitingByDept: new Map(),
		badReviews: new Map(),
		indicators: new Map()
	};
}

/** A committed event with the place the ingest resolved for it. */
export type PlacedEvent = LoggedEvent & { place: EventPlace };

export interface ApplyContext {
	/** Time zone of a center (or the default for events without one). */
	tzOf(centerCode: string | null): string;
}

const defaultCtx: ApplyContext = { tzOf: () => DEFAULT_TZ };

// ── counting helpers ───────────────────────────────────────────────────────────

function bump(state: LiveState, key: BucketKey, delta: Partial<Counters>): void {
	let b = state.buckets.get(key);
	if (!b) state.buckets.set(key, (b = emptyCounters()));
	addInto(b, delta);
	if (state.dirty) {
		const d = state.dirty.get(key);
		if (d) addInto(d as Counters, delta);
		else state.dirty.set(key, { ...delta });
	}
}

/** Add `delta` to the day and month buckets of every scope the place belongs to. */
function count(state: LiveState, place: EventPlace, day: string, delta: Partial<Counters>): void {
	const month = monthOfDay(day);
	const h = homeOf(place);
	const scopes: Array<[ScopeKind, string]> = [[h.kind, h.code]];
	if (place.departmentCode) scopes.push(['department', place.departmentCode]);
	if (place.windowCode) scopes.push(['window', place.windowCode]);
	for (const [kind, code] of scopes) {
		bump(state, bucketKey(kind, code, day), delta);
		bump(state, bucketKey(kind, code, month), delta);
	}
}

const one = (k: CounterKey, n = 1): Partial<Counters> => ({ [k]: n });

/** What a card adds to the counters (n = 1) or a revoke takes back (n = −1). */
function cardDelta(color: 'yellow' | 'red', rule: string | null, n: 1 | -1): Partial<Counters> {
	const delta: Partial<Counters> = color === 'yellow' ? { yellowCards: n } : { redCards: n };
	if (rule === 'bad_review') delta[color === 'yellow' ? 'ruleBadReviewYellow' : 'ruleBadReviewRed'] = n;
	return delta;
}

function gauge(state: LiveState, home: HomeKey): Gauges {
	let g = state.gauges.get(home);
	if (!g) state.gauges.set(home, (g = { casesOverdueOpen: 0, hotlineOverdueOpen: 0 }));
	return g;
}

function placeOfHome(home: HomeKey, base?: Partial<EventPlace>): EventPlace {
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

function windowState(state: LiveState, code: string, at: number): WindowState {
	let w = state.windows.get(code);
	if (!w) {
		w = { status: 'closed', reason: null, staffCode: null, ticketNo: null, ticketState: null, ticketSince: null, changedAt: at };
		state.windows.set(code, w);
	}
	return w;
}

/** Keep a window's idle mark: open with no ticket → idle since now (unless already); otherwise not idle. */
function markIdle(w: WindowState, e: PlacedEvent): void {
	if (w.status === 'open' && w.ticketNo == null) {
		if (w.idleSince == null) {
			w.idleSince = e.at;
			w.idleSeq = e.seq;
			w.idleType = e.type;
		}
	} else {
		w.idleSince = null;
		w.idleSeq = null;
		w.idleType = null;
	}
}

/** One more ticket waiting for `dept` on `day` (a ticket of an older day than the one tracked is left out). */
function waitStarted(state: LiveState, dept: string, day: string, at: number, seq: number): void {
	let w = state.waitingByDept.get(dept);
	if (!w || w.day < day) state.waitingByDept.set(dept, (w = { day, n: 0, since: null, sinceSeq: null }));
	if (w.day !== day) return;
	if (++w.n === 1) {
		w.since = at;
		w.sinceSeq = seq;
	}
}

/** A ticket stopped waiting (called, started, completed or no-show): the count its issue added is taken back. */
function waitEnded(state: LiveState, t: TicketState): void {
	count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), t.day, { waiting: -1 });
	const w = t.departmentCode ? state.waitingByDept.get(t.departmentCode) : undefined;
	if (!w || w.day !== t.day || w.n === 0) return;
	if (--w.n === 0) {
		w.since = null;
		w.sinceSeq = null;
	}
}

/**
 * Due time of a case: `dueAt`, or the end of the day `promisedDays` calendar days after
 * acceptance, both the day and its end taken in the case's zone `tz` (whatever offset the
 * sender wrote `occurredAt` with).
 */
export function caseDueAt(occurredAt: string, at: number, data: { dueAt?: string; promisedDays?: number }, tz: string): number {
	if (data.dueAt) return Date.parse(data.dueAt);
	return endOfDay(dayKey(at + (data.promisedDays ?? 0) * 86_400_000, tz), tz);
}

// ── the reducer ────────────────────────────────────────────────────────────────

/**
 * Apply one committed event. Events must come in seq order; an event at or below the
 * state's seq is ignored (each committed event is applied once).
 */
export function apply(state: LiveState, e: PlacedEvent, ctx: ApplyContext = defaultCtx): void {
	if (e.seq <= state.seq) return;
	state.seq = e.seq;
	const tz = ctx.tzOf(e.place.centerCode);
	const at = e.at;
	const day = dayKey(at, tz);
	const place = e.place;
	const home = homeKeyOf(place);
	const ev = e as HallEvent;

	switch (ev.type) {
		case 'queue.ticket_issued': {
			const d = ev.data;
			state.tickets.set(ticketKey(d.centerCode, d.ticketNo), { day, home, issuedAt: at, calledAt: null, startedAt: null, state: 'waiting', departmentCode: d.departmentCode ?? null });
			count(state, place, day, { ticketsIssued: 1, waiting: 1 });
			if (d.departmentCode) waitStarted(state, d.departmentCode, day, at, e.seq);
			const hk = hourlyKey(home, day);
			let hours = state.hourly.get(hk);
			if (!hours) state.hourly.set(hk, (hours = new Array(24).fill(0)));
			hours[hourOf(at, tz)]++;
			break;
		}
		case 'queue.ticket_called': {
			const d = ev.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			const w = windowState(state, d.windowCode, at);
			w.ticketNo = d.ticketNo;
			w.ticketState = 'called';
			w.ticketSince = at;
			markIdle(w, e);
			if (d.staffCode) w.staffCode = d.staffCode;
			if (t && t.state === 'waiting') {
				t.state = 'called';
				t.calledAt = at;
				// Take the wait back out where it was counted: the ticket's home and its own department
				// (not the calling window's, which never saw the +1).
				waitEnded(state, t);
				count(state, place, day, { ticketsCalled: 1, waitSum: Math.max(0, Math.round((at - t.issuedAt) / 1000)), waitCount: 1 });
			} else if (!t) count(state, place, day, { ticketsCalled: 1 });
			break;
		}
		case 'queue.service_started': {
			const d = ev.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			if (t) {
				if (t.state === 'waiting') {
					// Started without a call event: the wait ends now.
					waitEnded(state, t);
					count(state, place, day, { waitSum: Math.max(0, Math.round((at - t.issuedAt) / 1000)), waitCount: 1 });
				}
				t.state = 'serving';
				t.startedAt = at;
			}
			const w = windowState(state, d.windowCode, at);
			w.ticketNo = d.ticketNo;
			w.ticketState = 'serving';
			w.ticketSince = at;
			markIdle(w, e);
			if (d.staffCode) w.staffCode = d.staffCode;
			count(state, place, day, { servicesStarted: 1 });
			break;
		}
		case 'queue.service_completed': {
			const d = ev.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			const delta: Partial<Counters> = { servicesCompleted: 1 };
			delta[d.result === 'done' ? 'completedDone' : d.result === 'transferred' ? 'completedTransferred' : 'completedIncomplete'] = 1;
			if (t?.startedAt != null) {
				delta.serviceSum = Math.max(0, Math.round((at - t.startedAt) / 1000));
				delta.serviceCount = 1;
			}
			// Completed without a call or start (a missed event): it is no longer waiting.
			if (t?.state === 'waiting') waitEnded(state, t);
			if (t) t.state = 'done';
			count(state, place, day, delta);
			const w = windowState(state, d.windowCode, at);
			if (w.ticketNo === d.ticketNo) {
				w.ticketNo = null;
				w.ticketState = null;
				w.ticketSince = null;
				markIdle(w, e);
			}
			break;
		}
		case 'queue.ticket_no_show': {
			const d = ev.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			if (t && (t.state === 'waiting' || t.state === 'called')) {
				if (t.state === 'waiting') waitEnded(state, t);
				t.state = 'no_show';
			}
			count(state, place, day, { noShows: 1 });
			if (d.windowCode) {
				const w = windowState(state, d.windowCode, at);
				if (w.ticketNo === d.ticketNo) {
					w.ticketNo = null;
					w.ticketState = null;
					w.ticketSince = null;
					markIdle(w, e);
				}
			}
			break;
		}
		case 'window.status_changed': {
			const d = ev.data;
			const w = windowState(state, d.windowCode, at);
			w.status = d.status;
			w.reason = d.status === 'paused' ? (d.reason ?? null) : null;
			if (d.staffCode) w.staffCode = d.staffCode;
			if (d.status === 'closed') {
				w.ticketNo = null;
				w.ticketState = null;
				w.ticketSince = null;
			}
			w.changedAt = at;
			markIdle(w, e);
			break;
		}
		case 'attendance.clock_in':
			state.onDuty.set(ev.data.staffCode, true);
			count(state, place, day, { clockIns: 1 });
			break;
		case 'attendance.clock_out':
			state.onDuty.set(ev.data.staffCode, false);
			count(state, place, day, { clockOuts: 1 });
			break;
		case 'evaluation.submitted': {
			const r = ev.data.rating;
			count(state, place, day, { ratings: 1, ratingsGood: r >= 4 ? 1 : 0, ratingsBad: r <= 2 ? 1 : 0 });
			if (r <= BAD_REVIEW_KEEP && ev.data.staffCode) state.badReviews.set(String(e.seq), { id: e.id, at, day, staffCode: ev.data.staffCode, rating: r });
			break;
		}
		case 'presence.check_issued': {
			const d = ev.data;
			if (state.checks.has(d.checkId)) break;
			state.checks.set(d.checkId, {
				home,
				day,
				staffCode: d.staffCode,
				windowCode: place.windowCode,
				departmentCode: place.departmentCode,
				issuedAt: at,
				deadline: at + d.respondWithinSec * 1000,
				confirmedAt: null,
				missed: false,
				missedDay: null
			});
			count(state, place, day, { checksIssued: 1 });
			break;
		}
		case 'presence.check_confirmed': {
			const c = state.checks.get(ev.data.checkId);
			if (!c || c.confirmedAt != null) break;
			const cPlace = placeOfHome(c.home, { departmentCode: c.departmentCode, windowCode: c.windowCode, staffCode: c.staffCode });
			if (at <= c.deadline) {
				c.confirmedAt = at;
				count(state, cPlace, c.day, { checksConfirmed: 1 });
				if (c.missed) {
					// The confirmation was made in time but reached us after the deadline was judged.
					c.missed = false;
					count(state, cPlace, c.missedDay ?? c.day, { checksMissed: -1 });
				}
			} else {
				c.confirmedAt = at;
				count(state, cPlace, c.day, { checksLateConfirmed: 1 });
			}
			break;
		}
		case 'presence.check_missed': {
			const c = state.checks.get(ev.data.checkId);
			if (!c || c.missed || (c.confirmedAt != null && c.confirmedAt <= c.deadline)) break;
			c.missed = true;
			c.missedDay = c.day;
			c.missedSeq = e.seq;
			count(state, placeOfHome(c.home, { departmentCode: c.departmentCode, windowCode: c.windowCode, staffCode: c.staffCode }), c.day, { checksMissed: 1 });
			break;
		}
		case 'card.issued': {
			const d = ev.data;
			if (state.cards.has(d.cardId)) break;
			state.cards.set(d.cardId, {
				color: d.color,
				day,
				place,
				revoked: false,
				at,
				targetKind: d.target.kind,
				targetCode: d.target.code,
				reason: d.reason,
				rule: d.rule ?? null
			});
			count(state, place, day, cardDelta(d.color, d.rule ?? null, 1));
			break;
		}
		case 'card.revoked': {
			const c = state.cards.get(ev.data.cardId);
			if (!c || c.revoked) break;
			c.revoked = true;
			count(state, c.place, c.day, cardDelta(c.color, c.rule ?? null, -1));
			break;
		}
		case 'case.accepted': {
			const d = ev.data;
			if (state.cases.has(d.caseId)) break;
			const dueAt = caseDueAt(ev.occurredAt, at, d, tz);
			state.cases.set(d.caseId, {
				home,
				departmentCode: d.departmentCode,
				acceptedAt: at,
				dueAt,
				immediate: d.immediate,
				near: false,
				overdue: false,
				overdueDay: null,
				acceptedSeq: e.seq
			});
			count(state, place, day, { casesAccepted: 1, casesAcceptedImmediate: d.immediate ? 1 : 0, casesAcceptedOnline: d.online ? 1 : 0 });
			break;
		}
		case 'case.completed': {
			const c = state.cases.get(ev.data.caseId);
			if (!c) break; // unknown or already completed: counted once
			state.cases.delete(ev.data.caseId);
			const cPlace = placeOfHome(c.home, { departmentCode: c.departmentCode });
			const onTime = at <= c.dueAt;
			count(state, cPlace, day, {
				casesCompleted: 1,
				casesCompletedImmediate: c.immediate ? 1 : 0,
				casesCompletedOnTime: onTime ? 1 : 0,
				casesCompletedEarly: at < c.dueAt - 86_400_000 ? 1 : 0
			});
			if (c.overdue) {
				gauge(state, c.home).casesOverdueOpen--;
				// Completed in time but reported late: the overdue mark is taken back.
				if (onTime) count(state, cPlace, c.overdueDay ?? day, { casesOverdue: -1 });
			}
			break;
		}
		case 'case.deadline_near': {
			const c = state.cases.get(ev.data.caseId);
			if (!c || c.near) break;
			c.near = true;
			c.nearSeq = e.seq;
			count(state, placeOfHome(c.home, { departmentCode: c.departmentCode }), day, { casesDeadlineNear: 1 });
			break;
		}
		case 'case.overdue': {
			const c = state.cases.get(ev.data.caseId);
			if (!c || c.overdue) break;
			c.overdue = true;
			c.overdueDay = day;
			c.overdueSeq = e.seq;
			gauge(state, c.home).casesOverdueOpen++;
			count(state, placeOfHome(c.home, { departmentCode: c.departmentCode }), day, { casesOverdue: 1 });
			break;
		}
		case 'hotline.ticket_created': {
			const d = ev.data;
			if (state.hotline.has(d.ticketId)) break;
			state.hotline.set(d.ticketId, {
				home,
				createdAt: at,
				createdDay: day,
				category: d.category,
				departmentCode: null,
				dueAt: null,
				closedAt: null,
				closedDay: null,
				closedOnTime: false,
				overdue: false,
				inOverdueGauge: false,
				supervised: 0
			});
			count(state, place, day, { hotlineReceived: 1 });
			break;
		}
		case 'hotline.ticket_assigned': {
			const t = state.hotline.get(ev.data.ticketId);
			if (!t) break;
			t.departmentCode = ev.data.departmentCode;
			t.dueAt = Date.parse(ev.data.dueAt);
			t.assignedSeq = e.seq;
			count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), day, { hotlineAssigned: 1 });
			break;
		}
		case 'hotline.ticket_replied': {
			const t = state.hotline.get(ev.data.ticketId);
			if (!t) break;
			count(state, placeOfHome(t.home, { departmentCode: ev.data.departmentCode }), day, { hotlineReplied: 1 });
			break;
		}
		case 'hotline.ticket_closed': {
			const t = state.hotline.get(ev.data.ticketId);
			if (!t || t.closedAt != null) break;
			t.closedAt = at;
			t.closedDay = day;
			t.closedOnTime = t.dueAt == null || at <= t.dueAt;
			count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), day, {
				hotlineClosed: 1,
				hotlineClosedOnTime: t.closedOnTime ? 1 : 0
			});
			if (t.inOverdueGauge) {
				t.inOverdueGauge = false;
				gauge(state, t.home).hotlineOverdueOpen--;
			}
			break;
		}
		case 'hotline.ticket_reopened': {
			const t = state.hotline.get(ev.data.ticketId);
			if (!t || t.closedAt == null) break;
			// A ticket counts as closed once, on its latest closure.
			count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), t.closedDay!, {
				hotlineClosed: -1,
				hotlineClosedOnTime: t.closedOnTime ? -1 : 0
			});
			count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), day, { hotlineReopened: 1 });
			t.closedAt = null;
			t.closedDay = null;
			t.closedOnTime = false;
			if (t.overdue) {
				t.inOverdueGauge = true;
				gauge(state, t.home).hotlineOverdueOpen++;
			}
			break;
		}
		case 'hotline.callback_recorded': {
			const t = state.hotline.get(ev.data.ticketId);
			const d = ev.data;
			const p = t ? placeOfHome(t.home, { departmentCode: t.departmentCode }) : place;
			count(state, p, day, {
				hotlineCallbacks: 1,
				hotlineReached: d.reached ? 1 : 0,
				hotlineSatisfied: d.reached && d.satisfaction === 'satisfied' ? 1 : 0,
				hotlineBasic: d.reached && d.satisfaction === 'basic' ? 1 : 0,
				hotlineUnsatisfied: d.reached && d.satisfaction === 'unsatisfied' ? 1 : 0
			});
			break;
		}
		case 'hotline.ticket_supervised': {
			const t = state.hotline.get(ev.data.ticketId);
			if (t) t.supervised++;
			count(state, t ? placeOfHome(t.home, { departmentCode: t.departmentCode }) : place, day, { hotlineSupervised: 1 });
			break;
		}
		case 'hotline.ticket_overdue': {
			const t = state.hotline.get(ev.data.ticketId);
			if (!t || t.overdue) break;
			t.overdue = true;
			t.overdueSeq = e.seq;
			if (t.closedAt == null) {
				t.inOverdueGauge = true;
				gauge(state, t.home).hotlineOverdueOpen++;
			}
			count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), day, { hotlineOverdue: 1 });
			break;
		}
		case 'indicator.reported': {
			const d = ev.data;
			let byPeriod = state.indicators.get(d.indicator);
			if (!byPeriod) state.indicators.set(d.indicator, (byPeriod = new Map()));
			let byRegion = byPeriod.get(d.period);
			if (!byRegion) byPeriod.set(d.period, (byRegion = new Map()));
			byRegion.set(d.regionCode, d.value);
			break;
		}
	}
}

// ── deadlines the system judges (derived events) ──────────────────────────────

export interface DerivedEvent {
	id: string;
	type: 'presence.check_missed' | 'case.deadline_near' | 'case.overdue' | 'hotline.ticket_overdue' | 'card.issued';
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

/** The oldest month whose buckets `prune` keeps in memory on `today` (`YYYY-MM`). */
export function oldestKeptMonth(today: string, keepMonths = KEEP_MONTHS): string {
	const [y, m] = today.slice(0, 7).split('-').map(Number);
	const mm = y * 12 + (m - 1) - keepMonths;
	return `${Math.floor(mm / 12)}-${String((mm % 12) + 1).padStart(2, '0')}`;
}

/**
 * Drop what no live figure reads any more: day buckets older than `keepDays`, month buckets
 * older than `keepMonths`, tickets of earlier days, judged checks of earlier days, closed
 * hotline tickets and cards long past. Rollup tables keep the history.
 */
export function prune(state: LiveState, today: string, opts: { keepDays?: number; keepMonths?: number } = {}): void {
	const keepDays = opts.keepDays ?? 40;
	let oldestDay = today;
	for (let i = 0; i < keepDays; i++) oldestDay = previousDay(oldestDay);
	const oldestMonth = oldestKeptMonth(today, opts.keepMonths);
	for (const key of state.buckets.keys()) {
		const period = periodOf(key);
		if (period.length === 10 ? period < oldestDay : period < oldestMonth) state.buckets.delete(key);
	}
	for (const key of state.hourly.keys()) if (periodOf(key) < previousDay(previousDay(today))) state.hourly.delete(key);
	const yesterday = previousDay(today);
	for (const [k, t] of state.tickets) if (t.day < yesterday) state.tickets.delete(k);
	for (const [k, c] of state.checks) if (c.day < yesterday && (c.missed || c.confirmedAt != null)) state.checks.delete(k);
	for (const [k, t] of state.hotline) if (t.closedDay != null && t.closedDay < oldestDay) state.hotline.delete(k);
	for (const [k, c] of state.cards) if (c.day < oldestMonth) state.cards.delete(k);
	for (const [k, w] of state.waitingByDept) if (w.day < yesterday) state.waitingByDept.delete(k);
	for (const [k, r] of state.badReviews) if (r.day < yesterday) state.badReviews.delete(k);
}

// ── checkpoint (de)serialization ─────────────────────────────────────────────

type MapKeys = 'buckets' | 'hourly' | 'windows' | 'onDuty' | 'tickets' | 'checks' | 'cases' | 'hotline' | 'cards' | 'gauges' | 'waitingByDept' | 'badReviews';
const MAP_KEYS: MapKeys[] = ['buckets', 'hourly', 'windows', 'onDuty', 'tickets', 'checks', 'cases', 'hotline', 'cards', 'gauges', 'waitingByDept', 'badReviews'];

export function serializeState(state: LiveState): string {
	const out: Record<string, unknown> = { v: 1, seq: state.seq, ruleCardCounters: true };
	for (const k of MAP_KEYS) out[k] = [...(state[k] as Map<string, unknown>)];
	out.indicators = [...state.indicators].map(([ind, periods]) => [ind, [...periods].map(([p, regions]) => [p, [...regions]])]);
	return JSON.stringify(out);
}

/** Who waits for each department, from the tickets (their latest day), for a checkpoint that lacks it. */
function rebuildWaiting(state: LiveState): void {
	for (const t of state.tickets.values()) {
		if (t.state !== 'waiting' || !t.departmentCode) continue;
		let w = state.waitingByDept.get(t.departmentCode);
		if (!w || w.day < t.day) state.waitingByDept.set(t.departmentCode, (w = { day: t.day, n: 0, since: null, sinceSeq: null }));
		if (w.day !== t.day) continue;
		w.n++;
		if (w.since == null || t.issuedAt < w.since) w.since = t.issuedAt;
	}
}

export function deserializeState(json: string, trackDirty = true): LiveState {
	const raw = JSON.parse(json) as Record<string, unknown>;
	if (raw.v !== 1) throw new Error(`checkpoint: unsupported version ${String(raw.v)}`);
	const state = createState(trackDirty);
	state.seq = raw.seq as number;
	for (const k of MAP_KEYS) (state as unknown as Record<string, Map<string, unknown>>)[k] = new Map((raw[k] ?? []) as Array<[string, unknown]>);
	// Checkpoints written before the card rules: rebuild what the window-idle rule reads.
	if (raw.waitingByDept === undefined) rebuildWaiting(state);
	for (const w of state.windows.values())
		if (w.idleSince === undefined) {
			w.idleSince = w.status === 'open' && w.ticketNo == null ? w.changedAt : null;
			w.idleSeq = null;
			w.idleType = null;
		}
	// Checkpoints written before the bad-review rule cards had counters of their own: count the
	// cards kept in the state (this year's and last year's) into their buckets (the writer's dirty
	// deltas carry them to the rollups).
	if (raw.ruleCardCounters === undefined)
		for (const c of state.cards.values()) if (c.rule === 'bad_review' && !c.revoked) count(state, c.place, c.day, { [c.color === 'yellow' ? 'ruleBadReviewYellow' : 'ruleBadReviewRed']: 1 });
	state.indicators = new Map(
		(raw.indicators as Array<[string, Array<[string, Array<[string, number]>]>]>).map(([ind, periods]) => [
			ind,
			new Map(periods.map(([p, regions]) => [p, new Map(regions)]))
		])
	);
	return state;
}
