/**
 * The 12345 mayor's hotline (市长热线): tickets taken, dispatched (转办) with a due time, taken by
 * the department (签收) or returned (退单, reviewed by the center), extended (延期), replied,
 * closed (办结), reopened (退回重办), called back (回访, with 是否解决), supervised (督办), overdue
 * (超期), merged into another as a repeat (重复件); and the calls the telephony system reports.
 * A ticket counts at its home and the department it is assigned to (the latest assignment);
 * a merged ticket leaves received and closed and is ignored from then on.
 */
import { homeKeyOf, type HomeKey } from '../keys';
import { count, gauge, placeOfHome, type CountSlice } from './count';
import { entries, exhaustive, type EventsOf, type SliceOf } from './slice';

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
	/** The latest assignment's acknowledge limit (签收时限), when it was acknowledged, and whether it was judged (counted in 签收及时率). */
	ackBy?: number | null;
	acknowledgedAt?: number | null;
	ackJudged?: boolean;
	/** The day the deadline timer judged the 签收 late (an acknowledgement within the limit arriving after it corrects that day). */
	ackTimerDay?: string | null;
	/** A return (退单) waiting for the center's review. */
	returnPending?: boolean;
	/** The due time a pending extension request asks for. */
	extensionPending?: number | null;
	/** Approved extensions. */
	extensions?: number;
	/** Merged into this ticket (重复件): counted nowhere any more. */
	mergedInto?: string | null;
}

/** One call of the telephony system: counted once, offered then answered or abandoned. */
export interface CallState {
	day: string;
	done: boolean;
}

/** Answered within this many seconds counts in the 15-second answer rate (GB/T 33358-2016). */
export const ANSWER_WITHIN_SEC = 15;

export const hotlineMaps = {
	/** ticketId → the ticket; closed ones are dropped 40 days after their closure (late callbacks still count). */
	hotline: entries<HotlineTicketState>((t, _, h) => (t.closedDay == null && !t.mergedInto) || (t.closedDay != null && t.closedDay >= h.oldestClosure)),
	/** callId → the call, kept until the day after (an answer a little after midnight still finds its offer). */
	calls: entries<CallState>((c, _, h) => c.day >= h.yesterday)
};

export type HotlineSlice = SliceOf<typeof hotlineMaps>;

export type HotlineEvent = EventsOf<'hotline'>;

const ticketPlace = (t: HotlineTicketState) => placeOfHome(t.home, { departmentCode: t.departmentCode });

/**
 * The department's side starts anew with an assignment. Fields are written only where they
 * differ from their default, so a ticket of a sender without these steps keeps the shape it had
 * (and its checkpoint entry stays as small).
 */
function newAssignment(t: HotlineTicketState, ackBy: number | null): void {
	if (ackBy != null || t.ackBy != null) t.ackBy = ackBy;
	if (t.acknowledgedAt != null) t.acknowledgedAt = null;
	if (t.ackJudged) t.ackJudged = false;
	if (t.ackTimerDay != null) t.ackTimerDay = null;
	if (t.returnPending) t.returnPending = false;
	if (t.extensionPending != null) t.extensionPending = null;
}

/** Count the ack judgement of the current assignment once: at acknowledgement, return, or when its limit passed. */
function judgeAck(state: CountSlice, t: HotlineTicketState, onTime: (ackBy: number) => boolean, day: string): void {
	if (t.ackJudged || t.ackBy == null) return;
	t.ackJudged = true;
	count(state, ticketPlace(t), day, { hotlineAckJudged: 1, hotlineAckOnTime: onTime(t.ackBy) ? 1 : 0 });
}

/** The ticket of an event, unless unknown or merged away. */
function live(state: HotlineSlice, ticketId: string): HotlineTicketState | undefined {
	const t = state.hotline.get(ticketId);
	return t && !t.mergedInto ? t : undefined;
}

function call(state: HotlineSlice & CountSlice, e: HotlineEvent & { data: { callId: string } }, day: string): CallState | null {
	let c = state.calls.get(e.data.callId);
	if (!c) {
		state.calls.set(e.data.callId, (c = { day, done: false }));
		count(state, e.place, day, { callsOffered: 1 });
	}
	return c;
}

