import { describe, it, expect } from 'vitest';
import { parseEvent } from './catalog';
import { compact, COUNTER_KEYS, emptyCounters, sumCounters, type Counters } from './counters';
import {
	apply,
	bucketKey,
	CASE_WARNING_SHARE,
	caseDueAt,
	createState,
	derivedId,
	deserializeState,
	dueDerivedEvents,
	homeOf,
	parseBucketKey,
	prune,
	serializeState,
	type LiveState,
	type ScopeKind
} from './projection';
import { buildSnapshot, type Scope } from './snapshot';
import { Feed, ms } from './testkit';

const T = (hhmmss: string) => `2026-11-23T${hhmmss}+08:00`;
const NOW = T('15:00:00');

function bucket(state: LiveState, kind: ScopeKind, code: string, period: string): Counters {
	return state.buckets.get(bucketKey(kind, code, period)) ?? emptyCounters();
}

describe('bucket keys and homes', () => {
	it('bucketKey / parseBucketKey round trip', () => {
		expect(bucketKey('center', 'PJ-001', '2026-11-23')).toBe('center|PJ-001|2026-11-23');
		expect(parseBucketKey('department|GSJ|2026-11')).toEqual({ kind: 'department', code: 'GSJ', period: '2026-11' });
		expect(parseBucketKey(bucketKey('all', '', '2026-11'))).toEqual({ kind: 'all', code: '', period: '2026-11' });
	});

	it('homeOf: center, else region, else the deployment', () => {
		const p = { departmentCode: 'GSJ', windowCode: null, staffCode: null };
		expect(homeOf({ ...p, centerCode: 'PJ-001', regionCode: 'XLT' })).toEqual({ kind: 'center', code: 'PJ-001' });
		expect(homeOf({ ...p, centerCode: null, regionCode: 'XLT' })).toEqual({ kind: 'region', code: 'XLT' });
		expect(homeOf({ ...p, centerCode: null, regionCode: null })).toEqual({ kind: 'all', code: '' });
	});
});

describe('apply', () => {
	it('an event with seq at or below the state’s is a no-op', () => {
		const f = new Feed();
		const e1 = f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001' });
		expect(f.state.seq).toBe(1);
		const before = serializeState(f.state);
		apply(f.state, { ...f.placed('queue.ticket_issued', T('09:01:00'), { centerCode: 'PJ-001', ticketNo: 'A002' }), seq: 1 });
		apply(f.state, { ...f.placed('queue.ticket_issued', T('09:01:00'), { centerCode: 'PJ-001', ticketNo: 'A003' }), seq: 0 });
		apply(f.state, e1); // the same event again
		expect(serializeState(f.state)).toBe(before);
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11-23').ticketsIssued).toBe(1);
		// A later seq applies; seq may jump.
		apply(f.state, { ...f.placed('queue.ticket_issued', T('09:02:00'), { centerCode: 'PJ-001', ticketNo: 'A004' }), seq: 10 });
		expect(f.state.seq).toBe(10);
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11-23').ticketsIssued).toBe(2);
	});

	it('a ticket counts in its center, its department, day and month; the call counts at the window too', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001', departmentCode: 'GSJ' });
		f.ev('queue.ticket_called', T('09:05:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
		const c = bucket(f.state, 'center', 'PJ-001', '2026-11-23');
		expect(compact(c)).toEqual({ ticketsIssued: 1, ticketsCalled: 1, waitSum: 300, waitCount: 1 });
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11')).toEqual(c);
		expect(compact(bucket(f.state, 'department', 'GSJ', '2026-11-23'))).toEqual({ ticketsIssued: 1, ticketsCalled: 1, waitSum: 300, waitCount: 1 });
		expect(compact(bucket(f.state, 'window', 'W01', '2026-11-23'))).toEqual({ ticketsCalled: 1, waitSum: 300, waitCount: 1 });
		expect(f.state.buckets.has(bucketKey('center', 'PJ-002', '2026-11-23'))).toBe(false);
		expect(f.state.hourly.get('center|PJ-001|2026-11-23')![9]).toBe(1);
	});

	it('a ticket issued without a department and called at a window leaves no department waiting below zero', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A004' });
		f.ev('queue.ticket_called', T('09:10:00'), { centerCode: 'PJ-001', ticketNo: 'A004', windowCode: 'W02' });
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11-23').waiting).toBe(0);
		expect(bucket(f.state, 'department', 'SWJ', '2026-11-23').waiting).toBe(0);
		expect(bucket(f.state, 'department', 'SWJ', '2026-11-23').waitCount).toBe(1);
	});

	it('a call for an unknown ticket counts the call only; a re-call counts nothing', () => {
		const f = new Feed();
		f.ev('queue.ticket_called', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'Z9', windowCode: 'W01' });
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A1' });
		f.ev('queue.ticket_called', T('09:01:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		f.ev('queue.ticket_called', T('09:02:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		expect(compact(bucket(f.state, 'center', 'PJ-001', '2026-11-23'))).toEqual({ ticketsIssued: 1, ticketsCalled: 2, waitSum: 60, waitCount: 1 });
	});

	it('service results are counted by kind', () => {
		const f = new Feed();
		const results = ['done', 'done', 'transferred', 'incomplete'];
		results.forEach((result, i) => {
			const ticketNo = `A${i}`;
			f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo });
			f.ev('queue.service_started', T('09:01:00'), { centerCode: 'PJ-001', ticketNo, windowCode: 'W01' });
			f.ev('queue.service_completed', T(`09:0${2 + i}:00`), { centerCode: 'PJ-001', ticketNo, windowCode: 'W01', result });
		});
		const c = bucket(f.state, 'window', 'W01', '2026-11-23');
		expect([c.servicesStarted, c.servicesCompleted, c.completedDone, c.completedTransferred, c.completedIncomplete]).toEqual([4, 4, 2, 1, 1]);
		// 60 + 120 + 180 + 240 s
		expect([c.serviceSum, c.serviceCount]).toEqual([600, 4]);
	});

	it('a late case completion takes back an overdue mark that was judged too early', () => {
		const f = new Feed();
		f.ev('case.accepted', T('09:00:00'), { caseId: 'c6', departmentCode: 'GSJ', itemName: '事项', immediate: false, online: false, dueAt: T('12:00:00') });
		f.derive(ms(T('12:30:00')));
		expect(f.state.gauges.get('center|PJ-001')!.casesOverdueOpen).toBe(1);
		expect(bucket(f.state, 'department', 'GSJ', '2026-11').casesOverdue).toBe(1);
		f.ev('case.completed', T('11:59:00'), { caseId: 'c6' }); // it was done in time, the report came late
		expect(f.state.gauges.get('center|PJ-001')!.casesOverdueOpen).toBe(0);
		expect(bucket(f.state, 'department', 'GSJ', '2026-11').casesOverdue).toBe(0);
		expect(bucket(f.state, 'department', 'GSJ', '2026-11').casesCompletedOnTime).toBe(1);
	});

	it('a case completed after its due time is not on time and keeps its overdue mark', () => {
		const f = new Feed();
		f.ev('case.accepted', T('09:00:00'), { caseId: 'c7', departmentCode: 'SWJ', itemName: '事项', immediate: true, online: false, dueAt: T('12:00:00') });
		f.derive(ms(T('12:30:00')));
		f.ev('case.completed', T('12:40:00'), { caseId: 'c7' });
		const m = bucket(f.state, 'department', 'SWJ', '2026-11');
		expect([m.casesCompleted, m.casesCompletedOnTime, m.casesCompletedImmediate, m.casesOverdue]).toEqual([1, 0, 1, 1]);
		expect(f.state.gauges.get('center|PJ-001')!.casesOverdueOpen).toBe(0);
	});

	it('a case due exactly when completed is on time', () => {
		const f = new Feed();
		f.ev('case.accepted', T('09:00:00'), { caseId: 'c8', departmentCode: 'SWJ', itemName: '事项', immediate: false, online: true, dueAt: T('12:00:00') });
		f.ev('case.completed', T('12:00:00'), { caseId: 'c8' });
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11-23').casesCompletedOnTime).toBe(1);
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11-23').casesAcceptedOnline).toBe(1);
	});

	it('hotline: a reply, supervision and an unknown ticket’s callback are counted', () => {
		const f = new Feed();
		f.ev('hotline.ticket_created', T('09:00:00'), { ticketId: 'X', channel: 'wechat', category: 'c', summary: 's', regionCode: 'XLT' });
		f.ev('hotline.ticket_assigned', T('09:10:00'), { ticketId: 'X', departmentCode: 'GSJ', dueAt: T('17:00:00') });
		f.ev('hotline.ticket_replied', T('10:00:00'), { ticketId: 'X', departmentCode: 'GSJ', reply: '已处理' });
		f.ev('hotline.ticket_supervised', T('10:30:00'), { ticketId: 'X', note: '请加快办理' });
		expect(compact(bucket(f.state, 'region', 'XLT', '2026-11-23'))).toEqual({ hotlineReceived: 1, hotlineAssigned: 1, hotlineReplied: 1, hotlineSupervised: 1 });
		expect(compact(bucket(f.state, 'department', 'GSJ', '2026-11'))).toEqual({ hotlineAssigned: 1, hotlineReplied: 1, hotlineSupervised: 1 });
		expect(f.state.hotline.get('X')!.supervised).toBe(1);
	});
});

