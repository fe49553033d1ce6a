import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar';
import {
	DEPARTMENT_ACTIONS,
	mergeProblem,
	actionProblem,
	applyTicketEvent,
	availableActions,
	DEFAULT_HOTLINE_SETTINGS,
	dueAtFor,
	emptySummary,
	hotlineSettingsProblems,
	intakeProblem,
	isOverdueNow,
	limitDaysFor,
	parseHotlineSettings,
	summarize,
	type TicketEvent
} from './hotline';

const T0 = Date.parse('2026-11-16T09:30:00+08:00');
const MIN = 60_000;
let seq = 0;
const ev = (type: string, at: number, data: Record<string, unknown> = {}, extra: Partial<TicketEvent> = {}): TicketEvent => ({ seq: ++seq, type: `hotline.${type}`, at, data: { ticketId: 'RX-1', ...data }, ...extra });

describe('ticket summary reducer', () => {
	it('follows a ticket through intake, dispatch, reply, close and callback', () => {
		const due = Date.parse('2026-11-23T09:30:00+08:00');
		const s = summarize('RX-1', [
			ev('ticket_created', T0, { channel: 'phone', category: '城市管理', summary: '路灯损坏', callerPhone: '13800001234' }, { sender: 'user:op', place: { centerCode: null, regionCode: 'XLT' } }),
			ev('ticket_assigned', T0 + 5 * MIN, { departmentCode: 'CGJ', dueAt: new Date(due).toISOString() }),
			ev('ticket_replied', T0 + 60 * MIN, { departmentCode: 'CGJ', reply: '已修复' }),
			ev('ticket_closed', T0 + 70 * MIN),
			ev('callback_recorded', T0 + 90 * MIN, { reached: true, satisfaction: 'basic' })
		]);
		expect(s).toMatchObject({
			ticketId: 'RX-1',
			channel: 'phone',
			category: '城市管理',
			callerPhone: '13800001234',
			regionCode: 'XLT',
			departmentCode: 'CGJ',
			status: 'closed',
			createdAt: T0,
			assignedAt: T0 + 5 * MIN,
			dueAt: due,
			repliedAt: T0 + 60 * MIN,
			closedAt: T0 + 70 * MIN,
			callbackReached: true,
			satisfaction: 'basic',
			reopenedCount: 0,
			lastSeq: seq
		});
		expect(s.detail).toMatchObject({ createdBy: 'user:op', lastReply: '已修复', callbacks: 1, callbackAt: T0 + 90 * MIN, events: 5, centerCode: null });
	});

	it('reopens a closed ticket: the closure and its callback are undone, the count goes up', () => {
		const s = summarize('RX-1', [
			ev('ticket_created', T0, { channel: 'web', category: '咨询', summary: 'x' }),
			ev('ticket_closed', T0 + MIN),
			ev('callback_recorded', T0 + 2 * MIN, { reached: true, satisfaction: 'unsatisfied' }),
			ev('ticket_reopened', T0 + 3 * MIN, { reason: '未解决' })
		]);
		expect(s).toMatchObject({ status: 'reopened', closedAt: null, reopenedCount: 1, callbackReached: null, satisfaction: null });
		expect(s.detail.reopenReason).toBe('未解决');
		expect(s.detail.callbacks).toBe(1);
	});

	it('ignores what the projection ignores: a second creation, closing twice, reopening an open ticket', () => {
		const s = summarize('RX-1', [
			ev('ticket_created', T0, { channel: 'web', category: 'A', summary: 'first' }),
			ev('ticket_created', T0 + MIN, { channel: 'web', category: 'B', summary: 'second' }),
			ev('ticket_reopened', T0 + 2 * MIN, { reason: 'x' }),
			ev('ticket_closed', T0 + 3 * MIN),
			ev('ticket_closed', T0 + 4 * MIN)
		]);
		expect(s).toMatchObject({ category: 'A', summary: 'first', status: 'closed', closedAt: T0 + 3 * MIN, reopenedCount: 0 });
	});

	it('is idempotent by seq: events at or below lastSeq change nothing', () => {
		const events = [ev('ticket_created', T0, { channel: 'web', category: 'A', summary: 's' }), ev('ticket_supervised', T0 + MIN, { note: '请加快', level: 3 })];
		const s = summarize('RX-1', events);
		const again = structuredClone(s);
		for (const e of events) applyTicketEvent(again, e);
		expect(again).toEqual(s);
		expect(s).toMatchObject({ supervisedLevel: 3 });
		expect(s.detail).toMatchObject({ supervisions: 1, supervisionNote: '请加快' });
	});

	it('takes events that came before the ticket was created (out of order) and marks overdue', () => {
		const s = summarize('RX-1', [
			ev('ticket_assigned', T0, { departmentCode: 'D', dueAt: '2026-11-17T09:30:00+08:00' }),
			ev('ticket_overdue', T0 + MIN, { departmentCode: 'D', dueAt: '2026-11-17T09:30:00+08:00', derivedBy: 'x' }),
			ev('ticket_created', T0 - MIN, { channel: 'web', category: 'A', summary: 's' })
		]);
		expect(s).toMatchObject({ status: 'assigned', departmentCode: 'D', overdue: true, createdAt: T0 - MIN });
		expect(isOverdueNow(s, Date.parse('2026-11-17T09:31:00+08:00'))).toBe(true);
		expect(isOverdueNow(s, Date.parse('2026-11-17T09:30:00+08:00'))).toBe(false);
		expect(emptySummary('x').createdAt).toBeNull();
	});
});

