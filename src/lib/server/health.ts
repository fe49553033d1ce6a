/**
 * Readiness (`GET /healthz`, spec §4): the database answers within 2 s, and what this instance is
 * doing, with how long its event loop was held up (the longest stall, in the last full minute
 * and since start): a checkpoint or a snapshot that blocks the loop delays every wall.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { OrgIndex } from '../domain/org';
import { dayKey } from '../domain/time';
import type { DbHandle } from './db/client';
import type { Hub } from './live/hub';
import type { Projector } from './live/projector';

export interface HealthDeps {
	handle: DbHandle;
	projector: Pick<Projector, 'seq'>;
	hub: Pick<Hub, 'clientCount'>;
	isLeader: () => boolean;
	org: () => OrgIndex;
	startedAt: number;
}

/** Event-loop delay in windows of 10 s: the last minute's, window by window, and since start (ms). */
class LoopDelay {
	private readonly total = monitorEventLoopDelay({ resolution: 10 });
	private current = monitorEventLoopDelay({ resolution: 10 });
	private startedAt = Date.now();
	private windows: Array<{ from: string; p99Ms: number; maxMs: number }> = [];
	constructor() {
		this.total.enable();
		this.current.enable();
		setInterval(() => {
			this.windows.push({ from: new Date(this.startedAt).toISOString(), ...LoopDelay.figures(this.current) });
			if (this.windows.length > 6) this.windows.shift();
			this.current.reset();
			this.startedAt = Date.now();
		}, 10_000).unref();
	}
	private static figures(h: IntervalHistogram) {
		const ms = (ns: number) => Math.round(ns / 1e4) / 100;
		return { p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
	}
	read() {
		const last = this.windows.length ? this.windows : [{ from: new Date(this.startedAt).toISOString(), ...LoopDelay.figures(this.current) }];
		return { lastMinute: { p99Ms: Math.max(...last.map((w) => w.p99Ms)), maxMs: Math.max(...last.map((w) => w.maxMs)) }, windows: this.windows, sinceStart: LoopDelay.figures(this.total) };
	}
}
let loop: LoopDelay | null = null;
/** Start watching the event loop (once per process). */
export function watchEventLoop(): void {
	loop ??= new LoopDelay();
}

export async function checkHealth(d: HealthDeps): Promise<{ ok: boolean; detail: Record<string, unknown> }> {
	try {
		await Promise.race([d.handle.db.execute(sql`select 1`), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))]);
		return {
			ok: true,
			detail: {
				status: 'ok',
				database: d.handle.kind,
				seq: d.projector.seq,
				writer: d.isLeader(),
				clients: d.hub.clientCount,
				uptimeSec: Math.round((Date.now() - d.startedAt) / 1000),
				eventLoopDelay: loop?.read() ?? null,
				rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
				today: dayKey(Date.now(), d.org().timezoneOf(null))
			}
		};
	} catch {
		return { ok: false, detail: { status: 'database unavailable', database: d.handle.kind } };
	}
}
