import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, onDutyStaff, planRounds, roundResults, sampleStaff, seededRandom } from './presence';
import { Feed, ms } from './testkit';

describe('presence-check rounds', () => {
	it('plans the same random times for the same center and day, within hours, apart by the minimum gap', () => {
		const a = planRounds('PJ-001', '2026-11-20', DEFAULT_SCHEDULE);
		expect(a).toEqual(planRounds('PJ-001', '2026-11-20', DEFAULT_SCHEDULE));
		expect(a).not.toEqual(planRounds('PJ-001', '2026-11-21', DEFAULT_SCHEDULE));
		expect(a).toHaveLength(3);
		for (const m of a) expect((m >= 540 && m < 690) || (m >= 810 && m < 1020), `${m}`).toBe(true);
		for (let i = 1; i < a.length; i++) expect(a[i] - a[i - 1]).toBeGreaterThanOrEqual(60);
		// Hours too short for the gap: fewer rounds, never overlapping.
		expect(planRounds('PJ-001', '2026-11-20', { hours: [['09:00', '09:30']], roundsPerDay: 3, minGapMinutes: 60 })).toHaveLength(1);
		expect(planRounds('PJ-001', '2026-11-20', { hours: [], roundsPerDay: 3, minGapMinutes: 60 })).toEqual([]);
		expect(() => planRounds('PJ-001', '2026-11-20', { hours: [['9', '10']], roundsPerDay: 1, minGapMinutes: 0 })).toThrow(/hours/);
	});

	it('checks staff on duty: clocked in or at an open window, filtered by department or windows', () => {
		const f = new Feed();
		f.ev('attendance.clock_in', '2026-11-20T08:20:00+08:00', { staffCode: 'S001', method: 'face' });
		f.ev('window.status_changed', '2026-11-20T08:30:00+08:00', { windowCode: 'W02', status: 'open', staffCode: 'S002' });
		f.ev('attendance.clock_in', '2026-11-20T08:20:00+08:00', { staffCode: 'S003', method: 'face' }); // another center
		expect(onDutyStaff(f.state, f.org, 'PJ-001').map((s) => s.staffCode)).toEqual(['S001', 'S002']);
		expect(onDutyStaff(f.state, f.org, 'PJ-001', { kind: 'department', code: 'SWJ' }).map((s) => s.staffCode)).toEqual(['S002']);
		expect(onDutyStaff(f.state, f.org, 'PJ-001', { kind: 'windows', codes: ['W01'] }).map((s) => s.staffCode)).toEqual(['S001']);
		f.ev('attendance.clock_out', '2026-11-20T12:00:00+08:00', { staffCode: 'S001', method: 'face' });
		expect(onDutyStaff(f.state, f.org, 'PJ-001').map((s) => s.staffCode)).toEqual(['S002']);
	});

	it('samples without repeats', () => {
		const pick = sampleStaff([1, 2, 3, 4, 5, 6], 3, seededRandom('x'));
		expect(pick).toHaveLength(3);
		expect(new Set(pick).size).toBe(3);
		expect(sampleStaff([1, 2], 0, seededRandom('x'))).toEqual([1, 2]);
	});

	it('judges each check: confirmed with its response time, open, missed, not at terminal; exactly at the deadline counts', () => {
		const f = new Feed();
		const issue = (id: string, staff: string, win: string) => f.ev('presence.check_issued', '2026-11-20T10:00:00+08:00', { checkId: id, staffCode: staff, windowCode: win, respondWithinSec: 60 });
		issue('a', 'S001', 'W01');
		issue('b', 'S002', 'W02');
		issue('c', 'S003', 'W03');
		issue('d', 'S004', 'W04');
		f.ev('presence.check_confirmed', '2026-11-20T10:00:12.5+08:00', { checkId: 'a', staffCode: 'S001' });
		f.ev('presence.check_confirmed', '2026-11-20T10:01:00+08:00', { checkId: 'd', staffCode: 'S004' }); // exactly at the deadline
		const checks = [
			{ checkId: 'a', staffCode: 'S001', windowCode: 'W01', atTerminal: true },
			{ checkId: 'b', staffCode: 'S002', windowCode: 'W02', atTerminal: true },
			{ checkId: 'c', staffCode: 'S003', windowCode: 'W03', atTerminal: false },
			{ checkId: 'd', staffCode: 'S004', windowCode: 'W04', atTerminal: true }
		];
		const during = roundResults(f.state, checks, ms('2026-11-20T10:00:30+08:00'));
		expect(during.map((r) => r.outcome)).toEqual(['confirmed', 'open', 'open', 'confirmed']);
		expect(during[0].responseSec).toBe(12.5);
		f.derive(ms('2026-11-20T10:01:01+08:00'));
		const after = roundResults(f.state, checks, ms('2026-11-20T10:01:01+08:00'));
		expect(after.map((r) => r.outcome)).toEqual(['confirmed', 'missed', 'not_at_terminal', 'confirmed']);
		expect(after[3].responseSec).toBe(60);
	});
});
