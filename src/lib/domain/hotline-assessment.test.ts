/**
 * The hotline as the national assessment measures it (spec §5.2, docs/hotline.md "Figures"):
 * the live figures of one scenario, every number worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { answeredIn15sRate, callAnswerRate, cohortClosureRate, extensionRate, repeatRate, returnRate, threeRateComposite } from './metrics';
import { buildSnapshot, type Scope } from './snapshot';
import { Feed, ms } from './testkit';

const XLT: Scope = { kind: 'region', code: 'XLT' };
const PJ1: Scope = { kind: 'center', code: 'PJ-001' };
const NOW = '2026-11-20T15:00:00+08:00';
const at = (day: string, hhmm: string) => `2026-${day}T${hhmm}:00+08:00`;

/**
 * Region XLT (its tickets show on PJ-001's wall too), departments GSJ and SWJ of PJ-001.
 * - P: received 2025-12-28, closed 2026-01-05 (last year's ticket closed this year).
 * - T0: received and closed in March.
 * - T5: received 10-30, assigned SWJ (no 签收 limit: never judged) due 11-02 17:00, closed 11-05 (late); callback unsatisfied.
 * - T1: 11-02, GSJ, 签收 10:00 by 11:10 (on time), closed 11-03 (due 11-06); callback satisfied, solved.
 * - T2: 11-02, GSJ, 签收 12:00 past 11:30 (late); extension to 11-20 17:00 approved; closed 11-19 (on time by the new due); callback basic, not solved.
 * - T3: 11-03, SWJ by 11:00, not taken: judged late at 11:00 by the deadline timer; SWJ returns it (already judged), approved;
 *   改派 GSJ by 16:00 due 11-10, GSJ returns it at 14:30 (a timely response), refused: stays with GSJ, overdue now.
 * - T4: 11-04, a repeat merged into T1.
 * - Calls today: c1 answered after 5 s, c2 after 20 s, c3 abandoned after 30 s, c4 still ringing.
 */
function scenario(): Feed {
	const f = new Feed();
	const created = (ticketId: string, when: string) => f.ev('hotline.ticket_created', when, { ticketId, channel: 'phone', category: '城市管理', summary: '路灯', regionCode: 'XLT' });
	const assign = (ticketId: string, when: string, departmentCode: string, dueAt: string, acknowledgeBy?: string) =>
		f.ev('hotline.ticket_assigned', when, { ticketId, departmentCode, dueAt, ...(acknowledgeBy ? { acknowledgeBy } : {}) });
	created('P', '2025-12-28T10:00:00+08:00');
	f.ev('hotline.ticket_closed', '2026-01-05T10:00:00+08:00', { ticketId: 'P' });
	created('T0', at('03-10', '09:00'));
	f.ev('hotline.ticket_closed', at('03-12', '09:00'), { ticketId: 'T0' });
	created('T5', at('10-30', '09:00'));
	assign('T5', at('10-30', '09:30'), 'SWJ', at('11-02', '17:00'));
	created('T1', at('11-02', '09:00'));
	assign('T1', at('11-02', '09:10'), 'GSJ', at('11-06', '17:00'), at('11-02', '11:10'));
	f.ev('hotline.ticket_acknowledged', at('11-02', '10:00'), { ticketId: 'T1', departmentCode: 'GSJ' });
	created('T2', at('11-02', '09:30'));
	assign('T2', at('11-02', '09:30'), 'GSJ', at('11-06', '17:00'), at('11-02', '11:30'));
	f.ev('hotline.ticket_acknowledged', at('11-02', '12:00'), { ticketId: 'T2', departmentCode: 'GSJ' });
	f.ev('hotline.ticket_closed', at('11-03', '10:00'), { ticketId: 'T1' });
	created('T3', at('11-03', '08:30'));
	assign('T3', at('11-03', '09:00'), 'SWJ', at('11-10', '17:00'), at('11-03', '11:00'));
	const derived = f.derive(ms(at('11-03', '12:00')));
	expect(derived.map((d) => `${d.type} ${d.data.ticketId}`).sort()).toEqual(['hotline.acknowledge_overdue T3', 'hotline.ticket_overdue T5']);
	f.ev('hotline.ticket_returned', at('11-03', '13:00'), { ticketId: 'T3', departmentCode: 'SWJ', reason: '非本单位职责' });
	f.ev('hotline.return_decided', at('11-03', '13:30'), { ticketId: 'T3', approved: true });
	assign('T3', at('11-03', '14:00'), 'GSJ', at('11-10', '17:00'), at('11-03', '16:00'));
	f.ev('hotline.ticket_returned', at('11-03', '14:30'), { ticketId: 'T3', departmentCode: 'GSJ', reason: '非本单位职责' });
	f.ev('hotline.return_decided', at('11-03', '15:00'), { ticketId: 'T3', approved: false, note: '属本单位职责' });
	created('T4', at('11-04', '09:00'));
	f.ev('hotline.ticket_merged', at('11-04', '09:05'), { ticketId: 'T4', intoTicketId: 'T1' });
	f.ev('hotline.ticket_closed', at('11-05', '10:00'), { ticketId: 'T5' });
	f.ev('hotline.extension_requested', at('11-05', '10:00'), { ticketId: 'T2', departmentCode: 'GSJ', requestedDueAt: at('11-20', '17:00'), reason: '需协调' });
	f.ev('hotline.extension_decided', at('11-05', '11:00'), { ticketId: 'T2', approved: true });
	f.ev('hotline.ticket_closed', at('11-19', '10:00'), { ticketId: 'T2' });
	f.ev('hotline.callback_recorded', at('11-19', '11:00'), { ticketId: 'T1', reached: true, satisfaction: 'satisfied', solved: true });
	f.ev('hotline.callback_recorded', at('11-19', '11:10'), { ticketId: 'T2', reached: true, satisfaction: 'basic', solved: false });
	f.ev('hotline.callback_recorded', at('11-19', '11:20'), { ticketId: 'T5', reached: true, satisfaction: 'unsatisfied' });
	const call = (type: string, callId: string, hhmm: string, waitSec?: number) => f.ev(`hotline.call_${type}`, at('11-20', hhmm), { callId, regionCode: 'XLT', ...(waitSec != null ? { waitSec } : {}) });
	for (const id of ['c1', 'c2', 'c3', 'c4']) call('offered', id, '14:00');
	call('answered', 'c1', '14:01', 5);
	call('answered', 'c2', '14:01', 20);
	call('abandoned', 'c3', '14:01', 30);
	call('answered', 'c1', '14:02', 3); // a second answer of the same call changes nothing
	f.derive(ms(NOW)); // T3 past its due 11-10 17:00
	return f;
}

