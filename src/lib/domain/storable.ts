/**
 * What the database cannot store. PostgreSQL's jsonb and text refuse the NUL character and
 * unpaired UTF-16 surrogates, and recursive code (JSON.stringify, the jsonb parser) gives up on
 * very deep nesting. Events never need any of it: such an event is rejected with the field named
 * (spec §1: one bad event never sinks the batch), and its quarantine copy is made storable.
 */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

function badChar(s: string): string | null {
	if (s.includes('\u0000')) return 'the NUL character (\\u0000)';
	const m = LONE_SURROGATE.exec(s);
	if (m) return `an unpaired UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16)})`;
	return null;
}

/** The first part of a parsed JSON value that cannot be stored, as `field: what is wrong`, or null. Iterative. */
export function storableProblem(value: unknown, prefix = ''): string | null {
	const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: prefix, depth: 0 }];
	while (stack.length) {
		const { v, path, depth } = stack.pop()!;
		const where = path || 'event';
		if (typeof v === 'string') {
			const bad = badChar(v);
			if (bad) return `${where}: contains ${bad}`;
			continue;
		}
		if (v === null || typeof v !== 'object') continue;
		if (depth >= MAX_JSON_DEPTH) return `${where}: nested more than ${MAX_JSON_DEPTH} levels deep`;
		if (Array.isArray(v)) {
			for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
			continue;
		}
		const keys = Object.keys(v);
		for (const k of keys) {
			const bad = badChar(k);
			if (bad) return `${where}: a field name contains ${bad}`;
		}
		for (let i = keys.length - 1; i >= 0; i--)
			stack.push({ v: (v as Record<string, unknown>)[keys[i]], path: path ? `${path}.${keys[i]}` : keys[i], depth: depth + 1 });
	}
	return null;
}

/** A string the database can store: NUL and unpaired surrogates become U+FFFD. */
export function storableText(s: string): string {
	return s.replace(/\u0000/g, '\ufffd').replace(LONE_SURROGATES, '\ufffd');
}

/** A copy of a parsed JSON value the database can store (for the quarantine): bad characters replaced, too-deep parts cut. */
export function storableCopy(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return storableText(value);
	if (value === null || typeof value !== 'object') return value;
	if (depth >= MAX_JSON_DEPTH) return `(cut: nested more than ${MAX_JSON_DEPTH} levels deep)`;
	if (Array.isArray(value)) return value.map((x) => storableCopy(x, depth + 1));
	return Object.fromEntries(Object.entries(value).map(([k, x]) => [storableText(k), storableCopy(x, depth + 1)]));
}
