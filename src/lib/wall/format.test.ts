import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n/wall';
import { asOfTime, clockParts, fmtAge, fmtElapsed, fmtInt, fmtRate, shortDepartment, timeOf, windowNumber } from './format';

describe('format', () => {
	it('reads the clock in Asia/Shanghai', () => {
		expect(clockParts(Date.parse('2026-11-22T17:43:05Z'))).toEqual({ y: '2026', m: '11', d: '23', hh: '01', mm: '43', ss: '05', weekday: 1 });
		expect(timeOf('2026-11-22T17:43:05Z')).toBe('01:43:05');
		expect(timeOf(null)).toBe('—');
	});

	it('dates the data’s time when it is not today (figures cached days ago)', () => {
		const now = Date.parse('2026-11-23T10:00:00+08:00');
		expect(asOfTime('2026-11-23T09:59:58+08:00', now)).toBe('09:59:58');
		expect(asOfTime('2026-11-21T17:50:03+08:00', now)).toBe('11-21 17:50:03');
		expect(asOfTime(null, now)).toBe('—');
	});

	it('formats figures', () => {
		expect(fmtInt(12345.4)).toBe('12,345');
		expect(fmtInt(null)).toBe('—');
		expect(fmtRate(95)).toBe('95.0');
		expect(fmtRate(null)).toBe('—');
		expect(fmtElapsed(65_000)).toBe('1:05');
		expect(fmtElapsed(3_725_000)).toBe('1:02:05');
		expect(fmtElapsed(86_399_000)).toBe('23:59:59');
		expect(fmtElapsed(86_400_000, '天')).toBe('1天');
		expect(fmtElapsed(3 * 86_400_000 + 7_000_000, '天')).toBe('3天');
		expect(fmtElapsed(2 * 86_400_000)).toBe('2d');
		expect(fmtAge(90_000, translator('zh'))).toBe('1分钟前');
		expect(fmtAge(5_000, translator('en'))).toBe('5 s ago');
	});

	it('shortens window and department names for tiles', () => {
		expect(windowNumber('01号窗口', 'W01')).toBe('01');
		expect(windowNumber('综合窗口', 'W7')).toBe('7');
		expect(shortDepartment('市不动产登记中心')).toBe('不动产登记中心');
		expect(shortDepartment('市局')).toBe('市局');
	});
});
