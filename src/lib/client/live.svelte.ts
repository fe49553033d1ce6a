/**
 * Browser side of the live stream: one runes state class holding the latest figures, kept up
 * to date over the WebSocket (snapshot, then coalesced deltas). It
 * - shows the last figures cached in localStorage (figures-cache.ts: per token and scope,
 *   bounded) at once, marked with their age, before the socket is up (a power-cycled wall never
 *   starts blank; with the service worker it even starts while the server is down);
 * - applies messages once per animation frame (several deltas in a frame merge into one update);
 * - reconnects with exponential backoff and full jitter, resumes with `since=`, and resyncs
 *   with a fresh snapshot when it sees a sequence go backwards;
 * - knows the age of its data: `stale` turns true when the stream is lost, so pages never show
 *   old figures as current.
 */
import type { Snapshot } from '$lib/domain/snapshot';
import { CLOSE, type EventsMode, type FiguresPatch, type ServerMessage, type StreamEvent } from '$lib/live/protocol';
import { FiguresCache, figuresCacheKey } from './figures-cache';
import { scheduler } from './scheduler';

/** The figures shown: the last snapshot with every later delta merged in (protocol.ts). */
export type Figures = Snapshot;
export type LiveEvent = StreamEvent;

export interface LiveOptions {
	/** A display token; null for a signed-in user (the session cookie goes with the upgrade). */
	token: string | null;
	center?: string | null;
	region?: string | null;
	events?: EventsMode;
	/** Keep at most this many recent events. */
	keepEvents?: number;
	/** Cache figures in localStorage for instant start (default true); see figures-cache.ts. */
	cache?: boolean;
	/** Called for each new event (after the frame's figures are applied), e.g. to bring a page forward. */
	onEvent?: (e: LiveEvent) => void;
}

/** Deep-merge a figures patch (objects merged, arrays and scalars replaced). */
export function mergePatch<T extends object>(target: T, patch: FiguresPatch | Record<string, unknown>): T {
	const t = target as Record<string, unknown>;
	for (const [k, v] of Object.entries(patch)) {
		const cur = t[k];
		if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) mergePatch(cur, v as Record<string, unknown>);
		else t[k] = v;
	}
	return target;
}

/** The stream is considered lost when no message came for this long (heartbeats come every 10 s). */
export const SILENCE_MS = 25_000;
/** A disconnection shorter than this (a quick reconnect) does not raise the stale banner. */
export const GRACE_MS = 5_000;

export class LiveFeed {
	figures = $state<Figures | null>(null);
	events = $state<LiveEvent[]>([]);
	connected = $state(false);
	seq = $state(0);
	/** Epoch ms of the last message from the server (any kind). */
	lastMessageAt = $state(0);
	/** Epoch ms since when the stream has been down (0 while connected). */
	downSince = $state(0);
	/** The figures came from the browser cache and the server has not confirmed them yet. */
	fromCache = $state(false);
	error = $state<'revoked' | 'session-ended' | null>(null);
	/** Messages received and resyncs, for diagnostics and tests. */
	stats = { messages: 0, resyncs: 0, reconnects: 0 };

	private ws: WebSocket | null = null;
	private attempt = 0;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private stopSecond: (() => void) | null = null;
	private closed = false;
	private resync = false;
	private queue: ServerMessage[] = [];
	private lastCacheWrite = 0;
	private cache: FiguresCache | null;
	/** One function object, so that scheduling it several times in a frame runs it once. */
	private readonly flush = () => this.applyQueue();

	constructor(private opts: LiveOptions) {
		this.cache = opts.cache === false ? null : new FiguresCache(figuresCacheKey(opts.token, opts.center, opts.region));
	}

	start(): void {
		this.closed = false;
		this.loadCache();
		this.downSince = Date.now();
		this.connect();
		this.stopSecond = scheduler.everySecond((now) => {
			// Silence: the connection is dead even if the socket has not noticed; reconnect.
			if (this.connected && now - this.lastMessageAt > SILENCE_MS) this.ws?.close();
		});
	}

	stop(): void {
		this.closed = true;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.stopSecond?.();
		this.ws?.close();
	}

	/** True when the figures shown may be out of date (stream lost beyond the grace time, or only cached figures). */
	isStale(now: number): boolean {
		if (!this.figures) return false;
		if (this.fromCache && !this.connected) return true;
		if (!this.connected) return this.downSince > 0 && now - this.downSince > GRACE_MS;
		return now - this.lastMessageAt > SILENCE_MS;
	}

	/** Age of the figures in ms (from the server's asOf). */
	ageMs(now: number): number | null {
		const asOf = this.figures?.asOf;
		return asOf ? Math.max(0, now - Date.parse(String(asOf))) : null;
	}