describe('card state (for the wall’s card feed)', () => {
	it('records when, to whom, why and by which rule; a revoke keeps it, flagged', () => {
		const f = new Feed();
		f.ev('card.issued', T('10:00:00'), { cardId: 'r', color: 'red', target: { kind: 'window', code: 'W03' }, reason: 'complaint', rule: 'complaints-3' });
		f.ev('card.issued', T('10:05:00'), { cardId: 'y', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent', note: '在岗抽查未确认' });
		expect(f.state.cards.get('r')).toEqual({
			color: 'red',
			day: '2026-11-23',
			place: { centerCode: 'PJ-002', regionCode: 'SHQ', departmentCode: 'GAJ', windowCode: 'W03', staffCode: null },
			revoked: false,
			at: ms(T('10:00:00')),
			targetKind: 'window',
			targetCode: 'W03',
			reason: 'complaint',
			rule: 'complaints-3'
		});
		expect(f.state.cards.get('y')).toMatchObject({ at: ms(T('10:05:00')), targetKind: 'staff', targetCode: 'S001', reason: 'absent', rule: null, note: '在岗抽查未确认' });
		// A second issue of the same id changes nothing.
		f.ev('card.issued', T('11:00:00'), { cardId: 'y', color: 'red', target: { kind: 'department', code: 'SWJ' }, reason: 'other', rule: 'x' });
		expect(f.state.cards.get('y')).toMatchObject({ color: 'yellow', at: ms(T('10:05:00')), targetKind: 'staff', rule: null });
		f.ev('card.revoked', T('12:00:00'), { cardId: 'r', reason: '误发' });
		expect(f.state.cards.get('r')).toMatchObject({ revoked: true, revokeReason: '误发', at: ms(T('10:00:00')), rule: 'complaints-3' });
		// And it survives a checkpoint.
		expect(deserializeState(serializeState(f.state)).cards).toEqual(f.state.cards);
	});
});

describe('caseDueAt', () => {
	const tz = 'Asia/Shanghai';
	it('dueAt wins', () => {
		expect(caseDueAt(T('09:00:00'), ms(T('09:00:00')), { dueAt: '2026-11-25T17:00:00+08:00', promisedDays: 1 }, tz)).toBe(ms('2026-11-25T17:00:00+08:00'));
	});

	it('promisedDays: the end of the day that many calendar days later', () => {
		expect(caseDueAt('2026-11-22T09:00:00+08:00', ms('2026-11-22T09:00:00+08:00'), { promisedDays: 3 }, tz)).toBe(ms('2026-11-25T23:59:59.999+08:00'));
		expect(caseDueAt('2026-11-22T09:00:00+08:00', ms('2026-11-22T09:00:00+08:00'), { promisedDays: 0 }, tz)).toBe(ms('2026-11-22T23:59:59.999+08:00'));
		expect(caseDueAt('2026-11-29T09:00:00+08:00', ms('2026-11-29T09:00:00+08:00'), { promisedDays: 3 }, tz)).toBe(ms('2026-12-02T23:59:59.999+08:00'));
	});

	it('does not depend on the offset the sender wrote', () => {
		// 2026-11-22T01:00Z is 09:00 in Shanghai: same case as above.
		expect(caseDueAt('2026-11-22T01:00:00Z', ms('2026-11-22T01:00:00Z'), { promisedDays: 3 }, tz)).toBe(ms('2026-11-25T23:59:59.999+08:00'));
		// 2026-11-22T20:00Z is already the 23rd in Shanghai.
		expect(caseDueAt('2026-11-22T20:00:00Z', ms('2026-11-22T20:00:00Z'), { promisedDays: 1 }, tz)).toBe(ms('2026-11-24T23:59:59.999+08:00'));
	});

	it('uses the case’s zone', () => {
		expect(caseDueAt('2026-11-22T09:00:00+08:00', ms('2026-11-22T09:00:00+08:00'), { promisedDays: 0 }, 'UTC')).toBe(ms('2026-11-22T23:59:59.999Z'));
	});
});

describe('dueDerivedEvents', () => {
	it('presence: exactly at the deadline nothing; after it, check_missed with a deterministic id', () => {
		const f = new Feed();
		f.ev('presence.check_issued', T('10:00:00'), { checkId: 'chk-1', staffCode: 'S001', respondWithinSec: 60 });
		expect(dueDerivedEvents(f.state, ms(T('10:00:59')))).toEqual([]);
		expect(dueDerivedEvents(f.state, ms(T('10:01:00')))).toEqual([]);
		const out = dueDerivedEvents(f.state, ms(T('10:01:00')) + 1);
		expect(out).toEqual([
			{
				id: 'sys:presence.check_missed:chk-1',
				type: 'presence.check_missed',
				occurredAt: '2026-11-23T02:01:00.000Z',
				data: { checkId: 'chk-1', staffCode: 'S001', windowCode: 'W01', deadline: '2026-11-23T02:01:00.000Z', derivedBy: 'deadline-timer' }
			}
		]);
		expect(dueDerivedEvents(f.state, ms(T('11:00:00')))).toEqual(dueDerivedEvents(f.state, ms(T('11:00:00'))));
		expect(dueDerivedEvents(f.state, ms(T('11:00:00')), 'timer-2')[0].data.derivedBy).toBe('timer-2');
		f.applyDerived(out);
		expect(dueDerivedEvents(f.state, ms(T('11:00:00')))).toEqual([]);
		expect(bucket(f.state, 'department', 'GSJ', '2026-11-23').checksMissed).toBe(1);
	});

	it('presence: a confirmed check is never missed; one confirmed late is', () => {
		const f = new Feed();
		f.ev('presence.check_issued', T('10:00:00'), { checkId: 'ok', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_issued', T('10:00:00'), { checkId: 'late', staffCode: 'S002', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', T('10:00:59'), { checkId: 'ok', staffCode: 'S001' });
		f.ev('presence.check_confirmed', T('10:01:01'), { checkId: 'late', staffCode: 'S002' });
		const out = f.derive(ms(T('10:05:00')));
		expect(out.map((e) => e.id)).toEqual(['sys:presence.check_missed:late']);
		const day = bucket(f.state, 'center', 'PJ-001', '2026-11-23');
		expect([day.checksIssued, day.checksConfirmed, day.checksLateConfirmed, day.checksMissed]).toEqual([2, 1, 1, 1]);
		expect(dueDerivedEvents(f.state, ms(T('12:00:00')))).toEqual([]);
	});

	it('case: warning at ≤ 20% of the time left, overdue strictly after the due time', () => {
		expect(CASE_WARNING_SHARE).toBe(0.2);
		const f = new Feed();
		// 08:00 → 18:00 is 10 h; 20% left from 16:00.
		f.ev('case.accepted', T('08:00:00'), { caseId: 'C-1', departmentCode: 'GSJ', itemName: '事项', immediate: false, online: true, dueAt: T('18:00:00') });
		expect(dueDerivedEvents(f.state, ms(T('16:00:00')) - 1)).toEqual([]);
		const near = dueDerivedEvents(f.state, ms(T('16:00:00')));
		expect(near).toEqual([
			{
				id: 'sys:case.deadline_near:C-1',
				type: 'case.deadline_near',
				occurredAt: '2026-11-23T08:00:00.000Z',
				data: { caseId: 'C-1', departmentCode: 'GSJ', dueAt: '2026-11-23T10:00:00.000Z', derivedBy: 'deadline-timer' }
			}
		]);
		f.applyDerived(near);
		expect(bucket(f.state, 'department', 'GSJ', '2026-11-23').casesDeadlineNear).toBe(1);
		expect(dueDerivedEvents(f.state, ms(T('17:00:00')))).toEqual([]);
		expect(dueDerivedEvents(f.state, ms(T('18:00:00')))).toEqual([]);
		const over = dueDerivedEvents(f.state, ms(T('18:00:00')) + 1);
		expect(over).toEqual([
			{
				id: 'sys:case.overdue:C-1',
				type: 'case.overdue',
				occurredAt: '2026-11-23T10:00:00.000Z',
				data: { caseId: 'C-1', departmentCode: 'GSJ', dueAt: '2026-11-23T10:00:00.000Z', derivedBy: 'deadline-timer' }
			}
		]);
		f.applyDerived(over);
		expect(dueDerivedEvents(f.state, ms(T('23:00:00')))).toEqual([]);
		expect(f.state.gauges.get('center|PJ-001')!.casesOverdueOpen).toBe(1);
	});

	it('case: past due without a warning first gives only the overdue event; completed cases give nothing', () => {
		const f = new Feed();
		f.ev('case.accepted', T('08:00:00'), { caseId: 'A', departmentCode: 'GSJ', itemName: '事项', immediate: false, online: true, dueAt: T('09:00:00') });
		f.ev('case.accepted', T('08:00:00'), { caseId: 'B', departmentCode: 'GSJ', itemName: '事项', immediate: false, online: true, dueAt: T('09:00:00') });
		f.ev('case.completed', T('08:30:00'), { caseId: 'B' });
		// Already past due when accepted: no warning, only overdue.
		f.ev('case.accepted', T('10:00:00'), { caseId: 'C', departmentCode: 'GAJ', itemName: '事项', immediate: false, online: true, dueAt: T('09:30:00') });
		expect(dueDerivedEvents(f.state, ms(T('12:00:00'))).map((e) => e.id)).toEqual(['sys:case.overdue:A', 'sys:case.overdue:C']);
	});

	it('hotline: overdue only when assigned and open, strictly after due', () => {
		const f = new Feed();
		const create = (id: string) => f.ev('hotline.ticket_created', T('08:00:00'), { ticketId: id, channel: 'phone', category: 'c', summary: 's', regionCode: 'XLT' });
		create('open');
		create('unassigned');
		create('closed');
		create('reopened');
		f.ev('hotline.ticket_assigned', T('08:10:00'), { ticketId: 'open', departmentCode: 'GSJ', dueAt: T('12:00:00') });
		f.ev('hotline.ticket_assigned', T('08:10:00'), { ticketId: 'closed', departmentCode: 'GSJ', dueAt: T('12:00:00') });
		f.ev('hotline.ticket_assigned', T('08:10:00'), { ticketId: 'reopened', departmentCode: 'GSJ', dueAt: T('12:00:00') });
		f.ev('hotline.ticket_closed', T('13:00:00'), { ticketId: 'closed' });
		f.ev('hotline.ticket_closed', T('11:00:00'), { ticketId: 'reopened' });
		expect(dueDerivedEvents(f.state, ms(T('12:00:00')))).toEqual([]);
		const out = dueDerivedEvents(f.state, ms(T('12:00:00')) + 1);
		expect(out).toEqual([
			{
				id: 'sys:hotline.ticket_overdue:open',
				type: 'hotline.ticket_overdue',
				occurredAt: '2026-11-23T04:00:00.000Z',
				data: { ticketId: 'open', departmentCode: 'GSJ', dueAt: '2026-11-23T04:00:00.000Z', derivedBy: 'deadline-timer' }
			}
		]);
		f.applyDerived(out);
		expect(dueDerivedEvents(f.state, ms(T('14:00:00')))).toEqual([]);
		f.ev('hotline.ticket_reopened', T('14:00:00'), { ticketId: 'reopened', reason: '未修复' });
		expect(dueDerivedEvents(f.state, ms(T('14:00:00'))).map((e) => e.id)).toEqual(['sys:hotline.ticket_overdue:reopened']);
		expect(f.state.gauges.get('region|XLT')!.hotlineOverdueOpen).toBe(1);
	});

	it('every derived event is a valid system event naming known org codes', () => {
		const f = new Feed();
		f.ev('presence.check_issued', T('10:00:00'), { checkId: 'chk-1', staffCode: 'S004', respondWithinSec: 60 });
		f.ev('case.accepted', T('08:00:00'), { caseId: 'C-1', departmentCode: 'GAJ', itemName: '事项', immediate: false, online: true, promisedDays: 0 });
		f.ev('case.accepted', T('08:00:00'), { caseId: 'C-2', departmentCode: 'GAJ', itemName: '事项', immediate: false, online: true, dueAt: T('10:00:00') });
		f.ev('hotline.ticket_created', T('08:00:00'), { ticketId: 'H-1', channel: 'phone', category: 'c', summary: 's' });
		f.ev('hotline.ticket_assigned', T('08:10:00'), { ticketId: 'H-1', departmentCode: 'SWJ', dueAt: T('09:00:00') });
		const now = ms(T('21:00:00'));
		const out = dueDerivedEvents(f.state, now);
		expect(out.map((e) => e.type).sort()).toEqual(['case.deadline_near', 'case.overdue', 'hotline.ticket_overdue', 'presence.check_missed']);
		for (const d of out) {
			const r = parseEvent(d, { now, allowSystem: true });
			expect(r.ok, r.ok ? d.id : r.error).toBe(true);
			if (r.ok) expect(f.org.checkRefs(r.event)).toBeNull();
		}
	});

	it('ids stay valid and deterministic for free-text or long keys', () => {
		const f = new Feed();
		const odd = ['在岗 抽查 #1', 'chk/2026/11/23 10:00', 'x'.repeat(128)];
		for (const checkId of odd) f.ev('presence.check_issued', T('10:00:00'), { checkId, staffCode: 'S001', respondWithinSec: 60 });
		f.ev('case.accepted', T('08:00:00'), { caseId: 'C'.repeat(128), departmentCode: 'GAJ', itemName: '事项', immediate: false, online: true, dueAt: T('09:00:00') });
		const now = ms(T('12:00:00'));
		const a = dueDerivedEvents(f.state, now);
		const b = dueDerivedEvents(f.state, now);
		expect(a).toHaveLength(4);
		expect(a.map((e) => e.id)).toEqual(b.map((e) => e.id));
		expect(new Set(a.map((e) => e.id)).size).toBe(4);
		for (const e of a) expect(e.id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
		expect(derivedId('presence.check_missed', 'ok-id')).toBe('sys:presence.check_missed:ok-id');
		// Applying them (through validation) judges every check.
		f.applyDerived(a);
		expect(dueDerivedEvents(f.state, now)).toEqual([]);
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11-23').checksMissed).toBe(3);
	});
});

/** A day of everything, for the checkpoint and dirty-tracking tests. */
function busyFeed(state?: LiveState): Feed {
	const f = new Feed(undefined, state);
	f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W01', status: 'open', staffCode: 'S001' });
	f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W03', status: 'open', staffCode: 'S003' });
	f.ev('attendance.clock_in', T('08:29:00'), { staffCode: 'S001', method: 'face' });
	f.ev('queue.ticket_issued', '2026-11-22T16:30:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A999', departmentCode: 'GSJ' });
	f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001', departmentCode: 'GSJ' });
	f.ev('queue.ticket_issued', T('09:01:00'), { centerCode: 'PJ-001', ticketNo: 'A002' });
	f.ev('queue.ticket_called', T('09:05:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
	f.ev('queue.service_started', T('09:06:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
	f.ev('queue.ticket_called', T('09:07:00'), { centerCode: 'PJ-001', ticketNo: 'A999', windowCode: 'W01' });
	f.ev('queue.service_completed', T('09:16:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', result: 'done' });
	f.ev('queue.ticket_issued', T('10:00:00'), { centerCode: 'PJ-002', ticketNo: 'B001' });
	f.ev('queue.service_started', T('10:02:00'), { centerCode: 'PJ-002', ticketNo: 'B001', windowCode: 'W03' });
	f.ev('presence.check_issued', T('10:00:00'), { checkId: 'k1', staffCode: 'S001', respondWithinSec: 60 });
	f.ev('presence.check_issued', T('10:00:00'), { checkId: 'k2', staffCode: 'S003', respondWithinSec: 60 });
	f.ev('presence.check_confirmed', T('10:00:20'), { checkId: 'k1', staffCode: 'S001' });
	f.ev('card.issued', T('10:10:00'), { cardId: 'y1', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
	f.ev('card.issued', '2026-11-02T10:10:00+08:00', { cardId: 'r1', color: 'red', target: { kind: 'window', code: 'W03' }, reason: 'complaint' });
	f.ev('card.issued', T('10:20:00'), { cardId: 'y2', color: 'yellow', target: { kind: 'department', code: 'SWJ' }, reason: 'other' });
	f.ev('card.revoked', T('10:30:00'), { cardId: 'y2', reason: '误发' });
	f.ev('case.accepted', T('09:00:00'), { caseId: 'c1', departmentCode: 'GSJ', itemName: '事项', immediate: true, online: false, promisedDays: 0 });
	f.ev('case.accepted', '2026-11-10T09:00:00+08:00', { caseId: 'c2', departmentCode: 'GAJ', itemName: '事项', immediate: false, online: true, promisedDays: 2 });
	f.ev('case.completed', T('09:20:00'), { caseId: 'c1' });
	f.ev('evaluation.submitted', T('11:00:00'), { rating: 5, windowCode: 'W01' });
	f.ev('evaluation.submitted', T('11:10:00'), { rating: 2, windowCode: 'W03' });
	f.ev('hotline.ticket_created', '2026-11-20T09:00:00+08:00', { ticketId: 'H1', channel: 'phone', category: 'c', summary: 's', regionCode: 'XLT' });
	f.ev('hotline.ticket_assigned', '2026-11-20T09:10:00+08:00', { ticketId: 'H1', departmentCode: 'GSJ', dueAt: '2026-11-21T17:00:00+08:00' });
	f.ev('hotline.ticket_created', '2026-11-21T09:00:00+08:00', { ticketId: 'H2', channel: 'web', category: 'c', summary: 's' });
	f.ev('hotline.ticket_closed', '2026-11-22T09:00:00+08:00', { ticketId: 'H2' });
	f.ev('hotline.callback_recorded', '2026-11-22T12:00:00+08:00', { ticketId: 'H2', reached: true, satisfaction: 'basic' });
	f.ev('indicator.reported', T('08:00:00'), { regionCode: 'XLT', period: '2026-10', indicator: 'online_entry_rate', value: 60 });
	f.ev('indicator.reported', T('08:00:00'), { regionCode: 'SHQ', period: '2026-10', indicator: 'online_entry_rate', value: 70 });
	f.derive(ms(NOW));
	f.ev('presence.check_confirmed', T('10:00:30'), { checkId: 'k2', staffCode: 'S003' }); // reverses k2's miss
	f.ev('hotline.ticket_closed', T('12:00:00'), { ticketId: 'H1' });
	f.ev('hotline.ticket_reopened', T('12:30:00'), { ticketId: 'H1', reason: '未解决' });
	return f;
}

const SCOPES: Scope[] = [{ kind: 'all' }, { kind: 'center', code: 'PJ-001' }, { kind: 'center', code: 'PJ-002' }, { kind: 'region', code: 'CITY' }, { kind: 'region', code: 'XLT' }];

describe('checkpoint (de)serialization', () => {
	it('round trip gives identical snapshots, now and after more events', () => {
		const f = busyFeed();
		const copy = deserializeState(serializeState(f.state));
		expect(copy.seq).toBe(f.state.seq);
		for (const scope of SCOPES)
			for (const now of [NOW, '2026-11-22T20:00:00+08:00', '2026-11-24T09:00:00+08:00'])
				expect(buildSnapshot(copy, f.org, scope, { now: ms(now) })).toEqual(
					buildSnapshot(f.state, f.org, scope, { now: ms(now) })
				);
		// Both continue the same way.
		const g = new Feed(f.org, copy);
		g.seq = f.seq;
		for (const feed of [f, g]) {
			feed.ev('queue.service_completed', T('15:10:00'), { centerCode: 'PJ-002', ticketNo: 'B001', windowCode: 'W03', result: 'done' });
			feed.ev('hotline.ticket_closed', T('15:20:00'), { ticketId: 'H1' });
			feed.ev('case.completed', T('15:30:00'), { caseId: 'c2' });
		}
		for (const scope of SCOPES) expect(buildSnapshot(copy, f.org, scope, { now: ms(T('16:00:00')) })).toEqual(buildSnapshot(f.state, f.org, scope, { now: ms(T('16:00:00')) }));
		expect(serializeState(copy)).toBe(serializeState(f.state));
	});

	it('a non-trivial snapshot survives (the round trip is not comparing empties)', () => {
		const s = buildSnapshot(deserializeState(serializeState(busyFeed().state)), busyFeed().org, { kind: 'all' }, { now: ms(NOW) });
		expect(s.hall).toMatchObject({ ticketsIssuedToday: 3, waitingNow: 1, servedToday: 1, windowsOpen: 2, windowsServing: 1 });
		const { yellowToday, redToday, yellowMonth, redMonth } = s.cards;
		expect({ yellowToday, redToday, yellowMonth, redMonth }).toEqual({ yellowToday: 1, redToday: 0, yellowMonth: 1, redMonth: 1 });
		expect(s.hotline.overdueOpen).toBe(1);
		expect(s.rankings.regions.online_entry_rate.items.map((i) => i.regionCode)).toEqual(['SHQ', 'XLT']);
	});

	it('dirty tracking after restore: fresh, or off', () => {
		const json = serializeState(busyFeed().state);
		expect(deserializeState(json).dirty).toEqual(new Map());
		expect(deserializeState(json, false).dirty).toBeNull();
	});

	it('rejects unknown checkpoint versions', () => {
		expect(() => deserializeState(JSON.stringify({ v: 2, seq: 1 }))).toThrow('checkpoint: unsupported version 2');
	});
});

describe('dirty tracking', () => {
	const same = (a: Partial<Counters> | undefined, b: Partial<Counters> | undefined) => expect(compact(a ?? {})).toEqual(compact(b ?? {}));

	it('from an empty start, the dirty deltas equal the bucket contents', () => {
		const f = busyFeed();
		const dirty = f.state.dirty!;
		expect([...dirty.keys()].sort()).toEqual([...f.state.buckets.keys()].sort());
		for (const [key, b] of f.state.buckets) same(dirty.get(key), b);
		// And something was counted at all.
		expect(f.state.buckets.size).toBeGreaterThan(10);
	});

	it('flushing in the middle: flushed + pending deltas still sum to the buckets', () => {
		const state = createState();
		const f = new Feed(undefined, state);
		const flushed: Array<Map<string, Partial<Counters>>> = [];
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001', departmentCode: 'GSJ' });
		f.ev('card.issued', T('09:10:00'), { cardId: 'y', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		flushed.push(state.dirty!);
		state.dirty = new Map();
		f.ev('queue.ticket_called', T('09:20:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
		f.ev('card.revoked', T('09:30:00'), { cardId: 'y', reason: '误发' });
		flushed.push(state.dirty!);
		const keys = new Set([...flushed.flatMap((m) => [...m.keys()]), ...state.buckets.keys()]);
		for (const key of keys) same(sumCounters(flushed.map((m) => m.get(key))), state.buckets.get(key));
		// The revoke's delta is negative in the second flush.
		expect(flushed[1].get(bucketKey('center', 'PJ-001', '2026-11-23'))!.yellowCards).toBe(-1);
		expect(state.buckets.get(bucketKey('center', 'PJ-001', '2026-11-23'))!.yellowCards).toBe(0);
	});

	it('no tracking when the state is built without it', () => {
		const f = new Feed(undefined, createState(false));
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001' });
		expect(f.state.dirty).toBeNull();
		expect(bucket(f.state, 'center', 'PJ-001', '2026-11-23').ticketsIssued).toBe(1);
	});

	it('every counter key is known to emptyCounters', () => {
		expect(Object.keys(emptyCounters()).sort()).toEqual([...COUNTER_KEYS].sort());
	});
});

describe('prune', () => {
	function history(): Feed {
		const f = new Feed();
		const issue = (at: string, ticketNo: string) => f.ev('queue.ticket_issued', at, { centerCode: 'PJ-001', ticketNo });
		issue('2025-09-15T10:00:00+08:00', 'S1'); // month 2025-09: older than 13 months before 2026-11
		issue('2025-10-15T10:00:00+08:00', 'O1'); // month 2025-10: kept
		issue('2026-11-15T10:00:00+08:00', 'D1'); // 8 days before 2026-11-23
		issue('2026-11-16T10:00:00+08:00', 'D2'); // 7 days before: kept
		issue('2026-11-20T10:00:00+08:00', 'T0');
		issue('2026-11-21T10:00:00+08:00', 'T1');
		issue('2026-11-22T10:00:00+08:00', 'T2'); // yesterday
		issue(T('09:00:00'), 'T3'); // today
		f.ev('presence.check_issued', '2026-11-21T10:00:00+08:00', { checkId: 'judged', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', '2026-11-21T10:00:10+08:00', { checkId: 'judged', staffCode: 'S001' });
		f.ev('presence.check_issued', '2026-11-21T10:00:00+08:00', { checkId: 'unjudged', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_issued', '2026-11-22T10:00:00+08:00', { checkId: 'yesterday', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', '2026-11-22T10:00:10+08:00', { checkId: 'yesterday', staffCode: 'S001' });
		const hot = (id: string, created: string, closed: string) => {
			f.ev('hotline.ticket_created', created, { ticketId: id, channel: 'phone', category: 'c', summary: 's', regionCode: 'XLT' });
			f.ev('hotline.ticket_closed', closed, { ticketId: id });
		};
		hot('Hold', '2026-10-01T10:00:00+08:00', '2026-10-10T10:00:00+08:00');
		hot('Hrecent', '2026-10-01T10:00:00+08:00', '2026-11-01T10:00:00+08:00');
		f.ev('hotline.ticket_created', '2025-01-01T10:00:00+08:00', { ticketId: 'Hopen', channel: 'phone', category: 'c', summary: 's' });
		const card = (id: string, at: string) => f.ev('card.issued', at, { cardId: id, color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		card('cOld', '2025-09-30T10:00:00+08:00');
		card('cKept', '2025-10-01T10:00:00+08:00');
		return f;
	}

	it('drops old day and month buckets, keeps today’s and the recent ones', () => {
		const f = history();
		const before = buildSnapshot(f.state, f.org, { kind: 'all' }, { now: ms(NOW) });
		prune(f.state, '2026-11-23');
		const has = (period: string) => f.state.buckets.has(bucketKey('center', 'PJ-001', period));
		expect(has('2026-11-23')).toBe(true);
		expect(has('2026-11-22')).toBe(true);
		expect(has('2026-11-16')).toBe(true);
		expect(has('2026-11-15')).toBe(false);
		expect(has('2025-10-15')).toBe(false);
		expect(has('2025-10')).toBe(true);
		expect(has('2025-09')).toBe(false);
		expect(has('2026-11')).toBe(true);
		// Today's figures are untouched.
		expect(buildSnapshot(f.state, f.org, { kind: 'all' }, { now: ms(NOW) })).toEqual(before);
	});

	it('drops tickets before yesterday, judged checks before yesterday, long-closed hotline tickets, cards of old months, old hourly counts', () => {
		const f = history();
		prune(f.state, '2026-11-23');
		expect([...f.state.tickets.keys()].sort()).toEqual(['PJ-001|T2', 'PJ-001|T3']);
		expect([...f.state.checks.keys()].sort()).toEqual(['unjudged', 'yesterday']);
		expect([...f.state.hotline.keys()].sort()).toEqual(['Hopen', 'Hrecent']);
		expect([...f.state.cards.keys()]).toEqual(['cKept']);
		expect([...f.state.hourly.keys()].map((k) => k.slice(-10)).sort()).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
	});

	it('custom limits', () => {
		const f = history();
		prune(f.state, '2026-11-23', { keepDays: 1, keepMonths: 0 });
		const periods = new Set([...f.state.buckets.keys()].map((k) => k.slice(k.lastIndexOf('|') + 1)));
		expect([...periods].sort()).toEqual(['2026-11', '2026-11-22', '2026-11-23']);
		expect([...f.state.cards.keys()]).toEqual([]);
	});

	it('pruning twice or on an empty state is harmless', () => {
		const f = history();
		prune(f.state, '2026-11-23');
		const once = serializeState(f.state);
		prune(f.state, '2026-11-23');
		expect(serializeState(f.state)).toBe(once);
		const empty = createState();
		prune(empty, '2026-11-23');
		expect(empty.buckets.size).toBe(0);
	});
});

describe('state the card rules read', () => {
	it('window idle: open with no ticket, since when and by which event; a call, a pause or closing ends it', () => {
		const f = new Feed();
		const w = () => f.state.windows.get('W01')!;
		const open = f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W01', status: 'open', staffCode: 'S001' });
		expect(w()).toMatchObject({ idleSince: ms(T('08:30:00')), idleSeq: open.seq, idleType: 'window.status_changed' });
		f.ev('window.status_changed', T('08:40:00'), { windowCode: 'W01', status: 'open' }); // still open: idle since 08:30
		expect(w().idleSince).toBe(ms(T('08:30:00')));
		f.ev('queue.ticket_issued', T('08:50:00'), { centerCode: 'PJ-001', ticketNo: 'A1', departmentCode: 'GSJ' });
		f.ev('queue.ticket_called', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		expect(w().idleSince).toBeNull();
		f.ev('queue.service_started', T('09:01:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		expect(w().idleSince).toBeNull();
		const done = f.ev('queue.service_completed', T('09:10:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01', result: 'done' });
		expect(w()).toMatchObject({ idleSince: ms(T('09:10:00')), idleSeq: done.seq, idleType: 'queue.service_completed' });
		f.ev('window.status_changed', T('09:20:00'), { windowCode: 'W01', status: 'paused', reason: '会议' });
		expect(w().idleSince).toBeNull();
		f.ev('window.status_changed', T('09:30:00'), { windowCode: 'W01', status: 'open' });
		expect(w().idleSince).toBe(ms(T('09:30:00')));
		f.ev('queue.ticket_issued', T('09:31:00'), { centerCode: 'PJ-001', ticketNo: 'A2', departmentCode: 'GSJ' });
		f.ev('queue.ticket_called', T('09:32:00'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W01' });
		f.ev('queue.ticket_no_show', T('09:35:00'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W01' });
		expect(w()).toMatchObject({ idleSince: ms(T('09:35:00')), idleType: 'queue.ticket_no_show' });
		f.ev('window.status_changed', T('17:00:00'), { windowCode: 'W01', status: 'closed' });
		expect(w().idleSince).toBeNull();
	});

	it('waiting per department: count and since when, without a break; a new day starts afresh', () => {
		const f = new Feed();
		const g = () => f.state.waitingByDept.get('GSJ');
		const a1 = f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A1', departmentCode: 'GSJ' });
		f.ev('queue.ticket_issued', T('09:05:00'), { centerCode: 'PJ-001', ticketNo: 'A2', departmentCode: 'GSJ' });
		f.ev('queue.ticket_issued', T('09:06:00'), { centerCode: 'PJ-001', ticketNo: 'N1' }); // no department: not counted
		expect(g()).toEqual({ day: '2026-11-23', n: 2, since: ms(T('09:00:00')), sinceSeq: a1.seq });
		f.ev('queue.ticket_called', T('09:10:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W02' }); // another department's window calls it
		expect(g()).toMatchObject({ n: 1, since: ms(T('09:00:00')) });
		f.ev('queue.service_started', T('09:12:00'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W01' }); // started without a call
		expect(g()).toMatchObject({ n: 0, since: null, sinceSeq: null });
		f.ev('queue.service_completed', T('09:13:00'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W01', result: 'done' }); // not waiting: no change
		expect(g()!.n).toBe(0);
		f.ev('queue.ticket_issued', T('09:20:00'), { centerCode: 'PJ-001', ticketNo: 'A3', departmentCode: 'GSJ' });
		f.ev('queue.ticket_issued', T('09:21:00'), { centerCode: 'PJ-001', ticketNo: 'A4', departmentCode: 'GSJ' });
		expect(g()).toMatchObject({ n: 2, since: ms(T('09:20:00')) });
		f.ev('queue.ticket_no_show', T('09:30:00'), { centerCode: 'PJ-001', ticketNo: 'A3' });
		f.ev('queue.service_completed', T('09:31:00'), { centerCode: 'PJ-001', ticketNo: 'A4', windowCode: 'W01', result: 'done' }); // completed, never called
		expect(g()).toMatchObject({ n: 0, since: null });
		// Tomorrow: yesterday's leftovers do not count; a late call of one of them changes nothing.
		f.ev('queue.ticket_issued', T('16:00:00'), { centerCode: 'PJ-001', ticketNo: 'A5', departmentCode: 'GSJ' });
		f.ev('queue.ticket_issued', '2026-11-24T08:00:00+08:00', { centerCode: 'PJ-001', ticketNo: 'B1', departmentCode: 'GSJ' });
		expect(g()).toMatchObject({ day: '2026-11-24', n: 1, since: ms('2026-11-24T08:00:00+08:00') });
		f.ev('queue.ticket_called', '2026-11-24T08:01:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A5', windowCode: 'W01' });
		expect(g()!.n).toBe(1);
		// The snapshot's waitingNow agrees.
		expect(buildSnapshot(f.state, f.org, { kind: 'center', code: 'PJ-001' }, { now: ms('2026-11-24T08:02:00+08:00') }).hall.waitingNow).toBe(1);
	});

	it('bad reviews naming a staff member are kept (rating ≤ 3) with their seq; seqs of the causes cards link', () => {
		const f = new Feed();
		const bad = f.ev('evaluation.submitted', T('10:00:00'), { rating: 1, staffCode: 'S001', windowCode: 'W01' });
		f.ev('evaluation.submitted', T('10:01:00'), { rating: 2, windowCode: 'W01' }); // no staff named
		f.ev('evaluation.submitted', T('10:02:00'), { rating: 4, staffCode: 'S001' });
		const meh = f.ev('evaluation.submitted', T('10:03:00'), { rating: 3, staffCode: 'S002' });
		expect([...f.state.badReviews]).toEqual([
			[String(bad.seq), { id: bad.id, at: ms(T('10:00:00')), day: '2026-11-23', staffCode: 'S001', rating: 1 }],
			[String(meh.seq), { id: meh.id, at: ms(T('10:03:00')), day: '2026-11-23', staffCode: 'S002', rating: 3 }]
		]);
		const acc = f.ev('case.accepted', T('09:00:00'), { caseId: 'c1', departmentCode: 'GSJ', itemName: 'x', immediate: false, online: true, dueAt: T('10:00:00') });
		const chk = f.ev('presence.check_issued', T('09:00:00'), { checkId: 'k1', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('hotline.ticket_created', T('08:00:00'), { ticketId: 'H1', channel: 'phone', category: 'c', summary: 's' });
		const asg = f.ev('hotline.ticket_assigned', T('08:10:00'), { ticketId: 'H1', departmentCode: 'GSJ', dueAt: T('09:00:00') });
		const derived = f.derive(ms(T('11:00:00')));
		const seqOf = (type: string) => f.seq - derived.length + 1 + derived.findIndex((d) => d.type === type);
		expect(f.state.checks.get('k1')!.missedSeq).toBe(seqOf('presence.check_missed'));
		expect(chk.seq).toBeLessThan(seqOf('presence.check_missed'));
		expect(f.state.cases.get('c1')).toMatchObject({ acceptedSeq: acc.seq, overdueSeq: seqOf('case.overdue') });
		expect(f.state.cases.get('c1')!.nearSeq).toBeUndefined(); // judged past due at once: no warning first
		expect(f.state.hotline.get('H1')).toMatchObject({ assignedSeq: asg.seq, overdueSeq: seqOf('hotline.ticket_overdue') });
	});

	it('prune drops waiting and bad reviews before yesterday', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', '2026-11-21T09:00:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A1', departmentCode: 'GSJ' });
		f.ev('queue.ticket_issued', '2026-11-22T09:00:00+08:00', { centerCode: 'PJ-002', ticketNo: 'B1', departmentCode: 'GAJ' });
		f.ev('evaluation.submitted', '2026-11-21T10:00:00+08:00', { rating: 1, staffCode: 'S001' });
		const kept = f.ev('evaluation.submitted', '2026-11-22T10:00:00+08:00', { rating: 1, staffCode: 'S002' });
		prune(f.state, '2026-11-23');
		expect([...f.state.waitingByDept.keys()]).toEqual(['GAJ']);
		expect([...f.state.badReviews.keys()]).toEqual([String(kept.seq)]);
	});

	it('round trip keeps the new state; a checkpoint written before it rebuilds waiting and idle marks', () => {
		const f = new Feed();
		f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W01', status: 'open', staffCode: 'S001' });
		f.ev('window.status_changed', T('08:31:00'), { windowCode: 'W03', status: 'open' });
		f.ev('queue.ticket_issued', T('08:40:00'), { centerCode: 'PJ-002', ticketNo: 'B0', departmentCode: 'GAJ' });
		f.ev('queue.ticket_called', T('08:41:00'), { centerCode: 'PJ-002', ticketNo: 'B0', windowCode: 'W03' });
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A1', departmentCode: 'GSJ' });
		f.ev('queue.ticket_issued', T('09:05:00'), { centerCode: 'PJ-001', ticketNo: 'A2', departmentCode: 'GSJ' });
		f.ev('evaluation.submitted', T('10:00:00'), { rating: 1, staffCode: 'S001' });
		const json = serializeState(f.state);
		const copy = deserializeState(json);
		expect(copy.waitingByDept).toEqual(f.state.waitingByDept);
		expect(copy.badReviews).toEqual(f.state.badReviews);
		expect(copy.windows).toEqual(f.state.windows);
		// An older checkpoint: without the new maps and marks.
		const raw = JSON.parse(json);
		raw.v = 1; // as the versions before numbering were written
		delete raw.waitingByDept;
		delete raw.badReviews;
		raw.windows = raw.windows.map(([k, w]: [string, Record<string, unknown>]) => {
			const { idleSince: _a, idleSeq: _b, idleType: _c, ...rest } = w;
			return [k, rest];
		});
		const old = deserializeState(JSON.stringify(raw));
		expect(old.badReviews.size).toBe(0);
		expect(old.waitingByDept.get('GSJ')).toEqual({ day: '2026-11-23', n: 2, since: ms(T('09:00:00')), sinceSeq: null });
		expect(old.waitingByDept.has('GAJ')).toBe(false); // nobody waits there
		expect(old.windows.get('W01')).toMatchObject({ idleSince: ms(T('08:30:00')), idleSeq: null });
		expect(old.windows.get('W03')).toMatchObject({ idleSince: null });
	});
});
