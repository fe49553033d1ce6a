/**
 * Where a byte string stops being UTF-8. Request bodies are checked with Node's `isUtf8` (fast,
 * native); only a body that fails is scanned here, to name the offset in the 400.
 */

/**
 * The offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629, the
 * Unicode standard's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF, no
 * sequence cut short), or -1 when all of it is UTF-8.
 */
export function invalidUtf8At(b: Uint8Array): number {
	for (let i = 0; i < b.length; ) {
		const c = b[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		// Continuation bytes that follow, and the range the first of them must lie in.
		let n: number;
		let lo = 0x80;
		let hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) n = 1;
		else if (c === 0xe0) [n, lo] = [2, 0xa0];
		else if (c === 0xed) [n, hi] = [2, 0x9f];
		else if (c >= 0xe1 && c <= 0xef) n = 2;
		else if (c === 0xf0) [n, lo] = [3, 0x90];
		else if (c === 0xf4) [n, hi] = [3, 0x8f];
		else if (c >= 0xf1 && c <= 0xf3) n = 3;
		else return i;
		for (let k = 1; k <= n; k++) {
			const x = b[i + k];
			if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
		}
		i += n + 1;
	}
	return -1;
}