	private loadCache(): void {
		const cached = this.cache?.load<Figures>();
		if (!cached) return;
		this.figures = cached;
		this.seq = 0; // never resume from cache: the server sends a fresh snapshot
		this.fromCache = true;
	}

	private saveCache(now: number): void {
		if (!this.cache || !this.figures || this.fromCache || now - this.lastCacheWrite < 5000) return;
		this.lastCacheWrite = now;
		this.cache.save($state.snapshot(this.figures));
	}

	private url(): string {
		const u = new URL('/api/v1/stream', location.href);
		u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
		if (this.opts.token) u.searchParams.set('token', this.opts.token);
		if (this.opts.center) u.searchParams.set('center', this.opts.center);
		if (this.opts.region) u.searchParams.set('region', this.opts.region);
		if (this.opts.events) u.searchParams.set('events', this.opts.events);
		if (!this.resync && this.seq > 0 && this.figures && !this.fromCache) u.searchParams.set('since', String(this.seq));
		return u.toString();
	}

	private connect(): void {
		const ws = new WebSocket(this.url());
		this.ws = ws;
		ws.onopen = () => {
			this.attempt = 0;
			this.lastMessageAt = Date.now();
		};
		ws.onmessage = (m) => {
			this.lastMessageAt = Date.now();
			this.stats.messages++;
			let msg: ServerMessage;
			try {
				msg = JSON.parse(String(m.data)) as ServerMessage;
			} catch {
				return;
			}
			this.enqueue(msg);
		};
		ws.onclose = (ev) => {
			if (this.ws !== ws) return;
			if (this.connected) this.downSince = Date.now();
			this.connected = false;
			// The session that opened it ended: reconnecting would be refused; sign in again.
			if (ev.code === CLOSE.sessionEnded) {
				this.error = 'session-ended';
				this.stop();
				return;
			}
			if (!this.closed) this.scheduleReconnect();
		};
		ws.onerror = () => ws.close();
	}

	private scheduleReconnect(): void {
		// Exponential backoff with full jitter: 0.25 s + up to 0.5 s … 30 s.
		const cap = Math.min(30_000, 500 * 2 ** this.attempt++);
		const delay = 250 + Math.random() * cap;
		this.stats.reconnects++;
		this.retryTimer = setTimeout(() => this.connect(), delay);
	}

	/** Messages are applied once per frame; while the page is hidden they are merged into one. */
	private enqueue(msg: ServerMessage): void {
		if (msg.type === 'snapshot') this.queue = [msg];
		else if (this.queue.length > 200) {
			// Far behind (hidden page): drop the queue and ask for a fresh snapshot.
			this.queue = [];
			this.requestResync();
			return;
		} else this.queue.push(msg);
		scheduler.nextFrame(this.flush);
		// Control messages must act even on a hidden page.
		if (msg.type === 'reload' || msg.type === 'revoked') this.applyQueue();
	}

	private requestResync(): void {
		this.resync = true;
		this.stats.resyncs++;
		this.ws?.close();
	}

	private applyQueue(): void {
		const queue = this.queue;
		this.queue = [];
		const keep = this.opts.keepEvents ?? 50;
		const fresh: LiveEvent[] = [];
		for (const msg of queue) {
			switch (msg.type) {
				case 'snapshot': {
					const { type: _t, ...rest } = msg;
					this.figures = rest;
					this.seq = msg.seq;
					this.fromCache = false;
					this.resync = false;
					this.markUp();
					break;
				}
				case 'delta': {
					if (!this.figures || this.fromCache) break;
					const seq = msg.seq;
					if (seq < this.seq) {
						// Sequence went backwards: our state is not the server's; start over.
						this.requestResync();
						return;
					}
					if (msg.figures) mergePatch(this.figures, msg.figures);
					this.figures.asOf = msg.asOf;
					this.figures.seq = seq;
					this.seq = seq;
					this.markUp();
					for (const e of msg.events) fresh.push(e);
					break;
				}
				case 'heartbeat':
				case 'pong':
					this.markUp();
					if (this.figures && !this.fromCache) this.figures.asOf = msg.asOf;
					break;
				case 'reload':
					location.reload();
					return;
				case 'revoked':
					this.error = 'revoked';
					this.cache?.clear(); // a revoked display keeps no copy of the figures
					this.stop();
					return;
			}
		}
		if (fresh.length) {
			this.events = [...fresh.reverse(), ...this.events].slice(0, keep);
			if (this.opts.onEvent) for (const e of fresh) this.opts.onEvent(e);
		}
		this.saveCache(Date.now());
	}

	private markUp(): void {
		if (!this.connected) {
			this.connected = true;
			this.downSince = 0;
		}
	}
}
