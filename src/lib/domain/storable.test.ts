import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, storableCopy, storableProblem, storableText } from './storable';

const nest = (levels: number): unknown => {
	let v: unknown = 'leaf';
	for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { d: v };
	return v;
};

describe('storableProblem', () => {
	it('accepts ordinary events, Chinese text and emoji (surrogate pairs)', () => {
		expect(storableProblem({ id: 'a', data: { name: '政务服务中心', note: '💥👍', list: [1, 'x', null, true] } })).toBeNull();
	});
	it('names the field holding a NUL character or an unpaired surrogate', () => {
		expect(storableProblem({ data: { ticketNo: 'A\u0000B' } })).toBe('data.ticketNo: contains the NUL character (\\u0000)');
		expect(storableProblem({ source: 'x\ud800' })).toBe('source: contains an unpaired UTF-16 surrogate (\\ud800)');
		expect(storableProblem({ data: { list: ['ok', '\udc00y'] } })).toBe('data.list[1]: contains an unpaired UTF-16 surrogate (\\udc00)');
		expect(storableProblem({ data: { ['k\u0000']: 1 } })).toBe('data: a field name contains the NUL character (\\u0000)');
		expect(storableProblem('\u0000')).toBe('event: contains the NUL character (\\u0000)');
	});
	it('reports the first problem in document order', () => {
		expect(storableProblem({ a: '\u0000', b: '\ud800' })).toBe('a: contains the NUL character (\\u0000)');
	});
	it('limits nesting without recursing (200 000 levels)', () => {
		expect(storableProblem({ data: nest(MAX_JSON_DEPTH - 2) })).toBeNull();
		expect(storableProblem({ data: nest(MAX_JSON_DEPTH) })).toMatch(/^data(\.d|\[0\])+: nested more than 32 levels deep$/);
		let deep: unknown = [];
		for (let i = 0; i < 200_000; i++) deep = [deep];
		expect(storableProblem({ data: { x: deep } })).toMatch(/^data\.x(\[0\])+: nested more than 32 levels deep$/);
	});
});

describe('storableCopy', () => {
	it('replaces bad characters, cuts deep parts, keeps __proto__ as a plain field', () => {
		const raw = JSON.parse('{"a":"x\\u0000","__proto__":{"b":"\\ud800"},"n":[1,null]}');
		const copy = storableCopy(raw) as Record<string, unknown>;
		expect(JSON.stringify(copy)).toBe('{"a":"x\ufffd","__proto__":{"b":"\ufffd"},"n":[1,null]}');
		expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
		expect(storableProblem(storableCopy({ data: nest(5000) }))).toBeNull();
		expect(storableText('a\u0000\ud83d\ude00\ud800')).toBe('a\ufffd\ud83d\ude00\ufffd');
	});
});
