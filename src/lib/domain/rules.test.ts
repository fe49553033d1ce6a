import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar';
import { deserializeState, serializeState, type DerivedEvent } from './projection';
import {
	applyRuleForm,
	defaultRuleSettings,
	dueRuleCards,
	parseRuleSettings,
	RULE_IDS,
	RULE_PARAMS,
	ruleCardId,
	type RuleForm,
	type RuleSettings
} from './rules';
import { DEFAULT_SCORING, type ScoringRules } from './metrics';
import { buildSnapshot } from './snapshot';
import { Feed, ms } from './testkit';

const T = (hhmmss: string, day = '2026-11-23') => `${day}T${hhmmss}+08:00`;

/** A feed and a judge that runs as the server's derive loop does: deadlines, then the rules' cards. */
function setup(tweak: (s: RuleSettings) => void = () => {}) {
	const f = new Feed();
	const settings = defaultRuleSettings();
	tweak(settings);
	const calendar = new WorkingCalendar();
	const cards = (now: number) => dueRuleCards(f.state, now, { settings, calendar, org: f.org });
	const tick = (now: string | number): DerivedEvent[] => {
		const at = typeof now === 'string' ? ms(now) : now;
		f.derive(at);
		const out = cards(at);
		f.applyDerived(out);
		return out;
	};
	return { f, settings, cards, tick };
}

const brief = (cs: DerivedEvent[]) => cs.map((c) => `${c.data.rule}:${(c.data.target as { code: string }).code}:${c.data.color}`);
const check = (f: Feed, id: string, at: string, staff = 'S001', sec = 60) => f.ev('presence.check_issued', at, { checkId: id, staffCode: staff, respondWithinSec: sec });

describe('settings', () => {
	it('defaults: every rule on with the documented parameters', () => {
		const s = defaultRuleSettings(5);
		expect(Object.keys(s)).toEqual([...RULE_IDS]);
		expect(s.presence_missed).toEqual({ enabled: true, since: 5, params: { redFromMiss: 2 } });
		expect(s.case_deadline.params).toEqual({ warnPercent: 20 });
		expect(s.hotline_overdue.params).toEqual({ redAfterWorkingDays: 3 });
		expect(s.window_idle.params).toEqual({ idleMinutes: 10 });
		expect(s.bad_review.params).toEqual({ maxRating: 2 });
	});

	it('a stored value: what is valid is taken, the rest falls back to the default and is reported', () => {
		const { settings, errors } = parseRuleSettings(
			{ rules: { window_idle: { enabled: false, since: 100, params: { idleMinutes: 15 } }, bad_review: { enabled: 'yes', params: { maxRating: 9 } } } },
			42
		);
		expect(settings.window_idle).toEqual({ enabled: false, since: 100, params: { idleMinutes: 15 } });
		expect(settings.bad_review).toEqual({ enabled: true, since: 42, params: { maxRating: 2 } });
		expect(settings.presence_missed.since).toBe(42); // missing from the row: on from the fallback
		expect(errors).toEqual(['bad_review.enabled: expected true or false', 'bad_review.maxRating: must be between 1 and 3, found 9']);
		expect(parseRuleSettings(null).settings).toEqual(defaultRuleSettings(null));
		expect(parseRuleSettings({ rules: 3 }).errors).toEqual(['rules: expected an object']);
	});

	it('the admin form: switching on sets since to now, staying on keeps it; errors name the field', () => {
		const before = defaultRuleSettings(1000);
		before.window_idle.enabled = false;
		const form = (over: Partial<Record<string, { enabled: boolean; params: Record<string, string> }>> = {}): RuleForm => {
			const f = {} as RuleForm;
			for (const r of RULE_IDS) f[r] = { enabled: before[r].enabled, params: Object.fromEntries(Object.entries(before[r].params).map(([k, v]) => [k, String(v)])) };
			return Object.assign(f, over);
		};
		const r = applyRuleForm(before, form({ window_idle: { enabled: true, params: { idleMinutes: '12' } }, bad_review: { enabled: false, params: { maxRating: '2' } } }), 5000);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.settings.window_idle).toEqual({ enabled: true, since: 5000, params: { idleMinutes: 12 } });
		expect(r.settings.presence_missed.since).toBe(1000);
		expect(r.settings.bad_review.enabled).toBe(false);
		expect(before.window_idle.enabled).toBe(false); // not mutated
		expect(applyRuleForm(before, form({ window_idle: { enabled: true, params: { idleMinutes: '0' } } }), 1)).toEqual({
			ok: false,
			field: 'window_idle.idleMinutes',
			error: 'window_idle.idleMinutes: must be between 1 and 240, found 0'
		});
		expect(applyRuleForm(before, form({ hotline_overdue: { enabled: true, params: { redAfterWorkingDays: '2.5' } } }), 1)).toMatchObject({ ok: false, field: 'hotline_overdue.redAfterWorkingDays' });
		expect(applyRuleForm(before, form({ case_deadline: { enabled: true, params: { warnPercent: 'abc' } } }), 1)).toMatchObject({ error: 'case_deadline.warnPercent: expected a whole number, found "abc"' });
		expect(applyRuleForm(before, form({ case_deadline: { enabled: true, params: {} } }), 1)).toMatchObject({ error: 'case_deadline.warnPercent: is required' });
	});

	it('card ids: readable, and hashed only when too long', () => {
		expect(ruleCardId('presence_missed', 'chk-1')).toBe('r:presence_missed:chk-1');
		const long = ruleCardId('case_deadline', 'x'.repeat(128) + ':overdue');
		expect(long).toMatch(/^r:case_deadline:h-[0-9a-z]+$/);
		expect(long).toBe(ruleCardId('case_deadline', 'x'.repeat(128) + ':overdue'));
		for (const r of RULE_IDS) for (const def of Object.values(RULE_PARAMS[r]) as Array<{ default: number; min: number; max: number }>) expect(def.default).toBeGreaterThanOrEqual(def.min);
	});
});

