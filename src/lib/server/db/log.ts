/**
 * The event log: the truth everything on screen is projected from.
 *
 * Gap-free sequence in commit order: an append takes the `log_head` row lock
 * (`select … for update`), numbers its new events head+1…head+n, inserts them in one
 * statement and moves the head, then commits. A second writer waits on the row lock until
 * the first commits, so numbers are committed in the order they are handed out and an
 * aborted append hands out nothing. A reader that has seen seq N and later reads seq > N
 * therefore never misses an event committed with a lower number.
 */
import { asc, gt, sql } from 'drizzle-orm';
import type { HallEvent } from '../../domain/catalog';
import type { EventPlace } from '../../domain/org';
import type { PlacedEvent } from '../../domain/projection';
import { driverQuery, rowsOf, type Database, type Tx } from './client';
import { events } from './schema';

export const LOG_CHANNEL = 'hallwatch_log';

const LOCK_HEAD = 'select seq from log_head where id = 1 for update';
/** The append: $1 the rows (JSON), $2 the sender, $3 the NOTIFY channel (APPEND_NOTIFY). */
const appendText = (notify: boolean) => `
	with input as (
		select * from jsonb_to_recordset($1::jsonb) as r(ord int, event_id text, type text, occurred_at timestamptz,
			occurred_at_raw text, source text, data jsonb, center_code text, region_code text, department_code text, window_code text, staff_code text)
	),
	fresh as (
		select i.*, (select seq from log_head where id = 1) + row_number() over (order by i.ord) as seq from input i
		where not exists (select 1 from events e where e.sender = $2 and e.event_id = i.event_id)
	),
	ins as (
		insert into events (seq, sender, event_id, type, occurred_at, occurred_at_raw, source, data, center_code, region_code, department_code, window_code, staff_code)
		select seq, $2, event_id, type, occurred_at, occurred_at_raw, source, data, center_code, region_code, department_code, window_code, staff_code from fresh
		returning seq, event_id
	),
	moved as (update log_head set seq = (select max(seq) from ins) where id = 1 and exists (select 1 from ins))
	${notify ? ', notified as (select pg_notify($3, (select max(seq) from ins)::text) where exists (select 1 from ins))' : ''}
	select ins.event_id as id, ins.seq from ins ${notify ? 'left join notified on true' : ''} order by ins.seq`;
const APPEND = appendText(false);
const APPEND_NOTIFY = appendText(true);

export interface AppendInput {
	event: HallEvent;
	place: EventPlace;
}

export interface AppendResult {
	committed: PlacedEvent[];
	/** Ids that were already in the log for this sender. */
	duplicates: Set<string>;
}

/**
 * Append events of one sender in one transaction. Ids the sender already stored are
 * returned as duplicates and not stored again. `within` runs inside the same transaction
 * (e.g. to quarantine the rejected events of the same request atomically).
 */
export async function appendEvents(
	db: Database,
	sender: string,
	items: AppendInput[],
	opts: { notify: boolean; within?: (tx: Tx) => Promise<void> }
): Promise<AppendResult> {
	return db.transaction(async (tx) => {
		const duplicates = new Set<string>();
		const committed: PlacedEvent[] = [];
		if (!items.length) {
			await opts.within?.(tx);
			return { committed, duplicates };
		}
		const rows = items.map(({ event, place }, ord) => ({
			ord,
			event_id: event.id,
			type: event.type,
			occurred_at: new Date(Date.parse(event.occurredAt)).toISOString(),
			occurred_at_raw: event.occurredAt,
			source: event.source ?? null,
			data: event.data,
			center_code: place.centerCode,
			region_code: place.regionCode,
			department_code: place.departmentCode,
			window_code: place.windowCode,
			staff_code: place.staffCode
		}));
		// Two statements, sent back to back (pipelined on PostgreSQL): the row lock on the head, then
		// one statement that skips the ids this sender stored before (one probe of the unique index
		// per id), numbers the rest head+1 … head+n in request order, inserts them and moves the head.
		// The second starts after the first holds the lock, so it sees every earlier commit.
		const query = driverQuery(tx);
		const lock = query(LOCK_HEAD, []);
		const insert = opts.notify ? query(APPEND_NOTIFY, [JSON.stringify(rows), sender, LOG_CHANNEL]) : query(APPEND, [JSON.stringify(rows), sender]);
		const [, result] = await Promise.all([lock, insert]);
		const seqById = new Map((result as Array<{ id: string; seq: number | string }>).map((r) => [r.id, Number(r.seq)]));
		for (const { event, place } of items) {
			const seq = seqById.get(event.id);
			if (seq === undefined) duplicates.add(event.id);
			else committed.push({ ...event, seq, sender, at: Date.parse(event.occurredAt), place } as PlacedEvent);
		}
		committed.sort((x, y) => x.seq - y.seq);
		await opts.within?.(tx);
		return { committed, duplicates };
	});
}

type EventRow = typeof events.$inferSelect;

export function rowToEvent(r: EventRow): PlacedEvent {
	return {
		id: r.eventId,
		type: r.type,
		occurredAt: r.occurredAtRaw,
		...(r.source ? { source: r.source } : {}),
		data: r.data,
		seq: Number(r.seq),
		sender: r.sender,
		at: r.occurredAt.getTime(),
		place: {
			centerCode: r.centerCode,
			regionCode: r.regionCode,
			departmentCode: r.departmentCode,
			windowCode: r.windowCode,
			staffCode: r.staffCode
		}
	} as PlacedEvent;
}

/** Events with seq > after, in order, at most `limit`. Reads by primary key range. */
export async function readAfter(db: Database, after: number, limit = 5000): Promise<PlacedEvent[]> {
	const rows = await db.select().from(events).where(gt(events.seq, after)).orderBy(asc(events.seq)).limit(limit);
	return rows.map(rowToEvent);
}

export async function headSeq(db: Database): Promise<number> {
	const r = await db.execute(sql`select seq from log_head where id = 1`);
	return Number(rowsOf<{ seq: number | string }>(r)[0]?.seq ?? 0);
}
