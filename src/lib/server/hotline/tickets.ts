/**
 * `hotline_tickets`: one row per 12345 ticket as it stands, kept up to date from the events the
 * projector applies, and the console's reads (list, figures, one ticket, its timeline).
 *
 * Writing: only the writer instance writes (`isLeader()`). Applied `hotline.*` events are
 * queued and written in batches (one transaction per batch, in seq order). A ticket with a row
 * gets the batch's events folded in (applyTicketEvent); a ticket without one is folded from its
 * whole timeline in the log (index events_hotline_ticket), so events that came before the
 * ticket's creation are not lost. Every upsert is guarded by `last_seq`, so replays, retries and
 * a second writer during a hand-over change nothing. Because batches are atomic and in seq
 * order, the table's max(last_seq) is a watermark: at start-up (and on becoming the writer) the
 * log is read from there, not from the beginning.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { applyTicketEvent, summarize, type TicketDetail, type TicketSummary, type HotlineStatus, type Satisfaction } from '../../domain/hotline';
import type { ThreeRateWeights } from '../../domain/metrics';
import { dateBounds, emptyCounts, hotlineFigures, monthRange, rankByComposite, rankDepartments, yearToDate, type Cursor, type DepartmentFigures, type HotlineCounts, type HotlineFigures, type TicketFilter } from '../../domain/hotline-figures';
import type { OrgIndex } from '../../domain/org';
import type { PlacedEvent } from '../../domain/projection';
import type { Reach } from '../auth/reach';
import type { Database } from '../db/client';
import { rowToEvent } from '../db/log';
import { events, hotlineTickets } from '../db/schema';

const PAGE = 5000;
const CHUNK = 500;

type Row = typeof hotlineTickets.$inferSelect;

const ms = (d: Date | null) => (d ? d.getTime() : null);
const date = (n: number | null) => (n == null ? null : new Date(n));

export function rowToSummary(r: Row): TicketSummary {
	return {
		ticketId: r.ticketId,
		channel: r.channel,
		category: r.category,
		summary: r.summary,
		callerPhone: r.callerPhone,
		regionCode: r.regionCode,
		departmentCode: r.departmentCode,
		status: r.status as HotlineStatus,
		createdAt: r.createdAt.getTime(),
		assignedAt: ms(r.assignedAt),
		dueAt: ms(r.dueAt),
		repliedAt: ms(r.repliedAt),
		closedAt: ms(r.closedAt),
		reopenedCount: r.reopenedCount,
		supervisedLevel: r.supervisedLevel,
		overdue: r.overdue,
		callbackReached: r.callbackReached,
		satisfaction: r.satisfaction as Satisfaction | null,
		detail: (r.detail ?? {}) as TicketDetail,
		lastSeq: Number(r.lastSeq)
	};
}

function summaryToRow(s: TicketSummary): typeof hotlineTickets.$inferInsert {
	return {
		ticketId: s.ticketId,
		channel: s.channel,
		category: s.category,
		summary: s.summary,
		callerPhone: s.callerPhone,
		regionCode: s.regionCode,
		departmentCode: s.departmentCode,
		status: s.status,
		createdAt: new Date(s.createdAt!),
		assignedAt: date(s.assignedAt),
		dueAt: date(s.dueAt),
		repliedAt: date(s.repliedAt),
		closedAt: date(s.closedAt),
		reopenedCount: s.reopenedCount,
		supervisedLevel: s.supervisedLevel,
		overdue: s.overdue,
		callbackReached: s.callbackReached,
		satisfaction: s.satisfaction,
		detail: s.detail,
		lastSeq: s.lastSeq,
		updatedAt: new Date()
	};
}

const ticketIdOf = (e: PlacedEvent): string | null => {
	const id = (e.data as Record<string, unknown>).ticketId;
	return typeof id === 'string' ? id : null;
};

/** Only the timeline index's own predicate lets the planner use it: keep it a literal. */
const HOTLINE_TYPES = sql.raw(`${events.type.name} like 'hotline.%'`);
const TICKET_ID = sql`(${events.data}->>'ticketId')`;
/** Not merged into another ticket (重复件 count once, as the ticket they joined). */
const NOT_MERGED = sql`(${hotlineTickets.detail}->>'mergedInto') is null`;

