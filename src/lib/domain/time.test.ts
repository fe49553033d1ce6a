import { describe, it, expect } from 'vitest';
import { dayKey, DEFAULT_TZ, endOfDay, hourOf, monthKey, monthOfDay, previousDay, previousMonth, zoneOffsetMs } from './time';

const t = (iso: string) => Date.parse(iso);

describe('dayKey / monthKey / hourOf in Asia/Shanghai', () => {
	it('the default zone is Asia/Shanghai', () => {
		expect(DEFAULT_TZ).toBe('Asia/Shanghai');
	});

	it('uses the local calendar day, not UTC', () => {
		// 23:59:59 in Shanghai is 15:59:59 UTC the same day
		expect(dayKey(t('2026-11-22T23:59:59+08:00'))).toBe('2026-11-22');
		// 00:00 in Shanghai is 16:00 UTC of the previous day
		expect(dayKey(t('2026-11-23T00:00:00+08:00'))).toBe('2026-11-23');
		expect(dayKey(t('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
		expect(dayKey(t('2026-11-22T15:59:59.999Z'))).toBe('2026-11-22');
	});

	it('hour of day in the zone', () => {
		expect(hourOf(t('2026-11-22T09:15:02+08:00'))).toBe(9);
		expect(hourOf(t('2026-11-22T00:00:00+08:00'))).toBe(0);
		expect(hourOf(t('2026-11-22T23:59:59+08:00'))).toBe(23);
		expect(hourOf(t('2026-11-22T01:30:00Z'))).toBe(9);
	});

	it('alternating between instants of different hours gives each its own answer (memo is per hour)', () => {
		const a = t('2026-11-22T23:30:00+08:00');
		const b = t('2026-11-23T00:30:00+08:00');
		expect([dayKey(a), dayKey(b), dayKey(a), hourOf(b), hourOf(a)]).toEqual(['2026-11-22', '2026-11-23', '2026-11-22', 0, 23]);
	});

	it('month boundary in the zone', () => {
		expect(monthKey(t('2026-10-31T23:59:59+08:00'))).toBe('2026-10');
		expect(monthKey(t('2026-10-31T16:00:00Z'))).toBe('2026-11'); // 2026-11-01T00:00+08:00
		expect(monthKey(t('2026-12-31T16:00:00Z'))).toBe('2027-01');
	});

	it('other zones', () => {
		const ms = t('2026-11-22T20:00:00Z');
		expect(dayKey(ms, 'UTC')).toBe('2026-11-22');
		expect(dayKey(ms, 'Asia/Shanghai')).toBe('2026-11-23');
		expect(dayKey(ms, 'America/New_York')).toBe('2026-11-22');
		expect(hourOf(ms, 'UTC')).toBe(20);
		expect(hourOf(ms, 'Asia/Shanghai')).toBe(4);
		expect(hourOf(ms, 'America/New_York')).toBe(15);
	});
});

describe('calendar arithmetic', () => {
	it('monthOfDay', () => {
		expect(monthOfDay('2026-11-22')).toBe('2026-11');
	});

	it('previousMonth crosses the year', () => {
		expect(previousMonth('2026-11')).toBe('2026-10');
		expect(previousMonth('2026-10')).toBe('2026-09');
		expect(previousMonth('2026-01')).toBe('2025-12');
	});

	it('previousDay crosses months, years and leap days', () => {
		expect(previousDay('2026-11-23')).toBe('2026-11-22');
		expect(previousDay('2026-11-01')).toBe('2026-10-31');
		expect(previousDay('2026-01-01')).toBe('2025-12-31');
		expect(previousDay('2028-03-01')).toBe('2028-02-29');
		expect(previousDay('2026-03-01')).toBe('2026-02-28');
	});
});

describe('zone offsets and end of day', () => {
	it('zoneOffsetMs', () => {
		expect(zoneOffsetMs(t('2026-11-22T09:15:02.345+08:00'))).toBe(8 * 3_600_000);
		expect(zoneOffsetMs(t('2026-11-22T09:15:02Z'), 'UTC')).toBe(0);
		expect(zoneOffsetMs(t('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
		expect(zoneOffsetMs(t('2026-12-01T12:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
		expect(zoneOffsetMs(t('2026-11-22T09:15:02Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
	});

	it('endOfDay is 23:59:59.999 local', () => {
		expect(endOfDay('2026-11-22')).toBe(t('2026-11-22T23:59:59.999+08:00'));
		expect(endOfDay('2026-12-31')).toBe(t('2026-12-31T23:59:59.999+08:00'));
		expect(endOfDay('2026-11-22', 'UTC')).toBe(t('2026-11-22T23:59:59.999Z'));
		expect(endOfDay('2026-11-22', 'America/New_York')).toBe(t('2026-11-22T23:59:59.999-05:00'));
		expect(dayKey(endOfDay('2026-11-22'))).toBe('2026-11-22');
		expect(dayKey(endOfDay('2026-11-22') + 1)).toBe('2026-11-23');
	});
});
