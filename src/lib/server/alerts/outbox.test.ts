import { describe, expect, it } from 'vitest';
import { deliveryId, quietUntil } from './outbox';

const at = (s: string) => Date.parse(s);
const TZ = 'Asia/Shanghai';

describe('quietUntil (a channel’s quiet hours, in its center’s zone)', () => {
	const night = { quietFrom: '22:00', quietTo: '07:00' };
	it('holds a delivery inside hours that cross midnight until they end', () => {
		expect(quietUntil(night, at('2026-12-04T23:30:00+08:00'), TZ)).toBe(at('2026-12-05T07:00:00+08:00'));
		expect(quietUntil(night, at('2026-12-05T00:10:00+08:00'), TZ)).toBe(at('2026-12-05T07:00:00+08:00'));
		expect(quietUntil(night, at('2026-12-05T06:59:30+08:00'), TZ)).toBe(at('2026-12-05T07:00:00+08:00'));
		expect(quietUntil(night, at('2026-12-04T22:00:00+08:00'), TZ)).toBe(at('2026-12-05T07:00:00+08:00'));
	});
	it('lets it go outside them: the end itself, the day, the minute before they start', () => {
		expect(quietUntil(night, at('2026-12-05T07:00:00+08:00'), TZ)).toBeNull();
		expect(quietUntil(night, at('2026-12-05T12:00:00+08:00'), TZ)).toBeNull();
		expect(quietUntil(night, at('2026-12-05T21:59:00+08:00'), TZ)).toBeNull();
	});
	it('reads hours within one day, and none when the channel has none', () => {
		const lunch = { quietFrom: '12:00', quietTo: '13:30' };
		expect(quietUntil(lunch, at('2026-12-05T12:15:00+08:00'), TZ)).toBe(at('2026-12-05T13:30:00+08:00'));
		expect(quietUntil(lunch, at('2026-12-05T13:30:00+08:00'), TZ)).toBeNull();
		expect(quietUntil({ quietFrom: null, quietTo: null }, at('2026-12-05T23:00:00+08:00'), TZ)).toBeNull();
	});
	it('uses the zone it is given (22:00 in Urumqi is 00:00 in Beijing)', () => {
		// 2026-12-05T00:30+08:00 is 22:30 in UTC+6: inside Urumqi's quiet hours, until 07:00 there (09:00 Beijing).
		expect(quietUntil(night, at('2026-12-05T00:30:00+08:00'), 'Asia/Urumqi')).toBe(at('2026-12-05T09:00:00+08:00'));
	});
});

describe('deliveryId', () => {
	it('is one id per alert, event and channel, the same on every call', () => {
		const a = deliveryId('a:waiting:center:PJ-001:1', 'raised', 3);
		expect(a).toMatch(/^dlv_[0-9a-f]{32}$/);
		expect(deliveryId('a:waiting:center:PJ-001:1', 'raised', 3)).toBe(a);
		expect(new Set([a, deliveryId('a:waiting:center:PJ-001:1', 'resolved', 3), deliveryId('a:waiting:center:PJ-001:1', 'raised', 4), deliveryId('a:waiting:center:PJ-001:2', 'raised', 3)]).size).toBe(4);
	});
});