describe('hotline assessment figures (live)', () => {
	const f = scenario();
	const h = buildSnapshot(f.state, f.org, XLT, { now: ms(NOW) }).hotline;

	it('received and closed: merged tickets count once; the contract rate and the cohort rate', () => {
		// Received in November: T1, T2, T3 (T4 merged away). Closed in November: T1, T2, T5 → 3 ÷ 3 = 100.
		// Of the three received, T1 and T2 are closed: 2 ÷ 3 = 66.7. T5 (received in October) counts in the contract rate only.
		expect(h).toMatchObject({ receivedMonth: 3, closedMonth: 3, closureRate: 100, cohortClosureRate: 66.7 });
		// On time: T1, T2 (by its extended due time), not T5: 2 ÷ 3.
		expect(h.onTimeRate).toBe(66.7);
		// Repeats: 1 of 4 taken (3 + 1) = 25.
		expect(h).toMatchObject({ mergedMonth: 1, repeatRate: 25 });
	});

	it('签收及时率, 退单率, 延期率', () => {
		// Judged: T1 on time, T2 late, T3 (SWJ) late by the timer, T3 (GSJ) returned in time; T5 had no limit. 2 ÷ 4 = 50.
		expect(h.acknowledgedOnTimeRate).toBe(50);
		// Assigned in November: T1, T2, T3 twice = 4; returned twice: 50; one approved extension: 25.
		expect(h).toMatchObject({ returnedMonth: 2, returnRate: 50, extendedMonth: 1, extensionRate: 25 });
	});

	it('解决率 and 满意率 from the callbacks; the three-rate composite with 30/35/35', () => {
		// Reached: T1 satisfied, T2 basic, T5 unsatisfied → 2 ÷ 3 = 66.7. Said solved or not: T1 yes, T2 no → 50.
		expect(h).toMatchObject({ satisfactionRate: 66.7, resolvedRate: 50 });
		// (50 × 30 + 50 × 35 + 66.7 × 35) ÷ 100 = 55.845 → 55.8.
		expect(h.compositeRate).toBe(55.8);
	});

	it('接通率 and the 15-second rate, today', () => {
		// Offered 4, answered 2 (c1 once), abandoned 1: 2 ÷ 4 = 50; within 15 s: c1 of c1, c2 → 50.
		expect(h).toMatchObject({ callsOfferedToday: 4, callsAnsweredToday: 2, callsAbandonedToday: 1, callAnswerRate: 50, answeredIn15sRate: 50 });
	});

	it('year to date (1–11月累计) beside the month', () => {
		// Received this year: T0, T5, T1, T2, T3 = 5 (P was last year's). Closed this year: P, T0, T5, T1, T2 = 5 → 100;
		// of the 5 received, closed now: T0, T5, T1, T2 → 80.
		expect(h).toMatchObject({ receivedYear: 5, closedYear: 5, closureRateYear: 100, cohortClosureRateYear: 80 });
	});

	it('departments ranked by the composite, with their returns, extensions and open tickets past due', () => {
		// GSJ: judged T1 ✓, T2 ✗, T3 ✓ → 66.7; solved T1 ✓ T2 ✗ → 50; satisfied T1, T2 → 100: (66.7×30 + 50×35 + 100×35) ÷ 100 = 72.51 → 72.5.
		// SWJ: judged T3 ✗ → 0; T5 unsatisfied → 0; no solved answer: (0×30 + 0×35) ÷ 65 = 0.
		expect(h.threeRates).toEqual([
			{ departmentCode: 'GSJ', name: '市场监管局', responseRate: 66.7, resolvedRate: 50, satisfactionRate: 100, composite: 72.5, rank: 1, assigned: 3, returned: 1, extended: 1, overdueOpen: 1 },
			{ departmentCode: 'SWJ', name: '税务局', responseRate: 0, resolvedRate: null, satisfactionRate: 0, composite: 0, rank: 2, assigned: 1, returned: 1, extended: 0, overdueOpen: 0 }
		]);
		expect(h.overdueOpen).toBe(1);
		expect(h.overdueByDepartment).toEqual([{ departmentCode: 'GSJ', name: '市场监管局', overdueOpen: 1 }]);
		expect(h.overdue.map((t) => t.ticketId)).toEqual(['T3']);
	});

	it('the admin’s weights change the composite; a center shows its region’s tickets', () => {
		const w = buildSnapshot(f.state, f.org, PJ1, { now: ms(NOW), weights: { response: 100, resolved: 0, satisfaction: 0 } }).hotline;
		expect(w.compositeRate).toBe(50);
		expect(w.threeRates.map((r) => [r.departmentCode, r.composite])).toEqual([
			['GSJ', 66.7],
			['SWJ', 0]
		]);
	});

	it('a stale 签收超时 (of an earlier assignment) and a second acknowledgement change nothing', () => {
		const g = scenario();
		g.ev('hotline.acknowledge_overdue', at('11-20', '14:50'), { ticketId: 'T3', departmentCode: 'SWJ', acknowledgeBy: at('11-03', '11:00'), derivedBy: 'test' });
		g.ev('hotline.ticket_acknowledged', at('11-20', '14:51'), { ticketId: 'T1', departmentCode: 'GSJ' });
		g.ev('hotline.ticket_closed', at('11-20', '14:52'), { ticketId: 'T4' }); // merged: ignored
		const k = buildSnapshot(g.state, g.org, XLT, { now: ms(NOW) }).hotline;
		expect(k).toMatchObject({ acknowledgedOnTimeRate: 50, closedMonth: 3, receivedMonth: 3 });
	});
});