export interface TimelineEntry {
	seq: number;
	id: string;
	type: string;
	occurredAt: string;
	at: number;
	sender: string;
	data: Record<string, unknown>;
}

export interface TicketPage {
	rows: TicketSummary[];
	/** Cursor of the next page, null on the last. */
	next: Cursor | null;
}

export interface MonthFigures {
	month: string;
	from: string;
	to: string;
	overall: HotlineFigures;
	departments: DepartmentFigures[];
	/** The same departments by the three-rate composite. */
	byComposite: Array<DepartmentFigures & { compositeRank: number | null }>;
	/** January 1 to the month's end (1–N月累计). */
	year: HotlineFigures & { from: string; to: string };
	/** Open and past due now (not only this month's). */
	overdueOpen: number;
	/** Open tickets waiting for the center: returns to review, extensions to decide. */
	returnsPending: number;
	extensionsPending: number;
}

interface Deps {
	db: Database;
	org: () => OrgIndex;
	isLeader: () => boolean;
	log?: (msg: string) => void;
	/** How long applied events wait to be written together (ms). */
	flushMs?: number;
}

export class HotlineTickets {
	private queue: PlacedEvent[] = [];
	private chain: Promise<void> = Promise.resolve();
	private timer: ReturnType<typeof setTimeout> | null = null;
	private retry: ReturnType<typeof setTimeout> | null = null;
	/** Last seq the projector handed over (any type). */
	private seenSeq = 0;
	/** The table holds every hotline event up to here (writer). */
	private flushedSeq = 0;
	private waiters: Array<{ seq: number; resolve: () => void }> = [];
	private stopped = false;
	private readonly log: (msg: string) => void;

	constructor(private deps: Deps) {
		this.log = deps.log ?? (() => {});
	}

	/** Subscribe to the projector's applied events (every instance; only the writer queues them). */
	onApplied(batch: PlacedEvent[]): void {
		if (!batch.length || this.stopped) return;
		this.seenSeq = Math.max(this.seenSeq, batch[batch.length - 1].seq);
		if (!this.deps.isLeader()) return;
		for (const e of batch) if (e.type.startsWith('hotline.') && ticketIdOf(e)) this.queue.push(e);
		this.schedule(this.deps.flushMs ?? 150);
	}

	/**
	 * Bring the table up to the log (writer: at start-up and on becoming the writer): the hotline
	 * events after the table's max(last_seq). Call it as the instance becomes the writer, before
	 * it queues anything: batches fold only their own events onto a row, so the rows must first
	 * hold everything up to the log's end as it was then.
	 */
	catchUp(): Promise<void> {
		const job = this.chain.then(async () => {
			const t0 = Date.now();
			const r = await this.deps.db.select({ max: sql<string | null>`max(${hotlineTickets.lastSeq})` }).from(hotlineTickets);
			let after = Number(r[0]?.max ?? 0);
			const from = after;
			let n = 0;
			for (;;) {
				const rows = await this.deps.db
					.select()
					.from(events)
					.where(and(sql`${events.seq} > ${after}`, HOTLINE_TYPES))
					.orderBy(asc(events.seq))
					.limit(PAGE);
				if (!rows.length) break;
				await this.write(rows.map(rowToEvent).filter((e) => ticketIdOf(e)));
				after = Number(rows[rows.length - 1].seq);
				n += rows.length;
				if (rows.length < PAGE) break;
			}
			this.log(`hotline tickets caught up from seq ${from}: ${n} events in ${Date.now() - t0} ms`);
		});
		this.chain = job.catch((err) => this.log(`hotline tickets catch-up failed: ${(err as Error).message}`));
		return job;
	}

