import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar';
import { applyAlertForm, defaultAlertSettings, dueAlerts, levelOf, parseAlertSettings, workingSpanStart, type AlertKind, type AlertSettings } from './alerts';
import { deserializeState, serializeState, type DerivedEvent } from './projection';
import { buildSnapshot } from './snapshot';
import { Feed, ms } from './testkit';

const T = (hhmm: string, day = '2026-11-23') => `${day}T${hhmm}:00+08:00`; // a Monday
const calendar = new WorkingCalendar();

/** A feed judged as the writer does: only the named kinds on. */
function setup(kinds: AlertKind[], tweak: (s: AlertSettings) => void = () => {}) {
	const f = new Feed();
	const settings = defaultAlertSettings(null);
	for (const [k, r] of Object.entries(settings.defaults.rules)) r.enabled = kinds.includes(k as AlertKind);
	tweak(settings);
	const tick = (at: string): DerivedEvent[] => {
		const out = dueAlerts(f.state, ms(at), { settings, calendar, org: f.org });
		f.applyDerived(out);
		return out;
	};
	return { f, settings, tick };
}

const brief = (es: DerivedEvent[]) => es.map((e) => `${e.type}:${String(e.data.alertId)}${e.data.level ? `:${String(e.data.level)}` : ''}`);
const issue = (f: Feed, no: string, at: string, dept = 'GSJ', center = 'PJ-001') => f.ev('queue.ticket_issued', T(at), { centerCode: center, ticketNo: no, departmentCode: dept });

