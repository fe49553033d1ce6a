import { describe, expect, it } from 'vitest';
import { nextTicket, terminalView, waitingTickets } from './terminal';
import { Feed, ms } from './testkit';

const TZ = 'Asia/Shanghai';
const ticket = (f: Feed, no: string, at: string, dept = 'GSJ') => f.ev('queue.ticket_issued', at, { centerCode: 'PJ-001', ticketNo: no, departmentCode: dept });

describe('the window terminal view', () => {
	it('calls the longest-waiting ticket of the window’s department, then the next', () => {
		const f = new Feed();
		ticket(f, 'A002', '2026-11-20T09:01:00+08:00');
		ticket(f, 'A001', '2026-11-20T09:00:00+08:00');
		ticket(f, 'B001', '2026-11-20T08:59:00+08:00', 'SWJ'); // another department
		f.ev('queue.ticket_issued', '2026-11-20T08:58:00+08:00', { centerCode: 'PJ-002', ticketNo: 'A000', departmentCode: 'GAJ' }); // another center
		const day = '2026-11-20';
		expect(waitingTickets(f.state, 'PJ-001', 'GSJ', day).map((t) => t.ticketNo)).toEqual(['A001', 'A002']);
		expect(nextTicket(f.state, 'PJ-001', 'GSJ', day)).toBe('A001');
		f.ev('queue.ticket_called', '2026-11-20T09:05:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' });
		expect(nextTicket(f.state, 'PJ-001', 'GSJ', day)).toBe('A002');
		// Yesterday's leftovers are not called today.
		expect(nextTicket(f.state, 'PJ-001', 'GSJ', '2026-11-21')).toBeNull();
	});

	it('shows the window, today’s counts, an open check with its deadline, and this month’s cards to the staff member or window', () => {
		const f = new Feed();
		f.ev('attendance.clock_in', '2026-11-20T08:25:00+08:00', { staffCode: 'S001', method: 'face' });
		f.ev('window.status_changed', '2026-11-20T08:30:00+08:00', { windowCode: 'W01', status: 'open', staffCode: 'S001' });
		ticket(f, 'A001', '2026-11-20T09:00:00+08:00');
		ticket(f, 'A002', '2026-11-20T09:01:00+08:00');
		f.ev('queue.ticket_called', '2026-11-20T09:05:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' });
		f.ev('queue.service_started', '2026-11-20T09:06:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' });
		f.ev('presence.check_issued', '2026-11-20T09:10:00+08:00', { checkId: 'c1', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 60 });
		f.ev('presence.check_issued', '2026-11-20T09:10:00+08:00', { checkId: 'c2', staffCode: 'S002', windowCode: 'W02', respondWithinSec: 60 });
		f.ev('card.issued', '2026-11-03T10:00:00+08:00', { cardId: 'k-old', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		f.ev('card.issued', '2026-10-30T10:00:00+08:00', { cardId: 'k-last-month', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		f.ev('card.issued', '2026-11-19T10:00:00+08:00', { cardId: 'k-window', color: 'red', target: { kind: 'window', code: 'W01' }, reason: 'complaint', rule: 'idle-while-waiting', note: '有人等候时窗口空闲 12 分钟' });
		f.ev('card.issued', '2026-11-19T10:00:00+08:00', { cardId: 'k-other', color: 'red', target: { kind: 'staff', code: 'S002' }, reason: 'absent' });

		const v = terminalView(f.state, f.org, 'S001', ms('2026-11-20T09:10:30+08:00'), TZ)!;
		expect(v).toMatchObject({ staffName: '张三', windowCode: 'W01', windowName: '1号窗口', centerCode: 'PJ-001', onDuty: true, waiting: 1 });
		expect(v.window).toMatchObject({ status: 'open', ticketNo: 'A001', ticketState: 'serving' });
		expect(v.today).toEqual({ called: 1, completed: 0, noShows: 0 });
		expect(v.openChecks.map((c) => [c.checkId, c.deadline])).toEqual([['c1', ms('2026-11-20T09:11:00+08:00')]]);
		expect(v.cards.map((c) => c.cardId)).toEqual(['k-window', 'k-old']);
		expect(v.cards[0]).toMatchObject({ target: 'window', rule: 'idle-while-waiting', color: 'red', note: '有人等候时窗口空闲 12 分钟', revokeReason: null });

		// Exactly at the deadline the check is still open; a moment later it is missed (even before the server judges it).
		expect(terminalView(f.state, f.org, 'S001', ms('2026-11-20T09:11:00+08:00'), TZ)!.openChecks).toHaveLength(1);
		const late = terminalView(f.state, f.org, 'S001', ms('2026-11-20T09:11:01+08:00'), TZ)!;
		expect(late.openChecks).toEqual([]);
		expect(late.checksToday[0]).toMatchObject({ checkId: 'c1', missed: true });
		// Confirmed: no prompt, and the check shows its answer.
		f.ev('presence.check_confirmed', '2026-11-20T09:10:40+08:00', { checkId: 'c1', staffCode: 'S001' });
		const after = terminalView(f.state, f.org, 'S001', ms('2026-11-20T09:10:45+08:00'), TZ)!;
		expect(after.openChecks).toEqual([]);
		expect(after.checksToday[0]).toMatchObject({ checkId: 'c1', missed: false, confirmedAt: ms('2026-11-20T09:10:40+08:00') });
		// A revoked card stays visible, marked.
		f.ev('card.revoked', '2026-11-20T09:20:00+08:00', { cardId: 'k-window', reason: '系统故障' });
		expect(terminalView(f.state, f.org, 'S001', ms('2026-11-20T09:21:00+08:00'), TZ)!.cards[0]).toMatchObject({ cardId: 'k-window', revoked: true, revokeReason: '系统故障' });
	});

	it('knows staff without a window and unknown staff', () => {
		const f = new Feed();
		const v = terminalView(f.state, f.org, 'S004', ms('2026-11-20T09:00:00+08:00'), TZ)!;
		expect(v).toMatchObject({ windowCode: null, window: null, waiting: 0, openChecks: [] });
		expect(terminalView(f.state, f.org, 'NOPE', 0, TZ)).toBeNull();
	});
});
