import { describe, expect, it } from 'vitest';
import { demoHistoryStart } from './runner';

describe('the demo history', () => {
	it('starts at 00:00 Shanghai on the first of the previous month', () => {
		expect(new Date(demoHistoryStart(Date.parse('2026-12-05T02:33:00+08:00'))).toISOString()).toBe('2026-10-31T16:00:00.000Z'); // 2026-11-01 00:00 +08:00
		expect(demoHistoryStart(Date.parse('2026-01-15T10:00:00+08:00'))).toBe(Date.parse('2025-12-01T00:00:00+08:00'));
		// 23:59 in Shanghai is still the same month there (15:59 UTC).
		expect(demoHistoryStart(Date.parse('2026-03-31T23:59:00+08:00'))).toBe(Date.parse('2026-02-01T00:00:00+08:00'));
		// Just after midnight on the first: last month is the one that just ended.
		expect(demoHistoryStart(Date.parse('2026-04-01T00:00:30+08:00'))).toBe(Date.parse('2026-03-01T00:00:00+08:00'));
	});
});
