/**
 * Queue and windows (排队叫号 / 窗口): tickets from issue to completion, what each window is
 * doing, who waits for which department, and the citizens' ratings of the service (好差评).
 */
import type { Counters } from '../counters';
import { homeKeyOf, hourlyKey, periodOf, ticketKey, type HomeKey } from '../keys';
import { hourOf } from '../time';
import { count, placeOfHome, secondsSince, type CountSlice } from './count';
import { entries, exhaustive, type EventsOf, type PlacedEvent, type SliceOf } from './slice';

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

export interface TicketState {
	day: string;
	home: HomeKey;
	issuedAt: number;
	calledAt: number | null;
	startedAt: number | null;
	state: 'waiting' | 'called' | 'serving' | 'done' | 'no_show';
	departmentCode: string | null;
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

export const queueMaps = {
	/** Tickets per hour: `home|day` → 24 counts (for the tickets-per-hour chart). */
	hourly: entries<number[]>((_, key, h) => periodOf(key) >= h.dayBeforeYesterday),
	windows: entries<WindowState>(),
	/** `centerCode|ticketNo` → today's and yesterday's tickets. */
	tickets: entries<TicketState>((t, _, h) => t.day >= h.yesterday),
	/** departmentCode → who waits for it today (the window-idle rule). */
	waitingByDept: entries<DepartmentWaiting>((w, _, h) => w.day >= h.yesterday),
	/** String(seq) → a bad review of today or yesterday (the bad-review rule). */
	badReviews: entries<BadReview>((r, _, h) => r.day >= h.yesterday)
};

export type QueueSlice = SliceOf<typeof queueMaps>;

export type QueueEvent = EventsOf<'queue' | 'window' | 'evaluation'>;

function windowState(state: QueueSlice, code: string, at: number): WindowState {
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

/** The window calls or serves a ticket. */
function take(w: WindowState, e: PlacedEvent, ticketNo: string, ticketState: 'called' | 'serving', staffCode: string | undefined): void {
	w.ticketNo = ticketNo;
	w.ticketState = ticketState;
	w.ticketSince = e.at;
	markIdle(w, e);
	if (staffCode) w.staffCode = staffCode;
}

function dropTicket(w: WindowState): void {
	w.ticketNo = null;
	w.ticketState = null;
	w.ticketSince = null;
}

/** A ticket is done with (completed, no-show): the window lets go of it if it is the one it has. */
function letGo(state: QueueSlice, windowCode: string, ticketNo: string, e: PlacedEvent): void {
	const w = windowState(state, windowCode, e.at);
	if (w.ticketNo === ticketNo) {
		dropTicket(w);
		markIdle(w, e);
	}
}

/** One more ticket waiting for `dept` on `day` (a ticket of an older day than the one tracked is left out). */
function waitStarted(state: QueueSlice, dept: string, day: string, at: number, seq: number): void {
	let w = state.waitingByDept.get(dept);
	if (!w || w.day < day) state.waitingByDept.set(dept, (w = { day, n: 0, since: null, sinceSeq: null }));
	if (w.day !== day) return;
	if (++w.n === 1) {
		w.since = at;
		w.sinceSeq = seq;
	}
}

/** A ticket stopped waiting (called, started, completed or no-show): the count its issue added is taken back. */
function waitEnded(state: QueueSlice & CountSlice, t: TicketState): void {
	count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), t.day, { waiting: -1 });
	const w = t.departmentCode ? state.waitingByDept.get(t.departmentCode) : undefined;
	if (!w || w.day !== t.day || w.n === 0) return;
	if (--w.n === 0) {
		w.since = null;
		w.sinceSeq = null;
	}
}

