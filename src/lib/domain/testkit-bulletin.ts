/**
 * Test fixture for the bulletin's unit tests: October 2026 in the test org of testkit.ts, a
 * known event set whose figures the tests compute by hand. Not used by the app.
 */
import { Feed, ms } from './testkit';

const O = (d: string, hms: string) => `2026-10-${d}T${hms}+08:00`;

/** October 2026 (and one case accepted in September), as listed in the comments. */
export function october(): Feed {
	const f = new Feed();
	const ev = f.ev.bind(f);
	// A case accepted in September, completed in October (early: a day and more before its due time).
	ev('case.accepted', '2026-09-30T09:00:00+08:00', { caseId: 'p1', departmentCode: 'GSJ', itemName: '设立登记', immediate: false, online: false, promisedDays: 3 });
	ev('case.completed', O('02', '10:00:00'), { caseId: 'p1' });
	// Hotline: h1 (XLT → GSJ, closed in time, called back satisfied), h2 (SHQ → GAJ, overdue, supervised), h3 (no region, never assigned).
	ev('hotline.ticket_created', O('05', '09:00:00'), { ticketId: 'h1', channel: 'phone', category: '市场监管', summary: '……', regionCode: 'XLT' });
	ev('hotline.ticket_assigned', O('05', '10:00:00'), { ticketId: 'h1', departmentCode: 'GSJ', dueAt: O('08', '17:00:00') });
	ev('hotline.ticket_closed', O('07', '15:00:00'), { ticketId: 'h1' });
	ev('hotline.callback_recorded', O('08', '10:00:00'), { ticketId: 'h1', reached: true, satisfaction: 'satisfied' });
	ev('hotline.ticket_created', O('06', '09:00:00'), { ticketId: 'h2', channel: 'web', category: '户籍', summary: '……', regionCode: 'SHQ' });
	ev('hotline.ticket_assigned', O('06', '10:00:00'), { ticketId: 'h2', departmentCode: 'GAJ', dueAt: O('09', '17:00:00') });
	ev('hotline.ticket_created', O('06', '11:00:00'), { ticketId: 'h3', channel: 'mailbox', category: '其他', summary: '……' });
	ev('hotline.callback_recorded', O('07', '11:00:00'), { ticketId: 'h3', reached: false });
	// Queue: three tickets, two served, one no-show.
	ev('queue.ticket_issued', O('08', '09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001', departmentCode: 'GSJ' });
	ev('queue.ticket_issued', O('08', '09:05:00'), { centerCode: 'PJ-001', ticketNo: 'B001', departmentCode: 'SWJ' });
	ev('queue.ticket_called', O('08', '09:10:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' });
	ev('queue.service_started', O('08', '09:10:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' });
	ev('queue.service_completed', O('08', '09:20:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001', result: 'done' });
	ev('queue.ticket_no_show', O('08', '09:30:00'), { centerCode: 'PJ-001', ticketNo: 'B001' });
	ev('queue.ticket_issued', O('09', '10:00:00'), { centerCode: 'PJ-002', ticketNo: 'C001', departmentCode: 'GAJ' });
	ev('queue.ticket_called', O('09', '10:02:00'), { centerCode: 'PJ-002', ticketNo: 'C001', windowCode: 'W03', staffCode: 'S003' });
	ev('queue.service_started', O('09', '10:02:00'), { centerCode: 'PJ-002', ticketNo: 'C001', windowCode: 'W03', staffCode: 'S003' });
	ev('queue.service_completed', O('09', '10:12:00'), { centerCode: 'PJ-002', ticketNo: 'C001', windowCode: 'W03', staffCode: 'S003', result: 'done' });
	// Cases.
	const accept = (caseId: string, departmentCode: string, at: string, immediate: boolean, online: boolean, due: Record<string, unknown>) =>
		ev('case.accepted', at, { caseId, departmentCode, itemName: '事项', immediate, online, ...due });
	accept('g1', 'GSJ', O('10', '09:00:00'), true, true, { dueAt: O('10', '17:00:00') });
	ev('case.completed', O('10', '09:30:00'), { caseId: 'g1' }); // immediate, on time, not early
	accept('g2', 'GSJ', O('10', '09:00:00'), false, false, { promisedDays: 5 });
	ev('case.completed', O('12', '10:00:00'), { caseId: 'g2' }); // early (due the end of the 15th)
	accept('g3', 'GSJ', O('11', '09:00:00'), false, false, { dueAt: O('13', '17:00:00') }); // never completed: overdue
	accept('s1', 'SWJ', O('20', '09:00:00'), false, true, { dueAt: O('25', '17:00:00') }); // overdue, completed late
	// Reviews: 5 and 1 (naming S001) at W01, 2 at W02, 4 at W03.
	ev('evaluation.submitted', O('12', '11:00:00'), { rating: 5, windowCode: 'W01' });
	ev('evaluation.submitted', O('12', '11:10:00'), { rating: 1, windowCode: 'W01', staffCode: 'S001' });
	ev('evaluation.submitted', O('12', '11:20:00'), { rating: 2, windowCode: 'W02' });
	ev('evaluation.submitted', O('12', '11:30:00'), { rating: 4, windowCode: 'W03' });
	// Presence checks: k1 and k4 confirmed, k2 (S001) and k3 (S002) missed.
	ev('presence.check_issued', O('15', '10:00:00'), { checkId: 'k1', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 60 });
	ev('presence.check_confirmed', O('15', '10:00:30'), { checkId: 'k1', staffCode: 'S001' });
	ev('presence.check_issued', O('16', '10:00:00'), { checkId: 'k2', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 60 });
	ev('presence.check_issued', O('16', '10:00:00'), { checkId: 'k3', staffCode: 'S002', windowCode: 'W02', respondWithinSec: 60 });
	ev('presence.check_issued', O('16', '10:00:00'), { checkId: 'k4', staffCode: 'S003', windowCode: 'W03', respondWithinSec: 60 });
	ev('presence.check_confirmed', O('16', '10:00:10'), { checkId: 'k4', staffCode: 'S003' });
	// Cards: y1 absent (S001), y2 complaint (S002), r1 misconduct (window W03), y3 (SWJ) revoked, rb by the bad-review rule (S001).
	const card = (cardId: string, color: 'yellow' | 'red', kind: string, code: string, reason: string, at: string, extra: Record<string, unknown> = {}) =>
		ev('card.issued', at, { cardId, color, target: { kind, code }, reason, ...extra });
	card('y1', 'yellow', 'staff', 'S001', 'absent', O('16', '11:00:00'));
	card('y2', 'yellow', 'staff', 'S002', 'complaint', O('17', '09:00:00'));
	card('r1', 'red', 'window', 'W03', 'misconduct', O('18', '09:00:00'));
	card('rb', 'yellow', 'staff', 'S001', 'bad_review', O('20', '09:00:00'), { rule: 'bad_review' });
	card('y3', 'yellow', 'department', 'SWJ', 'overdue_case', O('26', '08:00:00'));
	ev('card.revoked', O('27', '09:00:00'), { cardId: 'y3', reason: '经核实系系统故障' });
	// The judge, once past every deadline: k2, k3 missed; g3, s1 overdue; h2 overdue.
	f.derive(ms(O('26', '08:30:00')));
	ev('case.completed', O('26', '09:00:00'), { caseId: 's1' });
	ev('hotline.ticket_supervised', O('26', '10:00:00'), { ticketId: 'h2', note: '督办' });
	accept('a1', 'GAJ', O('28', '09:00:00'), true, false, { dueAt: O('28', '17:00:00') });
	ev('case.completed', O('28', '09:10:00'), { caseId: 'a1' });
	// Indicators: 进一网 September and October (a tie in October), a custom one in August, 进一门 only in November.
	const ind = (regionCode: string, period: string, indicator: string, value: number) => ev('indicator.reported', O('29', '09:00:00'), { regionCode, period, indicator, value });
	ind('XLT', '2026-09', 'online_entry_rate', 60);
	ind('SHQ', '2026-09', 'online_entry_rate', 50);
	ind('XLT', '2026-10', 'online_entry_rate', 62.5);
	ind('SHQ', '2026-10', 'online_entry_rate', 62.5);
	ind('OTHER', '2026-10', 'online_entry_rate', 70);
	ind('XLT', '2026-08', 'self_service_rate', 30);
	ind('XLT', '2026-11', 'one_door_rate', 40);
	return f;
}