describe('console actions', () => {
	const open = summarize('RX-1', [ev('ticket_created', T0, { channel: 'web', category: 'A', summary: 's' })]);
	it('says what each action needs', () => {
		expect(actionProblem(null, 'close')).toEqual({ field: 'ticketId', code: 'unknownTicket' });
		expect(actionProblem(open, 'reply')).toEqual({ field: 'ticketId', code: 'notDispatched' });
		expect(actionProblem(open, 'reopen')).toEqual({ field: 'ticketId', code: 'notClosed' });
		expect(actionProblem(open, 'callback')).toEqual({ field: 'ticketId', code: 'notClosed' });
		expect(availableActions(open)).toEqual(['dispatch', 'close', 'supervise', 'merge']);
		const closed = structuredClone(open);
		applyTicketEvent(closed, ev('ticket_closed', T0 + MIN));
		expect(availableActions(closed)).toEqual(['reopen', 'callback', 'merge']);
		expect(actionProblem(closed, 'dispatch')).toEqual({ field: 'ticketId', code: 'closedAlready' });
	});

	it('the department side: 签收, 退单 and its review, 延期 and its decision, 改派, 重复件', () => {
		const iso = (ms: number) => new Date(ms).toISOString();
		const s = summarize('RX-1', [
			ev('ticket_created', T0, { channel: 'web', category: 'A', summary: 's' }),
			ev('ticket_assigned', T0 + MIN, { departmentCode: 'GSJ', dueAt: iso(T0 + 100 * MIN), acknowledgeBy: iso(T0 + 30 * MIN) })
		]);
		expect(availableActions(s, DEPARTMENT_ACTIONS)).toEqual(['acknowledge', 'return', 'requestExtension', 'reply']);
		const on = (type: string, at: number, data: Record<string, unknown> = {}) => applyTicketEvent(s, ev(type, at, data));
		on('ticket_returned', T0 + 40 * MIN, { departmentCode: 'GSJ', reason: '非本单位' });
		// Returned after the limit: a late response. While it waits for review the department can do nothing.
		expect(s.detail).toMatchObject({ returns: 1, ackOnTime: false, returnPending: { departmentCode: 'GSJ', reason: '非本单位' } });
		expect(availableActions(s, DEPARTMENT_ACTIONS)).toEqual([]);
		expect(actionProblem(s, 'reviewReturn')).toBeNull();
		on('return_decided', T0 + 50 * MIN, { approved: true });
		// 改派: a new assignment with its own limit; taken in time this time.
		on('ticket_assigned', T0 + 51 * MIN, { departmentCode: 'SWJ', dueAt: iso(T0 + 200 * MIN), acknowledgeBy: iso(T0 + 80 * MIN) });
		expect(s.detail.ackOnTime).toBeUndefined();
		on('ticket_acknowledged', T0 + 60 * MIN, { departmentCode: 'GSJ' }); // the old department: ignored
		expect(s.detail.acknowledgedAt).toBeUndefined();
		on('ticket_acknowledged', T0 + 61 * MIN, { departmentCode: 'SWJ' });
		expect(s.detail).toMatchObject({ acknowledgedAt: T0 + 61 * MIN, ackOnTime: true });
		expect(actionProblem(s, 'acknowledge')).toEqual({ field: 'ticketId', code: 'acknowledgedAlready' });
		on('extension_requested', T0 + 70 * MIN, { departmentCode: 'SWJ', requestedDueAt: iso(T0 + 300 * MIN), reason: '需协调' });
		expect(actionProblem(s, 'requestExtension')).toEqual({ field: 'ticketId', code: 'extensionPending' });
		on('extension_decided', T0 + 71 * MIN, { approved: true });
		expect(s.dueAt).toBe(T0 + 300 * MIN);
		expect(s.detail).toMatchObject({ extensions: 1 });
		expect(actionProblem(s, 'decideExtension')).toEqual({ field: 'ticketId', code: 'noExtensionPending' });
		on('ticket_merged', T0 + 80 * MIN, { intoTicketId: 'RX-0' });
		expect(actionProblem(s, 'close')).toEqual({ field: 'ticketId', code: 'mergedAlready', params: { value: 'RX-0' } });
		on('ticket_closed', T0 + 90 * MIN); // nothing more is taken
		expect(s.status).not.toBe('closed');
		expect(mergeProblem(s, s)).toEqual({ field: 'intoTicketId', code: 'mergeSelf' });
	});

	it('checks the intake form field by field', () => {
		const known = { categories: ['城市管理'], regions: new Set(['XLT']) };
		const ok = { callerPhone: '138 0000 1234', channel: 'phone', category: '城市管理', summary: '路灯', regionCode: 'XLT' };
		expect(intakeProblem(ok, known)).toBeNull();
		expect(intakeProblem({ ...ok, callerPhone: 'abc' }, known)?.field).toBe('callerPhone');
		expect(intakeProblem({ ...ok, callerPhone: '' }, known)).toEqual({ field: 'callerPhone', code: 'phoneRequired' });
		expect(intakeProblem({ ...ok, callerPhone: '', channel: 'web' }, known)).toBeNull();
		expect(intakeProblem({ ...ok, channel: 'fax' }, known)?.field).toBe('channel');
		expect(intakeProblem({ ...ok, category: '其他' }, known)).toEqual({ field: 'category', code: 'unknownCategory', params: { value: '其他' } });
		expect(intakeProblem({ ...ok, summary: '  ' }, known)).toEqual({ field: 'summary', code: 'required' });
		expect(intakeProblem({ ...ok, regionCode: 'NOPE' }, known)?.field).toBe('regionCode');
		expect(intakeProblem({ ...ok, regionCode: '' }, known)).toBeNull();
	});
});

