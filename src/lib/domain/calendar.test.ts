import { describe, expect, it } from 'vitest';
import {
	CALENDAR_2026,
	calendarDayProblem,
	DEFAULT_CALENDAR,
	isDayKey,
	localInstant,
	mergeCalendarDays,
	parseCalendarConfig,
	parseCalendarCsv,
	WorkingCalendar
} from './calendar';

const t = (iso: string) => Date.parse(iso);
const cal = new WorkingCalendar();
const weekendsOnly = new WorkingCalendar({ days: [] });
const cst = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');

describe('the shipped 2026 calendar (State Council, 2025-11-04)', () => {
	it('has the seven holiday periods and six make-up working days', () => {
		const holidays = CALENDAR_2026.filter((d) => d.kind === 'holiday');
		const workdays = CALENDAR_2026.filter((d) => d.kind === 'workday').map((d) => d.date);
		expect(holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
		expect(workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
		for (const d of CALENDAR_2026) expect(calendarDayProblem(d), d.date).toBeNull();
		expect(new Set(CALENDAR_2026.map((d) => d.date)).size).toBe(CALENDAR_2026.length);
	});

	it('holiday boundaries: the day before and after a period are worked', () => {
		expect(cal.isWorkingDay('2026-02-13')).toBe(true); // Friday before 春节
		expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休上班
		expect(cal.isWorkingDay('2026-02-15')).toBe(false); // 腊月二十八, first day off
		expect(cal.isWorkingDay('2026-02-23')).toBe(false); // Monday, last day off
		expect(cal.isWorkingDay('2026-02-24')).toBe(true);
		expect(cal.isWorkingDay('2026-02-28')).toBe(true); // Saturday, 调休上班
		expect(cal.isWorkingDay('2026-03-01')).toBe(false); // an ordinary Sunday
		expect(cal.isWorkingDay('2026-10-07')).toBe(false);
		expect(cal.isWorkingDay('2026-10-08')).toBe(true);
		expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休上班
		expect(cal.isWorkingDay('2026-10-11')).toBe(false);
	});

	it('an instant is judged by its local date in the zone', () => {
		// 2026-02-14 23:59:59 in Shanghai (a make-up Saturday) is still 2026-02-14 15:59 UTC.
		expect(cal.isWorkingDay(t('2026-02-14T23:59:59+08:00'))).toBe(true);
		expect(cal.isWorkingDay(t('2026-02-15T00:00:00+08:00'))).toBe(false);
		// The same instant in UTC is still Saturday the 14th there: a make-up day too.
		expect(cal.isWorkingDay(t('2026-02-14T20:00:00+08:00'), 'UTC')).toBe(true);
		expect(cal.isWorkingDay(new Date(t('2026-02-16T10:00:00+08:00')))).toBe(false);
	});

	it('years without entries count weekends only', () => {
		expect(cal.years()).toEqual([2026]);
		expect(cal.isWorkingDay('2027-01-01')).toBe(true); // Friday: no 2027 arrangement shipped
		expect(cal.isWorkingDay('2027-01-02')).toBe(false); // Saturday
		expect(weekendsOnly.isWorkingDay('2026-10-01')).toBe(true);
	});
});

describe('addWorkingDays: same local time of day on the n-th working day after', () => {
	it('a normal week: Friday 17:00 + 3 → Wednesday 17:00', () => {
		expect(cst(cal.addWorkingDays(t('2026-03-06T17:00:00+08:00'), 3))).toBe('2026-03-11T17:00:00.000+08:00');
		expect(cst(cal.addWorkingDays(t('2026-03-09T09:30:00+08:00'), 1))).toBe('2026-03-10T09:30:00.000+08:00');
	});

	it('n = 0 is the start itself; bad n is refused', () => {
		const s = t('2026-02-15T10:00:00+08:00');
		expect(cal.addWorkingDays(s, 0)).toBe(s);
		expect(() => cal.addWorkingDays(s, -1)).toThrow(RangeError);
		expect(() => cal.addWorkingDays(s, 1.5)).toThrow(RangeError);
	});

	it('skips a holiday period and counts a make-up Saturday', () => {
		// Thursday 2026-02-12 + 1 → Fri 13; + 2 → Sat 14 (调休上班); + 3 → Tue 24 (after 春节).
		const s = t('2026-02-12T16:00:00+08:00');
		expect(cst(cal.addWorkingDays(s, 1))).toBe('2026-02-13T16:00:00.000+08:00');
		expect(cst(cal.addWorkingDays(s, 2))).toBe('2026-02-14T16:00:00.000+08:00');
		expect(cst(cal.addWorkingDays(s, 3))).toBe('2026-02-24T16:00:00.000+08:00');
		// Without the calendar the same is Monday 16th.
		expect(cst(weekendsOnly.addWorkingDays(s, 3))).toBe('2026-02-17T16:00:00.000+08:00');
	});

	it('from a day off, the first working day after it counts as 1', () => {
		expect(cst(cal.addWorkingDays(t('2026-10-03T17:00:00+08:00'), 1))).toBe('2026-10-08T17:00:00.000+08:00');
		expect(cst(cal.addWorkingDays(t('2026-10-07T17:00:00+08:00'), 3))).toBe('2026-10-10T17:00:00.000+08:00'); // 8, 9, 10 (Saturday, 调休上班)
	});

	it('crosses a year: 2025-12-31 + 1 is the make-up Sunday 2026-01-04', () => {
		const s = t('2025-12-31T17:00:00+08:00');
		expect(cst(cal.addWorkingDays(s, 1))).toBe('2026-01-04T17:00:00.000+08:00');
		expect(cst(cal.addWorkingDays(s, 2))).toBe('2026-01-05T17:00:00.000+08:00');
		expect(cst(weekendsOnly.addWorkingDays(s, 1))).toBe('2026-01-01T17:00:00.000+08:00');
	});

	it('keeps the local time in the zone given (DST-free zones exact; a DST zone keeps wall time)', () => {
		expect(new Date(cal.addWorkingDays(t('2026-03-06T17:00:00Z'), 1, 'UTC')).toISOString()).toBe('2026-03-09T17:00:00.000Z');
		// Asia/Shanghai: 23:30 local on Friday stays 23:30 local.
		expect(cst(cal.addWorkingDays(t('2026-03-06T23:30:00+08:00'), 1))).toBe('2026-03-09T23:30:00.000+08:00');
		// New York springs forward on 2026-03-08: Friday 09:00 EST → Monday 09:00 EDT.
		expect(new Date(cal.addWorkingDays(t('2026-03-06T09:00:00-05:00'), 1, 'America/New_York')).toISOString()).toBe('2026-03-09T13:00:00.000Z');
	});

	it('localInstant is exact in Shanghai', () => {
		expect(localInstant('2026-05-09', 9 * 3_600_000)).toBe(t('2026-05-09T09:00:00+08:00'));
		expect(localInstant('2026-05-09', 0, 'UTC')).toBe(t('2026-05-09T00:00:00Z'));
	});
});

describe('workingDaysBetween', () => {
	it('counts the working days after the first date up to and including the second', () => {
		expect(cal.workingDaysBetween(t('2026-03-06T17:00:00+08:00'), t('2026-03-09T09:00:00+08:00'))).toBe(1);
		expect(cal.workingDaysBetween(t('2026-03-09T09:00:00+08:00'), t('2026-03-09T18:00:00+08:00'))).toBe(0);
		expect(cal.workingDaysBetween(t('2026-03-09T09:00:00+08:00'), t('2026-03-06T09:00:00+08:00'))).toBe(-1);
		// Across 春节: 13 (Fri) → 24 (Tue): the 14th (make-up Saturday) and the 24th.
		expect(cal.workingDaysBetween(t('2026-02-13T09:00:00+08:00'), t('2026-02-24T09:00:00+08:00'))).toBe(2);
		// Across the year: Dec 31 → Jan 5: Jan 4 (make-up Sunday) and Jan 5.
		expect(cal.workingDaysBetween(t('2025-12-31T09:00:00+08:00'), t('2026-01-05T09:00:00+08:00'))).toBe(2);
	});

	it('inverts addWorkingDays', () => {
		const s = t('2026-09-18T17:00:00+08:00');
		for (let n = 0; n < 30; n++) expect(cal.workingDaysBetween(s, cal.addWorkingDays(s, n)), `n=${n}`).toBe(n);
	});

	it('a whole year: 2026 has 248 working days by the shipped calendar', () => {
		// 261 weekdays − 19 weekday days off (2 + 6 + 1 + 3 + 1 + 1 + 5) + 6 make-up days.
		expect(cal.workingDaysBetween(t('2025-12-31T12:00:00+08:00'), t('2026-12-31T12:00:00+08:00'))).toBe(248);
		expect(weekendsOnly.workingDaysBetween(t('2025-12-31T12:00:00+08:00'), t('2026-12-31T12:00:00+08:00'))).toBe(261);
	});
});

describe('settings', () => {
	it('absent → the default calendar; bad entries are dropped with a reason', () => {
		expect(parseCalendarConfig(undefined).config).toEqual(DEFAULT_CALENDAR);
		const r = parseCalendarConfig({
			days: [
				{ date: '2027-02-05', kind: 'holiday', name: '春节' },
				{ date: '2027-02-30', kind: 'holiday' },
				{ date: '2027-02-03', kind: 'workday' },
				{ date: '2027-02-06', kind: 'workday', name: ' 调休 ' },
				{ date: '2027-01-01', kind: 'nope' }
			]
		});
		expect(r.config.days).toEqual([
			{ date: '2027-02-05', kind: 'holiday', name: '春节' },
			{ date: '2027-02-06', kind: 'workday', name: '调休' }
		]);
		expect(r.errors).toEqual([
			'days[1].date: expected a date YYYY-MM-DD, found "2027-02-30"',
			'days[2].date: 2027-02-03 is a weekday, already a working day; a make-up working day (调休上班) is a Saturday or Sunday',
			'days[4].kind: expected holiday or workday, found "nope"'
		]);
		expect(parseCalendarConfig({ days: [] }).config.days).toEqual([]);
	});

	it('isDayKey', () => {
		expect(isDayKey('2026-02-28')).toBe(true);
		expect(isDayKey('2026-02-29')).toBe(false);
		expect(isDayKey('2028-02-29')).toBe(true);
		expect(isDayKey('2026-2-1')).toBe(false);
	});

	it('CSV: date,kind[,name], Chinese kinds, header and blank lines skipped, errors by line', () => {
		const r = parseCalendarCsv('date,kind,name\n2027-01-01,holiday,元旦\n\n2027-02-06\t班\t春节调休\n2027-02-07;休\n2027-13-01,holiday\n2027-02-08,maybe\n# comment');
		expect(r.days).toEqual([
			{ date: '2027-01-01', kind: 'holiday', name: '元旦' },
			{ date: '2027-02-06', kind: 'workday', name: '春节调休' },
			{ date: '2027-02-07', kind: 'holiday' }
		]);
		expect(r.errors).toEqual(['line 6: date: expected a date YYYY-MM-DD, found "2027-13-01"', 'line 7: kind: expected holiday or workday (休 / 班), found "maybe"']);
	});

	it('merging replaces a date already there and keeps the list sorted', () => {
		const merged = mergeCalendarDays({ days: [{ date: '2027-01-02', kind: 'holiday' }] }, [
			{ date: '2027-01-01', kind: 'holiday' },
			{ date: '2027-01-02', kind: 'workday', name: 'x' }
		]);
		expect(merged.days.map((d) => `${d.date}:${d.kind}`)).toEqual(['2027-01-01:holiday', '2027-01-02:workday']);
	});
});

describe('working hours (签收时限)', () => {
	const cal = new WorkingCalendar();
	const t = (s: string) => Date.parse(`${s}+08:00`);
	it('counts office hours 09:00–17:00 on working days only', () => {
		// Tuesday 10:00 + 2 h = 12:00; Friday 16:00 + 2 h = Monday 10:00 (1 h Friday, 1 h Monday).
		expect(cal.addWorkingHours(t('2026-11-24T10:00:00'), 2)).toBe(t('2026-11-24T12:00:00'));
		expect(cal.addWorkingHours(t('2026-11-27T16:00:00'), 2)).toBe(t('2026-11-30T10:00:00'));
		// Saturday 10:00 → Monday 11:00; a working day's 08:00 → 11:00; 17:00 on the dot → next day 11:00.
		expect(cal.addWorkingHours(t('2026-11-28T10:00:00'), 2)).toBe(t('2026-11-30T11:00:00'));
		expect(cal.addWorkingHours(t('2026-11-24T08:00:00'), 2)).toBe(t('2026-11-24T11:00:00'));
		expect(cal.addWorkingHours(t('2026-11-24T17:00:00'), 2)).toBe(t('2026-11-25T11:00:00'));
		// National Day: Wednesday 2026-09-30 16:30 + 2 h: half an hour that day, 10-01…10-07 off, then Thursday 10-08 10:30.
		expect(cal.addWorkingHours(t('2026-09-30T16:30:00'), 2)).toBe(t('2026-10-08T10:30:00'));
	});
});
