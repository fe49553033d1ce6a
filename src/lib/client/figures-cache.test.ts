import { describe, expect, it } from 'vitest';
import { FiguresCache, figuresCacheKey, MAX_CHARS, MAX_ENTRIES, type KeyValueStore } from './figures-cache';

/** A Map-backed localStorage, optionally with a quota in characters. */
class MemoryStore implements KeyValueStore {
	map = new Map<string, string>();
	constructor(private quota = Infinity) {}
	get length() {
		return this.map.size;
	}
	key(i: number) {
		return [...this.map.keys()][i] ?? null;
	}
	getItem(k: string) {
		return this.map.get(k) ?? null;
	}
	setItem(k: string, v: string) {
		let used = 0;
		for (const [key, val] of this.map) if (key !== k) used += key.length + val.length;
		if (used + k.length + v.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
		this.map.set(k, v);
	}
	removeItem(k: string) {
		this.map.delete(k);
	}
}

const figures = (n: number) => ({ seq: n, asOf: '2026-11-23T07:00:00.000Z', hall: { ticketsIssuedToday: n } });

describe('figures cache', () => {
	it('keys by token and scope, never holding the token itself', () => {
		const a = figuresCacheKey('secret-token-a', 'PJ-001', null);
		expect(a).not.toContain('secret');
		expect(a).toBe(figuresCacheKey('secret-token-a', 'PJ-001', undefined));
		expect(figuresCacheKey('secret-token-b', 'PJ-001', null)).not.toBe(a);
		expect(figuresCacheKey('secret-token-a', 'PJ-002', null)).not.toBe(a);
		expect(figuresCacheKey('secret-token-a', null, 'PJ')).not.toBe(figuresCacheKey('secret-token-a', 'PJ', null));
	});

	it('round-trips, and another token or scope does not see the entry', () => {
		const store = new MemoryStore();
		const c = new FiguresCache(figuresCacheKey('t1', 'PJ-001'), store);
		expect(c.load()).toBeNull();
		expect(c.save(figures(7))).toBe(true);
		expect(new FiguresCache(figuresCacheKey('t1', 'PJ-001'), store).load()).toEqual(figures(7));
		expect(new FiguresCache(figuresCacheKey('t2', 'PJ-001'), store).load()).toBeNull();
		expect(new FiguresCache(figuresCacheKey('t1', 'PJ-002'), store).load()).toBeNull();
	});

	it(`keeps at most ${MAX_ENTRIES} displays (the most recently written) and removes old-format keys`, () => {
		const store = new MemoryStore();
		store.setItem('hallwatch:figures:PJ-001:', JSON.stringify(figures(1))); // before per-token keys
		store.setItem('other-app', 'kept');
		const caches = Array.from({ length: MAX_ENTRIES + 2 }, (_, i) => new FiguresCache(figuresCacheKey(`t${i}`, 'PJ-001'), store));
		for (const [i, c] of caches.entries()) expect(c.save(figures(i))).toBe(true);
		const entries = [...store.map.keys()].filter((k) => k.startsWith('hallwatch:figures:v2:'));
		expect(entries.length).toBe(MAX_ENTRIES);
		expect(caches.slice(-MAX_ENTRIES).map((c) => c.load())).toEqual([2, 3, 4].map(figures));
		expect(caches[0].load()).toBeNull();
		expect(store.getItem('hallwatch:figures:PJ-001:')).toBeNull();
		expect(store.getItem('other-app')).toBe('kept');
		// Writing again to a kept entry does not evict anything.
		expect(caches[2].save(figures(22))).toBe(true);
		expect(caches.slice(-MAX_ENTRIES).map((c) => c.load<{ seq: number }>()?.seq)).toEqual([22, 3, 4]);
	});

	it('does not store figures larger than the bound (and drops an older copy)', () => {
		const store = new MemoryStore();
		const c = new FiguresCache(figuresCacheKey('t', 'PJ-001'), store);
		expect(c.save(figures(1))).toBe(true);
		expect(c.save({ ...figures(2), big: 'x'.repeat(MAX_CHARS) })).toBe(false);
		expect(c.load()).toBeNull();
	});

	it('makes room by dropping other displays when the storage is full; never throws', () => {
		const store = new MemoryStore(3000);
		const a = new FiguresCache(figuresCacheKey('a', 'PJ-001'), store);
		const b = new FiguresCache(figuresCacheKey('b', 'PJ-001'), store);
		expect(a.save({ pad: 'a'.repeat(1500) })).toBe(true);
		expect(b.save({ pad: 'b'.repeat(1500) })).toBe(true);
		expect(a.load()).toBeNull();
		expect(b.save({ pad: 'b'.repeat(5000) })).toBe(false); // cannot fit at all
		store.setItem(figuresCacheKey('b', 'PJ-001'), '{corrupt');
		expect(b.load()).toBeNull();
		expect(new FiguresCache('k', null).save(figures(1))).toBe(false);
		expect(new FiguresCache('k', null).load()).toBeNull();
	});

	it('clear() forgets the entry (a revoked display)', () => {
		const store = new MemoryStore();
		const c = new FiguresCache(figuresCacheKey('t', 'PJ-001'), store);
		c.save(figures(1));
		c.clear();
		expect(c.load()).toBeNull();
		expect([...store.map.keys()].filter((k) => k.includes(':v2:'))).toEqual([]);
	});
});
