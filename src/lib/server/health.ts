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

/** Event-loop delay: the running minute, the last full minute, and since start (ms). */
class LoopDelay {
	private readonly total = monitorEventLoopDelay({ resolution: 10 });
	private current = monitorEventLoopDelay({ resolution: 10 });
	private last: { p99Ms: number; maxMs: number } | null = null;
	constructor() {
		this.total.enable();
		this.current.enable();
		setInterval(() => {
			this.last = LoopDelay.figures(this.current);
			this.current.reset();
		}, 60_000).unref();
	}
	private static figures(h: IntervalHistogram) {
		const ms = (ns: number) => Math.round(ns / 1e4) / 100;
		return { p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
	}
	read() {
		return { lastMinute: this.last ?? LoopDelay.figures(this.current), sinceStart: LoopDelay.figures(this.total) };
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
