/**
 * Attendance and presence (考勤 / 在岗确认): who clocked in, and the presence checks that pop up
 * on a staff member's PC, confirmed in time, late, or judged missed.
 */
import { homeKeyOf, type HomeKey } from '../keys';
import { count, placeOfHome, type CountSlice } from './count';
import { entries, exhaustive, type EventsOf, type SliceOf } from './slice';

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
	/** The round it was issued in, when the sender said. */
	roundId?: string;
}

export const presenceMaps = {
	/** staffCode → clocked in (true) or out (false). */
	onDuty: entries<boolean>(),
	/** checkId → the check; judged ones are dropped the day after tomorrow. */
	checks: entries<CheckState>((c, _, h) => c.day >= h.yesterday || (!c.missed && c.confirmedAt == null))
};

export type PresenceSlice = SliceOf<typeof presenceMaps>;

export type PresenceEvent = EventsOf<'attendance' | 'presence'>;

/** Where a check counts: its home, department, window and staff as issued. */
const checkPlace = (c: CheckState) => placeOfHome(c.home, { departmentCode: c.departmentCode, windowCode: c.windowCode, staffCode: c.staffCode });

export function evolvePresence(state: PresenceSlice & CountSlice, e: PresenceEvent, day: string): void {
	const { at, place } = e;
	switch (e.type) {
		case 'attendance.clock_in':
			state.onDuty.set(e.data.staffCode, true);
			count(state, place, day, { clockIns: 1 });
			return;
		case 'attendance.clock_out':
			state.onDuty.set(e.data.staffCode, false);
			count(state, place, day, { clockOuts: 1 });
			return;
		case 'presence.check_issued': {
			const d = e.data;
			if (state.checks.has(d.checkId)) return;
			state.checks.set(d.checkId, {
				home: homeKeyOf(place),
				day,
				staffCode: d.staffCode,
				windowCode: place.windowCode,
				departmentCode: place.departmentCode,
				issuedAt: at,
				deadline: at + d.respondWithinSec * 1000,
				confirmedAt: null,
				missed: false,
				missedDay: null,
				...(d.roundId ? { roundId: d.roundId } : {})
			});
			count(state, place, day, { checksIssued: 1 });
			return;
		}
		case 'presence.check_confirmed': {
			const c = state.checks.get(e.data.checkId);
			if (!c || c.confirmedAt != null) return;
			const cPlace = checkPlace(c);
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
			return;
		}
		case 'presence.check_missed': {
			const c = state.checks.get(e.data.checkId);
			if (!c || c.missed || (c.confirmedAt != null && c.confirmedAt <= c.deadline)) return;
			c.missed = true;
			c.missedDay = c.day;
			c.missedSeq = e.seq;
			count(state, checkPlace(c), c.day, { checksMissed: 1 });
			return;
		}
		default:
			return exhaustive(e);
	}
}
