import { describe, it, expect } from 'vitest';
import { EVENT_TYPES, isSystemType, parseEvent, type EventOf, type HallEvent } from '../../domain/catalog';
import { OrgIndex } from '../../domain/org';
import { demoOrg } from './demo-org';
import { DaySimulator, DEMO_DAILY_VOLUMES, DEMO_INTENSITY, type SimOptions } from './simulator';

const org = demoOrg();
const index = new OrgIndex(org);
const DAY = 86_400_000;
const MIN = 60_000;
/** Local midnight of Monday 2026-11-23 in Asia/Shanghai. */
const day0 = Date.parse('2026-11-23T00:00:00+08:00');
const at = (e: HallEvent) => Date.parse(e.occurredAt);
/** Local `HH:MM` of an event (all occurredAt carry +08:00). */
const clock = (e: HallEvent) => e.occurredAt.slice(11, 16);
const sim = (opts: Partial<SimOptions> = {}) => new DaySimulator({ org, seed: 7, ...opts });
/** One whole local day, from a simulator that starts at that day's midnight. */
const wholeDay = (opts: Partial<SimOptions> = {}, start = day0) => sim(opts).eventsBetween(start - 1, start + DAY - 1);
const ofType = <T extends HallEvent['type']>(evs: HallEvent[], type: T) => evs.filter((e): e is EventOf<T> & HallEvent => e.type === type);
const withoutIndicators = (evs: HallEvent[]) => evs.filter((e) => e.type !== 'indicator.reported');

/** A steady-state day (follow-ups of earlier days' cases and hotline tickets included). */
const day = wholeDay();
/** A first day: the receiver saw nothing before midnight. */
const fresh = wholeDay({ since: day0 - 1 });