	/**
	 * Wait until the table shows the ticket's events up to `seq` (read-your-writes after a
	 * console action). The writer flushes at once; another instance polls the row. Gives up
	 * quietly after `timeoutMs` (the page then shows the row a moment later).
	 */
	async waitFor(ticketId: string, seq: number, timeoutMs = 3000): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		if (this.deps.isLeader()) {
			if (this.flushedSeq >= seq) return true;
			this.schedule(0);
			return new Promise<boolean>((resolve) => {
				const w = { seq, resolve: () => resolve(true) };
				this.waiters.push(w);
				setTimeout(() => {
					this.waiters = this.waiters.filter((x) => x !== w);
					resolve(this.flushedSeq >= seq);
				}, timeoutMs);
			});
		}
		while (Date.now() < deadline) {
			const [row] = await this.deps.db.select({ lastSeq: hotlineTickets.lastSeq }).from(hotlineTickets).where(eq(hotlineTickets.ticketId, ticketId));
			if (row && Number(row.lastSeq) >= seq) return true;
			await new Promise((r) => setTimeout(r, 100));
		}
		return false;
	}

	/** Write what is queued now and stop taking more (shutdown). */
	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.chain = this.chain.then(() => this.flush());
		await this.chain;
		if (this.retry) clearTimeout(this.retry);
	}

	private schedule(delay: number): void {
		if (this.timer && delay > 0) return;
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.timer = null;
			this.chain = this.chain.then(() => this.flush());
		}, delay);
	}

	private async flush(): Promise<void> {
		const upTo = this.seenSeq;
		const batch = this.queue;
		this.queue = [];
		try {
			if (batch.length) await this.write(batch);
			this.flushedSeq = Math.max(this.flushedSeq, upTo);
			const done = this.waiters.filter((w) => w.seq <= this.flushedSeq);
			this.waiters = this.waiters.filter((w) => w.seq > this.flushedSeq);
			for (const w of done) w.resolve();
		} catch (err) {
			// Not written: keep the events for the next try (in seq order, ahead of newer ones).
			this.queue = batch.concat(this.queue);
			this.log(`hotline tickets: write failed (will retry): ${(err as Error).message}`);
			if (!this.retry && !this.stopped)
				this.retry = setTimeout(() => {
					this.retry = null;
					this.schedule(0);
				}, 1000);
		}
	}

	/** Fold a batch (seq order) into the rows of its tickets, in one transaction. */
	private async write(batch: PlacedEvent[]): Promise<void> {
		const byTicket = new Map<string, PlacedEvent[]>();
		for (const e of batch) {
			const id = ticketIdOf(e)!;
			const list = byTicket.get(id);
			if (list) list.push(e);
			else byTicket.set(id, [e]);
		}
		const out: TicketSummary[] = [];
		const ids = [...byTicket.keys()];
		for (let i = 0; i < ids.length; i += CHUNK) {
			const chunk = ids.slice(i, i + CHUNK);
			const existing = new Map((await this.deps.db.select().from(hotlineTickets).where(inArray(hotlineTickets.ticketId, chunk))).map((r) => [r.ticketId, r]));
			const missing = chunk.filter((id) => !existing.has(id));
			const timelines = await this.timelines(missing);
			for (const id of chunk) {
				const row = existing.get(id);
				if (row) {
					const s = rowToSummary(row);
					for (const e of byTicket.get(id)!) applyTicketEvent(s, e);
					if (s.lastSeq > Number(row.lastSeq)) out.push(s);
				} else {
					const s = summarize(id, timelines.get(id) ?? byTicket.get(id)!);
					if (s.createdAt != null) out.push(s);
				}
			}
		}
		if (!out.length) return;
		const excluded = (c: { name: string }) => sql.raw(`excluded.${c.name}`);
		const t = hotlineTickets;
		const set = Object.fromEntries(
			(['channel', 'category', 'summary', 'callerPhone', 'regionCode', 'departmentCode', 'status', 'createdAt', 'assignedAt', 'dueAt', 'repliedAt', 'closedAt', 'reopenedCount', 'supervisedLevel', 'overdue', 'callbackReached', 'satisfaction', 'detail', 'lastSeq', 'updatedAt'] as const).map((k) => [k, excluded(t[k])])
		);
		await this.deps.db.transaction(async (tx) => {
			for (let i = 0; i < out.length; i += CHUNK)
				await tx
					.insert(t)
					.values(out.slice(i, i + CHUNK).map(summaryToRow))
					.onConflictDoUpdate({ target: t.ticketId, set, setWhere: sql`${t.lastSeq} < excluded.last_seq` });
		});
	}

	/** Every hotline event of these tickets, in seq order (index events_hotline_ticket). */
	private async timelines(ids: string[]): Promise<Map<string, PlacedEvent[]>> {
		const out = new Map<string, PlacedEvent[]>();
		if (!ids.length) return out;
		const rows = await this.deps.db
			.select()
			.from(events)
			.where(and(HOTLINE_TYPES, inArray(TICKET_ID, ids)))
			.orderBy(asc(events.seq));
		for (const r of rows) {
			const e = rowToEvent(r);
			const id = ticketIdOf(e)!;
			const list = out.get(id);
			if (list) list.push(e);
			else out.set(id, [e]);
		}
		return out;
	}

	// ── reads ─────────────────────────────────────────────────────────────────────

	async get(ticketId: string): Promise<TicketSummary | null> {
		const [row] = await this.deps.db.select().from(hotlineTickets).where(eq(hotlineTickets.ticketId, ticketId));
		return row ? rowToSummary(row) : null;
	}

	/** The ticket as its events in the log say now (not the table, which may lag a batch). */
	async fromLog(ticketId: string): Promise<{ summary: TicketSummary; timeline: TimelineEntry[] }> {
		const list = (await this.timelines([ticketId])).get(ticketId) ?? [];
		return {
			summary: summarize(ticketId, list),
			timeline: list.map((e) => ({ seq: e.seq, id: e.id, type: e.type, occurredAt: e.occurredAt, at: e.at, sender: e.sender, data: e.data as Record<string, unknown> }))
		};
	}

	/** Whether a ticket is within the reach (its center, else its region: the rule of `Reach`). */
	inScope(s: Pick<TicketSummary, 'regionCode' | 'detail'>, reach: Reach): boolean {
		return reach.place({ centerCode: s.detail.centerCode ?? null, regionCode: s.regionCode });
	}

	/** The same rule for the table's rows: a center's own tickets, and those of no center in the regions reached. */
	private scopeCondition(reach: Reach): SQL | undefined {
		const lists = reach.homeLists();
		if (!lists) return undefined;
		const t = hotlineTickets;
		const center = sql`(${t.detail}->>'centerCode')`;
		const own = lists.centers.length ? inArray(center, lists.centers) : sql`false`;
		const regional = lists.regions.length ? and(sql`${center} is null`, inArray(t.regionCode, lists.regions)) : sql`false`;
		return or(own, regional);
	}

	/**
	 * A department's queue (承办单位): its open tickets (latest assignment theirs, not merged) in
	 * the reach, soonest due first, and how many of them are past due now.
	 */
	async departmentQueue(departmentCode: string, opts: { reach: Reach; now: number; limit?: number }): Promise<{ rows: TicketSummary[]; overdue: number }> {
		const t = hotlineTickets;
		const where = and(this.scopeCondition(opts.reach), eq(t.departmentCode, departmentCode), ne(t.status, 'closed'), sql`(${t.detail}->>'mergedInto') is null`);
		const rows = await this.deps.db
			.select()
			.from(t)
			.where(where)
			.orderBy(sql`${t.dueAt} asc nulls last`, asc(t.ticketId))
			.limit(opts.limit ?? 200);
		const [od] = await this.deps.db
			.select({ n: sql<string>`count(*)` })
			.from(t)
			.where(and(where, lt(t.dueAt, new Date(opts.now))));
		return { rows: rows.map(rowToSummary), overdue: Number(od?.n ?? 0) };
	}

	/** One page of the list, newest first, after `cursor` (keyset: created_at, ticket_id). */
	async list(filter: TicketFilter, opts: { reach: Reach; tz: string; now: number; cursor?: Cursor | null; limit?: number; searchPhones?: boolean }): Promise<TicketPage> {
		const t = hotlineTickets;
		const limit = opts.limit ?? 50;
		const where: Array<SQL | undefined> = [this.scopeCondition(opts.reach)];
		if (filter.status === 'open') where.push(ne(t.status, 'closed'));
		else if (filter.status) where.push(eq(t.status, filter.status));
		if (filter.departmentCode) where.push(eq(t.departmentCode, filter.departmentCode));
		if (filter.category) where.push(eq(t.category, filter.category));
		if (filter.overdue) where.push(ne(t.status, 'closed'), lt(t.dueAt, new Date(opts.now)));
		const { start, end } = dateBounds(filter, opts.tz);
		const on = filter.on === 'closed' ? t.closedAt : filter.on === 'assigned' ? t.assignedAt : t.createdAt;
		if (start != null) where.push(gte(on, new Date(start)));
		if (end != null) where.push(lt(on, new Date(end)));
		if (filter.onTime === true) where.push(eq(t.status, 'closed'), or(isNull(t.dueAt), lte(t.closedAt, t.dueAt)));
		if (filter.onTime === false) where.push(eq(t.status, 'closed'), sql`${t.closedAt} > ${t.dueAt}`);
		if (filter.callback === 'any') where.push(isNotNull(t.callbackReached));
		if (filter.callback === 'none') where.push(isNull(t.callbackReached));
		if (filter.callback === 'reached') where.push(eq(t.callbackReached, true));
		if (filter.callback === 'unreached') where.push(eq(t.callbackReached, false));
		if (filter.satisfaction === 'good') where.push(inArray(t.satisfaction, ['satisfied', 'basic']));
		else if (filter.satisfaction) where.push(eq(t.satisfaction, filter.satisfaction));
		if (filter.supervised) where.push(isNotNull(t.supervisedLevel));
		where.push(filter.merged ? sql`not ${NOT_MERGED}` : NOT_MERGED);
		if (filter.ackOnTime != null) where.push(sql`(${t.detail}->>'ackOnTime') = ${filter.ackOnTime ? 'true' : 'false'}`);
		if (filter.returned) where.push(sql`coalesce((${t.detail}->>'returns')::int, 0) > 0`);
		if (filter.extended) where.push(sql`coalesce((${t.detail}->>'extensions')::int, 0) > 0`);
		if (filter.solved != null) where.push(sql`(${t.detail}->>'solved') = ${filter.solved ? 'true' : 'false'}`);
		if (filter.pending === 'return') where.push(sql`${t.detail} ? 'returnPending'`);
		if (filter.pending === 'extension') where.push(sql`${t.detail} ? 'extensionPending'`);
		if (filter.q) {
			const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
			const digits = filter.q.replace(/\D/g, '');
			where.push(or(sql`${t.ticketId} ilike ${like}`, sql`${t.summary} ilike ${like}`, opts.searchPhones && digits.length >= 4 ? sql`${t.callerPhone} like ${`%${digits}%`}` : undefined));
		}
		if (opts.cursor) {
			const c = new Date(opts.cursor.createdAt);
			where.push(or(lt(t.createdAt, c), and(eq(t.createdAt, c), lt(t.ticketId, opts.cursor.ticketId))));
		}
		const rows = await this.deps.db
			.select()
			.from(t)
			.where(and(...where))
			.orderBy(desc(t.createdAt), desc(t.ticketId))
			.limit(limit + 1);
		const page = rows.slice(0, limit).map(rowToSummary);
		const last = page[page.length - 1];
		return { rows: page, next: rows.length > limit && last ? { createdAt: last.createdAt!, ticketId: last.ticketId } : null };
	}

	/**
	 * This month's figures, overall and per department (ranked), and the year to date (1–N月累计),
	 * for a scope. Merged tickets (重复件) count in 重复来电率 only.
	 */
	async figures(month: string, opts: { reach: Reach; tz: string; now: number; weights?: ThreeRateWeights }): Promise<MonthFigures> {
		const m = monthRange(month, opts.tz);
		const org = this.deps.org();
		const rows = await this.countRows(m.start, m.end, opts.reach, true);
		const total = rows.find((r) => r.grouped);
		const departments = rankDepartments(
			rows.filter((r) => !r.grouped && r.department).map((r) => ({ departmentCode: r.department!, name: org.departments.get(r.department!)?.name ?? r.department!, ...hotlineFigures(r.counts, opts.weights) }))
		);
		const y = yearToDate(month, opts.tz);
		const [yearRow] = await this.countRows(y.start, y.end, opts.reach, false);
		const t = hotlineTickets;
		const [od] = await this.deps.db
			.select({
				n: sql<string>`count(*) filter (where ${t.dueAt} < ${new Date(opts.now).toISOString()})`,
				returns: sql<string>`count(*) filter (where ${t.detail} ? 'returnPending')`,
				extensions: sql<string>`count(*) filter (where ${t.detail} ? 'extensionPending')`
			})
			.from(t)
			.where(and(this.scopeCondition(opts.reach), ne(t.status, 'closed'), NOT_MERGED));
		return {
			month,
			from: m.from,
			to: m.to,
			overall: hotlineFigures(total?.counts ?? emptyCounts(), opts.weights),
			departments,
			byComposite: rankByComposite(departments),
			year: { from: y.from, to: y.to, ...hotlineFigures(yearRow?.counts ?? emptyCounts(), opts.weights) },
			overdueOpen: Number(od?.n ?? 0),
			returnsPending: Number(od?.returns ?? 0),
			extensionsPending: Number(od?.extensions ?? 0)
		};
	}

	/** Ticket counts of [start, end): overall and (with `byDepartment`) per department now dispatched to. */
	private async countRows(start: number, end: number, reach: Reach, byDepartment: boolean): Promise<Array<{ department: string | null; grouped: boolean; counts: HotlineCounts }>> {
		const t = hotlineTickets;
		// ISO strings, not Dates: raw SQL parameters skip the column's mapping (postgres-js would send Date#toString).
		const s = new Date(start).toISOString();
		const e = new Date(end).toISOString();
		const within = (c: typeof t.createdAt | typeof t.closedAt) => sql`(${c} >= ${s} and ${c} < ${e})`;
		const live = sql`(${t.detail}->>'mergedInto') is null`;
		const created = sql`${within(t.createdAt)} and ${live}`;
		const closed = sql`${t.status} = 'closed' and ${within(t.closedAt)} and ${live}`;
		const assigned = sql`${within(t.assignedAt)} and ${live}`;
		const n = (cond: SQL) => sql<string>`count(*) filter (where ${cond})`;
		const q = this.deps.db
			.select({
				department: byDepartment ? t.departmentCode : sql<string | null>`null`,
				grouped: byDepartment ? sql<number>`grouping(${t.departmentCode})` : sql<number>`1`,
				received: n(created),
				closed: n(closed),
				closedOnTime: n(sql`${closed} and (${t.dueAt} is null or ${t.closedAt} <= ${t.dueAt})`),
				callbacks: n(sql`${closed} and ${t.callbackReached} is not null`),
				reached: n(sql`${closed} and ${t.callbackReached}`),
				satisfied: n(sql`${closed} and ${t.callbackReached} and ${t.satisfaction} in ('satisfied', 'basic')`),
				unsatisfied: n(sql`${closed} and ${t.callbackReached} and ${t.satisfaction} = 'unsatisfied'`),
				cohortClosed: n(sql`${created} and ${t.status} = 'closed'`),
				assigned: n(assigned),
				ackJudged: n(sql`${assigned} and ${t.detail} ? 'ackOnTime'`),
				ackOnTime: n(sql`${assigned} and (${t.detail}->>'ackOnTime') = 'true'`),
				returned: n(sql`${assigned} and coalesce((${t.detail}->>'returns')::int, 0) > 0`),
				extended: n(sql`${assigned} and coalesce((${t.detail}->>'extensions')::int, 0) > 0`),
				solvedAsked: n(sql`${closed} and ${t.callbackReached} and ${t.detail} ? 'solved'`),
				solved: n(sql`${closed} and ${t.callbackReached} and (${t.detail}->>'solved') = 'true'`),
				merged: n(sql`${within(t.createdAt)} and not ${live}`)
			})
			.from(t)
			.where(and(this.scopeCondition(reach), or(within(t.createdAt), within(t.closedAt), within(t.assignedAt))));
		const rows = byDepartment ? await q.groupBy(sql`grouping sets ((), (${t.departmentCode}))`) : await q;
		const num = (v: unknown) => Number(v ?? 0);
		return rows.map((r) => ({
			department: byDepartment ? r.department : null,
			grouped: Number(r.grouped) === 1,
			counts: {
				received: num(r.received),
				closed: num(r.closed),
				closedOnTime: num(r.closedOnTime),
				callbacks: num(r.callbacks),
				reached: num(r.reached),
				satisfied: num(r.satisfied),
				unsatisfied: num(r.unsatisfied),
				cohortClosed: num(r.cohortClosed),
				assigned: num(r.assigned),
				ackJudged: num(r.ackJudged),
				ackOnTime: num(r.ackOnTime),
				returned: num(r.returned),
				extended: num(r.extended),
				solvedAsked: num(r.solvedAsked),
				solved: num(r.solved),
				merged: num(r.merged)
			}
		}));
	}
}