describe('presence_missed', () => {
	it('first miss of the day yellow, second red; nothing at the deadline itself; causes link the misses', () => {
		const { f, tick } = setup();
		check(f, 'k1', T('09:00:00'));
		expect(tick(T('09:01:00'))).toEqual([]); // exactly at the deadline: not missed yet
		const first = tick(ms(T('09:01:00')) + 1);
		expect(brief(first)).toEqual(['presence_missed:S001:yellow']);
		const miss1 = f.state.checks.get('k1')!.missedSeq!;
		expect(first[0]).toMatchObject({
			id: 'sys:card.issued:r:presence_missed:k1',
			type: 'card.issued',
			occurredAt: new Date(ms(T('09:01:00'))).toISOString(),
			data: { cardId: 'r:presence_missed:k1', reason: 'absent', rule: 'presence_missed', causes: [{ type: 'presence.check_missed', seq: miss1, id: 'sys:presence.check_missed:k1' }] }
		});
		check(f, 'k2', T('11:00:00'));
		const second = tick(T('11:05:00'));
		expect(brief(second)).toEqual(['presence_missed:S001:red']);
		const miss2 = f.state.checks.get('k2')!.missedSeq!;
		expect((second[0].data.causes as Array<{ seq: number }>).map((c) => c.seq)).toEqual([miss2, miss1]);
		expect(second[0].data.note).toContain('第2次');
		// Nothing more on later ticks: each cause once.
		expect(tick(T('12:00:00'))).toEqual([]);
		// A third miss is red too; another staff member's first is yellow.
		check(f, 'k3', T('14:00:00'));
		check(f, 'k4', T('14:00:00'), 'S002');
		expect(brief(tick(T('14:05:00')))).toEqual(['presence_missed:S001:red', 'presence_missed:S002:yellow']);
		const snap = buildSnapshot(f.state, f.org, { kind: 'all' }, { now: ms(T('15:00:00')) });
		expect(snap.cards).toMatchObject({ yellowToday: 2, redToday: 2 });
		expect(snap.cards.latest.map((c) => c.rule)).toEqual(['presence_missed', 'presence_missed', 'presence_missed', 'presence_missed']);
	});

	it('the day is the local day: a miss tomorrow is a first miss again', () => {
		const { f, tick } = setup();
		check(f, 'k1', T('16:00:00'));
		expect(brief(tick(T('16:05:00')))).toEqual(['presence_missed:S001:yellow']);
		check(f, 'k2', T('08:30:00', '2026-11-24'));
		expect(brief(tick(T('08:35:00', '2026-11-24')))).toEqual(['presence_missed:S001:yellow']);
	});

	it('a check confirmed in time is not a miss; one confirmed late is', () => {
		const { f, tick } = setup();
		check(f, 'k1', T('09:00:00'));
		f.ev('presence.check_confirmed', T('09:00:30'), { checkId: 'k1', staffCode: 'S001' });
		check(f, 'k2', T('10:00:00'));
		f.ev('presence.check_confirmed', T('10:02:00'), { checkId: 'k2', staffCode: 'S001' });
		expect(brief(tick(T('11:00:00')))).toEqual(['presence_missed:S001:yellow']);
	});

	it('overlapping presence rounds: misses whose response windows overlap are one absence, one card', () => {
		const { f, tick } = setup();
		check(f, 'r1', T('10:00:00'), 'S001', 300); // 10:00–10:05
		check(f, 'r2', T('10:02:00'), 'S001', 60); // 10:02–10:03, inside r1
		check(f, 'r3', T('10:04:00'), 'S001', 300); // 10:04–10:09, overlaps r1
		const at1003 = tick(ms(T('10:03:00')) + 1);
		expect(brief(at1003)).toEqual(['presence_missed:S001:yellow']);
		expect(at1003[0].data.cardId).toBe('r:presence_missed:r2'); // keyed on the first judged
		expect(tick(T('10:10:00'))).toEqual([]); // r1 and r3 join the same absence
		// A later round that does not overlap is the second absence: red, linking the first.
		check(f, 'r4', T('11:00:00'), 'S001', 60);
		const red = tick(T('11:02:00'));
		expect(brief(red)).toEqual(['presence_missed:S001:red']);
		expect((red[0].data.causes as Array<{ id: string }>).map((c) => c.id)).toEqual(['sys:presence.check_missed:r4', 'sys:presence.check_missed:r2']);
	});

	it('both misses judged in one tick (server was down): yellow and red together', () => {
		const { f, tick } = setup();
		check(f, 'k1', T('09:00:00'));
		check(f, 'k2', T('10:00:00'));
		expect(tick(T('12:00:00')).map((c) => `${c.data.cardId}:${c.data.color}`)).toEqual(['r:presence_missed:k1:yellow', 'r:presence_missed:k2:red']);
	});

	it('a revoked card does not count: the next miss is yellow again', () => {
		const { f, tick } = setup();
		check(f, 'k1', T('09:00:00'));
		tick(T('09:02:00'));
		f.ev('card.revoked', T('09:30:00'), { cardId: 'r:presence_missed:k1', reason: '系统故障，已核实在岗' });
		check(f, 'k2', T('10:00:00'));
		expect(brief(tick(T('10:02:00')))).toEqual(['presence_missed:S001:yellow']);
		// And the revoked one is never issued again.
		expect(tick(T('10:30:00'))).toEqual([]);
		const snap = buildSnapshot(f.state, f.org, { kind: 'all' }, { now: ms(T('11:00:00')) });
		expect(snap.cards).toMatchObject({ yellowToday: 1, redToday: 0, yellowMonth: 1 });
		expect(snap.cards.latest.map((c) => [c.cardId, c.revoked])).toEqual([
			['r:presence_missed:k2', false],
			['r:presence_missed:k1', true]
		]);
	});

	it('parameters: red from the third miss', () => {
		const { f, tick } = setup((s) => (s.presence_missed.params.redFromMiss = 3));
		for (const [i, h] of ['09', '10', '11'].entries()) check(f, `k${i}`, T(`${h}:00:00`));
		expect(tick(T('12:00:00')).map((c) => c.data.color)).toEqual(['yellow', 'yellow', 'red']);
	});

	it('switched off: nothing; causes before `since` are not judged', () => {
		const off = setup((s) => (s.presence_missed.enabled = false));
		check(off.f, 'k1', T('09:00:00'));
		expect(off.tick(T('10:00:00'))).toEqual([]);
		expect(off.f.state.checks.get('k1')!.missed).toBe(true); // the miss itself is still derived
		const since = setup((s) => (s.presence_missed.since = ms(T('09:30:00'))));
		check(since.f, 'k1', T('09:00:00'));
		check(since.f, 'k2', T('10:00:00'));
		// k1's miss (09:01) predates the switch-on: no card, but it still counts as the day's first miss.
		expect(brief(since.tick(T('11:00:00')))).toEqual(['presence_missed:S001:red']);
	});

	it('a restart in the middle: deriving again from the checkpoint gives the same ids and nothing twice', () => {
		const { f, cards, tick, settings } = setup();
		check(f, 'k1', T('09:00:00'));
		check(f, 'k2', T('10:00:00'));
		f.derive(ms(T('10:30:00'))); // the misses are in; the writer dies before issuing cards
		const before = cards(ms(T('10:30:00')));
		const restored = new Feed(f.org, deserializeState(serializeState(f.state)));
		restored.seq = f.seq;
		const again = dueRuleCards(restored.state, ms(T('10:31:00')), { settings, calendar: new WorkingCalendar(), org: f.org });
		expect(again).toEqual(before);
		// The first attempt had been stored after all: the second is all duplicates (the log drops
		// them by id); had it reached the reducer, it would change nothing.
		f.applyDerived(before);
		const snap = serializeState(f.state);
		f.applyDerived(again.map((d) => ({ ...d })));
		expect(JSON.parse(serializeState(f.state)).cards).toEqual(JSON.parse(snap).cards);
		expect(tick(T('10:32:00'))).toEqual([]);
	});

	it('every card is a valid event naming known org codes (the Feed validates like ingest)', () => {
		const { f, tick } = setup();
		check(f, 'k1', T('09:00:00'), 'S003');
		const c = tick(T('10:00:00'));
		expect(c).toHaveLength(1);
		expect(f.state.cards.get('r:presence_missed:k1')).toMatchObject({ color: 'yellow', targetKind: 'staff', targetCode: 'S003', rule: 'presence_missed', place: { centerCode: 'PJ-002', departmentCode: 'GAJ', windowCode: 'W03' } });
	});
});

