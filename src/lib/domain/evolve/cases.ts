/**
 * Cases (办件) from the approval system: accepted, warned (预警), overdue (超期) and completed
 * (办结). Open cases stay in the state until completed; the overdue ones count in their
 * home's gauge.
 */
import { homeKeyOf, type HomeKey } from '../keys';
import { dayKey, endOfDay } from '../time';
import { count, gauge, placeOfHome, type CountSlice } from './count';
import { entries, exhaustive, type EventsOf, type SliceOf } from './slice';

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

export const caseMaps = {
	/** caseId → the open case (a completed one is dropped at once). */
	cases: entries<CaseState>()
};

export type CaseSlice = SliceOf<typeof caseMaps>;

export type CaseEvent = EventsOf<'case'>;

/**
 * Due time of a case: `dueAt`, or the end of the day `promisedDays` calendar days after
 * acceptance, both the day and its end taken in the case's zone `tz` (whatever offset the
 * sender wrote `occurredAt` with).
 */
export function caseDueAt(occurredAt: string, at: number, data: { dueAt?: string; promisedDays?: number }, tz: string): number {
	if (data.dueAt) return Date.parse(data.dueAt);
	return endOfDay(dayKey(at + (data.promisedDays ?? 0) * 86_400_000, tz), tz);
}

const casePlace = (c: CaseState) => placeOfHome(c.home, { departmentCode: c.departmentCode });

export function evolveCases(state: CaseSlice & CountSlice, e: CaseEvent, day: string, tz: string): void {
	const at = e.at;
	switch (e.type) {
		case 'case.accepted': {
			const d = e.data;
			if (state.cases.has(d.caseId)) return;
			state.cases.set(d.caseId, {
				home: homeKeyOf(e.place),
				departmentCode: d.departmentCode,
				acceptedAt: at,
				dueAt: caseDueAt(e.occurredAt, at, d, tz),
				immediate: d.immediate,
				near: false,
				overdue: false,
				overdueDay: null,
				acceptedSeq: e.seq
			});
			count(state, e.place, day, { casesAccepted: 1, casesAcceptedImmediate: d.immediate ? 1 : 0, casesAcceptedOnline: d.online ? 1 : 0 });
			return;
		}
		case 'case.completed': {
			const c = state.cases.get(e.data.caseId);
			if (!c) return; // unknown or already completed: counted once
			state.cases.delete(e.data.caseId);
			const cPlace = casePlace(c);
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
			return;
		}
		case 'case.deadline_near': {
			const c = state.cases.get(e.data.caseId);
			if (!c || c.near) return;
			c.near = true;
			c.nearSeq = e.seq;
			count(state, casePlace(c), day, { casesDeadlineNear: 1 });
			return;
		}
		case 'case.overdue': {
			const c = state.cases.get(e.data.caseId);
			if (!c || c.overdue) return;
			c.overdue = true;
			c.overdueDay = day;
			c.overdueSeq = e.seq;
			gauge(state, c.home).casesOverdueOpen++;
			count(state, casePlace(c), day, { casesOverdue: 1 });
			return;
		}
		default:
			return exhaustive(e);
	}
}