describe('alert rules', () => {
	it('longest wait: raised once at yellow, updated to orange and red, resolved when the ticket is called', () => {
		const { f, tick } = setup(['longest_wait']);
		issue(f, 'A001', '09:00');
		expect(tick(T('09:20'))).toEqual([]); // 20 minutes: not over 20
		const raised = tick(T('09:21'));
		expect(brief(raised)).toEqual(['alert.raised:a:longest_wait:center:PJ-001:1:yellow']);
		expect(raised[0].data.title).toBe('兴隆台区政务服务中心 最长等候 21 分钟（超过 20 分钟）');
		expect(raised[0].data.scope).toEqual({ kind: 'center', code: 'PJ-001' });
		expect(raised[0].data.causes).toEqual([{ type: 'queue.ticket_issued', seq: 1 }]);
		expect(tick(T('09:25'))).toEqual([]); // still yellow: no storm
		expect(brief(tick(T('09:31')))).toEqual(['alert.updated:a:longest_wait:center:PJ-001:1:orange']);
		expect(brief(tick(T('09:46')))).toEqual(['alert.updated:a:longest_wait:center:PJ-001:1:red']);
		f.ev('queue.ticket_called', T('09:47'), { centerCode: 'PJ-001', ticketNo: 'A001', windowCode: 'W01' });
		expect(brief(tick(T('09:47')))).toEqual(['alert.resolved:a:longest_wait:center:PJ-001:1']);
		// The next wait of the same hall is the key's second alert.
		issue(f, 'A002', '10:00');
		expect(brief(tick(T('10:21')))).toEqual(['alert.raised:a:longest_wait:center:PJ-001:2:yellow']);
		const a = f.state.alerts.get('a:longest_wait:center:PJ-001:1')!;
		expect([a.level, a.updates, a.resolvedAt]).toEqual(['red', 2, ms(T('09:47'))]);
	});

	it('people waiting with hysteresis: 3 > 2 raises, 2 (over 1.8) holds, 1 resolves', () => {
		const { f, tick } = setup(['waiting'], (s) => (s.defaults.rules.waiting.params = { yellow: 2, orange: 0, red: 0 }));
		for (const n of ['A1', 'A2', 'A3']) issue(f, n, '09:00');
		const r = tick(T('09:01'));
		expect(brief(r)).toEqual(['alert.raised:a:waiting:center:PJ-001:1:yellow']);
		expect(r[0].data.title).toBe('兴隆台区政务服务中心 等候 3 人（超过 2 人）');
		f.ev('queue.ticket_called', T('09:02'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		expect(tick(T('09:02'))).toEqual([]);
		f.ev('queue.ticket_called', T('09:03'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W02' });
		expect(brief(tick(T('09:03')))).toEqual(['alert.resolved:a:waiting:center:PJ-001:1']);
	});

	it('open windows below N in working hours while people wait; not at lunch', () => {
		const { f, tick } = setup(['windows_low'], (s) => (s.defaults.rules.windows_low.params = { yellow: 2, orange: 0, red: 1 }));
		f.ev('window.status_changed', T('08:00'), { windowCode: 'W01', status: 'open' });
		issue(f, 'A1', '09:00');
		const r = tick(T('09:00'));
		expect(brief(r)).toEqual(['alert.raised:a:windows_low:center:PJ-001:1:yellow']); // 1 open: below 2, not below 1
		expect(r[0].data.title).toBe('兴隆台区政务服务中心 开放窗口仅 1 个（少于 2 个），1 人等候');
		expect(brief(tick(T('12:30')))).toEqual(['alert.resolved:a:windows_low:center:PJ-001:1']); // 12:00–13:00 is not working time
	});

	it('no-show share of the last hour, once enough were called', () => {
		const { f, tick } = setup(['no_show_rate'], (s) => (s.defaults.rules.no_show_rate.params = { yellow: 20, orange: 30, red: 45, minCalls: 4 }));
		for (const n of ['A1', 'A2', 'A3', 'A4']) {
			issue(f, n, '09:00');
			f.ev('queue.ticket_called', T('09:10'), { centerCode: 'PJ-001', ticketNo: n, windowCode: 'W01' });
		}
		f.ev('queue.ticket_no_show', T('09:11'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		// 1 of 4 called in the last hour: 25 % > 20 → yellow.
		const r = tick(T('09:30'));
		expect(brief(r)).toEqual(['alert.raised:a:no_show_rate:center:PJ-001:1:yellow']);
		expect(r[0].data.title).toBe('兴隆台区政务服务中心 近一小时弃号率 25%（1/4，超过 20%）');
		// An hour after the calls nobody was called in the last hour: resolved.
		expect(brief(tick(T('10:11')))).toEqual(['alert.resolved:a:no_show_rate:center:PJ-001:1']);
	});

	it('a sender silent for more than 30 minutes inside working hours; resolved when it sends again', () => {
		const { f, tick } = setup(['source_silent']);
		issue(f, 'A1', '09:00');
		expect(tick(T('09:30'))).toEqual([]);
		const r = tick(T('09:31'));
		expect(brief(r)).toEqual(['alert.raised:a:source_silent:source:t:1:orange']);
		expect(r[0].data.title).toBe('兴隆台区政务服务中心 t 31 分钟无数据');
		expect(r[0].data.causes).toEqual([{ type: 'last_event', seq: 1 }]);
		expect(tick(T('11:00'))).toEqual([]);
		issue(f, 'A2', '11:05');
		expect(brief(tick(T('11:05')))).toEqual(['alert.resolved:a:source_silent:source:t:1']);
		// Silent over the night: only working time counts (from 08:30 the next day).
		issue(f, 'A3', '17:00');
		expect(tick(T('08:59', '2026-11-24'))).toEqual([]);
		const next = tick(T('09:01', '2026-11-24'));
		expect(brief(next)).toEqual(['alert.raised:a:source_silent:source:t:2:orange']);
		expect(next[0].data.title).toBe('兴隆台区政务服务中心 t 961 分钟无数据');
	});

	it('every red card, and yellow cards to a department only; a revoke resolves', () => {
		const { f, tick } = setup(['red_card', 'yellow_card_department']);
		f.ev('card.issued', T('09:00'), { cardId: 'c1', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		f.ev('card.issued', T('09:01'), { cardId: 'c2', color: 'yellow', target: { kind: 'staff', code: 'S002' }, reason: 'absent' });
		f.ev('card.issued', T('09:02'), { cardId: 'c3', color: 'yellow', target: { kind: 'department', code: 'SWJ' }, reason: 'overdue_case' });
		const r = tick(T('09:03'));
		expect(brief(r)).toEqual(['alert.raised:a:red_card:card:c1:1:red', 'alert.raised:a:yellow_card_department:card:c3:1:yellow']);
		expect(r[1].data.title).toBe('兴隆台区政务服务中心 税务局 被亮黄牌（超期）');
		expect(r[0].data.causes).toEqual([{ type: 'card.issued', cardId: 'c1' }]);
		f.ev('card.revoked', T('09:10'), { cardId: 'c1', reason: '误判' });
		expect(brief(tick(T('09:10')))).toEqual(['alert.resolved:a:red_card:card:c1:1']);
	});

	it('a presence round with more than N % missed, judged when every check of the round is', () => {
		const { f, tick } = setup(['presence_round'], (s) => (s.defaults.rules.presence_round.params = { yellow: 10, orange: 40, red: 60, minChecks: 2 }));
		f.ev('presence.check_issued', T('10:00'), { checkId: 'k1', staffCode: 'S001', respondWithinSec: 60 });
		f.ev('presence.check_issued', T('10:01'), { checkId: 'k2', staffCode: 'S002', respondWithinSec: 60 });
		f.ev('presence.check_confirmed', T('10:00'), { checkId: 'k1', staffCode: 'S001' });
		expect(tick(T('10:01'))).toEqual([]); // k2 not judged yet
		f.derive(ms(T('10:03')));
		const r = tick(T('10:03'));
		expect(brief(r)).toEqual([`alert.raised:a:presence_round:round:PJ-001:${ms(T('10:00'))}:1:orange`]);
		expect(r[0].data.title).toBe('兴隆台区政务服务中心 10:00 在岗抽查 1/2 人未确认（50%，超过 40%）');
	});

	it('causes before `since` are not raised; a switched-off rule resolves what it raised', () => {
		const { f, settings, tick } = setup(['red_card']);
		settings.since = ms(T('09:30'));
		f.ev('card.issued', T('09:00'), { cardId: 'c1', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		expect(tick(T('09:40'))).toEqual([]);
		f.ev('card.issued', T('09:45'), { cardId: 'c2', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		expect(brief(tick(T('09:46')))).toEqual(['alert.raised:a:red_card:card:c2:1:red']);
		settings.defaults.rules.red_card.enabled = false;
		expect(brief(tick(T('09:47')))).toEqual(['alert.resolved:a:red_card:card:c2:1']);
	});

	it('per center rules: a center of its own thresholds', () => {
		const { f, tick } = setup(['waiting'], (s) => {
			s.defaults.rules.waiting.params = { yellow: 100, orange: 0, red: 0 };
			const own = structuredClone(s.defaults);
			own.rules.waiting.params = { yellow: 0, orange: 0, red: 1 };
			s.centers['PJ-002'] = own;
		});
		issue(f, 'B1', '09:00', 'GAJ', 'PJ-002');
		issue(f, 'B2', '09:00', 'GAJ', 'PJ-002');
		issue(f, 'A1', '09:00');
		issue(f, 'A2', '09:00');
		expect(brief(tick(T('09:01')))).toEqual(['alert.raised:a:waiting:center:PJ-002:1:red']);
	});

	it('acknowledged and open alerts in the figures; the state survives a checkpoint', () => {
		const { f, tick } = setup(['red_card']);
		f.ev('card.issued', T('09:00'), { cardId: 'c1', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' });
		tick(T('09:01'));
		f.ev('alert.acknowledged', T('09:02'), { alertId: 'a:red_card:card:c1:1', by: 'zhang', note: '已处理', centerCode: 'PJ-001' });
		const a = f.state.alerts.get('a:red_card:card:c1:1')!;
		expect([a.ackedBy, a.ackNote]).toEqual(['zhang', '已处理']);
		const back = deserializeState(serializeState(f.state));
		expect(back.alerts.get('a:red_card:card:c1:1')).toEqual(a);
		expect(back.sources.get('t')).toEqual({ lastEventAt: ms(T('09:02')), lastSeq: 3, centerCode: 'PJ-001', regionCode: 'XLT' });
		const snap = buildSnapshot(f.state, f.org, { kind: 'center', code: 'PJ-001' }, { now: ms(T('09:40')) });
		expect(snap.alerts).toEqual({ open: 1, openRed: 1 });
		expect(snap.sources).toEqual([{ name: 't', lastEventAt: new Date(ms(T('09:02'))).toISOString(), silentSec: 38 * 60, status: 'silent' }]);
		expect(buildSnapshot(f.state, f.org, { kind: 'center', code: 'PJ-002' }, { now: ms(T('09:40')) }).alerts).toEqual({ open: 0, openRed: 0 });
		expect(buildSnapshot(f.state, f.org, { kind: 'region', code: 'CITY' }, { now: ms(T('09:40')) }).alerts).toEqual({ open: 1, openRed: 1 });
	});
});

describe('alert settings', () => {
	it('levels with hysteresis', () => {
		const p = { yellow: 10, orange: 20, red: 0 };
		expect(levelOf(10, p, null)).toBeNull();
		expect(levelOf(11, p, null)).toEqual({ level: 'yellow', threshold: 10 });
		expect(levelOf(21, p, null)).toEqual({ level: 'orange', threshold: 20 });
		expect(levelOf(19, p, 'orange')).toEqual({ level: 'orange', threshold: 20 }); // 19 > 18
		expect(levelOf(18, p, 'orange')).toEqual({ level: 'yellow', threshold: 10 });
		expect(levelOf(9.5, p, 'yellow')).toEqual({ level: 'yellow', threshold: 10 });
		expect(levelOf(9, p, 'yellow')).toBeNull();
		expect(levelOf(5, { yellow: 12, orange: 0, red: 6 }, null, true)).toEqual({ level: 'red', threshold: 6 });
	});

	it('working spans', () => {
		expect(workingSpanStart(ms(T('09:15')), '08:30-12:00', 'Asia/Shanghai', calendar)).toBe(ms(T('08:30')));
		expect(workingSpanStart(ms(T('12:15')), '08:30-12:00', 'Asia/Shanghai', calendar)).toBeNull();
		expect(workingSpanStart(ms(T('09:15', '2026-11-22')), '08:30-12:00', 'Asia/Shanghai', calendar)).toBeNull(); // a Sunday
	});

	it('stored settings: bad values fall back and are reported; the form names the field', () => {
		const { settings, errors } = parseAlertSettings({ since: 5, defaults: { hours: '9-10', rules: { waiting: { enabled: false, params: { yellow: 'x', red: 300 } } } } });
		expect(settings.since).toBe(5);
		expect(settings.defaults.rules.waiting).toEqual({ enabled: false, params: { yellow: 80, orange: 120, red: 300 } });
		expect(errors).toEqual(['defaults.hours: expected spans like 08:30-12:00, found "9-10"', 'defaults.waiting.yellow: expected a whole number, found "x"']);
		expect(applyAlertForm({ hours: '08:00-12:00', rules: { longest_wait: { enabled: true, params: { yellow: '10', orange: '', red: '30' } } } })).toEqual({
			ok: false,
			field: 'longest_wait.orange',
			error: 'longest_wait.orange: is required'
		});
		const ok = applyAlertForm({ hours: '08:00-12:00', rules: { longest_wait: { enabled: false, params: { yellow: '10', orange: '20', red: '30' } } } });
		expect(ok.ok && ok.rules.rules.longest_wait).toEqual({ enabled: false, params: { yellow: 10, orange: 20, red: 30 } });
	});
});
