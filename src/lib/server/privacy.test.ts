import { describe, expect, it } from 'vitest';
import { maskPhone, maskText } from './privacy';

describe('maskText', () => {
	it('masks a personal field’s quoted value, however malformed, as maskPhone does', () => {
		expect(maskText('data.callerPhone: expected a phone number, found "1380000123x"')).toBe(`data.callerPhone: expected a phone number, found "${maskPhone('1380000123x')}"`);
		expect(maskText('data.callerPhone: expected a phone number, found "电话 138 0000 1234"')).toBe('data.callerPhone: expected a phone number, found "138****1234"');
	});

	it('masks phone-like numbers anywhere in the text', () => {
		expect(maskText('data.content: too long, found "请回电13800001234，谢谢"')).toBe('data.content: too long, found "请回电138****1234，谢谢"');
		expect(maskText('caller +86 138-0000-1234 and (0427) 2800000')).toBe('caller 861****1234 and 042****0000');
		expect(maskText('invalid input syntax for type bigint: "13800001234"')).toBe('invalid input syntax for type bigint: "138****1234"');
	});

	it('leaves dates, times, codes, ids and short numbers alone', () => {
		for (const t of [
			'occurredAt: expected an RFC 3339 time with offset (2026-11-22T09:15:02+08:00), found "2026-11-22 09:15"',
			'data.ticketId: unknown ticket "RX-20261122-0042"',
			'data.windowCode: unknown window "W01", seq 123456',
			'before: expected a whole number from 1 to 9007199254740991, found "99999999999999999999"'
		])
			expect(maskText(t)).toBe(t);
	});
});