describe('签收 judged in any order', () => {
	it('an acknowledgement within the limit applied after the timer judged it late counts in time', () => {
		const f = new Feed();
		f.ev('hotline.ticket_created', at('11-02', '09:00'), { ticketId: 'A', channel: 'web', category: '城市管理', summary: '路灯', regionCode: 'XLT' });
		f.ev('hotline.ticket_assigned', at('11-02', '09:10'), { ticketId: 'A', departmentCode: 'GSJ', dueAt: at('11-06', '17:00'), acknowledgeBy: at('11-02', '11:10') });
		// A bulk load: the timer runs before the acknowledgement (10:00) has been applied.
		expect(f.derive(ms(at('11-02', '12:00'))).map((d) => d.type)).toEqual(['hotline.acknowledge_overdue']);
		expect(buildSnapshot(f.state, f.org, XLT, { now: ms(NOW) }).hotline.acknowledgedOnTimeRate).toBe(0);
		f.ev('hotline.ticket_acknowledged', at('11-02', '10:00'), { ticketId: 'A', departmentCode: 'GSJ' });
		// 1 judged, 1 in time: 100, as if the events had come in order.
		expect(buildSnapshot(f.state, f.org, XLT, { now: ms(NOW) }).hotline.acknowledgedOnTimeRate).toBe(100);
	});
});

describe('hotline rate formulas', () => {
	it('by hand', () => {
		// Ordos 2012: 22,586 closed of 23,328 received; a cohort never passes 100.
		expect(cohortClosureRate(22586, 23328)).toBe(96.8);
		expect(callAnswerRate(19, 20)).toBe(95);
		expect(answeredIn15sRate(9, 19)).toBe(47.4);
		expect(returnRate(3, 200)).toBe(1.5);
		expect(extensionRate(1, 3)).toBe(33.3);
		expect(repeatRate(1, 3)).toBe(25);
		expect(repeatRate(0, 0)).toBeNull();
	});

	it('the composite: weights over the rates that exist', () => {
		expect(threeRateComposite({ response: 98, resolved: 90, satisfaction: 95 })).toBe(94.2); // (2940 + 3150 + 3325) ÷ 100
		expect(threeRateComposite({ response: null, resolved: 90, satisfaction: 95 })).toBe(92.5); // (3150 + 3325) ÷ 70
		expect(threeRateComposite({ response: null, resolved: null, satisfaction: null })).toBeNull();
		expect(threeRateComposite({ response: 80, resolved: null, satisfaction: null }, { response: 0, resolved: 50, satisfaction: 50 })).toBeNull();
	});
});
