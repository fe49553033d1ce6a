import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { invalidUtf8At } from './utf8';

describe('invalidUtf8At', () => {
	it('names the first byte of the first bad sequence', () => {
		const at = (...b: number[]) => invalidUtf8At(new Uint8Array(b));
		expect(at(0x61, 0xff)).toBe(1); // never in UTF-8
		expect(at(0x61, 0x80)).toBe(1); // a continuation with nothing to continue
		expect(at(0xc3, 0x28)).toBe(0); // a lead byte without its continuation
		expect(at(0xc0, 0xaf)).toBe(0); // overlong "/"
		expect(at(0xe0, 0x80, 0xaf)).toBe(0); // overlong, three bytes
		expect(at(0xed, 0xa0, 0x80)).toBe(0); // a UTF-16 surrogate
		expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // above U+10FFFF
		expect(at(0x7b, 0xe4, 0xb8)).toBe(1); // cut short by the end
		expect(at(...new TextEncoder().encode('中文 😀 é'))).toBe(-1);
		expect(at()).toBe(-1);
	});

	it('agrees with Node’s isUtf8 on random bytes, and the bytes before the offset are UTF-8', () => {
		let seed = 12345;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
		// Mostly valid text with a bad byte here and there, so both answers come up.
		const sample = new TextEncoder().encode('通报 Hallwatch 😀 ü');
		for (let n = 0; n < 5000; n++) {
			const b = Uint8Array.from({ length: 1 + Math.floor(rnd() * 24) }, () => (rnd() < 0.9 ? sample[Math.floor(rnd() * sample.length)] : Math.floor(rnd() * 256)));
			const at = invalidUtf8At(b);
			expect(at === -1, Buffer.from(b).toString('hex')).toBe(isUtf8(b));
			if (at >= 0) expect(isUtf8(b.subarray(0, at)), Buffer.from(b).toString('hex')).toBe(true);
		}
	});
});
