/**
 * The browser's copy of the last figures a display received (localStorage), so that a wall
 * that starts while the server or the network is down shows the last known figures, marked
 * stale, instead of a blank screen.
 *
 * - Scoped by display token and scope: one entry per (token, center, region). The key holds a
 *   hash of the token, not the token; a display whose token is revoked drops its entry.
 * - Bounded: at most MAX_ENTRIES entries (most recently written kept, the others removed) of
 *   at most MAX_CHARS characters each; a larger snapshot is not cached at all.
 * - Best effort: storage that is full, disabled or corrupt never breaks the display.
 */

import { hash53 } from '$lib/domain/hash';

/** What `localStorage` offers that the cache uses (a Map-backed stand-in in unit tests). */
export interface KeyValueStore {
	readonly length: number;
	key(index: number): string | null;
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

export const CACHE_PREFIX = 'hallwatch:figures:';
/** Entries live under this prefix; keys of older versions (`hallwatch:figures:<center>:<region>`) are removed. */
const ENTRY_PREFIX = `${CACHE_PREFIX}v2:`;
/** The list of entry keys, most recently written first. */
const INDEX_KEY = `${CACHE_PREFIX}index`;
/** Displays (token × scope) remembered per browser. */
export const MAX_ENTRIES = 3;
/** Characters per entry (about 1.2 MB as the browser counts them): a center's snapshot is some 50 k. */
export const MAX_CHARS = 600_000;

export function figuresCacheKey(token: string | null, center?: string | null, region?: string | null): string {
	// A signed-in reader (no token) keys by "session": their scope comes with the query.
	return `${ENTRY_PREFIX}${token ? hash53(token) : 'session'}:${center ?? ''}:${region ?? ''}`;
}

/** localStorage, or null where it is unavailable (SSR, disabled storage). */
export function browserStore(): KeyValueStore | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}

export class FiguresCache {
	/** The index already names this key first (checked once per session, not on every write). */
	private indexed = false;

	constructor(
		readonly key: string,
		private store: KeyValueStore | null = browserStore()
	) {}

	load<T extends object>(): T | null {
		try {
			const raw = this.store?.getItem(this.key);
			if (!raw) return null;
			const v = JSON.parse(raw) as unknown;
			return v && typeof v === 'object' && !Array.isArray(v) ? (v as T) : null;
		} catch {
			return null;
		}
	}

	/** Store the figures; false when they were not stored (too large, storage unavailable or full). */
	save(figures: object): boolean {
		const store = this.store;
		if (!store) return false;
		let json: string;
		try {
			json = JSON.stringify(figures);
		} catch {
			return false;
		}
		if (json.length > MAX_CHARS) {
			// Better no copy than a stale one that no longer follows the figures.
			this.clear();
			return false;
		}
		try {
			if (!this.indexed) this.reindex(store);
			store.setItem(this.key, json);
			return true;
		} catch {
			// Quota: make room by dropping the other displays' entries, once.
			try {
				this.evict(store, [this.key]);
				store.setItem(this.key, json);
				return true;
			} catch {
				return false;
			}
		}
	}

	clear(): void {
		try {
			this.store?.removeItem(this.key);
			const index = readIndex(this.store).filter((k) => k !== this.key);
			this.store?.setItem(INDEX_KEY, JSON.stringify(index));
		} catch {
			/* best effort */
		}
		this.indexed = false;
	}

	/** Put this key first in the index; remove entries beyond MAX_ENTRIES and any unindexed or old-format key. */
	private reindex(store: KeyValueStore): void {
		const index = [this.key, ...readIndex(store).filter((k) => k !== this.key)];
		this.evict(store, index.slice(0, MAX_ENTRIES));
		this.indexed = true;
	}

	/** Keep only `keep` (in this order) among the cache's keys. */
	private evict(store: KeyValueStore, keep: string[]): void {
		const doomed: string[] = [];
		for (let i = 0; i < store.length; i++) {
			const k = store.key(i);
			if (k && k.startsWith(CACHE_PREFIX) && k !== INDEX_KEY && !keep.includes(k)) doomed.push(k);
		}
		for (const k of doomed) store.removeItem(k);
		store.setItem(INDEX_KEY, JSON.stringify(keep));
	}
}

function readIndex(store: KeyValueStore | null): string[] {
	try {
		const v = JSON.parse(store?.getItem(INDEX_KEY) ?? '[]') as unknown;
		return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string' && k.startsWith(ENTRY_PREFIX)) : [];
	} catch {
		return [];
	}
}
