import { describe, it, expect } from 'vitest';
import { DEFAULT_SCORING } from './metrics';
import { buildSnapshot, centersOf, homesOf, scopeLabel, type Scope, type Snapshot } from './snapshot';
import { Feed, makeOrg, ms } from './testkit';

const ALL: Scope = { kind: 'all' };
const PJ1: Scope = { kind: 'center', code: 'PJ-001' };
const PJ2: Scope = { kind: 'center', code: 'PJ-002' };
const CITY: Scope = { kind: 'region', code: 'CITY' };
const XLT: Scope = { kind: 'region', code: 'XLT' };
const SHQ: Scope = { kind: 'region', code: 'SHQ' };
const OTHER: Scope = { kind: 'region', code: 'OTHER' };

/** "Now" of most tests: Monday 2026-11-23 15:00 in Shanghai. */
const NOW = '2026-11-23T15:00:00+08:00';
const T = (hhmmss: string) => `2026-11-23T${hhmmss}+08:00`;

const snap = (f: Feed, scope: Scope, now = NOW) => buildSnapshot(f.state, f.org, scope, { now: ms(now) });

/**
 * The keys a section had before the wall's additions (spec §2, plus presence.pendingNow), compared
 * exactly with toEqual; the wall's keys (waitingByDepartment, rounds, card feed, …) have their own tests.
 */
const CORE_KEYS = {
	presence: ['checksToday', 'confirmedToday', 'missedToday', 'pendingNow', 'responseRate'],
	cards: ['yellowToday', 'redToday', 'yellowMonth', 'redMonth'],
	hotline: ['receivedMonth', 'closedMonth', 'closureRate', 'onTimeRate', 'satisfactionRate', 'overdueOpen']
} as const;
function core(s: Snapshot, section: keyof typeof CORE_KEYS): Record<string, unknown> {
	const o = s[section] as Record<string, unknown>;
	return Object.fromEntries(CORE_KEYS[section].filter((k) => k in o).map((k) => [k, o[k]]));
}

describe('scopes', () => {
	const org = makeOrg();

	it('labels', () => {
		expect(scopeLabel(ALL)).toBe('all');
		expect(scopeLabel(PJ1)).toBe('center:PJ-001');
		expect(scopeLabel(CITY)).toBe('region:CITY');
	});

	it('centersOf', () => {
		expect([...centersOf(ALL, org)].sort()).toEqual(['PJ-001', 'PJ-002']);
		expect([...centersOf(CITY, org)].sort()).toEqual(['PJ-001', 'PJ-002']);
		expect([...centersOf(XLT, org)]).toEqual(['PJ-001']);
		expect([...centersOf(PJ2, org)]).toEqual(['PJ-002']);
		expect([...centersOf(OTHER, org)]).toEqual([]);
		expect([...centersOf({ kind: 'center', code: 'NOPE' }, org)]).toEqual([]);
	});

	it('homesOf: a center adds its own region; a region its subtree; all adds everything and the deployment', () => {
		const keys = (s: Scope) => homesOf(s, org).map((h) => `${h.kind}|${h.code}`).sort();
		expect(keys(PJ1)).toEqual(['center|PJ-001', 'region|XLT']);
		expect(keys(XLT)).toEqual(['center|PJ-001', 'region|XLT']);
		expect(keys(CITY)).toEqual(['center|PJ-001', 'center|PJ-002', 'region|CITY', 'region|SHQ', 'region|XLT']);
		expect(keys(ALL)).toEqual(['all|', 'center|PJ-001', 'center|PJ-002', 'region|CITY', 'region|OTHER', 'region|SHQ', 'region|XLT']);
		expect(homesOf(PJ1, org).every((h) => h.tz === 'Asia/Shanghai')).toBe(true);
	});

	it('timezone: a center’s own; a region’s when its centers share one; else Asia/Shanghai', () => {
		const org = makeOrg();
		org.centers.get('PJ-001')!.timezone = 'Asia/Urumqi';
		const f = new Feed(org);
		expect(snap(f, PJ1).timezone).toBe('Asia/Urumqi');
		expect(snap(f, XLT).timezone).toBe('Asia/Urumqi');
		expect(snap(f, PJ2).timezone).toBe('Asia/Shanghai');
		expect(snap(f, CITY).timezone).toBe('Asia/Shanghai'); // two zones
		expect(snap(f, OTHER).timezone).toBe('Asia/Shanghai'); // no center
		expect(snap(new Feed(), ALL).timezone).toBe('Asia/Shanghai');
	});
});

describe('snapshot: shape', () => {
	it('an empty state has every spec key, zeros and nulls', () => {
		const f = new Feed();
		const s = snap(f, ALL);
		expect(s.seq).toBe(0);
		expect(s.asOf).toBe('2026-11-23T07:00:00.000Z');
		expect(s.scope).toBe('all');
		expect(s.hall).toMatchObject({
			ticketsIssuedToday: 0,
			waitingNow: 0,
			servedToday: 0,
			avgWaitSec: null,
			avgServiceSec: null,
			windowsOpen: 0,
			windowsTotal: 4,
			windowsServing: 0
		});
		expect(s.presence).toMatchObject({ checksToday: 0, confirmedToday: 0, missedToday: 0, responseRate: null });
		expect(core(s, 'cards')).toEqual({ yellowToday: 0, redToday: 0, yellowMonth: 0, redMonth: 0 });
		expect(s.cases).toEqual({ acceptedToday: 0, completedToday: 0, overdueOpen: 0, immediateRate: null });
		expect(s.evaluations.satisfactionRate).toBeNull();
		expect(core(s, 'hotline')).toEqual({ receivedMonth: 0, closedMonth: 0, closureRate: null, onTimeRate: null, satisfactionRate: null, overdueOpen: 0 });
		expect(s.rankings.regions).toEqual({});
		// Every department starts at the base score and they all share rank 1.
		expect(s.rankings.departments).toEqual([
			{ departmentCode: 'GSJ', name: '市场监管局', score: 100, rank: 1 },
			{ departmentCode: 'SWJ', name: '税务局', score: 100, rank: 1 },
			{ departmentCode: 'GAJ', name: '公安局', score: 100, rank: 1 }
		]);
		expect(s.windows).toEqual([]);
	});

	it('seq is the last applied event', () => {
		const f = new Feed();
		f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W01', status: 'open' });
		f.ev('window.status_changed', T('08:31:00'), { windowCode: 'W02', status: 'open' });
		expect(snap(f, PJ1).seq).toBe(2);
		expect(snap(f, PJ2).seq).toBe(2);
	});
});

/** The hall scenario of 2026-11-23 (see the comments for the hand computation). */
function hallDay(): Feed {
	const f = new Feed();
	f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W01', status: 'open', staffCode: 'S001' });
	f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W02', status: 'open', staffCode: 'S002' });
	f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W03', status: 'open', staffCode: 'S003' });
	f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W04', status: 'paused', reason: '午休' });
	f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001', departmentCode: 'GSJ' });
	f.ev('queue.ticket_issued', T('09:01:00'), { centerCode: 'PJ-001', ticketNo: 'A002', departmentCode: 'SWJ' });
	f.ev('queue.ticket_issued', T('09:02:00'), { centerCode: 'PJ-001', ticketNo: 'A003', departmentCode: 'GSJ' });
	f.ev('queue.ticket_issued', T('09:03:00'), { centerCode: 'PJ-001', ticketNo: 'A004' });
	f.ev('queue.ticket_called', T('09:05:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' }); // wait 300 s
	f.ev('queue.service_started', T('09:06:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' });
	f.ev('queue.ticket_called', T('09:11:00'), { centerCode: 'PJ-001', ticketNo: 'A002', windowCode: 'W02' }); // wait 600 s
	f.ev('queue.service_started', T('09:12:00'), { centerCode: 'PJ-001', ticketNo: 'A002', windowCode: 'W02' });
	f.ev('queue.service_completed', T('09:16:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', result: 'done' }); // 600 s
	f.ev('queue.ticket_no_show', T('09:20:00'), { centerCode: 'PJ-001', ticketNo: 'A003', windowCode: 'W01' });
	f.ev('queue.ticket_issued', T('10:00:00'), { centerCode: 'PJ-002', ticketNo: 'B001', departmentCode: 'GAJ' });
	f.ev('queue.ticket_called', T('10:02:00'), { centerCode: 'PJ-002', ticketNo: 'B001', windowCode: 'W03' }); // wait 120 s
	f.ev('queue.service_started', T('10:02:00'), { centerCode: 'PJ-002', ticketNo: 'B001', windowCode: 'W03' });
	return f;
}