describe('case_deadline', () => {
	const accept = (f: Feed, id: string, at: string, dueAt: string, dept = 'GSJ') => f.ev('case.accepted', at, { caseId: id, departmentCode: dept, itemName: '企业设立登记', immediate: false, online: true, dueAt });

	it('yellow (预警) at exactly 20% left, not before; red once past due; to the department', () => {
		const { f, tick } = setup();
		accept(f, 'c1', T('08:00:00'), T('18:00:00')); // 10 h limit: warn at 16:00
		expect(tick(ms(T('16:00:00')) - 1)).toEqual([]);
		const warn = tick(T('16:00:00'));
		expect(brief(warn)).toEqual(['case_deadline:GSJ:yellow']);
		expect(warn[0]).toMatchObject({ occurredAt: new Date(ms(T('16:00:00'))).toISOString(), data: { cardId: 'r:case_deadline:c1:warn', reason: 'overdue_case', target: { kind: 'department', code: 'GSJ' } } });
		const c = f.state.cases.get('c1')!;
		expect((warn[0].data.causes as Array<{ type: string; seq: number }>)).toEqual([
			{ type: 'case.deadline_near', seq: c.nearSeq, id: 'sys:case.deadline_near:c1' },
			{ type: 'case.accepted', seq: c.acceptedSeq }
		]);
		expect(tick(T('18:00:00'))).toEqual([]); // exactly due: not past due
		const red = tick(ms(T('18:00:00')) + 1);
		expect(brief(red)).toEqual(['case_deadline:GSJ:red']);
		expect(red[0].data.cardId).toBe('r:case_deadline:c1:overdue');
		expect(tick(T('20:00:00'))).toEqual([]);
	});

	it('already past due when first judged: red only; a completed case: nothing', () => {
		const { f, tick } = setup();
		accept(f, 'c1', T('08:00:00'), T('09:00:00'));
		accept(f, 'c2', T('08:00:00'), T('09:00:00'));
		f.ev('case.completed', T('08:30:00'), { caseId: 'c2' });
		expect(tick(T('12:00:00')).map((c) => c.data.cardId)).toEqual(['r:case_deadline:c1:overdue']);
	});

	it('parameters: warn at 50% left; 0 turns the warning off', () => {
		const half = setup((s) => (s.case_deadline.params.warnPercent = 50));
		accept(half.f, 'c1', T('08:00:00'), T('18:00:00'));
		expect(half.tick(T('12:59:59'))).toEqual([]);
		expect(brief(half.tick(T('13:00:00')))).toEqual(['case_deadline:GSJ:yellow']);
		const none = setup((s) => (s.case_deadline.params.warnPercent = 0));
		accept(none.f, 'c1', T('08:00:00'), T('18:00:00'));
		expect(none.tick(T('17:59:00'))).toEqual([]);
		expect(brief(none.tick(T('18:01:00')))).toEqual(['case_deadline:GSJ:red']);
	});

	it('switched off: nothing', () => {
		const { f, tick } = setup((s) => (s.case_deadline.enabled = false));
		accept(f, 'c1', T('08:00:00'), T('09:00:00'));
		expect(tick(T('12:00:00'))).toEqual([]);
		expect(f.state.cases.get('c1')!.overdue).toBe(true);
	});
});

