import { describe, expect, it } from 'vitest';
import { en } from './en';
import { indicatorKey, parseLang, reasonKey, translator } from './index';
import { zh } from './zh';

describe('i18n', () => {
	it('has the same keys in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('fills parameters and picks the language', () => {
		expect(translator('zh')('banner.stale', { time: '10:32:05' })).toBe('数据中断 · 数据截至 10:32:05');
		expect(translator('en')('banner.stale', { time: '10:32:05' })).toBe('Data feed lost · data as of 10:32:05');
		expect(parseLang('en')).toBe('en');
		expect(parseLang('fr')).toBe('zh');
		expect(parseLang(null)).toBe('zh');
	});

	it('labels catalog reasons and indicators, and leaves unknown ones alone', () => {
		expect(reasonKey('absent')).toBe('reason.absent');
		expect(reasonKey('new_reason')).toBeNull();
		expect(indicatorKey('one_door_rate')).toBe('indicator.one_door_rate');
		expect(indicatorKey('custom_rate')).toBeNull();
	});
});
