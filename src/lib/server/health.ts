/** Readiness (`GET /healthz`, spec §4): the database answers within 2 s, and what this instance is doing. */
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
				today: dayKey(Date.now(), d.org().timezoneOf(null))
			}
		};
	} catch {
		return { ok: false, detail: { status: 'database unavailable', database: d.handle.kind } };
	}
}
