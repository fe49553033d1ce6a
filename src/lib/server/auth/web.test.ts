import { describe, expect, it } from 'vitest';
import { safeNext } from './web';

const ORIGIN = 'https://hallwatch.example.gov.cn';

describe('safeNext', () => {
	it('keeps a path of this site with its query and fragment', () => {
		expect(safeNext('/reports/scores?month=2026-11#top', '/home', ORIGIN)).toBe('/reports/scores?month=2026-11#top');
		expect(safeNext('/wall?center=PJ-001', '/home', ORIGIN)).toBe('/wall?center=PJ-001');
	});

	it('falls back to home for anything a browser would open elsewhere', () => {
		for (const next of ['//evil.example/x', '/\\evil.example', '\\\\evil.example', '/\t/evil.example/x', '/\n/evil.example', ' //evil.example', 'https://evil.example/', 'http:evil.example', 'javascript:alert(1)', 'data:text/html,x', `${ORIGIN.replace('https', 'http')}/x`])
			expect(safeNext(next, '/home', ORIGIN), JSON.stringify(next)).toBe('/home');
		expect(safeNext(null, '/home', ORIGIN)).toBe('/home');
		expect(safeNext('', '/home', ORIGIN)).toBe('/home');
	});

	it('never hands control characters to the Location header', () => {
		const out = safeNext('/a\r\nSet-Cookie: x=y', '/home', ORIGIN);
		expect(out).not.toMatch(/[\r\n\t]/);
		expect(out.startsWith('/')).toBe(true);
	});
});