describe('category time limits and due times (working days)', () => {
	const cal = new WorkingCalendar();
	const tz = 'Asia/Shanghai';
	it('gives the category limit in working days, the same time of day', () => {
		// Monday 09:30 + 5 working days = next Monday 09:30.
		expect(dueAtFor(T0, '城市管理', DEFAULT_HOTLINE_SETTINGS, cal, tz)).toEqual({ dueAt: Date.parse('2026-11-23T09:30:00+08:00'), days: 5 });
		// Friday 15:00 + 1 (咨询) = Monday 15:00.
		expect(dueAtFor(Date.parse('2026-11-20T15:00:00+08:00'), '咨询', DEFAULT_HOTLINE_SETTINGS, cal, tz).dueAt).toBe(Date.parse('2026-11-23T15:00:00+08:00'));
		// 2026-09-30 10:00 + 5 over the National Day holidays: 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
		expect(dueAtFor(Date.parse('2026-09-30T10:00:00+08:00'), '城市管理', DEFAULT_HOTLINE_SETTINGS, cal, tz).dueAt).toBe(Date.parse('2026-10-13T10:00:00+08:00'));
		// A category not listed gets the default; an explicit number of days wins.
		expect(limitDaysFor(DEFAULT_HOTLINE_SETTINGS, '没有的类别')).toBe(5);
		expect(dueAtFor(T0, '住房保障', DEFAULT_HOTLINE_SETTINGS, cal, tz, 2)).toEqual({ dueAt: Date.parse('2026-11-18T09:30:00+08:00'), days: 2 });
		// A calendar with an extra holiday moves the due time.
		const off = new WorkingCalendar({ days: [{ date: '2026-11-17', kind: 'holiday' }] });
		expect(dueAtFor(T0, '住房保障', DEFAULT_HOTLINE_SETTINGS, off, tz, 2).dueAt).toBe(Date.parse('2026-11-19T09:30:00+08:00'));
	});

	it('validates and reads back settings, falling back to defaults', () => {
		expect(hotlineSettingsProblems(DEFAULT_HOTLINE_SETTINGS)).toEqual([]);
		const cats = (...xs: Array<[string, number]>) => xs.map(([name, days]) => ({ name, days }));
		expect(hotlineSettingsProblems({ ...DEFAULT_HOTLINE_SETTINGS, categories: cats(['A', 0], [' B', 3], ['C', 2], ['C', 3]), defaultDays: 61 })).toEqual([
			{ field: 'defaultDays', code: 'badDays', params: { max: 60 } },
			{ field: 'limits.A', code: 'badDays', params: { max: 60 } },
			{ field: 'limits. B', code: 'badCategory', params: { value: ' B' } },
			{ field: 'limits.C', code: 'duplicateCategory', params: { value: 'C' } }
		]);
		expect(hotlineSettingsProblems({ ...DEFAULT_HOTLINE_SETTINGS, categories: [], defaultDays: 5 })).toEqual([{ field: 'limits', code: 'noCategory' }]);
		// 签收 limit and the three weights.
		expect(hotlineSettingsProblems({ ...DEFAULT_HOTLINE_SETTINGS, ackHours: 0.3, weights: { response: 0, resolved: 0, satisfaction: 0 } })).toEqual([
			{ field: 'ackHours', code: 'badHours', params: { max: 72 } },
			{ field: 'wResponse', code: 'noWeight' }
		]);
		expect(parseHotlineSettings({ categories: [{ name: 'A', days: 1 }], defaultDays: 5, ackHours: 4, weights: { response: 40, resolved: 30, satisfaction: 30 } }).settings).toMatchObject({ ackHours: 4, weights: { response: 40, resolved: 30, satisfaction: 30 } });
		// Settings saved before these existed read as 2 hours and 30/35/35.
		expect(parseHotlineSettings({ categories: [{ name: 'A', days: 1 }], defaultDays: 5 })).toMatchObject({ settings: { ackHours: 2, weights: { response: 30, resolved: 35, satisfaction: 35 } }, errors: [] });
		expect(parseHotlineSettings(null).settings).toEqual(DEFAULT_HOTLINE_SETTINGS);
		// The order is kept (the intake offers categories in it); bad entries are left out.
		const r = parseHotlineSettings({ categories: [{ name: 'Z', days: 3 }, { name: 'A', days: 'x' }, { name: 'B', days: 2 }], defaultDays: 2 });
		expect(r.settings).toEqual({ categories: cats(['Z', 3], ['B', 2]), defaultDays: 2, ackHours: 2, weights: { response: 30, resolved: 35, satisfaction: 35 } });
		expect(r.errors).toHaveLength(1);
		expect(limitDaysFor(r.settings, 'B')).toBe(2);
		expect(parseHotlineSettings({ categories: {}, defaultDays: 0 }).settings).toEqual(DEFAULT_HOTLINE_SETTINGS);
	});
});
