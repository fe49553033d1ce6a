/**
 * The 12345 mayor's hotline (市长热线): tickets taken, dispatched (转办) with a due time, replied,
 * closed (办结), reopened (退回重办), called back (回访), supervised (督办) and overdue (超期).
 * A ticket counts at its home and the department it is assigned to.
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
}

export const hotlineMaps = {
	/** ticketId → the ticket; closed ones are dropped 40 days after their closure (late callbacks still count). */
	hotline: entries<HotlineTicketState>((t, _, h) => t.closedDay == null || t.closedDay >= h.oldestClosure)
};

export type HotlineSlice = SliceOf<typeof hotlineMaps>;

export type HotlineEvent = EventsOf<'hotline'>;

const ticketPlace = (t: HotlineTicketState) => placeOfHome(t.home, { departmentCode: t.departmentCode });

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
			const t = state.hotline.get(e.data.ticketId);
			if (!t) return;
			t.departmentCode = e.data.departmentCode;
			t.dueAt = Date.parse(e.data.dueAt);
			t.assignedSeq = e.seq;
			count(state, ticketPlace(t), day, { hotlineAssigned: 1 });
			return;
		}
		case 'hotline.ticket_replied': {
			const t = state.hotline.get(e.data.ticketId);
			if (!t) return;
			count(state, placeOfHome(t.home, { departmentCode: e.data.departmentCode }), day, { hotlineReplied: 1 });
			return;
		}
		case 'hotline.ticket_closed': {
			const t = state.hotline.get(e.data.ticketId);
			if (!t || t.closedAt != null) return;
			t.closedAt = at;
			t.closedDay = day;
			t.closedOnTime = t.dueAt == null || at <= t.dueAt;
			count(state, ticketPlace(t), day, { hotlineClosed: 1, hotlineClosedOnTime: t.closedOnTime ? 1 : 0 });
			if (t.inOverdueGauge) {
				t.inOverdueGauge = false;
				gauge(state, t.home).hotlineOverdueOpen--;
			}
			return;
		}
		case 'hotline.ticket_reopened': {
			const t = state.hotline.get(e.data.ticketId);
			if (!t || t.closedAt == null) return;
			// A ticket counts as closed once, on its latest closure.
			count(state, ticketPlace(t), t.closedDay!, { hotlineClosed: -1, hotlineClosedOnTime: t.closedOnTime ? -1 : 0 });
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
			const d = e.data;
			count(state, t ? ticketPlace(t) : e.place, day, {
				hotlineCallbacks: 1,
				hotlineReached: d.reached ? 1 : 0,
				hotlineSatisfied: d.reached && d.satisfaction === 'satisfied' ? 1 : 0,
				hotlineBasic: d.reached && d.satisfaction === 'basic' ? 1 : 0,
				hotlineUnsatisfied: d.reached && d.satisfaction === 'unsatisfied' ? 1 : 0
			});
			return;
		}
		case 'hotline.ticket_supervised': {
			const t = state.hotline.get(e.data.ticketId);
			if (t) t.supervised++;
			count(state, t ? ticketPlace(t) : e.place, day, { hotlineSupervised: 1 });
			return;
		}
		case 'hotline.ticket_overdue': {
			const t = state.hotline.get(e.data.ticketId);
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
		default:
			return exhaustive(e);
	}
}