describe('hotline_overdue', () => {
	const ticket = (f: Feed, id: string, created: string, dueAt: string, dept = 'SWJ') => {
		f.ev('hotline.ticket_created', created, { ticketId: id, channel: 'phone', category: '城市管理', summary: '路灯', regionCode: 'XLT' });
		f.ev('hotline.ticket_assigned', created, { ticketId: id, departmentCode: dept, dueAt });
	};

	it('past due: yellow; more than 3 working days past due: red (exactly at the limit not yet)', () => {
		const { f, tick } = setup();
		ticket(f, 'RX-1', T('09:00:00', '2026-11-16'), T('17:00:00', '2026-11-20')); // due Friday 17:00
		expect(tick(T('17:00:00', '2026-11-20'))).toEqual([]);
		const yellow = tick(T('17:00:01', '2026-11-20'));
		expect(brief(yellow)).toEqual(['hotline_overdue:SWJ:yellow']);
		const t = f.state.hotline.get('RX-1')!;
		expect(yellow[0].data.causes).toEqual([
			{ type: 'hotline.ticket_overdue', seq: t.overdueSeq, id: 'sys:hotline.ticket_overdue:RX-1' },
			{ type: 'hotline.ticket_assigned', seq: t.assignedSeq }
		]);
		// Monday, Tuesday, Wednesday: the limit is Wednesday 17:00.
		expect(tick(T('17:00:00', '2026-11-25'))).toEqual([]);
		const red = tick(ms(T('17:00:00', '2026-11-25')) + 1);
		expect(brief(red)).toEqual(['hotline_overdue:SWJ:red']);
		expect(red[0].occurredAt).toBe(new Date(ms(T('17:00:00', '2026-11-25'))).toISOString());
		expect(tick(T('09:00:00', '2026-11-30'))).toEqual([]);
	});

	it('working days by the calendar: a ticket due before 国庆 is red only three working days after it', () => {
		const { f, tick } = setup();
		ticket(f, 'RX-2', T('09:00:00', '2026-09-28'), T('17:00:00', '2026-09-30'));
		expect(brief(tick(T('18:00:00', '2026-09-30')))).toEqual(['hotline_overdue:SWJ:yellow']);
		// 10-08 (Thu), 10-09 (Fri), 10-10 (Saturday, 调休上班): the limit is 10-10 17:00.
		expect(tick(T('17:00:00', '2026-10-10'))).toEqual([]);
		expect(brief(tick(T('17:00:01', '2026-10-10')))).toEqual(['hotline_overdue:SWJ:red']);
	});

	it('closed before judged: nothing; a parameter of 1 working day', () => {
		const { f, tick } = setup((s) => (s.hotline_overdue.params.redAfterWorkingDays = 1));
		ticket(f, 'RX-3', T('09:00:00', '2026-11-16'), T('17:00:00', '2026-11-17'));
		ticket(f, 'RX-4', T('09:00:00', '2026-11-16'), T('17:00:00', '2026-11-17'));
		f.ev('hotline.ticket_closed', T('16:00:00', '2026-11-17'), { ticketId: 'RX-4' });
		expect(tick(T('17:00:00', '2026-11-18')).map((c) => c.data.cardId)).toEqual(['r:hotline_overdue:RX-3:overdue']);
		expect(tick(T('17:00:01', '2026-11-18')).map((c) => c.data.cardId)).toEqual(['r:hotline_overdue:RX-3:late']);
	});

	it('a reopened ticket does not get its cards again', () => {
		const { f, tick } = setup();
		ticket(f, 'RX-5', T('09:00:00', '2026-11-16'), T('17:00:00', '2026-11-17'));
		expect(tick(T('18:00:00', '2026-11-17'))).toHaveLength(1);
		f.ev('hotline.ticket_closed', T('09:00:00', '2026-11-18'), { ticketId: 'RX-5' });
		f.ev('hotline.ticket_reopened', T('10:00:00', '2026-11-18'), { ticketId: 'RX-5', reason: '未解决' });
		expect(tick(T('11:00:00', '2026-11-18'))).toEqual([]);
	});
});