describe('snapshot: hall', () => {
	it('center PJ-001: 4 issued, 1 waiting (A004), 1 served, waits 300 and 600, service 600, 2 open, 1 serving', () => {
		const h = snap(hallDay(), PJ1).hall;
		expect(h).toMatchObject({
			ticketsIssuedToday: 4,
			waitingNow: 1,
			servedToday: 1,
			avgWaitSec: 450,
			avgServiceSec: 600,
			windowsOpen: 2,
			windowsTotal: 2,
			windowsServing: 1,
			windowsPaused: 0
		});
		expect(h.ticketsPerHour[9]).toBe(4);
		expect(h.ticketsPerHour.reduce((a, b) => a + b, 0)).toBe(4);
	});

	it('center PJ-002: 1 issued and called, 1 serving, 1 paused', () => {
		expect(snap(hallDay(), PJ2).hall).toMatchObject({
			ticketsIssuedToday: 1,
			waitingNow: 0,
			servedToday: 0,
			avgWaitSec: 120,
			avgServiceSec: null,
			windowsOpen: 1,
			windowsTotal: 2,
			windowsServing: 1,
			windowsPaused: 1
		});
	});

	it('all and the city region sum both centers; county regions equal their center', () => {
		const f = hallDay();
		const expected = {
			ticketsIssuedToday: 5,
			waitingNow: 1,
			servedToday: 1,
			avgWaitSec: 340, // (300 + 600 + 120) / 3
			avgServiceSec: 600,
			windowsOpen: 3,
			windowsTotal: 4,
			windowsServing: 2,
			windowsPaused: 1
		};
		expect(snap(f, ALL).hall).toMatchObject(expected);
		expect(snap(f, CITY).hall).toMatchObject(expected);
		expect(snap(f, XLT).hall).toEqual(snap(f, PJ1).hall);
		expect(snap(f, SHQ).hall).toEqual(snap(f, PJ2).hall);
		expect(snap(f, OTHER).hall).toMatchObject({ ticketsIssuedToday: 0, windowsTotal: 0 });
		const perHour = snap(f, ALL).hall.ticketsPerHour;
		expect([perHour[9], perHour[10]]).toEqual([4, 1]);
	});

	it('later in the day: more completions, a pause, a call of the last waiting ticket', () => {
		const f = hallDay();
		f.ev('queue.service_completed', T('09:40:00'), { centerCode: 'PJ-001', ticketNo: 'A002', windowCode: 'W02', result: 'transferred' }); // 1680 s
		expect(snap(f, PJ1).hall).toMatchObject({ servedToday: 2, avgServiceSec: 1140, windowsServing: 0, windowsOpen: 2 });
		f.ev('queue.ticket_called', T('10:00:00'), { centerCode: 'PJ-001', ticketNo: 'A004', windowCode: 'W02' }); // 3420 s
		expect(snap(f, PJ1).hall).toMatchObject({ waitingNow: 0, avgWaitSec: 1440 }); // (300 + 600 + 3420) / 3
		f.ev('window.status_changed', T('10:30:00'), { windowCode: 'W02', status: 'paused', reason: '业务咨询' });
		expect(snap(f, PJ1).hall).toMatchObject({ windowsOpen: 1, windowsPaused: 1, windowsServing: 0 });
	});

	it('a serving window that closes stops serving; a started service at a closed window is not "serving"', () => {
		const f = hallDay();
		f.ev('window.status_changed', T('11:00:00'), { windowCode: 'W03', status: 'closed' });
		expect(snap(f, PJ2).hall).toMatchObject({ windowsOpen: 0, windowsServing: 0 });
		f.ev('queue.ticket_issued', T('11:05:00'), { centerCode: 'PJ-002', ticketNo: 'B002' });
		f.ev('queue.service_started', T('11:06:00'), { centerCode: 'PJ-002', ticketNo: 'B002', windowCode: 'W03' });
		expect(snap(f, PJ2).hall).toMatchObject({ windowsServing: 0, waitingNow: 0 });
		f.ev('window.status_changed', T('11:07:00'), { windowCode: 'W03', status: 'open' });
		expect(snap(f, PJ2).hall).toMatchObject({ windowsOpen: 1, windowsServing: 1 });
	});

	it('a service started without a call ends the wait at the start', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001' });
		f.ev('queue.service_started', T('09:02:30'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
		expect(snap(f, PJ1).hall).toMatchObject({ waitingNow: 0, avgWaitSec: 150 });
	});

	it('a no-show after the call does not touch waiting again; a no-show of a waiting ticket ends its wait', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001' });
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A002' });
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A003' });
		f.ev('queue.ticket_called', T('09:10:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
		f.ev('queue.ticket_no_show', T('09:12:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
		f.ev('queue.ticket_no_show', T('09:13:00'), { centerCode: 'PJ-001', ticketNo: 'A002' });
		expect(snap(f, PJ1).hall).toMatchObject({ ticketsIssuedToday: 3, waitingNow: 1, avgWaitSec: 600 });
	});

	it('a ticket completed with no call or start no longer waits', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: 'A001' });
		f.ev('queue.service_completed', T('09:05:00'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01', result: 'done' });
		expect(snap(f, PJ1).hall).toMatchObject({ waitingNow: 0, servedToday: 1, avgServiceSec: null });
	});

	it('the per-window grid of a center; a region or the deployment lists its centers instead', () => {
		const f = hallDay();
		f.ev('attendance.clock_out', T('12:00:00'), { staffCode: 'S002', method: 'face' });
		const w = [...snap(f, PJ1, NOW).windows, ...snap(f, PJ2, NOW).windows];
		expect(snap(f, ALL, NOW).windows).toEqual([]);
		expect(Object.keys(snap(f, ALL, NOW).centers!)).toEqual(['PJ-001', 'PJ-002']);
		expect(snap(f, ALL, NOW).centers!['PJ-002']).toMatchObject({ windowsTotal: 2, windowsOpen: 1, windowsServing: 1 });
		expect(w.map((x) => [x.code, x.status, x.staffCode, x.ticketNo])).toEqual([
			['W01', 'open', 'S001', null],
			['W02', 'absent', 'S002', 'A002'],
			['W03', 'serving', 'S003', 'B001'],
			['W04', 'paused', null, null]
		]);
		expect(w[3].reason).toBe('午休');
		// A window that called a ticket and has not started it is calling it (呼叫中), with its number.
		f.ev('queue.ticket_issued', T('12:10:00'), { centerCode: 'PJ-001', ticketNo: 'A009' });
		f.ev('queue.ticket_called', T('12:11:00'), { centerCode: 'PJ-001', ticketNo: 'A009', windowCode: 'W01' });
		expect(snap(f, PJ1, T('12:11:10')).windows.find((x) => x.code === 'W01')).toMatchObject({ status: 'calling', ticketNo: 'A009' });
		expect(w[2].since).toBe(ms(T('10:02:00')));
		expect(snap(f, PJ2, NOW).windows.map((x) => x.code)).toEqual(['W03', 'W04']);
	});
});

describe('snapshot: day and month boundaries (Asia/Shanghai)', () => {
	it('23:59:59 of the 22nd is yesterday at 08:00 on the 23rd; 00:00 is today', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', '2026-11-22T23:59:59+08:00', { centerCode: 'PJ-001', ticketNo: 'A000' });
		f.ev('queue.ticket_issued', '2026-11-22T16:00:00Z', { centerCode: 'PJ-001', ticketNo: 'A001' }); // = 2026-11-23T00:00+08:00
		const h = snap(f, PJ1, '2026-11-23T08:00:00+08:00').hall;
		expect(h.ticketsIssuedToday).toBe(1);
		expect(h.waitingNow).toBe(1);
		expect(h.ticketsPerHour[0]).toBe(1);
		expect(h.ticketsPerHourYesterday[23]).toBe(1);
		// Seen from the 22nd, only A000 is today's.
		expect(snap(f, PJ1, '2026-11-22T23:59:59.500+08:00').hall).toMatchObject({ ticketsIssuedToday: 1, waitingNow: 1 });
	});

	it('yesterday’s waiting ticket called today: yesterday stops waiting, the wait counts on the day of the call', () => {
		const f = new Feed();
		f.ev('queue.ticket_issued', '2026-11-22T23:59:59+08:00', { centerCode: 'PJ-001', ticketNo: 'A000' });
		f.ev('queue.ticket_called', '2026-11-23T08:05:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A000', windowCode: 'W01' });
		expect(snap(f, PJ1, '2026-11-23T08:10:00+08:00').hall).toMatchObject({ ticketsIssuedToday: 0, waitingNow: 0, avgWaitSec: 29101 });
		expect(snap(f, PJ1, '2026-11-22T23:59:59.900+08:00').hall).toMatchObject({ ticketsIssuedToday: 1, waitingNow: 0, avgWaitSec: null });
	});

	it('month boundary: 2026-10-31T23:59:59+08:00 is last month on 2026-11-01, 2026-10-31T16:00Z is this month (and today)', () => {
		const f = new Feed();
		const card = (id: string, at: string) =>
			f.ev('card.issued', at, { cardId: id, color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		card('k1', '2026-10-31T23:59:59+08:00');
		card('k2', '2026-10-31T16:00:00Z');
		card('k3', '2026-11-01T07:59:00+08:00');
		expect(core(snap(f, PJ1, '2026-11-01T08:00:00+08:00'), 'cards')).toEqual({ yellowToday: 2, redToday: 0, yellowMonth: 2, redMonth: 0 });
		expect(core(snap(f, PJ1, '2026-10-31T23:59:59.999+08:00'), 'cards')).toEqual({ yellowToday: 1, redToday: 0, yellowMonth: 1, redMonth: 0 });
	});
});

/** Presence checks of 2026-11-23 (PJ-001 unless said). */
function presenceDay(): Feed {
	const f = new Feed();
	const issue = (id: string, staff: string, at: string, within: number) =>
		f.ev('presence.check_issued', at, { checkId: id, staffCode: staff, respondWithinSec: within });
	const confirm = (id: string, staff: string, at: string) => f.ev('presence.check_confirmed', at, { checkId: id, staffCode: staff });
	issue('chkY', 'S001', '2026-11-22T23:59:00+08:00', 30); // yesterday, never confirmed
	issue('chk1', 'S001', T('10:00:00'), 60); // deadline 10:01:00
	issue('chk2', 'S002', T('10:00:00'), 60); // deadline 10:01:00
	issue('chk3', 'S001', T('11:00:00'), 120); // deadline 11:02:00
	issue('chk4', 'S002', T('14:59:00'), 120); // deadline 15:01:00
	issue('chk5', 'S003', T('09:00:00'), 60); // PJ-002
	confirm('chk1', 'S001', T('10:00:30')); // in time
	confirm('chk2', 'S002', T('10:01:30')); // late: does not count
	confirm('chk5', 'S003', T('09:00:10'));
	return f;
}

describe('snapshot: presence', () => {
	it('before any miss is judged: rate = confirmed ÷ checks whose deadline passed (1 of chk1–3)', () => {
		const f = presenceDay();
		expect(core(snap(f, PJ1), 'presence')).toEqual({ checksToday: 4, confirmedToday: 1, missedToday: 0, pendingNow: 1, responseRate: 33.3 });
		expect(core(snap(f, PJ2), 'presence')).toEqual({ checksToday: 1, confirmedToday: 1, missedToday: 0, pendingNow: 0, responseRate: 100 });
	});

	it('misses derived at 15:00 (chk2 confirmed late, chk3, yesterday’s chkY), then an in-time confirmation of chk3 arriving late reverses its miss', () => {
		const f = presenceDay();
		const derived = f.derive(ms(NOW));
		expect(derived.map((d) => d.data.checkId).sort()).toEqual(['chk2', 'chk3', 'chkY']);
		expect(core(snap(f, PJ1), 'presence')).toEqual({ checksToday: 4, confirmedToday: 1, missedToday: 2, pendingNow: 1, responseRate: 33.3 });
		// Yesterday's miss stays yesterday.
		expect(snap(f, PJ1, '2026-11-22T23:59:59+08:00').presence).toMatchObject({ checksToday: 1, missedToday: 1, responseRate: 0 });

		f.ev('presence.check_confirmed', T('11:01:59'), { checkId: 'chk3', staffCode: 'S001' });
		expect(core(snap(f, PJ1), 'presence')).toEqual({ checksToday: 4, confirmedToday: 2, missedToday: 1, pendingNow: 1, responseRate: 66.7 });
		expect(core(snap(f, ALL), 'presence')).toEqual({ checksToday: 5, confirmedToday: 3, missedToday: 1, pendingNow: 1, responseRate: 75 });
		expect(f.derive(ms(NOW))).toEqual([]);
	});

	it('the deadline itself: at exactly 15:01:00 chk4 is neither missed nor due; a millisecond later it is both', () => {
		const f = presenceDay();
		f.derive(ms(NOW));
		f.ev('presence.check_confirmed', T('11:01:59'), { checkId: 'chk3', staffCode: 'S001' });
		const atDeadline = T('15:01:00');
		expect(f.derive(ms(atDeadline))).toEqual([]);
		expect(core(snap(f, PJ1, atDeadline), 'presence')).toEqual({ checksToday: 4, confirmedToday: 2, missedToday: 1, pendingNow: 1, responseRate: 66.7 });
		const after = '2026-11-23T15:01:00.001+08:00';
		expect(f.derive(ms(after)).map((d) => d.data.checkId)).toEqual(['chk4']);
		expect(core(snap(f, PJ1, after), 'presence')).toEqual({ checksToday: 4, confirmedToday: 2, missedToday: 2, pendingNow: 0, responseRate: 50 });
		// A confirmation after the deadline does not count and does not undo the miss.
		f.ev('presence.check_confirmed', T('15:02:00'), { checkId: 'chk4', staffCode: 'S002' });
		expect(core(snap(f, PJ1, T('15:03:00')), 'presence')).toEqual({ checksToday: 4, confirmedToday: 2, missedToday: 2, pendingNow: 0, responseRate: 50 });
	});

	it('a confirmation at exactly the deadline counts', () => {
		const f = new Feed();
		f.ev('presence.check_issued', T('10:00:00'), { checkId: 'c', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', T('10:01:00'), { checkId: 'c', staffCode: 'S001' });
		expect(f.derive(ms(T('12:00:00')))).toEqual([]);
		expect(snap(f, PJ1).presence).toMatchObject({ confirmedToday: 1, missedToday: 0, responseRate: 100 });
	});

	it('a second confirmation or a second issue of the same check counts nothing', () => {
		const f = new Feed();
		f.ev('presence.check_issued', T('10:00:00'), { checkId: 'c', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_issued', T('10:00:05'), { checkId: 'c', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', T('10:00:10'), { checkId: 'c', staffCode: 'S001' });
		f.ev('presence.check_confirmed', T('10:00:20'), { checkId: 'c', staffCode: 'S001' });
		f.ev('presence.check_confirmed', T('10:00:20'), { checkId: 'unknown', staffCode: 'S001' });
		expect(core(snap(f, PJ1), 'presence')).toEqual({ checksToday: 1, confirmedToday: 1, missedToday: 0, pendingNow: 0, responseRate: 100 });
	});
});

describe('snapshot: cards', () => {
	function cardDay(): Feed {
		const f = new Feed();
		const card = (id: string, color: string, kind: string, code: string, at: string) =>
			f.ev('card.issued', at, { cardId: id, color, target: { kind, code }, reason: 'other' });
		card('y1', 'yellow', 'staff', 'S001', T('10:00:00')); // PJ-001 / GSJ
		card('y2', 'yellow', 'window', 'W03', T('10:05:00')); // PJ-002 / GAJ
		card('r1', 'red', 'department', 'SWJ', T('10:10:00')); // PJ-001 / SWJ
		card('y3', 'yellow', 'staff', 'S002', '2026-11-05T10:00:00+08:00'); // PJ-001, this month
		card('r2', 'red', 'staff', 'S001', '2026-10-31T23:59:59+08:00'); // last month
		card('y4', 'yellow', 'staff', 'S003', T('11:00:00')); // PJ-002, revoked below
		f.ev('card.revoked', T('12:00:00'), { cardId: 'y4', reason: '经核实系系统故障' });
		return f;
	}

	it('today and month per scope; the revoked card is left out', () => {
		const f = cardDay();
		expect(core(snap(f, PJ1), 'cards')).toEqual({ yellowToday: 1, redToday: 1, yellowMonth: 2, redMonth: 1 });
		expect(core(snap(f, PJ2), 'cards')).toEqual({ yellowToday: 1, redToday: 0, yellowMonth: 1, redMonth: 0 });
		expect(core(snap(f, ALL), 'cards')).toEqual({ yellowToday: 2, redToday: 1, yellowMonth: 3, redMonth: 1 });
		expect(snap(f, CITY).cards).toEqual(snap(f, ALL).cards);
		expect(core(snap(f, PJ1, '2026-10-31T23:59:59.999+08:00'), 'cards')).toEqual({ yellowToday: 0, redToday: 1, yellowMonth: 0, redMonth: 1 });
	});

	it('revoking an earlier card of the month takes it out of the month only; revoking twice or an unknown card does nothing', () => {
		const f = cardDay();
		f.ev('card.revoked', T('13:00:00'), { cardId: 'y3', reason: '误发' });
		expect(core(snap(f, PJ1), 'cards')).toEqual({ yellowToday: 1, redToday: 1, yellowMonth: 1, redMonth: 1 });
		f.ev('card.revoked', T('13:01:00'), { cardId: 'y3', reason: '误发' });
		f.ev('card.revoked', T('13:02:00'), { cardId: 'nope', reason: '误发' });
		expect(core(snap(f, PJ1), 'cards')).toEqual({ yellowToday: 1, redToday: 1, yellowMonth: 1, redMonth: 1 });
		// Revoking last month's card changes last month only.
		f.ev('card.revoked', T('13:03:00'), { cardId: 'r2', reason: '误发' });
		expect(core(snap(f, PJ1), 'cards')).toEqual({ yellowToday: 1, redToday: 1, yellowMonth: 1, redMonth: 1 });
		expect(snap(f, PJ1, '2026-10-31T12:00:00+08:00').cards.redMonth).toBe(0);
	});

	it('the same card id issued twice counts once', () => {
		const f = new Feed();
		const e = { cardId: 'k', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' };
		f.ev('card.issued', T('10:00:00'), e);
		f.ev('card.issued', T('10:00:00'), e);
		expect(snap(f, PJ1).cards.redToday).toBe(1);
	});
});

describe('snapshot: cases', () => {
	function caseDay(): Feed {
		const f = new Feed();
		const accept = (id: string, dept: string, at: string, immediate: boolean, due: Record<string, unknown>) =>
			f.ev('case.accepted', at, { caseId: id, departmentCode: dept, itemName: '事项', immediate, online: !immediate, ...due });
		const complete = (id: string, at: string) => f.ev('case.completed', at, { caseId: id });
		accept('c1', 'GSJ', T('09:00:00'), true, { dueAt: T('17:00:00') });
		complete('c1', T('09:30:00'));
		accept('c2', 'SWJ', T('09:10:00'), false, { promisedDays: 3 });
		complete('c2', T('11:00:00'));
		accept('c3', 'GSJ', '2026-11-10T09:00:00+08:00', false, { promisedDays: 5 }); // due 2026-11-15 end of day
		accept('c4', 'GAJ', '2026-11-20T09:00:00+08:00', false, { dueAt: '2026-11-22T17:00:00+08:00' });
		accept('c5', 'GAJ', T('14:00:00'), false, { dueAt: '2026-11-30T17:00:00+08:00' });
		return f;
	}

	it('accepted/completed today, immediate rate, overdue open after the deadline timer ran', () => {
		const f = caseDay();
		expect(snap(f, PJ1).cases).toEqual({ acceptedToday: 2, completedToday: 2, overdueOpen: 0, immediateRate: 50 });
		const derived = f.derive(ms(NOW));
		expect(derived.map((d) => `${d.type} ${d.data.caseId}`).sort()).toEqual(['case.overdue c3', 'case.overdue c4']);
		expect(snap(f, PJ1).cases).toEqual({ acceptedToday: 2, completedToday: 2, overdueOpen: 1, immediateRate: 50 });
		expect(snap(f, PJ2).cases).toEqual({ acceptedToday: 1, completedToday: 0, overdueOpen: 1, immediateRate: null });
		expect(snap(f, ALL).cases.overdueOpen).toBe(2);
	});

	it('completing an overdue case takes it off the overdue gauge', () => {
		const f = caseDay();
		f.derive(ms(NOW));
		f.ev('case.completed', T('14:30:00'), { caseId: 'c4' });
		expect(snap(f, PJ2).cases).toEqual({ acceptedToday: 1, completedToday: 1, overdueOpen: 0, immediateRate: 0 });
		expect(snap(f, ALL).cases).toEqual({ acceptedToday: 3, completedToday: 3, overdueOpen: 1, immediateRate: 33.3 });
		// Completed twice: counted once.
		f.ev('case.completed', T('14:31:00'), { caseId: 'c4' });
		expect(snap(f, ALL).cases).toEqual({ acceptedToday: 3, completedToday: 3, overdueOpen: 1, immediateRate: 33.3 });
	});
});

describe('snapshot: evaluations', () => {
	it('ratings 4–5 ÷ all ratings, this month', () => {
		const f = new Feed();
		const rate = (rating: number, windowCode: string, at: string) => f.ev('evaluation.submitted', at, { rating, windowCode });
		rate(5, 'W01', T('10:00:00'));
		rate(4, 'W02', '2026-11-02T10:00:00+08:00');
		rate(3, 'W01', T('10:30:00'));
		rate(1, 'W01', T('11:00:00'));
		rate(5, 'W01', '2026-10-31T23:00:00+08:00'); // last month
		rate(2, 'W03', T('11:30:00'));
		expect(snap(f, PJ1).evaluations).toEqual({ satisfactionRate: 50, ratingsMonth: 4 });
		expect(snap(f, PJ2).evaluations).toEqual({ satisfactionRate: 0, ratingsMonth: 1 });
		expect(snap(f, ALL).evaluations).toEqual({ satisfactionRate: 40, ratingsMonth: 5 });
		expect(snap(f, XLT).evaluations).toEqual({ satisfactionRate: 50, ratingsMonth: 4 });
		expect(snap(f, PJ1, '2026-10-31T23:30:00+08:00').evaluations).toEqual({ satisfactionRate: 100, ratingsMonth: 1 });
	});
});

/** Hotline tickets of November 2026 (see the comments for the hand computation). */
function hotlineMonth(): Feed {
	const f = new Feed();
	const d = (s: string) => `2026-11-${s}+08:00`;
	const create = (id: string, at: string, regionCode?: string) =>
		f.ev('hotline.ticket_created', at, { ticketId: id, channel: 'phone', category: '城市管理', summary: '路灯损坏', ...(regionCode ? { regionCode } : {}) });
	const assign = (id: string, dept: string, at: string, dueAt: string) => f.ev('hotline.ticket_assigned', at, { ticketId: id, departmentCode: dept, dueAt });
	const close = (id: string, at: string) => f.ev('hotline.ticket_closed', at, { ticketId: id });
	const callback = (id: string, at: string, reached: boolean, satisfaction?: string) =>
		f.ev('hotline.callback_recorded', at, { ticketId: id, reached, ...(satisfaction ? { satisfaction } : {}) });

	create('H5', '2026-10-30T09:00:00+08:00', 'XLT'); // received last month
	assign('H5', 'GSJ', '2026-10-30T10:00:00+08:00', d('03T17:00:00'));
	close('H5', d('02T10:00:00')); // on time, this month
	callback('H5', d('02T15:00:00'), false);

	create('H1', d('01T09:00:00'), 'XLT');
	assign('H1', 'GSJ', d('01T10:00:00'), d('05T17:00:00'));
	close('H1', d('04T10:00:00')); // on time
	callback('H1', d('05T10:00:00'), true, 'satisfied');

	create('H2', d('02T09:00:00'), 'XLT');
	assign('H2', 'SWJ', d('02T10:00:00'), d('03T17:00:00'));
	close('H2', d('06T10:00:00')); // late
	callback('H2', d('07T10:00:00'), true, 'unsatisfied');

	create('H3', d('10T09:00:00'), 'XLT');
	assign('H3', 'GSJ', d('10T10:00:00'), d('12T17:00:00'));
	close('H3', d('11T10:00:00')); // on time…
	f.ev('hotline.ticket_reopened', d('13T09:00:00'), { ticketId: 'H3', reason: '市民反映未修复' });
	close('H3', d('14T10:00:00')); // …but the latest closure is late
	callback('H3', d('15T10:00:00'), true, 'basic');

	create('H4', d('20T09:00:00'), 'XLT');
	assign('H4', 'GAJ', d('20T10:00:00'), d('21T17:00:00')); // left open: overdue

	create('H6', d('22T09:00:00'), 'SHQ'); // never assigned

	create('H7', d('15T09:00:00')); // no region: the deployment's own
	close('H7', d('16T10:00:00')); // no due time: on time
	callback('H7', d('17T10:00:00'), true, 'satisfied');
	return f;
}

describe('snapshot: hotline', () => {
	it('the deadline timer marks only the assigned open ticket past its due time (H4)', () => {
		const f = hotlineMonth();
		const derived = f.derive(ms(NOW));
		expect(derived.map((x) => `${x.type} ${x.data.ticketId}`)).toEqual(['hotline.ticket_overdue H4']);
	});

	it('region XLT and center PJ-001 (which shows its region’s hotline): 4 received, 4 closed, 2 on time, 2 of 3 reached satisfied/basic, 1 overdue', () => {
		const f = hotlineMonth();
		f.derive(ms(NOW));
		const expected = { receivedMonth: 4, closedMonth: 4, closureRate: 100, onTimeRate: 50, satisfactionRate: 66.7, overdueOpen: 1 };
		expect(core(snap(f, XLT), 'hotline')).toEqual(expected);
		expect(core(snap(f, PJ1), 'hotline')).toEqual(expected);
	});

	it('SHQ / PJ-002: one unassigned ticket', () => {
		const f = hotlineMonth();
		f.derive(ms(NOW));
		const expected = { receivedMonth: 1, closedMonth: 0, closureRate: 0, onTimeRate: null, satisfactionRate: null, overdueOpen: 0 };
		expect(core(snap(f, PJ2), 'hotline')).toEqual(expected);
		expect(core(snap(f, SHQ), 'hotline')).toEqual(expected);
	});

	it('city region sums its subtree; all adds tickets with no region', () => {
		const f = hotlineMonth();
		f.derive(ms(NOW));
		expect(core(snap(f, CITY), 'hotline')).toEqual({ receivedMonth: 5, closedMonth: 4, closureRate: 80, onTimeRate: 50, satisfactionRate: 66.7, overdueOpen: 1 });
		expect(core(snap(f, ALL), 'hotline')).toEqual({ receivedMonth: 6, closedMonth: 5, closureRate: 83.3, onTimeRate: 60, satisfactionRate: 75, overdueOpen: 1 });
	});

	it('last month saw only H5 received', () => {
		const f = hotlineMonth();
		expect(core(snap(f, XLT, '2026-10-31T12:00:00+08:00'), 'hotline')).toEqual({
			receivedMonth: 1,
			closedMonth: 0,
			closureRate: 0,
			onTimeRate: null,
			satisfactionRate: null,
			overdueOpen: 0
		});
	});

	it('closing, reopening and re-closing an overdue ticket moves the gauge and counts the closure once', () => {
		const f = hotlineMonth();
		f.derive(ms(NOW));
		f.ev('hotline.ticket_closed', T('14:00:00'), { ticketId: 'H4' }); // late
		expect(snap(f, XLT).hotline).toMatchObject({ closedMonth: 5, onTimeRate: 40, overdueOpen: 0 });
		f.ev('hotline.ticket_reopened', T('14:10:00'), { ticketId: 'H4', reason: '未解决' });
		expect(snap(f, XLT).hotline).toMatchObject({ closedMonth: 4, onTimeRate: 50, overdueOpen: 1 });
		expect(f.derive(ms(NOW))).toEqual([]); // already overdue: not derived twice
		f.ev('hotline.ticket_closed', T('14:20:00'), { ticketId: 'H4' });
		expect(snap(f, XLT).hotline).toMatchObject({ closedMonth: 5, onTimeRate: 40, overdueOpen: 0 });
		// Closing an already closed ticket counts nothing.
		f.ev('hotline.ticket_closed', T('14:30:00'), { ticketId: 'H4' });
		expect(snap(f, XLT).hotline).toMatchObject({ closedMonth: 5, overdueOpen: 0 });
	});

	it('a callback that did not reach the caller counts in no satisfaction figure', () => {
		const f = new Feed();
		f.ev('hotline.ticket_created', T('09:00:00'), { ticketId: 'X', channel: 'web', category: 'c', summary: 's', regionCode: 'XLT' });
		f.ev('hotline.callback_recorded', T('10:00:00'), { ticketId: 'X', reached: false, satisfaction: 'unsatisfied' });
		expect(snap(f, XLT).hotline.satisfactionRate).toBeNull();
		f.ev('hotline.callback_recorded', T('11:00:00'), { ticketId: 'X', reached: true, satisfaction: 'basic' });
		expect(snap(f, XLT).hotline.satisfactionRate).toBe(100);
	});
});

describe('snapshot: rankings.regions', () => {
	function indicators(): Feed {
		const f = new Feed();
		const report = (regionCode: string, period: string, indicator: string, value: number) =>
			f.ev('indicator.reported', '2026-11-20T10:00:00+08:00', { regionCode, period, indicator, value });
		report('XLT', '2026-09', 'online_entry_rate', 80);
		report('SHQ', '2026-09', 'online_entry_rate', 70);
		report('XLT', '2026-10', 'online_entry_rate', 62.93);
		report('SHQ', '2026-10', 'online_entry_rate', 70);
		report('CITY', '2026-10', 'online_entry_rate', 62.93);
		report('OTHER', '2026-10', 'online_entry_rate', 99);
		report('SHQ', '2026-10', 'online_entry_rate', 75.5); // correction: the latest report wins
		report('XLT', '2026-08', 'one_door_rate', 90);
		report('OTHER', '2026-11', 'one_door_rate', 50);
		report('SHQ', '2026-10', 'appointment_rate', 10); // a custom key
		return f;
	}

	it('all: latest period per indicator, best first, ties share a rank', () => {
		const r = snap(indicators(), ALL).rankings.regions;
		expect(r).toEqual({
			online_entry_rate: {
				period: '2026-10',
				items: [
					{ regionCode: 'OTHER', name: '外市', value: 99, rank: 1 },
					{ regionCode: 'SHQ', name: '双台子区', value: 75.5, rank: 2 },
					{ regionCode: 'XLT', name: '兴隆台区', value: 62.93, rank: 3 },
					{ regionCode: 'CITY', name: '盘锦市', value: 62.93, rank: 3 }
				]
			},
			one_door_rate: { period: '2026-11', items: [{ regionCode: 'OTHER', name: '外市', value: 50, rank: 1 }] },
			appointment_rate: { period: '2026-10', items: [{ regionCode: 'SHQ', name: '双台子区', value: 10, rank: 1 }] }
		});
	});

	it('a region ranks its subtree only, in the latest period that has any of it', () => {
		const f = indicators();
		expect(snap(f, CITY).rankings.regions).toEqual({
			online_entry_rate: {
				period: '2026-10',
				items: [
					{ regionCode: 'SHQ', name: '双台子区', value: 75.5, rank: 1 },
					{ regionCode: 'XLT', name: '兴隆台区', value: 62.93, rank: 2 },
					{ regionCode: 'CITY', name: '盘锦市', value: 62.93, rank: 2 }
				]
			},
			one_door_rate: { period: '2026-08', items: [{ regionCode: 'XLT', name: '兴隆台区', value: 90, rank: 1 }] },
			appointment_rate: { period: '2026-10', items: [{ regionCode: 'SHQ', name: '双台子区', value: 10, rank: 1 }] }
		});
		expect(snap(f, XLT).rankings.regions).toEqual({
			online_entry_rate: { period: '2026-10', items: [{ regionCode: 'XLT', name: '兴隆台区', value: 62.93, rank: 1 }] },
			one_door_rate: { period: '2026-08', items: [{ regionCode: 'XLT', name: '兴隆台区', value: 90, rank: 1 }] }
		});
		expect(snap(f, OTHER).rankings.regions).toEqual({
			online_entry_rate: { period: '2026-10', items: [{ regionCode: 'OTHER', name: '外市', value: 99, rank: 1 }] },
			one_door_rate: { period: '2026-11', items: [{ regionCode: 'OTHER', name: '外市', value: 50, rank: 1 }] }
		});
	});

	it('a center ranks its region’s subtree', () => {
		expect(snap(indicators(), PJ2).rankings.regions).toEqual({
			online_entry_rate: { period: '2026-10', items: [{ regionCode: 'SHQ', name: '双台子区', value: 75.5, rank: 1 }] },
			appointment_rate: { period: '2026-10', items: [{ regionCode: 'SHQ', name: '双台子区', value: 10, rank: 1 }] }
		});
	});
});

describe('snapshot: rankings.departments', () => {
	/**
	 * This month: GSJ 100 − 2 (y1) − 1 (c3 overdue) − 0.5 (rating 1) = 96.5;
	 * SWJ 100 − 2 (y3) − 5 (r1) − 1 (missed check) = 92;
	 * GAJ 100 − 2 (y2) − 1 (c4 overdue) − 0.5·2 (ratings 2 and 1) + 0.5 (100 cases on time) = 96.5.
	 * Not counted: the revoked y4 (GAJ), last month's red r2 (GSJ), the rating 3, fewer than 100 on-time cases of GSJ.
	 */
	function month(): Feed {
		const f = new Feed();
		const card = (id: string, color: string, kind: string, code: string, at: string) =>
			f.ev('card.issued', at, { cardId: id, color, target: { kind, code }, reason: 'other' });
		card('y1', 'yellow', 'staff', 'S001', T('10:00:00'));
		card('y2', 'yellow', 'window', 'W03', T('10:05:00'));
		card('r1', 'red', 'department', 'SWJ', T('10:10:00'));
		card('y3', 'yellow', 'staff', 'S002', '2026-11-05T10:00:00+08:00');
		card('r2', 'red', 'staff', 'S001', '2026-10-31T23:59:59+08:00');
		card('y4', 'yellow', 'staff', 'S003', T('11:00:00'));
		f.ev('card.revoked', T('12:00:00'), { cardId: 'y4', reason: '撤销' });

		f.ev('presence.check_issued', T('10:00:00'), { checkId: 'm1', staffCode: 'S002', respondWithinSec: 60 });

		const accept = (id: string, dept: string, at: string, dueAt: string) =>
			f.ev('case.accepted', at, { caseId: id, departmentCode: dept, itemName: '事项', immediate: false, online: false, dueAt });
		accept('c1', 'GSJ', T('09:00:00'), T('17:00:00'));
		f.ev('case.completed', T('09:30:00'), { caseId: 'c1' });
		accept('c3', 'GSJ', '2026-11-10T09:00:00+08:00', '2026-11-15T17:00:00+08:00');
		accept('c4', 'GAJ', '2026-11-20T09:00:00+08:00', '2026-11-22T17:00:00+08:00');
		for (let i = 0; i < 100; i++) {
			accept(`g${i}`, 'GAJ', T('09:00:00'), '2026-11-30T17:00:00+08:00');
			f.ev('case.completed', T('10:00:00'), { caseId: `g${i}` });
		}

		f.ev('evaluation.submitted', T('11:00:00'), { rating: 1, windowCode: 'W01' });
		f.ev('evaluation.submitted', T('11:00:00'), { rating: 3, windowCode: 'W02' });
		f.ev('evaluation.submitted', T('11:00:00'), { rating: 2, windowCode: 'W03' });
		f.ev('evaluation.submitted', T('11:00:00'), { rating: 1, windowCode: 'W04' });

		f.derive(ms(NOW)); // the missed check m1, overdue c3 and c4
		f.ev('case.completed', T('14:00:00'), { caseId: 'c4' }); // late: stays overdue
		return f;
	}

	it('all (and the city region): by score, ties share a rank', () => {
		const f = month();
		const expected = [
			{ departmentCode: 'GSJ', name: '市场监管局', score: 96.5, rank: 1 },
			{ departmentCode: 'GAJ', name: '公安局', score: 96.5, rank: 1 },
			{ departmentCode: 'SWJ', name: '税务局', score: 92, rank: 3 }
		];
		expect(snap(f, ALL).rankings.departments).toEqual(expected);
		expect(snap(f, CITY).rankings.departments).toEqual(expected);
	});

	it('a center or region ranks its own departments', () => {
		const f = month();
		expect(snap(f, PJ1).rankings.departments).toEqual([
			{ departmentCode: 'GSJ', name: '市场监管局', score: 96.5, rank: 1 },
			{ departmentCode: 'SWJ', name: '税务局', score: 92, rank: 2 }
		]);
		expect(snap(f, XLT).rankings.departments).toEqual(snap(f, PJ1).rankings.departments);
		expect(snap(f, PJ2).rankings.departments).toEqual([{ departmentCode: 'GAJ', name: '公安局', score: 96.5, rank: 1 }]);
		expect(snap(f, OTHER).rankings.departments).toEqual([]);
	});

	it('last month is a different score', () => {
		// October: only r2 (GSJ, red) → 95.
		expect(snap(month(), ALL, '2026-10-31T23:59:59.999+08:00').rankings.departments).toEqual([
			{ departmentCode: 'SWJ', name: '税务局', score: 100, rank: 1 },
			{ departmentCode: 'GAJ', name: '公安局', score: 100, rank: 1 },
			{ departmentCode: 'GSJ', name: '市场监管局', score: 95, rank: 3 }
		]);
	});

	it('configured scoring rules are used', () => {
		const f = month();
		// −10 per yellow: GSJ 100 − 10 − 1 − 0.5 = 88.5; SWJ 100 − 10 − 5 − 1 = 84; GAJ 100 − 10 − 1 − 1 + 0.5 = 88.5
		const s = buildSnapshot(f.state, f.org, ALL, { now: ms(NOW), scoring: { ...DEFAULT_SCORING, perYellowCard: -10 } });
		expect(s.rankings.departments.map((d) => [d.departmentCode, d.score, d.rank])).toEqual([
			['GSJ', 88.5, 1],
			['GAJ', 88.5, 1],
			['SWJ', 84, 3]
		]);
	});
});

describe('snapshot: a city center sees its counties’ region-level items', () => {
	it('a hotline ticket of county XLT counts on the wall of a center in the city region above it, not on a sibling county’s center', () => {
		const org = makeOrg();
		org.load({ centers: [{ code: 'PJ-CITY', name: '盘锦市政务服务中心', regionCode: 'CITY' }] });
		const f = new Feed(org);
		const at = NOW.replace(/T.*/, 'T09:00:00+08:00');
		f.ev('hotline.ticket_created', at, { ticketId: 'HX', channel: 'phone', category: '城市管理', summary: '路灯损坏', regionCode: 'XLT' });
		expect(snap(f, { kind: 'center', code: 'PJ-CITY' }).hotline.receivedMonth).toBe(1);
		expect(snap(f, { kind: 'center', code: 'PJ-002' }).hotline.receivedMonth).toBe(0);
	});
});

// ── The wall's details (hand-computed; "now" is 2026-11-23 15:00 in Shanghai unless said) ──

const D = (day: string, hhmmss: string) => `2026-11-${day}T${hhmmss}+08:00`;

describe('snapshot: wall keys on an empty state', () => {
	it('every wall key is there and empty; the centers list their windows', () => {
		const s = buildSnapshot(new Feed().state, makeOrg(), ALL, { now: ms(NOW) });
		expect(s.hall.waitingByDepartment).toEqual([]);
		expect(s.presence).toMatchObject({ roundsToday: 0, latestRound: null });
		expect(s.cards).toMatchObject({ latest: [], byDepartmentMonth: [] });
		expect(s.hotline).toMatchObject({ byDepartment: [], overdue: [] });
		expect(s.regions!.map((r) => [r.regionCode, r.centers])).toEqual([
			['CITY', 2],
			['OTHER', 0]
		]);
		const windows = [PJ1, PJ2].flatMap((scope) => buildSnapshot(new Feed().state, makeOrg(), scope, { now: ms(NOW) }).windows);
		expect(windows.map((w) => w.card)).toEqual([null, null, null, null]);
		expect(windows.map((w) => [w.code, w.departmentName, w.staffName])).toEqual([
			['W01', '市场监管局', null],
			['W02', '税务局', null],
			['W03', '公安局', null],
			['W04', '公安局', null]
		]);
	});
});

describe('snapshot: hall.waitingByDepartment', () => {
	/**
	 * Waiting now: GSJ A2, A3 (A1 called; A0 is yesterday's) = 2; SWJ A4 called = 0 (left out);
	 * GAJ B1–B3 (B4 no-show) = 3; A5 has no department (waits at the center only).
	 */
	function queue(): Feed {
		const f = new Feed();
		const issue = (centerCode: string, ticketNo: string, at: string, departmentCode?: string) =>
			f.ev('queue.ticket_issued', at, { centerCode, ticketNo, ...(departmentCode ? { departmentCode } : {}) });
		issue('PJ-001', 'A0', D('22', '16:00:00'), 'GSJ');
		for (const [no, dept] of [['A1', 'GSJ'], ['A2', 'GSJ'], ['A3', 'GSJ'], ['A4', 'SWJ'], ['A5', '']]) issue('PJ-001', no, T('09:00:00'), dept || undefined);
		for (const no of ['B1', 'B2', 'B3', 'B4']) issue('PJ-002', no, T('09:30:00'), 'GAJ');
		f.ev('queue.ticket_called', T('09:10:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		f.ev('queue.ticket_called', T('09:11:00'), { centerCode: 'PJ-001', ticketNo: 'A4', windowCode: 'W02' });
		f.ev('queue.ticket_no_show', T('09:40:00'), { centerCode: 'PJ-002', ticketNo: 'B4' });
		return f;
	}

	it('most first, only departments with someone waiting, per scope', () => {
		const f = queue();
		const gaj = { departmentCode: 'GAJ', name: '公安局', waiting: 3 };
		const gsj = { departmentCode: 'GSJ', name: '市场监管局', waiting: 2 };
		expect(snap(f, ALL).hall.waitingByDepartment).toEqual([gaj, gsj]);
		expect(snap(f, CITY).hall.waitingByDepartment).toEqual([gaj, gsj]);
		expect(snap(f, PJ1).hall.waitingByDepartment).toEqual([gsj]);
		expect(snap(f, XLT).hall.waitingByDepartment).toEqual([gsj]);
		expect(snap(f, PJ2).hall.waitingByDepartment).toEqual([gaj]);
		expect(snap(f, OTHER).hall.waitingByDepartment).toEqual([]);
		// The center's own count still has A5 (no department): 3 = 2 (GSJ) + 1.
		expect(snap(f, PJ1).hall.waitingNow).toBe(3);
		// Yesterday A0 was the only one waiting.
		expect(snap(f, PJ1, D('22', '20:00:00')).hall.waitingByDepartment).toEqual([{ departmentCode: 'GSJ', name: '市场监管局', waiting: 1 }]);
	});

	it('calling the last waiting ticket of a department takes it off the list', () => {
		const f = queue();
		f.ev('queue.ticket_called', T('10:00:00'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W01' });
		f.ev('queue.service_started', T('10:01:00'), { centerCode: 'PJ-001', ticketNo: 'A3', windowCode: 'W01' });
		expect(snap(f, PJ1).hall.waitingByDepartment).toEqual([]);
		expect(snap(f, ALL).hall.waitingByDepartment.map((d) => d.departmentCode)).toEqual(['GAJ']);
	});

	it('at most 12 departments', () => {
		const org = makeOrg();
		const extra = Array.from({ length: 14 }, (_, i) => ({ code: `D${String(i + 1).padStart(2, '0')}`, name: `部门${i + 1}`, centerCode: 'PJ-001' }));
		org.load({ departments: extra });
		const f = new Feed(org);
		// D01 has 1 waiting, D02 2, … D14 14.
		extra.forEach((d, i) => {
			for (let k = 0; k <= i; k++) f.ev('queue.ticket_issued', T('09:00:00'), { centerCode: 'PJ-001', ticketNo: `${d.code}-${k}`, departmentCode: d.code });
		});
		const list = snap(f, PJ1).hall.waitingByDepartment;
		expect(list).toHaveLength(12);
		expect(list.map((d) => [d.departmentCode, d.waiting])).toEqual(Array.from({ length: 12 }, (_, i) => [`D${String(14 - i).padStart(2, '0')}`, 14 - i]));
		expect(snap(f, PJ1).hall.waitingNow).toBe(105); // 1 + 2 + … + 14: all of them, not only the 12 shown
	});
});

describe('snapshot: presence.roundsToday and latestRound', () => {
	/**
	 * Round 1: r1a 09:00:00 (confirmed), r1b 09:02:00 (exactly 2 min later: same round).
	 * Round 2: r2a 09:04:01 (2 min 1 s after r1b: a new round).
	 * Round 3 (14:00): r3a S001 confirmed in time; r3b S002 never confirmed (deadline 14:01);
	 *   r3c S003 (PJ-002) confirmed late (deadline 14:02, confirmed 14:02:30); r3d S004 (PJ-002,
	 *   no window) due 15:02, still pending at 15:00.
	 * Yesterday's y1 is not today's.
	 */
	function rounds(): Feed {
		const f = new Feed();
		const issue = (id: string, staffCode: string, at: string, respondWithinSec: number) =>
			f.ev('presence.check_issued', at, { checkId: id, staffCode, respondWithinSec });
		const confirm = (id: string, staffCode: string, at: string) => f.ev('presence.check_confirmed', at, { checkId: id, staffCode });
		issue('y1', 'S001', D('22', '14:00:00'), 60);
		issue('r1a', 'S001', T('09:00:00'), 60);
		confirm('r1a', 'S001', T('09:00:20'));
		issue('r1b', 'S002', T('09:02:00'), 60);
		issue('r2a', 'S001', T('09:04:01'), 60);
		confirm('r2a', 'S001', T('09:04:30'));
		issue('r3a', 'S001', T('14:00:00'), 60);
		issue('r3b', 'S002', T('14:00:00'), 60);
		issue('r3c', 'S003', T('14:01:00'), 60);
		issue('r3d', 'S004', T('14:02:00'), 3600);
		confirm('r3a', 'S001', T('14:00:30'));
		confirm('r3c', 'S003', T('14:02:30'));
		return f;
	}
	const zhang = { staffCode: 'S001', name: '张三', windowCode: 'W01', windowName: '1号窗口' };
	const li = { staffCode: 'S002', name: '李四', windowCode: 'W02', windowName: '2号窗口' };
	const wang = { staffCode: 'S003', name: '王五', windowCode: 'W03', windowName: '3号窗口' };
	const zhao = { staffCode: 'S004', name: '赵六', windowCode: null, windowName: null };

	it('all: each center’s rounds added up (PJ-001 3, PJ-002 1); the latest is the latest of any center’s, at 14:01', () => {
		const f = rounds();
		const latest = { at: '2026-11-23T06:01:00.000Z', checks: 2, confirmed: 0, missed: [wang] };
		expect(snap(f, ALL).presence).toMatchObject({ roundsToday: 4, latestRound: latest });
		// The same once the deadline timer has judged the misses.
		expect(f.derive(ms(NOW)).map((d) => d.data.checkId).sort()).toEqual(['r1b', 'r3b', 'r3c', 'y1']);
		expect(snap(f, ALL).presence.latestRound).toEqual(latest);
		expect(snap(f, CITY).presence.latestRound).toEqual(snap(f, ALL).presence.latestRound);
	});

	it('the pending check joins the missed list only after its deadline (strictly after)', () => {
		const f = rounds();
		expect(snap(f, ALL, T('15:02:00')).presence.latestRound!.missed).toEqual([wang]);
		expect(snap(f, ALL, '2026-11-23T15:02:00.001+08:00').presence.latestRound!.missed).toEqual([wang, zhao]);
		// Confirmed in time instead: it counts as confirmed.
		f.ev('presence.check_confirmed', T('15:01:00'), { checkId: 'r3d', staffCode: 'S004' });
		expect(snap(f, ALL, T('15:30:00')).presence.latestRound).toMatchObject({ checks: 2, confirmed: 1, missed: [wang] });
	});

	it('per scope: each center groups its own checks', () => {
		const f = rounds();
		// PJ-001: r1a r1b | r2a | r3a r3b.
		expect(snap(f, PJ1).presence).toMatchObject({
			roundsToday: 3,
			latestRound: { at: '2026-11-23T06:00:00.000Z', checks: 2, confirmed: 1, missed: [li] }
		});
		expect(snap(f, XLT).presence.latestRound).toEqual(snap(f, PJ1).presence.latestRound);
		// PJ-002: r3c r3d, one round from 14:01.
		expect(snap(f, PJ2).presence).toMatchObject({
			roundsToday: 1,
			latestRound: { at: '2026-11-23T06:01:00.000Z', checks: 2, confirmed: 0, missed: [wang] }
		});
		expect(snap(f, OTHER).presence).toMatchObject({ roundsToday: 0, latestRound: null });
	});

	it('rounds that name themselves count apart, even started in the same minute; their checks count together however far apart', () => {
		const f = new Feed();
		const issue = (id: string, staffCode: string, at: string, roundId: string) => f.ev('presence.check_issued', at, { checkId: id, staffCode, respondWithinSec: 60, roundId });
		issue('a1', 'S001', T('10:00:00'), 'round-a');
		issue('b1', 'S002', T('10:00:30'), 'round-b');
		expect(snap(f, PJ1, T('10:01:00')).presence.roundsToday).toBe(2);
		issue('a2', 'S002', T('10:05:00'), 'round-a'); // late to its round: still round a
		expect(snap(f, PJ1, T('10:06:00')).presence).toMatchObject({ roundsToday: 2, latestRound: { at: '2026-11-23T02:00:30.000Z', checks: 1 } });
	});

	it('the rounds are today’s: yesterday had one round (y1, missed), and with only y1 today has none', () => {
		const f = rounds();
		expect(snap(f, PJ1, D('22', '20:00:00')).presence).toMatchObject({
			roundsToday: 1,
			latestRound: { at: '2026-11-22T06:00:00.000Z', checks: 1, confirmed: 0, missed: [zhang] }
		});
		const g = new Feed();
		g.ev('presence.check_issued', D('22', '14:00:00'), { checkId: 'y1', staffCode: 'S001', respondWithinSec: 60 });
		expect(snap(g, PJ1).presence).toMatchObject({ roundsToday: 0, latestRound: null });
	});

	it('an earlier round’s figures do not leak into the latest one', () => {
		// The morning only (as the wall saw it at 10:00): round 2 (r2a, confirmed) is the latest; round 1 had r1b missed.
		const f = new Feed();
		f.ev('presence.check_issued', T('09:00:00'), { checkId: 'r1a', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', T('09:00:20'), { checkId: 'r1a', staffCode: 'S001' });
		f.ev('presence.check_issued', T('09:02:00'), { checkId: 'r1b', staffCode: 'S002', respondWithinSec: 60 });
		expect(snap(f, PJ1, T('09:04:00')).presence).toMatchObject({
			roundsToday: 1,
			latestRound: { at: '2026-11-23T01:00:00.000Z', checks: 2, confirmed: 1, missed: [li] }
		});
		f.ev('presence.check_issued', T('09:04:01'), { checkId: 'r2a', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', T('09:04:30'), { checkId: 'r2a', staffCode: 'S001' });
		expect(snap(f, PJ1, T('10:00:00')).presence).toMatchObject({
			roundsToday: 2,
			latestRound: { at: '2026-11-23T01:04:01.000Z', checks: 1, confirmed: 1, missed: [] }
		});
	});
});

describe('snapshot: cards.latest', () => {
	/**
	 * PJ-001: k01 … k12 on Nov 1 … 12 at 10:00 (targets cycle staff S001 / window W02 / department GSJ),
	 * k05 arrives last (out of time order). PJ-002: g1 red to W03 by rule, g2 yellow to S004,
	 * g3 red to GAJ, revoked. Last month: o1 (PJ-001).
	 */
	function feedOfCards(): Feed {
		const f = new Feed();
		const card = (cardId: string, color: string, kind: string, code: string, at: string, reason = 'other', rule?: string) =>
			f.ev('card.issued', at, { cardId, color, target: { kind, code }, reason, ...(rule ? { rule } : {}) });
		const targets: Array<[string, string]> = [['staff', 'S001'], ['window', 'W02'], ['department', 'GSJ']];
		card('o1', 'red', 'staff', 'S001', '2026-10-31T10:00:00+08:00', 'absent');
		for (let i = 1; i <= 12; i++) {
			if (i === 5) continue;
			const [kind, code] = targets[i % 3];
			card(`k${String(i).padStart(2, '0')}`, 'yellow', kind, code, D(String(i).padStart(2, '0'), '10:00:00'));
		}
		card('g1', 'red', 'window', 'W03', D('20', '10:00:00'), 'complaint', 'presence-miss-3');
		card('g2', 'yellow', 'staff', 'S004', D('21', '10:00:00'), 'late_or_early_leave');
		card('g3', 'red', 'department', 'GAJ', D('22', '10:00:00'), 'misconduct');
		f.ev('card.revoked', D('22', '11:00:00'), { cardId: 'g3', reason: '经核实系系统故障' });
		card('k05', 'yellow', 'staff', 'S002', D('05', '10:00:00'), 'absent', 'absent-rule');
		return f;
	}

	it('newest first by time (not by arrival), at most 10, scope by center', () => {
		const f = feedOfCards();
		const ids = (s: Scope, now = NOW) => snap(f, s, now).cards.latest.map((c) => c.cardId);
		expect(ids(ALL)).toEqual(['g3', 'g2', 'g1', 'k12', 'k11', 'k10', 'k09', 'k08', 'k07', 'k06']);
		expect(ids(CITY)).toEqual(ids(ALL));
		expect(ids(PJ1)).toEqual(['k12', 'k11', 'k10', 'k09', 'k08', 'k07', 'k06', 'k05', 'k04', 'k03']);
		expect(ids(XLT)).toEqual(ids(PJ1));
		expect(ids(PJ2)).toEqual(['g3', 'g2', 'g1']);
		expect(ids(SHQ)).toEqual(ids(PJ2));
		expect(ids(OTHER)).toEqual([]);
	});

	it('each card: color, time, target and its name, department, reason, rule, revoked', () => {
		const s = snap(feedOfCards(), ALL);
		const byId = new Map(s.cards.latest.map((c) => [c.cardId, c]));
		expect(byId.get('g1')).toEqual({
			cardId: 'g1',
			color: 'red',
			at: '2026-11-20T02:00:00.000Z',
			targetKind: 'window',
			targetCode: 'W03',
			targetName: '3号窗口',
			departmentName: '公安局',
			reason: 'complaint',
			note: null,
			rule: 'presence-miss-3',
			revoked: false
		});
		expect(byId.get('g2')).toMatchObject({ color: 'yellow', targetKind: 'staff', targetCode: 'S004', targetName: '赵六', departmentName: '公安局', reason: 'late_or_early_leave', rule: null, revoked: false });
		expect(byId.get('g3')).toMatchObject({ color: 'red', targetKind: 'department', targetCode: 'GAJ', targetName: '公安局', departmentName: '公安局', reason: 'misconduct', revoked: true });
		expect(byId.get('k12')).toMatchObject({ targetKind: 'staff', targetName: '张三', departmentName: '市场监管局' }); // 12 % 3 = 0: staff S001
		expect(byId.get('k10')).toMatchObject({ targetKind: 'window', targetName: '2号窗口', departmentName: '税务局' });
		expect(byId.get('k11')).toMatchObject({ targetKind: 'department', targetName: '市场监管局', departmentName: '市场监管局' });
		const k05 = snap(feedOfCards(), PJ1).cards.latest.find((c) => c.cardId === 'k05');
		expect(k05).toMatchObject({ targetName: '李四', departmentName: '税务局', reason: 'absent', rule: 'absent-rule', revoked: false });
	});

	it('a revoke flags the card in the feed (it stays there); the counts leave it out', () => {
		const f = feedOfCards();
		f.ev('card.revoked', T('12:00:00'), { cardId: 'k12', reason: '误发' });
		const s = snap(f, PJ1);
		expect(s.cards.latest[0]).toMatchObject({ cardId: 'k12', revoked: true });
		expect(s.cards.latest.filter((c) => c.revoked).map((c) => c.cardId)).toEqual(['k12']);
		expect(s.cards.yellowMonth).toBe(11); // k01–k12 are 12 yellows in PJ-001, k12 revoked
	});

	it('this month’s cards only: last month’s card shows in October, not in November', () => {
		const f = feedOfCards();
		expect(snap(f, PJ1).cards.latest.some((c) => c.cardId === 'o1')).toBe(false);
		expect(snap(f, PJ1, '2026-10-31T12:00:00+08:00').cards.latest.map((c) => c.cardId)).toEqual(['o1']);
		const g = new Feed();
		g.ev('card.issued', '2026-10-31T10:00:00+08:00', { cardId: 'o1', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		expect(snap(g, PJ1).cards.latest).toEqual([]);
	});
});

describe('snapshot: cards.byDepartmentMonth', () => {
	/**
	 * November: GSJ 3 yellows (staff, window, department), one revoked → 2 (weight 2);
	 * SWJ 1 red (weight 3); GAJ 4 yellows (weight 4), and a red in October. A red weighs 3 yellows.
	 */
	function month(): Feed {
		const f = new Feed();
		const card = (cardId: string, color: string, kind: string, code: string, at: string) =>
			f.ev('card.issued', at, { cardId, color, target: { kind, code }, reason: 'other' });
		card('a1', 'yellow', 'staff', 'S001', D('02', '10:00:00'));
		card('a2', 'yellow', 'window', 'W01', D('10', '10:00:00'));
		card('a3', 'yellow', 'department', 'GSJ', T('10:00:00'));
		f.ev('card.revoked', T('11:00:00'), { cardId: 'a1', reason: '误发' });
		card('b1', 'red', 'staff', 'S002', D('15', '10:00:00'));
		card('c1', 'yellow', 'staff', 'S003', D('03', '10:00:00'));
		card('c2', 'yellow', 'staff', 'S004', D('04', '10:00:00'));
		card('c3', 'yellow', 'window', 'W04', D('05', '10:00:00'));
		card('c4', 'yellow', 'department', 'GAJ', D('06', '10:00:00'));
		card('c0', 'red', 'window', 'W03', '2026-10-20T10:00:00+08:00');
		return f;
	}
	const gaj = { departmentCode: 'GAJ', name: '公安局', yellow: 4, red: 0 };
	const swj = { departmentCode: 'SWJ', name: '税务局', yellow: 0, red: 1 };
	const gsj = { departmentCode: 'GSJ', name: '市场监管局', yellow: 2, red: 0 };

	it('revoked cards left out, reds weigh three yellows, per scope', () => {
		const f = month();
		expect(snap(f, ALL).cards.byDepartmentMonth).toEqual([gaj, swj, gsj]);
		expect(snap(f, CITY).cards.byDepartmentMonth).toEqual([gaj, swj, gsj]);
		expect(snap(f, PJ1).cards.byDepartmentMonth).toEqual([swj, gsj]);
		expect(snap(f, PJ2).cards.byDepartmentMonth).toEqual([gaj]);
		expect(snap(f, OTHER).cards.byDepartmentMonth).toEqual([]);
		// October: only GAJ's red.
		expect(snap(f, ALL, '2026-10-31T12:00:00+08:00').cards.byDepartmentMonth).toEqual([{ departmentCode: 'GAJ', name: '公安局', yellow: 0, red: 1 }]);
	});

	it('a department whose cards are all revoked drops out; a second red puts SWJ first', () => {
		const f = month();
		f.ev('card.revoked', T('12:00:00'), { cardId: 'a2', reason: '误发' });
		f.ev('card.revoked', T('12:00:00'), { cardId: 'a3', reason: '误发' });
		expect(snap(f, PJ1).cards.byDepartmentMonth).toEqual([swj]);
		f.ev('card.issued', T('13:00:00'), { cardId: 'b2', color: 'red', target: { kind: 'department', code: 'SWJ' }, reason: 'other' });
		expect(snap(f, ALL).cards.byDepartmentMonth).toEqual([{ ...swj, red: 2 }, gaj]);
	});
});

describe('snapshot: hotline.byDepartment', () => {
	/**
	 * Extra PJ-001 departments RSJ (人社局) and MZJ (民政局, never assigned). November (region XLT unless said):
	 * GSJ assigned T1–T4, closed T1–T3, T4 closed then reopened → 3 ÷ 4 = 75;
	 * RSJ assigned R1–R4, closed R1–R3 → 75 (a tie: shares rank 1);
	 * GAJ assigned G1–G2 (SHQ), closed G1 → 50; SWJ assigned S1, nothing closed → 0.
	 * October: T0 assigned to GSJ and closed.
	 */
	function assignments(): Feed {
		const org = makeOrg();
		org.load({
			departments: [
				{ code: 'RSJ', name: '人社局', centerCode: 'PJ-001' },
				{ code: 'MZJ', name: '民政局', centerCode: 'PJ-001' }
			]
		});
		const f = new Feed(org);
		const ticket = (id: string, dept: string, day: string, regionCode = 'XLT', month = '11') => {
			const at = `2026-${month}-${day}T09:00:00+08:00`;
			f.ev('hotline.ticket_created', at, { ticketId: id, channel: 'phone', category: '城市管理', summary: '路灯损坏', regionCode });
			f.ev('hotline.ticket_assigned', at, { ticketId: id, departmentCode: dept, dueAt: `2026-${month}-28T17:00:00+08:00` });
		};
		const close = (id: string, at: string) => f.ev('hotline.ticket_closed', at, { ticketId: id });
		ticket('T0', 'GSJ', '10', 'XLT', '10');
		close('T0', '2026-10-12T10:00:00+08:00');
		for (const id of ['T1', 'T2', 'T3', 'T4']) ticket(id, 'GSJ', '05');
		for (const id of ['R1', 'R2', 'R3', 'R4']) ticket(id, 'RSJ', '06');
		for (const id of ['G1', 'G2']) ticket(id, 'GAJ', '07', 'SHQ');
		ticket('S1', 'SWJ', '08');
		f.ev('hotline.ticket_created', D('09', '09:00:00'), { ticketId: 'U1', channel: 'web', category: '其他', summary: '咨询', regionCode: 'XLT' }); // never assigned
		for (const id of ['T1', 'T2', 'T3', 'T4', 'R1', 'R2', 'R3', 'G1']) close(id, D('20', '10:00:00'));
		f.ev('hotline.ticket_reopened', D('21', '10:00:00'), { ticketId: 'T4', reason: '未解决' });
		return f;
	}
	const gsj = { departmentCode: 'GSJ', name: '市场监管局', assigned: 4, closed: 3, closureRate: 75 };
	const rsj = { departmentCode: 'RSJ', name: '人社局', assigned: 4, closed: 3, closureRate: 75 };
	const gaj = { departmentCode: 'GAJ', name: '公安局', assigned: 2, closed: 1, closureRate: 50 };
	const swj = { departmentCode: 'SWJ', name: '税务局', assigned: 1, closed: 0, closureRate: 0 };

	it('closed ÷ assigned this month, best first, ties share a rank, departments without assignments left out', () => {
		const f = assignments();
		expect(snap(f, ALL).hotline.byDepartment).toEqual([
			{ ...gsj, rank: 1 },
			{ ...rsj, rank: 1 },
			{ ...gaj, rank: 3 },
			{ ...swj, rank: 4 }
		]);
		expect(snap(f, CITY).hotline.byDepartment).toEqual(snap(f, ALL).hotline.byDepartment);
		expect(snap(f, PJ1).hotline.byDepartment).toEqual([
			{ ...gsj, rank: 1 },
			{ ...rsj, rank: 1 },
			{ ...swj, rank: 3 }
		]);
		expect(snap(f, PJ2).hotline.byDepartment).toEqual([{ ...gaj, rank: 1 }]);
		expect(snap(f, OTHER).hotline.byDepartment).toEqual([]);
	});

	it('re-closing the reopened ticket breaks the tie; October is its own month', () => {
		const f = assignments();
		f.ev('hotline.ticket_closed', T('10:00:00'), { ticketId: 'T4' });
		expect(snap(f, PJ1).hotline.byDepartment.map((d) => [d.departmentCode, d.closed, d.closureRate, d.rank])).toEqual([
			['GSJ', 4, 100, 1],
			['RSJ', 3, 75, 2],
			['SWJ', 0, 0, 3]
		]);
		expect(snap(f, ALL, '2026-10-31T12:00:00+08:00').hotline.byDepartment).toEqual([
			{ departmentCode: 'GSJ', name: '市场监管局', assigned: 1, closed: 1, closureRate: 100, rank: 1 }
		]);
	});
});

describe('snapshot: hotline.overdue', () => {
	const PHONE = '13912345678';
	/**
	 * Due times against now (2026-11-23 15:00): O1 Nov 20 17:00 → 2 d 22 h → 2; O2 today 14:00 → 0;
	 * O3 Nov 22 15:00 → exactly 1 d → 1; O4 (SHQ) Nov 10 09:00 → 13; O5 closed after the timer
	 * marked it; O6 Nov 19 15:00 → 4, closed and reopened; O7 (no region) Nov 15 09:00 → 8;
	 * O8 due next week; U1 never assigned. Every caller left the same phone number.
	 */
	function overdue(): Feed {
		const f = new Feed();
		const ticket = (id: string, dept: string, dueAt: string, regionCode: string | null = 'XLT', category = '城市管理') => {
			f.ev('hotline.ticket_created', D('01', '09:00:00'), {
				ticketId: id,
				channel: 'phone',
				category,
				summary: `来电人 ${PHONE} 反映路灯损坏`,
				callerPhone: PHONE,
				...(regionCode ? { regionCode } : {})
			});
			f.ev('hotline.ticket_assigned', D('01', '10:00:00'), { ticketId: id, departmentCode: dept, dueAt });
		};
		ticket('O1', 'GSJ', D('20', '17:00:00'));
		ticket('O2', 'SWJ', T('14:00:00'), 'XLT', '环境保护');
		ticket('O3', 'GSJ', D('22', '15:00:00'));
		ticket('O4', 'GAJ', D('10', '09:00:00'), 'SHQ', '治安');
		ticket('O5', 'GSJ', D('18', '09:00:00'));
		ticket('O6', 'SWJ', D('19', '15:00:00'));
		ticket('O7', 'GAJ', D('15', '09:00:00'), null);
		ticket('O8', 'GSJ', D('30', '17:00:00'));
		f.ev('hotline.ticket_created', D('01', '09:00:00'), { ticketId: 'U1', channel: 'phone', category: '其他', summary: '咨询', callerPhone: PHONE, regionCode: 'XLT' });
		return f;
	}
	const row = (ticketId: string, departmentCode: string, departmentName: string, daysOverdue: number, category = '城市管理') => ({
		ticketId,
		category,
		departmentCode,
		departmentName,
		daysOverdue
	});
	const O1 = row('O1', 'GSJ', '市场监管局', 2);
	const O2 = row('O2', 'SWJ', '税务局', 0, '环境保护');
	const O3 = row('O3', 'GSJ', '市场监管局', 1);
	const O4 = row('O4', 'GAJ', '公安局', 13, '治安');
	const O6 = row('O6', 'SWJ', '税务局', 4);
	const O7 = row('O7', 'GAJ', '公安局', 8);

	it('only tickets the deadline timer put in the overdue gauge: none before it runs', () => {
		expect(snap(overdue(), ALL).hotline.overdue).toEqual([]);
	});

	it('open overdue tickets, most overdue first, days rounded down; closed ones drop out, reopened ones come back; scope by home', () => {
		const f = overdue();
		expect(f.derive(ms(NOW)).map((d) => d.data.ticketId).sort()).toEqual(['O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7']);
		f.ev('hotline.ticket_closed', T('14:00:00'), { ticketId: 'O5' });
		f.ev('hotline.ticket_closed', T('14:10:00'), { ticketId: 'O6' });
		expect(snap(f, XLT).hotline.overdue).toEqual([O1, O3, O2]);
		f.ev('hotline.ticket_reopened', T('14:20:00'), { ticketId: 'O6', reason: '未解决' });
		expect(snap(f, ALL).hotline.overdue).toEqual([O4, O7, O6, O1, O3, O2]);
		expect(snap(f, CITY).hotline.overdue).toEqual([O4, O6, O1, O3, O2]);
		expect(snap(f, XLT).hotline.overdue).toEqual([O6, O1, O3, O2]);
		expect(snap(f, PJ1).hotline.overdue).toEqual([O6, O1, O3, O2]); // a center shows its region's tickets
		expect(snap(f, PJ2).hotline.overdue).toEqual([O4]);
		expect(snap(f, OTHER).hotline.overdue).toEqual([]);
		// The list agrees with the gauge.
		for (const s of [ALL, CITY, XLT, PJ2]) expect(snap(f, s).hotline.overdue).toHaveLength(snap(f, s).hotline.overdueOpen);
		// One millisecond before a full day, O3 is 0 days overdue.
		expect(snap(f, XLT, '2026-11-23T14:59:59.999+08:00').hotline.overdue.find((o) => o.ticketId === 'O3')!.daysOverdue).toBe(0);
	});

	it('no caller phone anywhere in the snapshot', () => {
		const f = overdue();
		f.derive(ms(NOW));
		for (const s of [ALL, CITY, XLT, PJ1, PJ2]) {
			const snapshot = buildSnapshot(f.state, f.org, s, { now: ms(NOW) });
			expect(snapshot.hotline.overdue.length).toBeGreaterThan(0); // the overdue list is there…
			expect(JSON.stringify(snapshot)).not.toContain(PHONE); // …without the phone
		}
	});

	it('at most 10', () => {
		const f = new Feed();
		for (let i = 1; i <= 12; i++) {
			f.ev('hotline.ticket_created', D('01', '09:00:00'), { ticketId: `Z${i}`, channel: 'web', category: 'c', summary: 's', regionCode: 'XLT' });
			f.ev('hotline.ticket_assigned', D('01', '10:00:00'), { ticketId: `Z${i}`, departmentCode: 'GSJ', dueAt: D(String(23 - i).padStart(2, '0'), '14:00:00') });
		}
		f.derive(ms(NOW));
		const list = snap(f, XLT).hotline.overdue;
		expect(snap(f, XLT).hotline.overdueOpen).toBe(12);
		expect(list.map((o) => [o.ticketId, o.daysOverdue])).toEqual(Array.from({ length: 10 }, (_, k) => [`Z${12 - k}`, 12 - k]));
	});
});

describe('snapshot: windows[].card', () => {
	/**
	 * Today: W01 a yellow to the window (and a red to S001 yesterday); W02 a red to its staff S002
	 * and a yellow to the window (worst: red); W03 a red to S003, revoked; W04 nothing, though
	 * its department GAJ got a red (department cards mark no window).
	 */
	function cardsOnWindows(): Feed {
		const f = new Feed();
		for (const [w, s] of [['W01', 'S001'], ['W02', 'S002'], ['W03', 'S003']]) f.ev('window.status_changed', T('08:30:00'), { windowCode: w, status: 'open', staffCode: s });
		const card = (cardId: string, color: string, kind: string, code: string, at: string) =>
			f.ev('card.issued', at, { cardId, color, target: { kind, code }, reason: 'other' });
		card('p0', 'red', 'staff', 'S001', D('22', '16:00:00'));
		card('p1', 'yellow', 'window', 'W01', T('10:00:00'));
		card('p2', 'red', 'staff', 'S002', T('10:10:00'));
		card('p3', 'yellow', 'window', 'W02', T('10:20:00'));
		card('p4', 'red', 'staff', 'S003', T('10:30:00'));
		f.ev('card.revoked', T('10:40:00'), { cardId: 'p4', reason: '误发' });
		card('p5', 'red', 'department', 'GAJ', T('10:50:00'));
		return f;
	}
	const grid = (f: Feed, scope: Scope, now = NOW) => snap(f, scope, now).windows.map((w) => [w.code, w.card]);

	it('the worst card today of the window or its staff; a revoked card clears it; yesterday’s does not count', () => {
		const f = cardsOnWindows();
		expect([...grid(f, PJ1), ...grid(f, PJ2)]).toEqual([
			['W01', 'yellow'],
			['W02', 'red'],
			['W03', null],
			['W04', null]
		]);
		expect(grid(f, PJ2)).toEqual([
			['W03', null],
			['W04', null]
		]);
		// Yesterday evening W01 had the red.
		expect(grid(f, PJ1, D('22', '20:00:00'))).toEqual([
			['W01', 'red'],
			['W02', null]
		]);
		const w = snap(f, PJ1, NOW).windows;
		expect(w.map((x) => [x.departmentName, x.staffName])).toEqual([
			['市场监管局', '张三'],
			['税务局', '李四']
		]);
	});

	it('a new yellow to the staff marks the window; revoking the red leaves the yellow', () => {
		const f = cardsOnWindows();
		f.ev('card.issued', T('11:00:00'), { cardId: 'p6', color: 'yellow', target: { kind: 'staff', code: 'S003' }, reason: 'absent' });
		expect(grid(f, PJ2)).toEqual([
			['W03', 'yellow'],
			['W04', null]
		]);
		f.ev('card.revoked', T('11:10:00'), { cardId: 'p2', reason: '误发' });
		expect(grid(f, PJ1)).toEqual([
			['W01', 'yellow'],
			['W02', 'yellow']
		]);
		f.ev('card.revoked', T('11:20:00'), { cardId: 'p3', reason: '误发' });
		expect(grid(f, PJ1)).toEqual([
			['W01', 'yellow'],
			['W02', null]
		]);
	});
});

describe('snapshot: names', () => {
	it('the scope’s departments, windows and staff by code', () => {
		const f = new Feed();
		const pj1 = {
			departments: { GSJ: '市场监管局', SWJ: '税务局' },
			windows: { W01: '1号窗口', W02: '2号窗口' },
			staff: { S001: '张三', S002: '李四' }
		};
		const pj2 = { departments: { GAJ: '公安局' }, windows: { W03: '3号窗口', W04: '4号窗口' }, staff: { S003: '王五', S004: '赵六' } };
		expect(snap(f, PJ1).names).toEqual(pj1);
		expect(snap(f, XLT).names).toEqual(pj1);
		expect(snap(f, PJ2).names).toEqual(pj2);
		expect(snap(f, SHQ).names).toEqual(pj2);
		// A region of several centers names none (its lists carry their names; its stream events their labels).
		const none = { departments: {}, windows: {}, staff: {} };
		expect(snap(f, ALL).names).toEqual(none);
		expect(snap(f, CITY).names).toEqual(none);
		expect(snap(f, OTHER).names).toEqual(none);
	});

	it('a department without a center is listed on region and deployment walls, not on a center’s', () => {
		const org = makeOrg();
		org.load({ departments: [{ code: 'ZJJ', name: '住建局' }], staff: [{ code: 'S009', name: '孙九', departmentCode: 'ZJJ' }] });
		const f = new Feed(org);
		const codes = (scope: Scope) => snap(f, scope).rankings.departments.map((d) => d.departmentCode);
		expect(codes(CITY)).toContain('ZJJ');
		expect(codes(ALL)).toContain('ZJJ');
		expect(codes(PJ1)).not.toContain('ZJJ');
		expect(snap(f, PJ1).names.departments).not.toHaveProperty('ZJJ');
	});
});
