/**
 * The durable outbox of alert deliveries (spec §5.4), run by the writer instance:
 *
 * 1. **enqueue**: the `alert.*` events of the log after the watermark (`checkpoints` row
 *    `alert_outbox`, moved in the same transaction) become one `alert_deliveries` row per channel
 *    that takes them — a `raised` or `updated` by the channel's levels and scope, the later events
 *    of an alert to every channel that had one of its earlier ones. The row id (the
 *    X-Hallwatch-Delivery) comes from (alert, event, channel), so enqueueing twice — a restart, a
 *    new writer — inserts nothing. Quiet hours move a delivery that is not red to their end;
 * 2. **escalate**: a red alert not acknowledged `escalateAfterMin` after it reached a channel
 *    goes to that channel's `escalateTo` as well (once);
 * 3. **deliver**: due rows are claimed (`for update skip locked`, a lease that lapses if the
 *    worker dies), the first pending row of each (alert, channel) only, so each alert reaches
 *    each receiver in order; a success ends it, a failure is retried with back-off (base × 2ⁿ,
 *    at most an hour) until `retryForMs` after it was first due, then it is dead, with the
 *    receiver's last answer for the admins.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { OrgIndex } from '../../domain/org';
import type { LiveState } from '../../domain/projection';
import { zoneOffsetMs } from '../../domain/time';
import type { DbHandle, Executor } from '../db/client';
import { alertChannels, alertDeliveries, checkpoints, events } from '../db/schema';
import { channelTakes, listChannels, type Channel } from './channels';
import { send, type AlertBody, type SendResult } from './send';

export const OUTBOX_MARK = 'alert_outbox';
const ALERT_TYPES = ['alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.resolved'];
const BATCH = 500;
const CLAIM = 20;
const MAX_BACKOFF_MS = 3_600_000;

export interface OutboxConfig {
	deliveryRetryBaseMs: number;
	deliveryRetryForMs: number;
	deliveryTimeoutMs: number;
	deliverEveryMs: number;
	origin: string | null;
}

export interface OutboxDeps {
	handle: DbHandle;
	config: OutboxConfig;
	state: () => LiveState;
	org: () => OrgIndex;
	isLeader: () => boolean;
	log: (msg: string) => void;
	now?: () => number;
}

export type Delivery = typeof alertDeliveries.$inferSelect;

/** One id per (alert, event, channel): the same on every retry and whoever enqueues it. */
export function deliveryId(alertId: string, event: string, channelId: number): string {
	return `dlv_${createHash('sha256').update(`${alertId}\n${event}\n${channelId}`).digest('hex').slice(0, 32)}`;
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

/** Whether `now` is inside a channel's quiet hours, and when they end (epoch ms). */
export function quietUntil(c: Pick<Channel, 'quietFrom' | 'quietTo'>, now: number, tz: string): number | null {
	if (!c.quietFrom || !c.quietTo) return null;
	const min = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
	const [a, b] = [min(c.quietFrom), min(c.quietTo)];
	const local = now + zoneOffsetMs(now, tz);
	const m = ((local % 86_400_000) + 86_400_000) % 86_400_000 / 60_000;
	const inside = a < b ? m >= a && m < b : m >= a || m < b;
	if (!inside) return null;
	const untilMin = (b - m + 1440) % 1440;
	return now + Math.ceil(untilMin * 60_000);
}

interface LoggedAlertEvent {
	seq: number;
	type: string;
	data: Record<string, unknown>;
	occurred_at: string | Date;
	center_code: string | null;
	region_code: string | null;
}

export class AlertOutbox {
	private timer: ReturnType<typeof setInterval> | null = null;
	private running = false;
	private readonly now: () => number;
	/** Deliveries being sent now (their results are awaited by `stop`). */
	private inFlight = new Set<Promise<unknown>>();

	constructor(private deps: OutboxDeps) {
		this.now = deps.now ?? Date.now;
	}

	start(): void {
		this.timer = setInterval(() => void this.tick(), this.deps.config.deliverEveryMs);
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await Promise.allSettled([...this.inFlight]);
	}

	/** Embedded database: one process, so a claim left by a killed one is void at start-up. */
	async releaseLeases(): Promise<void> {
		await this.deps.handle.db.update(alertDeliveries).set({ leaseUntil: null }).where(eq(alertDeliveries.status, 'pending'));
	}

	async tick(): Promise<void> {
		if (this.running || !this.deps.isLeader()) return;
		this.running = true;
		try {
			await this.enqueue();
			await this.escalate();
			await this.deliver();
		} catch (err) {
			this.deps.log(`alert deliveries: ${(err as Error).message}`);
		} finally {
			this.running = false;
		}
	}

	/** Turn the alert events after the watermark into deliveries, up to what the state has applied. */
	async enqueue(): Promise<number> {
		const { handle, state, org } = this.deps;
		const db = handle.db;
		const upTo = state().seq;
		const [mark] = await db.select({ seq: checkpoints.seq }).from(checkpoints).where(eq(checkpoints.name, OUTBOX_MARK));
		if (!mark) {
			// First start with an outbox: deliver from now on, not the history.
			await db.insert(checkpoints).values({ name: OUTBOX_MARK, seq: upTo, state: '' }).onConflictDoNothing();
			return 0;
		}
		if (mark.seq >= upTo) return 0;
		const list = rowsOf<LoggedAlertEvent>(
			await db.execute(
				sql`select seq, type, data, occurred_at, center_code, region_code from ${events} where seq > ${mark.seq} and seq <= ${upTo} and type in (${sql.join(ALERT_TYPES.map((t) => sql`${t}`), sql`, `)}) order by seq limit ${BATCH}`
			)
		);
		const next = list.length === BATCH ? Number(list[list.length - 1].seq) : upTo;
		const channels = list.length ? await listChannels(db) : [];
		if (!list.length || !channels.length) {
			// Nothing to deliver: only the watermark moves (one small statement, no transaction).
			await db.update(checkpoints).set({ seq: next, createdAt: new Date() }).where(and(eq(checkpoints.name, OUTBOX_MARK), eq(checkpoints.seq, mark.seq)));
			return 0;
		}
		let made = 0;
		await db.transaction(async (tx) => {
			for (const e of list) made += await this.enqueueOne(tx, e, channels, org());
			await tx.update(checkpoints).set({ seq: next, createdAt: new Date() }).where(and(eq(checkpoints.name, OUTBOX_MARK), eq(checkpoints.seq, mark.seq)));
		});
		return made;
	}

	private async enqueueOne(tx: Executor, e: LoggedAlertEvent, channels: Channel[], org: OrgIndex): Promise<number> {
		const alertId = String(e.data.alertId);
		const a = this.deps.state().alerts.get(alertId);
		if (!a || !channels.length) return 0;
		const kind = e.type.slice(6) as AlertBody['event'];
		const seq = Number(e.seq);
		const level = kind === 'raised' || kind === 'updated' ? (e.data.level as string) : a.level;
		// The later events of an alert go where its earlier ones went (and an update also to channels of its new level).
		const had = kind === 'raised' ? [] : rowsOf<{ channel_id: number }>(await tx.execute(sql`select distinct channel_id from ${alertDeliveries} where alert_id = ${alertId}`)).map((r) => Number(r.channel_id));
		const place = { centerCode: a.place.centerCode, regionCode: a.place.regionCode };
		const targets = channels.filter((c) => had.includes(c.id) || ((kind === 'raised' || kind === 'updated') && channelTakes(c, level, place, org)));
		if (!targets.length) return 0;
		const body = this.bodyOf(kind, e, a, level);
		const at = this.now();
		const tz = org.timezoneOf(a.place.centerCode);
		const rows = targets.map((c) => {
			const quiet = level === 'red' ? null : quietUntil(c, at, tz);
			return {
				id: deliveryId(alertId, kind === 'updated' ? `updated:${seq}` : kind, c.id),
				channelId: c.id,
				alertId,
				event: kind,
				eventSeq: seq,
				level,
				payload: body,
				nextAt: new Date(quiet ?? at)
			};
		});
		const inserted = await (tx as typeof this.deps.handle.db).insert(alertDeliveries).values(rows).onConflictDoNothing({ target: alertDeliveries.id }).returning({ id: alertDeliveries.id });
		return inserted.length;
	}

	private bodyOf(kind: AlertBody['event'], e: LoggedAlertEvent, a: NonNullable<ReturnType<LiveState['alerts']['get']>>, level: string): AlertBody {
		const org = this.deps.org();
		const d = e.data;
		const at = new Date(e.occurred_at).toISOString();
		const placeName = a.place.centerCode ? (org.centers.get(a.place.centerCode)?.name ?? a.place.centerCode) : a.place.regionCode ? (org.regions.get(a.place.regionCode)?.name ?? a.place.regionCode) : null;
		const origin = this.deps.config.origin;
		return {
			event: kind,
			alert: {
				alertId: a.alertId,
				level: level as AlertBody['alert']['level'],
				kind: a.kind,
				title: kind === 'updated' ? String(d.title) : a.title,
				scope: a.scope,
				place: placeName,
				raisedAt: new Date(a.raisedAt).toISOString(),
				value: (d.value as number | undefined) ?? a.value,
				threshold: (d.threshold as number | undefined) ?? a.threshold,
				causes: a.causes,
				...(kind === 'acknowledged' ? { acknowledgedBy: String(d.by), acknowledgedAt: at, note: (d.note as string | undefined) ?? null } : {}),
				...(kind === 'resolved' ? { resolvedAt: at, resolvedBy: (d.by as string | undefined) ?? null, note: (d.note as string | undefined) ?? null } : {}),
				...(origin ? { url: `${origin.replace(/\/$/, '')}/alerts?alert=${encodeURIComponent(a.alertId)}` } : {})
			}
		};
	}

	/** Red alerts not acknowledged in time reach their channels' escalation channels too. */
	async escalate(): Promise<number> {
		const db = this.deps.handle.db;
		const now = this.now();
		const open = [...this.deps.state().alerts.values()].filter((a) => a.level === 'red' && a.resolvedAt == null && a.ackedAt == null);
		if (!open.length) return 0;
		const channels = await listChannels(db);
		const escalating = channels.filter((c) => c.escalateTo && c.escalateAfterMin);
		if (!escalating.length) return 0;
		const byName = new Map(channels.map((c) => [c.name, c]));
		let made = 0;
		for (const a of open) {
			const due = escalating.filter((c) => a.raisedAt + c.escalateAfterMin! * 60_000 <= now);
			if (!due.length) continue;
			const rows = await db
				.select({ channelId: alertDeliveries.channelId, payload: alertDeliveries.payload, eventSeq: alertDeliveries.eventSeq })
				.from(alertDeliveries)
				.where(and(eq(alertDeliveries.alertId, a.alertId), eq(alertDeliveries.event, 'raised')));
			for (const c of due) {
				const got = rows.find((r) => r.channelId === c.id);
				const target = byName.get(c.escalateTo!);
				if (!got || !target) continue;
				const body = { ...(got.payload as AlertBody), escalation: true };
				const ins = await db
					.insert(alertDeliveries)
					.values({ id: deliveryId(a.alertId, 'escalated', target.id), channelId: target.id, alertId: a.alertId, event: 'raised', eventSeq: got.eventSeq, level: 'red', payload: body, nextAt: new Date(now) })
					.onConflictDoNothing({ target: alertDeliveries.id })
					.returning({ id: alertDeliveries.id });
				made += ins.length;
			}
		}
		return made;
	}

	/** Claim the due deliveries (the first pending one of each alert and channel) and send them. */
	async deliver(): Promise<number> {
		const { handle, config } = this.deps;
		const db = handle.db;
		const nowIso = new Date(this.now()).toISOString();
		const leaseIso = new Date(this.now() + config.deliveryTimeoutMs * 3 + 5000).toISOString();
		const claimed = rowsOf<{ seq_no: number }>(
			await db.execute(sql`
				update ${alertDeliveries} set lease_until = ${leaseIso}::timestamptz
				where seq_no in (
					select d.seq_no from ${alertDeliveries} d
					where d.status = 'pending' and d.next_at <= ${nowIso}::timestamptz and (d.lease_until is null or d.lease_until < ${nowIso}::timestamptz)
						and not exists (select 1 from ${alertDeliveries} e where e.alert_id = d.alert_id and e.channel_id = d.channel_id and e.status = 'pending' and e.seq_no < d.seq_no)
					order by d.seq_no limit ${CLAIM}
					for update skip locked)
				returning seq_no`)
		).map((r) => Number(r.seq_no));
		if (!claimed.length) return 0;
		const rows = await db.select().from(alertDeliveries).where(inArray(alertDeliveries.seqNo, claimed));
		const channels = new Map((await db.select().from(alertChannels)).map((c) => [c.id, c]));
		const work = rows.map(async (d) => {
			const ch = channels.get(d.channelId);
			const res: SendResult = ch ? await send(ch, d.id, d.payload as AlertBody, config.deliveryTimeoutMs) : { ok: false, status: null, answer: 'channel removed' };
			await this.settle(d, res);
		});
		const all = Promise.allSettled(work);
		this.inFlight.add(all);
		await all;
		this.inFlight.delete(all);
		return rows.length;
	}

	private async settle(d: Delivery, res: SendResult): Promise<void> {
		const db = this.deps.handle.db;
		const now = this.now();
		if (res.ok) {
			await db.update(alertDeliveries).set({ status: 'delivered', attempts: d.attempts + 1, lastStatus: res.status, lastAnswer: res.answer, deliveredAt: new Date(now), leaseUntil: null }).where(eq(alertDeliveries.seqNo, d.seqNo));
			return;
		}
		const attempts = d.attempts + 1;
		const dead = now - d.createdAt.getTime() >= this.deps.config.deliveryRetryForMs;
		const wait = Math.min(MAX_BACKOFF_MS, this.deps.config.deliveryRetryBaseMs * 2 ** Math.min(attempts - 1, 20));
		await db
			.update(alertDeliveries)
			.set({ status: dead ? 'dead' : 'pending', attempts, lastStatus: res.status, lastAnswer: res.answer, nextAt: new Date(now + wait), leaseUntil: null })
			.where(eq(alertDeliveries.seqNo, d.seqNo));
		if (dead) this.deps.log(`alert delivery ${d.id} is dead after ${attempts} attempts (last answer ${res.status ?? 'none'})`);
	}
}

/** A test message to a channel now, outside the outbox: what the receiver answered. */
export async function testChannel(channel: Channel, by: string, timeoutMs: number): Promise<SendResult> {
	const at = Date.now();
	const body: AlertBody = {
		event: 'raised',
		alert: { alertId: `test:${at}`, level: 'yellow', kind: 'test', title: `测试告警：${channel.name} 渠道可用`, scope: { kind: 'all', code: '' }, place: null, raisedAt: new Date(at).toISOString(), note: `由 ${by} 发送的测试` }
	};
	return send(channel, deliveryId(body.alert.alertId, 'test', channel.id), body, timeoutMs);
}

/** Deliveries of some alerts (newest first), or the dead ones, for the pages. */
export async function deliveriesOf(db: DbHandle['db'], opts: { alertIds?: string[]; status?: 'dead'; limit?: number }): Promise<Array<Delivery & { channelName: string | null; channelKind: string | null }>> {
	const where = opts.alertIds ? inArray(alertDeliveries.alertId, opts.alertIds.length ? opts.alertIds : ['']) : opts.status ? eq(alertDeliveries.status, opts.status) : undefined;
	const rows = await db
		.select({ d: alertDeliveries, channelName: alertChannels.name, channelKind: alertChannels.kind })
		.from(alertDeliveries)
		.leftJoin(alertChannels, eq(alertChannels.id, alertDeliveries.channelId))
		.where(where)
		.orderBy(desc(alertDeliveries.seqNo))
		.limit(opts.limit ?? 200);
	return rows.map((r) => ({ ...r.d, channelName: r.channelName, channelKind: r.channelKind }));
}