describe('DaySimulator: events', () => {
	it('emits only valid events that name known org codes', () => {
		for (const evs of [day, fresh]) {
			expect(evs.length).toBeGreaterThan(5000);
			for (const e of evs) {
				const r = parseEvent(JSON.parse(JSON.stringify(e)), { now: at(e) + MIN });
				if (!r.ok) throw new Error(`${e.id}: ${r.error}`);
				expect(index.checkRefs(e), e.id).toBeNull();
			}
		}
	});

	it('never emits system types, and one day covers every other type', () => {
		for (const evs of [day, fresh]) {
			const types = new Set(evs.map((e) => e.type));
			for (const t of EVENT_TYPES) expect(types.has(t), t).toBe(!isSystemType(t));
		}
	});

	it('returns events in occurredAt order, whole seconds, +08:00', () => {
		for (let i = 1; i < day.length; i++) expect(at(day[i])).toBeGreaterThanOrEqual(at(day[i - 1]));
		for (const e of day) expect(e.occurredAt).toMatch(/^2026-11-23T\d{2}:\d{2}:\d{2}\+08:00$/);
	});

	it('is deterministic: same seed, same events; another seed, other events', () => {
		expect(JSON.stringify(wholeDay())).toBe(JSON.stringify(day));
		expect(JSON.stringify(wholeDay({ seed: 8 }))).not.toBe(JSON.stringify(day));
	});

	it('gives the same events however the time line is sliced', () => {
		const s = sim();
		const sliced: HallEvent[] = [];
		for (let t = day0 - 1; t < day0 + DAY - 1; t += 7 * MIN) sliced.push(...s.eventsBetween(t, Math.min(t + 7 * MIN, day0 + DAY - 1)));
		expect(JSON.stringify(withoutIndicators(sliced))).toBe(JSON.stringify(withoutIndicators(day)));
		expect(ofType(sliced, 'indicator.reported').map((e) => e.id)).toEqual(ofType(day, 'indicator.reported').map((e) => e.id));
	});

	it('makes unique, well-formed, dated ids, also across days', () => {
		const s = sim({ since: day0 - 1 });
		const twoDays = [...s.eventsBetween(day0 - 1, day0 + DAY - 1), ...s.eventsBetween(day0 + DAY - 1, day0 + 2 * DAY - 1)];
		const ids = twoDays.map((e) => e.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
		for (const e of withoutIndicators(fresh)) expect(e.id).toMatch(/^sim-20261123-/);
		expect(new Set(sim({ idPrefix: 'demo' }).eventsBetween(day0 + 9 * 3_600_000, day0 + 10 * 3_600_000).map((e) => e.id.split('-')[0]))).toEqual(new Set(['demo']));
	});
});

describe('DaySimulator: the hall', () => {
	it('issues roughly 1500–2500 tickets a day at the default intensity', () => {
		expect(DEMO_INTENSITY).toBe(1);
		expect(DEMO_DAILY_VOLUMES.ticketsPerWindow * org.windows.length).toBeGreaterThanOrEqual(1500);
		for (const [seed, start] of [[7, day0], [1, day0 + DAY], [20181, day0 + 5 * DAY]]) {
			const n = ofType(wholeDay({ seed }, start), 'queue.ticket_issued').length;
			expect(n, `seed ${seed}`).toBeGreaterThanOrEqual(1500);
			expect(n, `seed ${seed}`).toBeLessThanOrEqual(2500);
		}
		const half = ofType(wholeDay({ intensity: 0.5 }), 'queue.ticket_issued').length;
		expect(half).toBeLessThan(ofType(day, 'queue.ticket_issued').length * 0.6);
	});

	it('has a morning peak, a lunch dip and a smaller afternoon peak', () => {
		const issued = ofType(day, 'queue.ticket_issued');
		const between = (a: string, b: string) => issued.filter((e) => clock(e) >= a && clock(e) < b).length;
		const morning = between('09:30', '10:30');
		const lunch = between('12:00', '13:00');
		const afternoon = between('14:30', '15:30');
		expect(morning).toBeGreaterThan(3 * lunch);
		expect(afternoon).toBeGreaterThan(2 * lunch);
		expect(morning).toBeGreaterThan(afternoon);
		expect(between('00:00', '08:00') + between('17:30', '24:00')).toBe(0);
	});

	it('takes every ticket through issued → called → started → completed (or no-show), at its department', () => {
		const windows = new Map(org.windows.map((w) => [w.code, w]));
		const life = new Map<string, HallEvent[]>();
		for (const e of day) if (e.type.startsWith('queue.')) {
			const no = (e.data as { ticketNo: string }).ticketNo;
			life.set(no, [...(life.get(no) ?? []), e]);
		}
		const letters = new Map<string, string>();
		let noShows = 0;
		for (const [no, evs] of life) {
			expect(no).toMatch(/^[A-Z]{1,2}\d{3,}$/);
			const [issued, called, ...rest] = evs;
			expect(issued.type).toBe('queue.ticket_issued');
			expect(ofType(evs, 'queue.ticket_issued')).toHaveLength(1);
			const dept = (issued as EventOf<'queue.ticket_issued'>).data.departmentCode!;
			// One letter per department.
			const letter = no.replace(/\d+$/, '');
			expect(letters.get(letter) ?? dept).toBe(dept);
			letters.set(letter, dept);
			expect(called.type).toBe('queue.ticket_called');
			expect(at(called)).toBeGreaterThan(at(issued));
			const win = (called as EventOf<'queue.ticket_called'>).data.windowCode;
			expect(windows.get(win)?.departmentCode).toBe(dept);
			if (rest[0].type === 'queue.ticket_no_show') {
				noShows++;
				expect(rest).toHaveLength(1);
				expect(at(rest[0])).toBeGreaterThan(at(called));
				continue;
			}
			expect(rest.map((e) => e.type)).toEqual(['queue.service_started', 'queue.service_completed']);
			expect(at(rest[0])).toBeGreaterThan(at(called));
			expect(at(rest[1])).toBeGreaterThan(at(rest[0]));
			for (const e of rest) expect((e.data as { windowCode: string }).windowCode).toBe(win);
		}
		expect(noShows / life.size).toBeLessThan(0.1);
		const results = ofType(day, 'queue.service_completed').map((e) => e.data.result);
		expect(results.filter((r) => r === 'done').length / results.length).toBeGreaterThan(0.85);
		expect(new Set(results)).toEqual(new Set(['done', 'transferred', 'incomplete']));
	});

	it('opens windows after clock-in, closes them at lunch and at night, and calls only at open windows', () => {
		const status = new Map<string, string>();
		const clockedIn = new Set<string>();
		for (const e of fresh) {
			if (e.type === 'attendance.clock_in') clockedIn.add(e.data.staffCode);
			if (e.type === 'attendance.clock_out') {
				expect(clockedIn.delete(e.data.staffCode)).toBe(true);
				const win = org.staff.find((s) => s.code === e.data.staffCode)!.windowCode;
				if (win) expect(status.get(win)).toBe('closed');
			}
			if (e.type === 'window.status_changed') {
				expect(clockedIn.has(e.data.staffCode!)).toBe(true);
				expect(status.get(e.data.windowCode)).not.toBe(e.data.status);
				if (e.data.status === 'open') expect(clock(e) >= '08:30').toBe(true);
				if (e.data.status === 'paused') expect(['业务咨询', '临时离岗', '系统故障']).toContain(e.data.reason);
				status.set(e.data.windowCode, e.data.status);
			}
			if (e.type === 'queue.ticket_called') expect(status.get(e.data.windowCode), e.id).toBe('open');
			if (e.type === 'queue.service_started') expect(status.get(e.data.windowCode), e.id).toBe('open');
			// 12:30: everybody at lunch.
			if (clock(e) === '12:50') for (const s of status.values()) expect(s).toBe('closed');
		}
		expect(clockedIn.size).toBe(0);
		expect(status.size).toBeGreaterThanOrEqual(40);
		for (const s of status.values()) expect(s).toBe('closed');
		const pauses = ofType(fresh, 'window.status_changed').filter((e) => e.data.status === 'paused');
		expect(pauses.length).toBeGreaterThan(20);
		const lunchClose = ofType(fresh, 'window.status_changed').filter((e) => e.data.status === 'closed' && clock(e) < '13:30');
		expect(lunchClose.length).toBe(status.size);
	});

	it('clocks staff in before opening and out after closing, back office included', () => {
		const ins = ofType(fresh, 'attendance.clock_in');
		const outs = ofType(fresh, 'attendance.clock_out');
		expect(ins.length).toBeGreaterThanOrEqual(org.staff.length - 1);
		expect(outs.length).toBe(ins.length);
		expect(ins.filter((e) => clock(e) < '08:30').length / ins.length).toBeGreaterThan(0.85);
		expect(outs.every((e) => clock(e) >= '17:30')).toBe(true);
		expect(ins.some((e) => !org.staff.find((s) => s.code === e.data.staffCode)!.windowCode)).toBe(true);
	});

	it('collects ratings after services, mostly 5 and 4, a few bad', () => {
		const ratings = ofType(day, 'evaluation.submitted');
		const completed = ofType(day, 'queue.service_completed');
		expect(ratings.length).toBeGreaterThan(completed.length * 0.4);
		const good = ratings.filter((e) => e.data.rating >= 4).length / ratings.length;
		expect(good).toBeGreaterThan(0.85);
		expect(ratings.some((e) => e.data.rating <= 2)).toBe(true);
		const done = new Map(completed.map((e) => [e.data.ticketNo, at(e)]));
		for (const r of ratings) if (r.data.ticketNo) expect(at(r)).toBeGreaterThan(done.get(r.data.ticketNo)!);
	});
});

describe('DaySimulator: supervision', () => {
	it('issues presence checks to on-duty staff, most confirmed within 60 s, ~5% never', () => {
		const issued = ofType(fresh, 'presence.check_issued');
		const confirmed = new Map(ofType(fresh, 'presence.check_confirmed').map((e) => [e.data.checkId, e]));
		expect(new Set(issued.map((e) => clock(e).slice(0, 4))).size).toBeGreaterThanOrEqual(3); // several rounds
		expect(issued.length).toBeGreaterThan(100);
		let missed = 0;
		let inTime = 0;
		for (const c of issued) {
			expect(c.data.respondWithinSec).toBe(60);
			const r = confirmed.get(c.data.checkId);
			if (!r) missed++;
			else {
				expect(r.data.staffCode).toBe(c.data.staffCode);
				const d = (at(r) - at(c)) / 1000;
				expect(d).toBeGreaterThanOrEqual(5);
				if (d <= 60) inTime++;
			}
		}
		expect(missed / issued.length).toBeGreaterThan(0.01);
		expect(missed / issued.length).toBeLessThan(0.15);
		expect(inTime / issued.length).toBeGreaterThan(0.85);
		expect(new Set(issued.map((e) => e.data.checkId)).size).toBe(issued.length);
	});

	it('issues a few cards, mostly yellow, and revokes only issued ones', () => {
		const cards = ofType(fresh, 'card.issued');
		expect(cards.length).toBeGreaterThanOrEqual(DEMO_DAILY_VOLUMES.cardsPerDay[0]);
		expect(cards.length).toBeLessThanOrEqual(DEMO_DAILY_VOLUMES.cardsPerDay[1]);
		const week = Array.from({ length: 7 }, (_, k) => ofType(wholeDay({}, day0 + k * DAY), 'card.issued')).flat();
		expect(week.filter((c) => c.data.color === 'yellow').length).toBeGreaterThan(week.length / 2);
		expect(new Set(week.map((c) => c.data.target.kind)).size).toBeGreaterThanOrEqual(2);
		const ids = new Map(cards.map((c) => [c.data.cardId, at(c)]));
		for (const r of ofType(fresh, 'card.revoked')) expect(at(r)).toBeGreaterThan(ids.get(r.data.cardId)!);
	});

	it('reports the previous month’s four indicators per county, in the bulletin’s ranges', () => {
		const ind = ofType(day, 'indicator.reported');
		expect(ind).toHaveLength(6 * 4);
		expect(new Set(ind.map((e) => e.data.period))).toEqual(new Set(['2026-10']));
		const xlt = ind.find((e) => e.data.regionCode === 'XLT' && e.data.indicator === 'online_entry_rate')!;
		expect(Math.abs(xlt.data.value - 62.93)).toBeLessThan(5);
		for (const e of ind) expect(e.data.value).toBeLessThan(70);
		// Reported once: a later call does not repeat them.
		const s = sim();
		s.eventsBetween(day0, day0 + MIN);
		expect(ofType(s.eventsBetween(day0 + MIN, day0 + DAY), 'indicator.reported')).toHaveLength(0);
	});
});

describe('DaySimulator: cases and the hotline', () => {
	/** Three days from a fresh start. */
	const s = sim({ since: day0 - 1 });
	const run = [0, 1, 2].flatMap((k) => s.eventsBetween(day0 - 1 + k * DAY, day0 - 1 + (k + 1) * DAY));

	it('accepts cases (immediate ~60%, online ~40%) and completes most, after acceptance', () => {
		const accepted = ofType(run, 'case.accepted');
		const acceptedAt = new Map(accepted.map((e) => [e.data.caseId, at(e)]));
		expect(accepted.length).toBeGreaterThan(600);
		const share = (f: (e: EventOf<'case.accepted'>) => boolean) => accepted.filter(f).length / accepted.length;
		expect(share((e) => e.data.immediate)).toBeGreaterThan(0.45);
		expect(share((e) => e.data.immediate)).toBeLessThan(0.75);
		expect(share((e) => e.data.online)).toBeGreaterThan(0.3);
		expect(share((e) => e.data.online)).toBeLessThan(0.5);
		const completed = ofType(run, 'case.completed');
		expect(completed.length).toBeGreaterThan(accepted.length * 0.6);
		for (const c of completed) expect(at(c)).toBeGreaterThan(acceptedAt.get(c.data.caseId)!);
		// Some due soon or already due, so the server derives 预警 and 超期.
		const tight = accepted.filter((e) => e.data.dueAt && Date.parse(e.data.dueAt) < at(e) + 3 * 3_600_000);
		expect(tight.length).toBeGreaterThan(0);
		expect(accepted.some((e) => e.data.dueAt && Date.parse(e.data.dueAt) < at(e))).toBe(true);
	});

	it('runs 12345 tickets through assigned → replied → closed → callback, only for tickets it created', () => {
		const created = new Map(ofType(run, 'hotline.ticket_created').map((e) => [e.data.ticketId, at(e)]));
		expect(created.size).toBeGreaterThan(300);
		const last = new Map<string, { type: string; at: number }>();
		for (const e of run) {
			if (!e.type.startsWith('hotline.') || e.type === 'hotline.ticket_created' || e.type.startsWith('hotline.call_')) continue;
			const id = (e.data as { ticketId: string }).ticketId;
			expect(created.get(id), id).toBeLessThan(at(e));
			if (e.type === 'hotline.ticket_closed') expect(last.get(id)?.type).toBe('hotline.ticket_replied');
			if (e.type === 'hotline.callback_recorded') expect(last.get(id)?.type).toBe('hotline.ticket_closed');
			if (e.type === 'hotline.ticket_reopened') expect(last.get(id)?.type).toBe('hotline.callback_recorded');
			last.set(id, { type: e.type, at: at(e) });
		}
		const assigned = ofType(run, 'hotline.ticket_assigned');
		expect(assigned.some((e) => Date.parse(e.data.dueAt) < at(e) + 3 * 3_600_000)).toBe(true); // some go overdue
		// …but none is due before it was received (nor before it was handed on).
		for (const e of assigned) {
			expect(Date.parse(e.data.dueAt), e.id).toBeGreaterThan(created.get(e.data.ticketId)!);
			expect(Date.parse(e.data.dueAt), e.id).toBeGreaterThan(at(e));
		}
		const callbacks = ofType(run, 'hotline.callback_recorded').filter((e) => e.data.reached);
		expect(callbacks.filter((e) => e.data.satisfaction !== 'unsatisfied').length / callbacks.length).toBeGreaterThan(0.9);
		const cats = new Set(ofType(run, 'hotline.ticket_created').map((e) => e.data.category));
		for (const c of ['城市管理', '交通出行', '住房保障', '劳动社保', '市场监管', '医疗卫生']) expect(cats).toContain(c);
	});

	it('the department side, repeats and calls in realistic shares', () => {
		const created = ofType(run, 'hotline.ticket_created').length;
		const assigned = ofType(run, 'hotline.ticket_assigned');
		const share = (type: Parameters<typeof ofType>[1], of: number) => ofType(run, type).length / of;
		// Nearly every dispatch carries a 签收 limit and is taken; 退单 ~3 %, 延期 ~2 % of tickets, 重复件 ~4 %.
		expect(assigned.filter((e) => e.data.acknowledgeBy).length / assigned.length).toBeGreaterThan(0.95);
		expect(share('hotline.ticket_acknowledged', assigned.length)).toBeGreaterThan(0.9);
		const acks = ofType(run, 'hotline.ticket_acknowledged');
		const limit = new Map(assigned.map((e) => [e.data.ticketId, Date.parse(e.data.acknowledgeBy ?? e.occurredAt)]));
		const inTime = acks.filter((e) => at(e) <= limit.get(e.data.ticketId)!).length / acks.length;
		expect(inTime).toBeGreaterThan(0.85);
		expect(inTime).toBeLessThan(1);
		expect(share('hotline.ticket_returned', created)).toBeGreaterThan(0.01);
		expect(share('hotline.ticket_returned', created)).toBeLessThan(0.07);
		// Every request is decided (but for one still waiting at the end of the run).
		const decided = (a: Parameters<typeof ofType>[1], b: Parameters<typeof ofType>[1]) => ofType(run, b).length - ofType(run, a).length;
		expect(decided('hotline.return_decided', 'hotline.ticket_returned')).toBeGreaterThanOrEqual(0);
		expect(decided('hotline.return_decided', 'hotline.ticket_returned')).toBeLessThanOrEqual(2);
		expect(share('hotline.extension_requested', created)).toBeGreaterThan(0.005);
		expect(decided('hotline.extension_decided', 'hotline.extension_requested')).toBeGreaterThanOrEqual(0);
		expect(decided('hotline.extension_decided', 'hotline.extension_requested')).toBeLessThanOrEqual(2);
		expect(share('hotline.ticket_merged', created)).toBeGreaterThan(0.02);
		expect(share('hotline.ticket_merged', created)).toBeLessThan(0.07);
		const reached = ofType(run, 'hotline.callback_recorded').filter((e) => e.data.reached);
		expect(reached.filter((e) => typeof e.data.solved === 'boolean').length / reached.length).toBeGreaterThan(0.9);
		expect(reached.filter((e) => e.data.solved).length / reached.length).toBeGreaterThan(0.85);
		expect(reached.filter((e) => e.data.solved === false).length).toBeGreaterThan(0);
		// Calls: ~1.6 per ticket, each answered or abandoned once; 接通率 ~93 %, most answered within 15 s.
		const offered = ofType(run, 'hotline.call_offered');
		const answered = ofType(run, 'hotline.call_answered');
		expect(offered.length / created).toBeGreaterThan(1.3);
		expect(answered.length + ofType(run, 'hotline.call_abandoned').length).toBe(offered.length);
		expect(answered.length / offered.length).toBeGreaterThan(0.88);
		expect(answered.filter((e) => e.data.waitSec <= 15).length / answered.length).toBeGreaterThan(0.8);
		// A merged ticket has no course of its own.
		const merged = new Set(ofType(run, 'hotline.ticket_merged').map((e) => e.data.ticketId));
		expect(ofType(run, 'hotline.ticket_assigned').some((e) => merged.has(e.data.ticketId))).toBe(false);
	});

	it('keeps the hotline moving at night while the hall is closed', () => {
		const night = sim().eventsBetween(day0 + 1 * 3_600_000, day0 + 7 * 3_600_000);
		expect(ofType(night, 'hotline.ticket_created').length).toBeGreaterThan(0);
		expect(night.every((e) => e.type.startsWith('hotline.') || e.type === 'indicator.reported' || e.type === 'evaluation.submitted')).toBe(true);
	});

	it('leaves out follow-ups of items created before `since`, and emits them by default', () => {
		const day1 = day0 + DAY;
		const isOld = (e: HallEvent) => /-20261123-/.test(e.id);
		const started = sim({ since: day1 - 1 }).eventsBetween(day1 - 1, day1 + DAY - 1);
		expect(started.filter(isOld)).toHaveLength(0);
		const resumed = sim().eventsBetween(day1 - 1, day1 + DAY - 1);
		expect(ofType(resumed.filter(isOld), 'case.completed').length).toBeGreaterThan(0);
		expect(ofType(resumed.filter(isOld), 'hotline.ticket_closed').length).toBeGreaterThan(0);
	});
});

describe('DaySimulator: catch-up', () => {
	it('emits the day so far on the first call when started mid-day, then continues', () => {
		const now = day0 + 11 * 3_600_000 + 17_500;
		const s = sim({ catchUp: true });
		const first = s.eventsBetween(now - 1000, now);
		const expected = sim({ since: day0 - 1 }).eventsBetween(day0 - 1, now);
		expect(JSON.stringify(withoutIndicators(first))).toBe(JSON.stringify(withoutIndicators(expected)));
		expect(ofType(first, 'queue.ticket_issued').length).toBeGreaterThan(500);
		expect(ofType(first, 'indicator.reported')).toHaveLength(24);
		expect(first.every((e) => at(e) >= day0 && at(e) <= now)).toBe(true);
		const next = s.eventsBetween(now, now + 10 * MIN);
		expect(next.length).toBeGreaterThan(0);
		expect(next.every((e) => at(e) > now && at(e) <= now + 10 * MIN)).toBe(true);
		// Without catch-up the first call is just that second (and the indicators).
		const plain = sim({ since: now - 1000 }).eventsBetween(now - 1000, now);
		expect(withoutIndicators(plain).length).toBeLessThan(10);
	});

	it('keeps only one day planned in memory', () => {
		const s = sim();
		for (let k = 0; k < 3; k++) s.eventsBetween(day0 + k * DAY, day0 + k * DAY + 12 * 3_600_000);
		const plan = (s as unknown as { plan: { day: string; events: unknown[] } }).plan;
		expect(plan.day).toBe('2026-11-25');
		expect(plan.events.length).toBeLessThan(20_000);
	});
});