describe('window_idle', () => {
	const open = (f: Feed, w: string, at: string) => f.ev('window.status_changed', at, { windowCode: w, status: 'open' });
	const issue = (f: Feed, no: string, at: string, dept = 'GSJ', center = 'PJ-001') => f.ev('queue.ticket_issued', at, { centerCode: center, ticketNo: no, departmentCode: dept });

	it('open and idle while people wait for its department more than 10 minutes: yellow to the window, once', () => {
		const { f, tick } = setup();
		const opened = open(f, 'W01', T('08:30:00'));
		const first = issue(f, 'A1', T('09:00:00'));
		expect(tick(T('09:10:00'))).toEqual([]); // exactly 10 minutes: not more
		const c = tick(T('09:10:01'));
		expect(brief(c)).toEqual(['window_idle:W01:yellow']);
		expect(c[0]).toMatchObject({
			occurredAt: new Date(ms(T('09:10:00'))).toISOString(),
			data: {
				cardId: `r:window_idle:W01:${ms(T('09:00:00'))}`,
				target: { kind: 'window', code: 'W01' },
				causes: [
					{ type: 'window.status_changed', seq: opened.seq },
					{ type: 'queue.ticket_issued', seq: first.seq }
				]
			}
		});
		expect(tick(T('09:30:00'))).toEqual([]);
	});

	it('only its own department’s queue counts; other windows of that department each get theirs', () => {
		const { f, tick } = setup();
		open(f, 'W01', T('08:30:00')); // GSJ
		open(f, 'W02', T('08:30:00')); // SWJ
		issue(f, 'A1', T('09:00:00'), 'SWJ');
		expect(brief(tick(T('09:20:00')))).toEqual(['window_idle:W02:yellow']);
	});

	it('a call ends the stretch; idle again while still waited for starts a new one', () => {
		const { f, tick } = setup();
		open(f, 'W01', T('08:30:00'));
		issue(f, 'A1', T('09:00:00'));
		issue(f, 'A2', T('09:01:00'));
		f.ev('queue.ticket_called', T('09:05:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01' });
		expect(tick(T('09:20:00'))).toEqual([]); // busy
		f.ev('queue.service_completed', T('09:21:00'), { centerCode: 'PJ-001', ticketNo: 'A1', windowCode: 'W01', result: 'done' });
		expect(tick(T('09:31:00'))).toEqual([]);
		const c = tick(T('09:31:01'));
		expect(c.map((x) => x.data.cardId)).toEqual([`r:window_idle:W01:${ms(T('09:21:00'))}`]);
		// Nobody waiting: nothing, however long idle.
		f.ev('queue.ticket_called', T('09:40:00'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W01' });
		f.ev('queue.service_completed', T('09:45:00'), { centerCode: 'PJ-001', ticketNo: 'A2', windowCode: 'W01', result: 'done' });
		expect(tick(T('11:00:00'))).toEqual([]);
	});

	it('paused or closed windows are not idle; the wait counts from when people started waiting', () => {
		const { f, tick } = setup();
		f.ev('window.status_changed', T('08:30:00'), { windowCode: 'W01', status: 'paused', reason: '业务培训' });
		issue(f, 'A1', T('09:00:00'));
		expect(tick(T('09:30:00'))).toEqual([]);
		open(f, 'W01', T('09:30:00'));
		expect(tick(T('09:40:00'))).toEqual([]);
		expect(tick(T('09:40:01')).map((x) => x.data.cardId)).toEqual([`r:window_idle:W01:${ms(T('09:30:00'))}`]);
	});

	it('parameters: 20 minutes; switched off: nothing', () => {
		const p = setup((s) => (s.window_idle.params.idleMinutes = 20));
		open(p.f, 'W01', T('08:30:00'));
		issue(p.f, 'A1', T('09:00:00'));
		expect(p.tick(T('09:15:00'))).toEqual([]);
		expect(p.tick(T('09:20:01'))).toHaveLength(1);
		const off = setup((s) => (s.window_idle.enabled = false));
		open(off.f, 'W01', T('08:30:00'));
		issue(off.f, 'A1', T('09:00:00'));
		expect(off.tick(T('12:00:00'))).toEqual([]);
	});

	it('yesterday’s leftover queue does not make a window idle-while-waited-for today', () => {
		const { f, tick } = setup();
		issue(f, 'A1', T('16:00:00', '2026-11-22'));
		open(f, 'W01', T('08:30:00'));
		expect(tick(T('10:00:00'))).toEqual([]);
	});
});

describe('bad_review', () => {
	it('rating ≤ 2 naming a staff member: a yellow warning to them, linking the review', () => {
		const { f, tick } = setup();
		const e = f.ev('evaluation.submitted', T('10:00:00'), { rating: 2, staffCode: 'S002', windowCode: 'W02', comment: '态度差' });
		f.ev('evaluation.submitted', T('10:01:00'), { rating: 3, staffCode: 'S002' });
		f.ev('evaluation.submitted', T('10:02:00'), { rating: 1, windowCode: 'W01' }); // nobody named
		const c = tick(T('10:05:00'));
		expect(brief(c)).toEqual(['bad_review:S002:yellow']);
		expect(c[0]).toMatchObject({ occurredAt: new Date(ms(T('10:00:00'))).toISOString(), data: { reason: 'bad_review', causes: [{ type: 'evaluation.submitted', seq: e.seq, id: e.id }] } });
		expect(tick(T('10:06:00'))).toEqual([]);
	});

	it('parameters: up to 3; switched off: nothing', () => {
		const p = setup((s) => (s.bad_review.params.maxRating = 3));
		p.f.ev('evaluation.submitted', T('10:01:00'), { rating: 3, staffCode: 'S002' });
		expect(p.tick(T('10:05:00'))).toHaveLength(1);
		const q = setup((s) => (s.bad_review.params.maxRating = 1));
		q.f.ev('evaluation.submitted', T('10:01:00'), { rating: 2, staffCode: 'S002' });
		expect(q.tick(T('10:05:00'))).toEqual([]);
		const off = setup((s) => (s.bad_review.enabled = false));
		off.f.ev('evaluation.submitted', T('10:01:00'), { rating: 1, staffCode: 'S002' });
		expect(off.tick(T('10:05:00'))).toEqual([]);
	});
});

describe('tallies', () => {
	it('revoked rule cards leave the counts and the department score; kept ones stay', () => {
		const { f, tick } = setup();
		f.ev('evaluation.submitted', T('10:00:00'), { rating: 1, staffCode: 'S001' });
		f.ev('evaluation.submitted', T('10:01:00'), { rating: 1, staffCode: 'S001' });
		const [a, b] = tick(T('10:05:00'));
		// Scored with bad-review rule cards counting (by default they do not: the review counts already).
		const snap = (at: string, scoring = { ...DEFAULT_SCORING, countBadReviewCards: true }) => buildSnapshot(f.state, f.org, { kind: 'center', code: 'PJ-001' }, { now: ms(at), scoring });
		const score = (at: string, scoring?: ScoringRules) => snap(at, scoring).rankings.departments.find((d) => d.departmentCode === 'GSJ')!.score;
		expect(snap(T('10:06:00')).cards).toMatchObject({ yellowToday: 2, yellowMonth: 2 });
		const both = score(T('10:06:00'));
		expect(score(T('10:06:00'), DEFAULT_SCORING)).toBe(99); // 100 − 0.5 · 2 reviews; the cards cost nothing
		f.ev('card.revoked', T('11:00:00'), { cardId: a.data.cardId as string, reason: '评价人误操作' });
		f.ev('card.revoked', T('11:01:00'), { cardId: a.data.cardId as string, reason: 'again' }); // a second revoke changes nothing
		expect(snap(T('11:05:00')).cards).toMatchObject({ yellowToday: 1, yellowMonth: 1 });
		expect(score(T('11:05:00'))).toBe(both + 2);
		expect(score(T('11:05:00'), DEFAULT_SCORING)).toBe(99);
		expect(f.state.cards.get(b.data.cardId as string)!.revoked).toBe(false);
	});
});