export function evolveQueue(state: QueueSlice & CountSlice, e: QueueEvent, day: string, tz: string): void {
	const { at, place } = e;
	switch (e.type) {
		case 'queue.ticket_issued': {
			const d = e.data;
			const home = homeKeyOf(place);
			state.tickets.set(ticketKey(d.centerCode, d.ticketNo), { day, home, issuedAt: at, calledAt: null, startedAt: null, state: 'waiting', departmentCode: d.departmentCode ?? null });
			count(state, place, day, { ticketsIssued: 1, waiting: 1 });
			if (d.departmentCode) waitStarted(state, d.departmentCode, day, at, e.seq);
			const hk = hourlyKey(home, day);
			let hours = state.hourly.get(hk);
			if (!hours) state.hourly.set(hk, (hours = new Array(24).fill(0)));
			hours[hourOf(at, tz)]++;
			return;
		}
		case 'queue.ticket_called': {
			const d = e.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			take(windowState(state, d.windowCode, at), e, d.ticketNo, 'called', d.staffCode);
			if (t && t.state === 'waiting') {
				t.state = 'called';
				t.calledAt = at;
				// Take the wait back out where it was counted: the ticket's home and its own department
				// (not the calling window's, which never saw the +1).
				waitEnded(state, t);
				count(state, place, day, { ticketsCalled: 1, waitSum: secondsSince(t.issuedAt, at), waitCount: 1 });
			} else if (!t) count(state, place, day, { ticketsCalled: 1 });
			return;
		}
		case 'queue.service_started': {
			const d = e.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			if (t) {
				if (t.state === 'waiting') {
					// Started without a call event: the wait ends now.
					waitEnded(state, t);
					count(state, place, day, { waitSum: secondsSince(t.issuedAt, at), waitCount: 1 });
				}
				t.state = 'serving';
				t.startedAt = at;
			}
			take(windowState(state, d.windowCode, at), e, d.ticketNo, 'serving', d.staffCode);
			count(state, place, day, { servicesStarted: 1 });
			return;
		}
		case 'queue.service_completed': {
			const d = e.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			const delta: Partial<Counters> = { servicesCompleted: 1 };
			delta[d.result === 'done' ? 'completedDone' : d.result === 'transferred' ? 'completedTransferred' : 'completedIncomplete'] = 1;
			if (t?.startedAt != null) {
				delta.serviceSum = secondsSince(t.startedAt, at);
				delta.serviceCount = 1;
			}
			// Completed without a call or start (a missed event): it is no longer waiting.
			if (t?.state === 'waiting') waitEnded(state, t);
			if (t) t.state = 'done';
			count(state, place, day, delta);
			letGo(state, d.windowCode, d.ticketNo, e);
			return;
		}
		case 'queue.ticket_no_show': {
			const d = e.data;
			const t = state.tickets.get(ticketKey(d.centerCode, d.ticketNo));
			if (t && (t.state === 'waiting' || t.state === 'called')) {
				if (t.state === 'waiting') waitEnded(state, t);
				t.state = 'no_show';
			}
			count(state, place, day, { noShows: 1 });
			if (d.windowCode) letGo(state, d.windowCode, d.ticketNo, e);
			return;
		}
		case 'window.status_changed': {
			const d = e.data;
			const w = windowState(state, d.windowCode, at);
			w.status = d.status;
			w.reason = d.status === 'paused' ? (d.reason ?? null) : null;
			if (d.staffCode) w.staffCode = d.staffCode;
			if (d.status === 'closed') dropTicket(w);
			w.changedAt = at;
			markIdle(w, e);
			return;
		}
		case 'evaluation.submitted': {
			const r = e.data.rating;
			count(state, place, day, { ratings: 1, ratingsGood: r >= 4 ? 1 : 0, ratingsBad: r <= 2 ? 1 : 0 });
			if (r <= BAD_REVIEW_KEEP && e.data.staffCode) state.badReviews.set(String(e.seq), { id: e.id, at, day, staffCode: e.data.staffCode, rating: r });
			return;
		}
		default:
			return exhaustive(e);
	}
}