export function evolveHotline(state: HotlineSlice & CountSlice, e: HotlineEvent, day: string): void {
	const at = e.at;
	switch (e.type) {
		case 'hotline.ticket_created': {
			const d = e.data;
			if (state.hotline.has(d.ticketId)) return;
			state.hotline.set(d.ticketId, {
				home: homeKeyOf(e.place),
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
			count(state, e.place, day, { hotlineReceived: 1 });
			return;
		}
		case 'hotline.ticket_assigned': {
			const t = live(state, e.data.ticketId);
			if (!t) return;
			t.departmentCode = e.data.departmentCode;
			t.dueAt = Date.parse(e.data.dueAt);
			t.assignedSeq = e.seq;
			// 改派 is a new assignment: its own acknowledge limit (none: a sender without a 签收 step, never judged); a pending return or extension is settled by it.
			newAssignment(t, e.data.acknowledgeBy ? Date.parse(e.data.acknowledgeBy) : null);
			count(state, ticketPlace(t), day, { hotlineAssigned: 1 });
			return;
		}
		case 'hotline.ticket_acknowledged': {
			const t = live(state, e.data.ticketId);
			if (!t || t.departmentCode !== e.data.departmentCode || t.acknowledgedAt != null) return;
			t.acknowledgedAt = at;
			count(state, ticketPlace(t), day, { hotlineAcknowledged: 1 });
			// Taken in time but applied after the timer's judgement (a sender's backlog, a bulk load): the
			// judgement is corrected on its day, so the rate does not depend on the order events arrive in.
			if (t.ackTimerDay != null && t.ackBy != null && at <= t.ackBy) {
				count(state, ticketPlace(t), t.ackTimerDay, { hotlineAckOnTime: 1 });
				t.ackTimerDay = null;
			}
			judgeAck(state, t, (by) => at <= by, day);
			return;
		}
		case 'hotline.acknowledge_overdue': {
			const t = live(state, e.data.ticketId);
			if (!t || t.acknowledgedAt != null || t.ackJudged || t.ackBy !== Date.parse(e.data.acknowledgeBy)) return;
			judgeAck(state, t, () => false, day);
			t.ackTimerDay = day;
			return;
		}
		case 'hotline.ticket_returned': {
			const t = live(state, e.data.ticketId);
			if (!t || t.departmentCode !== e.data.departmentCode || t.returnPending || t.closedAt != null) return;
			t.returnPending = true;
			// A return answers the dispatch as an acknowledgement does (a timely response).
			judgeAck(state, t, (by) => at <= by, day);
			count(state, ticketPlace(t), day, { hotlineReturned: 1 });
			return;
		}
		case 'hotline.return_decided': {
			const t = live(state, e.data.ticketId);
			if (!t || !t.returnPending) return;
			t.returnPending = false;
			count(state, ticketPlace(t), day, e.data.approved ? { hotlineReturnApproved: 1 } : { hotlineReturnRefused: 1 });
			return;
		}
		case 'hotline.extension_requested': {
			const t = live(state, e.data.ticketId);
			if (!t || t.departmentCode !== e.data.departmentCode || t.closedAt != null) return;
			t.extensionPending = Date.parse(e.data.requestedDueAt);
			count(state, ticketPlace(t), day, { hotlineExtensionRequested: 1 });
			return;
		}
		case 'hotline.extension_decided': {
			const t = live(state, e.data.ticketId);
			if (!t || t.extensionPending == null) return;
			const due = e.data.dueAt ? Date.parse(e.data.dueAt) : t.extensionPending;
			t.extensionPending = null;
			if (!e.data.approved) return;
			t.dueAt = due;
			t.extensions = (t.extensions ?? 0) + 1;
			count(state, ticketPlace(t), day, { hotlineExtended: 1 });
			return;
		}
		case 'hotline.ticket_merged': {
			const t = live(state, e.data.ticketId);
			if (!t || e.data.intoTicketId === e.data.ticketId) return;
			// Counted once, as the ticket it joins: it leaves received, closed and the overdue list.
			const home = placeOfHome(t.home);
			count(state, home, t.createdDay, { hotlineReceived: -1, hotlineMerged: 1 });
			if (t.closedAt != null) {
				count(state, ticketPlace(t), t.closedDay!, { hotlineClosed: -1, hotlineClosedOnTime: t.closedOnTime ? -1 : 0 });
				count(state, ticketPlace(t), t.createdDay, { hotlineClosedOfReceived: -1 });
			}
			if (t.inOverdueGauge) {
				t.inOverdueGauge = false;
				gauge(state, t.home).hotlineOverdueOpen--;
			}
			t.mergedInto = e.data.intoTicketId;
			return;
		}
		case 'hotline.ticket_replied': {
			const t = live(state, e.data.ticketId);
			if (!t) return;
			count(state, placeOfHome(t.home, { departmentCode: e.data.departmentCode }), day, { hotlineReplied: 1 });
			return;
		}
		case 'hotline.ticket_closed': {
			const t = live(state, e.data.ticketId);
			if (!t || t.closedAt != null) return;
			t.closedAt = at;
			t.closedDay = day;
			t.closedOnTime = t.dueAt == null || at <= t.dueAt;
			count(state, ticketPlace(t), day, { hotlineClosed: 1, hotlineClosedOnTime: t.closedOnTime ? 1 : 0 });
			count(state, ticketPlace(t), t.createdDay, { hotlineClosedOfReceived: 1 });
			if (t.inOverdueGauge) {
				t.inOverdueGauge = false;
				gauge(state, t.home).hotlineOverdueOpen--;
			}
			return;
		}
		case 'hotline.ticket_reopened': {
			const t = live(state, e.data.ticketId);
			if (!t || t.closedAt == null) return;
			// A ticket counts as closed once, on its latest closure.
			count(state, ticketPlace(t), t.closedDay!, { hotlineClosed: -1, hotlineClosedOnTime: t.closedOnTime ? -1 : 0 });
			count(state, ticketPlace(t), t.createdDay, { hotlineClosedOfReceived: -1 });
			count(state, ticketPlace(t), day, { hotlineReopened: 1 });
			t.closedAt = null;
			t.closedDay = null;
			t.closedOnTime = false;
			if (t.overdue) {
				t.inOverdueGauge = true;
				gauge(state, t.home).hotlineOverdueOpen++;
			}
			return;
		}
		case 'hotline.callback_recorded': {
			const t = state.hotline.get(e.data.ticketId);
			if (t?.mergedInto) return;
			const d = e.data;
			const asked = d.reached && typeof d.solved === 'boolean';
			count(state, t ? ticketPlace(t) : e.place, day, {
				hotlineCallbacks: 1,
				hotlineReached: d.reached ? 1 : 0,
				hotlineSatisfied: d.reached && d.satisfaction === 'satisfied' ? 1 : 0,
				hotlineBasic: d.reached && d.satisfaction === 'basic' ? 1 : 0,
				hotlineUnsatisfied: d.reached && d.satisfaction === 'unsatisfied' ? 1 : 0,
				hotlineSolvedAsked: asked ? 1 : 0,
				hotlineSolved: asked && d.solved ? 1 : 0
			});
			return;
		}
		case 'hotline.ticket_supervised': {
			const t = state.hotline.get(e.data.ticketId);
			if (t?.mergedInto) return;
			if (t) t.supervised++;
			count(state, t ? ticketPlace(t) : e.place, day, { hotlineSupervised: 1 });
			return;
		}
		case 'hotline.ticket_overdue': {
			const t = live(state, e.data.ticketId);
			if (!t || t.overdue) return;
			t.overdue = true;
			t.overdueSeq = e.seq;
			if (t.closedAt == null) {
				t.inOverdueGauge = true;
				gauge(state, t.home).hotlineOverdueOpen++;
			}
			count(state, ticketPlace(t), day, { hotlineOverdue: 1 });
			return;
		}
		case 'hotline.call_offered':
			call(state, e, day);
			return;
		case 'hotline.call_answered': {
			const c = call(state, e, day);
			if (!c || c.done) return;
			c.done = true;
			const w = e.data.waitSec;
			count(state, e.place, day, { callsAnswered: 1, callsAnswered15: w <= ANSWER_WITHIN_SEC ? 1 : 0, callWaitSum: Math.round(w) });
			return;
		}
		case 'hotline.call_abandoned': {
			const c = call(state, e, day);
			if (!c || c.done) return;
			c.done = true;
			count(state, e.place, day, { callsAbandoned: 1 });
			return;
		}
		default:
			return exhaustive(e);
	}
}
