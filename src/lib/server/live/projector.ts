/**
 * Applies committed events to the live projection exactly once, in seq order; restores it at
 * start-up from the last checkpoint plus the log's tail (never the whole history); and, on the
 * writer instance, keeps the rollups and the checkpoints:
 *
 * - **rollups** (`flushRollups`, every few seconds): each bucket changed since the last flush is
 *   written as it stands in the state (a plain replace: idempotent and cheap), or, for a period
 *   the state no longer keeps (a late event), its delta is added; the row `rollups` of
 *   `checkpoints` records the seq up to which the rollups hold every event;
 * - **checkpoints** (`checkpoint`, every few minutes): the rollups are flushed first, then the
 *   state is serialized a slice at a time (events wait meanwhile, so it is the state at exactly
 *   its seq), written as parts of a new generation, each in a statement of its own (ingest goes
 *   on between them), and switched to in one small transaction.
 *
 * A restart loads the checkpoint and replays the log after it; events the rollups already hold
 * (up to the `rollups` row's seq) are replayed without counting them into the deltas again.
 */
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { compact, type Counters } from '../../domain/counters';
import type { OrgIndex } from '../../domain/org';
import {
	apply,
	bucketWhole,
	createState,
	horizonOf,
	deserializeState,
	parseBucketKey,
	prune,
	serializeStateParts,
	type LiveState,
	type PlacedEvent
} from '../../domain/projection';
import { dayKey } from '../../domain/time';
import type { Database } from '../db/client';
import { readAfter } from '../db/log';
import { checkpointParts, checkpoints } from '../db/schema';

const CHECKPOINT_NAME = 'live';
/** The `checkpoints` row whose seq says up to where the rollups hold every event. */
const ROLLUPS_NAME = 'rollups';
const PAGE = 5000;

export type AppliedListener = (events: PlacedEvent[]) => void;

export interface ProjectorOptions {
	org: () => OrgIndex;
	now?: () => number;
	log?: (msg: string) => void;
}

export class Projector {
	state: LiveState = createState(false);
	private pending = new Map<number, PlacedEvent>();
	private listeners = new Set<AppliedListener>();
	private catchingUp: Promise<void> | null = null;
	private catchUpAgain = false;
	private catchUpTimer: ReturnType<typeof setTimeout> | null = null;
	private eventsSinceCheckpoint = 0;
	private checkpointing: Promise<void> | null = null;
	private flushing: Promise<void> | null = null;
	/** While a checkpoint serializes the state (a slice at a time), events wait in `pending`. */
	private frozen = false;
	/** Set when the restore or a catch-up failed: the state may lag the log. */
	lastError: unknown = null;
	private readonly now: () => number;
	private readonly log: (msg: string) => void;
	private readonly ctx;

	constructor(
		private db: Database,
		private opts: ProjectorOptions
	) {
		this.now = opts.now ?? Date.now;
		this.log = opts.log ?? (() => {});
		this.ctx = { tzOf: (c: string | null) => this.opts.org().timezoneOf(c) };
	}

	get seq(): number {
		return this.state.seq;
	}

	onApplied(fn: AppliedListener): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	/**
	 * Load the last checkpoint and apply the log after it. `writer` tracks rollup deltas
	 * (only the instance that checkpoints does). Returns the number of tail events replayed.
	 */
	async restore(writer: boolean): Promise<number> {
		await this.checkpointing?.catch(() => {});
		await this.flushing?.catch(() => {});
		const rows = await this.db.select().from(checkpoints).where(inArray(checkpoints.name, [CHECKPOINT_NAME, ROLLUPS_NAME]));
		const cp = rows.find((r) => r.name === CHECKPOINT_NAME);
		// Rebuilt aside and swapped in once it has reached the live state (a follower becoming the
		// writer keeps applying and streaming events meanwhile); events only the rebuild applied
		// are then handed to the listeners, so none is streamed twice or skipped.
		const next = cp ? deserializeState(await this.stateOf(cp), writer) : createState(writer);
		// Events up to here are in the rollups already (before 0010 they were written with the checkpoint).
		const counted = Math.max(next.seq, Number(rows.find((r) => r.name === ROLLUPS_NAME)?.seq ?? 0));
		const dirty = next.dirty;
		const unseen: PlacedEvent[] = [];
		let replayed = 0;
		for (;;) {
			const page = await readAfter(this.db, next.seq, PAGE);
			for (const e of page) {
				next.dirty = e.seq <= counted ? null : dirty;
				apply(next, e, this.ctx);
				if (this.listeners.size && e.seq > this.state.seq) unseen.push(e);
			}
			next.dirty = dirty;
			replayed += page.length;
			this.eventsSinceCheckpoint += page.length;
			if (page.length < PAGE && next.seq >= this.state.seq) break;
		}
		const fresh = unseen.filter((e) => e.seq > this.state.seq);
		this.state = next;
		for (const s of this.pending.keys()) if (s <= next.seq) this.pending.delete(s);
		for (const fn of this.listeners) {
			try {
				if (fresh.length) fn(fresh);
			} catch (err) {
				this.log(`listener failed: ${(err as Error).message}`);
			}
		}
		this.log(`projection restored at seq ${this.state.seq} (checkpoint ${cp ? Number(cp.seq) : 'none'}, ${replayed} tail events replayed)`);
		this.drain();
		return replayed;
	}

	/** Hand over events this instance just committed. Applied in seq order; gaps are read from the log. */
	submit(events: PlacedEvent[]): void {
		for (const e of events) if (e.seq > this.state.seq) this.pending.set(e.seq, e);
		this.drain();
	}

	/** Another instance committed up to `seq` (LISTEN/NOTIFY): read what we have not seen. */
	notifyHead(seq: number): void {
		if (seq > this.state.seq) this.scheduleCatchUp(0);
	}

	private drain(): void {
		if (this.frozen) return;
		const applied: PlacedEvent[] = [];
		let next = this.pending.get(this.state.seq + 1);
		while (next) {
			this.pending.delete(next.seq);
			apply(this.state, next, this.ctx);
			applied.push(next);
			next = this.pending.get(this.state.seq + 1);
		}
		this.emit(applied);
		if (this.pending.size) this.scheduleCatchUp(25);
	}

	private emit(applied: PlacedEvent[]): void {
		if (!applied.length) return;
		this.eventsSinceCheckpoint += applied.length;
		for (const fn of this.listeners) {
			try {
				fn(applied);
			} catch (err) {
				this.log(`listener failed: ${(err as Error).message}`);
			}
		}
	}

	private scheduleCatchUp(delay: number): void {
		if (this.catchUpTimer) return;
		this.catchUpTimer = setTimeout(() => {
			this.catchUpTimer = null;
			void this.catchUp();
		}, delay);
	}

	/** Read and apply everything in the log after the state's seq. */
	catchUp(): Promise<void> {
		if (this.frozen) {
			this.scheduleCatchUp(25);
			return Promise.resolve();
		}
		if (this.catchingUp) {
			this.catchUpAgain = true;
			return this.catchingUp;
		}
		this.catchingUp = (async () => {
			try {
				do {
					this.catchUpAgain = false;
					for (;;) {
						const page = await readAfter(this.db, this.state.seq, PAGE);
						const applied: PlacedEvent[] = [];
						for (const e of page) {
							if (e.seq !== this.state.seq + 1) break;
							apply(this.state, e, this.ctx);
							applied.push(e);
						}
						for (const s of this.pending.keys()) if (s <= this.state.seq) this.pending.delete(s);
						this.emit(applied);
						if (page.length < PAGE) break;
					}
					this.lastError = null;
				} while (this.catchUpAgain);
				this.drain();
			} catch (err) {
				this.lastError = err;
				this.log(`catch-up failed, retrying: ${(err as Error).message}`);
				this.scheduleCatchUp(1000);
			} finally {
				this.catchingUp = null;
			}
		})();
		return this.catchingUp;
	}

	get checkpointDue(): boolean {
		return this.eventsSinceCheckpoint > 0;
	}

	eventsPendingCheckpoint(): number {
		return this.eventsSinceCheckpoint;
	}

	/** The JSON of a stored checkpoint: its parts of its generation, or (before 0010) its `state`. */
	private async stateOf(cp: typeof checkpoints.$inferSelect): Promise<string> {
		if (cp.gen == null || !cp.parts) return cp.state;
		const parts = await this.db
			.select({ part: checkpointParts.part, data: checkpointParts.data })
			.from(checkpointParts)
			.where(and(eq(checkpointParts.name, cp.name), eq(checkpointParts.gen, cp.gen)))
			.orderBy(asc(checkpointParts.part));
		if (parts.length !== cp.parts) throw new Error(`checkpoint: generation ${cp.gen} has ${parts.length} of its ${cp.parts} parts`);
		return parts.map((p) => p.data).join('');
	}

	/**
	 * Write the buckets changed since the last flush to the rollups (writer only): as they stand
	 * in the state (replaced: idempotent), or, for a period the state no longer keeps, the delta
	 * added; and record the seq they now hold every event up to.
	 */
	flushRollups(): Promise<void> {
		if (this.flushing) return this.flushing;
		const state = this.state;
		if (!state.dirty || !state.dirty.size) return Promise.resolve();
		const dirty = state.dirty;
		state.dirty = new Map();
		const seq = state.seq;
		const whole: Array<{ kind: string; code: string; period: string; counters: Partial<Counters> }> = [];
		const added: typeof whole = [];
		const h = horizonOf(dayKey(this.now(), this.opts.org().timezoneOf(null)));
		for (const [key, delta] of dirty) {
			const b = bucketWhole(key, h) ? state.buckets.get(key) : undefined;
			const row = { ...parseBucketKey(key), counters: compact(b ?? delta) };
			if (b) whole.push(row);
			else if (Object.keys(row.counters).length) added.push(row);
		}
		this.flushing = (async () => {
			try {
				await this.db.transaction(async (tx) => {
					const values = (rows: typeof whole) => sql.join(rows.map((r) => sql`(${r.kind}, ${r.code}, ${r.period}, ${JSON.stringify(r.counters)}::jsonb, ${seq})`), sql`, `);
					for (let i = 0; i < whole.length; i += 1000)
						await tx.execute(sql`
							insert into rollups (scope_kind, scope_code, period, counters, seq) values ${values(whole.slice(i, i + 1000))}
							on conflict (scope_kind, scope_code, period) do update set counters = excluded.counters, seq = excluded.seq`);
					for (let i = 0; i < added.length; i += 500)
						await tx.execute(sql`
							insert into rollups (scope_kind, scope_code, period, counters, seq) values ${values(added.slice(i, i + 500))}
							on conflict (scope_kind, scope_code, period) do update set
								counters = (
									select coalesce(jsonb_object_agg(k, coalesce((rollups.counters ->> k)::float8, 0) + coalesce((excluded.counters ->> k)::float8, 0)), '{}'::jsonb)
									from (select jsonb_object_keys(rollups.counters) as k union select jsonb_object_keys(excluded.counters)) as keys
								),
								seq = excluded.seq`);
					await tx
						.insert(checkpoints)
						.values({ name: ROLLUPS_NAME, seq, state: '' })
						.onConflictDoUpdate({ target: checkpoints.name, set: { seq, createdAt: new Date() } });
				});
			} catch (err) {
				// Not written: merge the deltas back so the next flush carries them.
				for (const [key, delta] of dirty) {
					const cur = state.dirty?.get(key);
					if (cur) for (const k in delta) (cur as Counters)[k as keyof Counters] = ((cur as Counters)[k as keyof Counters] ?? 0) + (delta as Counters)[k as keyof Counters];
					else state.dirty?.set(key, delta);
				}
				throw err;
			} finally {
				this.flushing = null;
			}
		})();
		return this.flushing;
	}

	/**
	 * Checkpoint the state (writer only): the rollups flushed up to its seq first, then the state
	 * serialized a slice at a time while events wait (so it is the state at exactly `seq`; they
	 * are applied as soon as the JSON is built), written as parts of a new generation, each in a
	 * statement of its own, and switched to in one small transaction. A crash midway leaves the
	 * previous generation in force; its leftovers are removed by the next checkpoint.
	 */
	checkpoint(): Promise<void> {
		if (this.checkpointing) return this.checkpointing;
		const state = this.state;
		if (!state.dirty) return Promise.resolve();
		this.checkpointing = (async () => {
			const counted = this.eventsSinceCheckpoint;
			let parts: string[];
			let seq: number;
			this.frozen = true;
			try {
				prune(state, dayKey(this.now(), this.opts.org().timezoneOf(null)));
				seq = state.seq;
				this.eventsSinceCheckpoint = 0;
				await this.flushRollups();
				parts = await serializeStateParts(state, () => new Promise((r) => setImmediate(r)));
			} catch (err) {
				this.eventsSinceCheckpoint += counted;
				throw err;
			} finally {
				this.frozen = false;
				this.drain();
			}
			try {
				const [cur] = await this.db.select({ gen: checkpoints.gen }).from(checkpoints).where(eq(checkpoints.name, CHECKPOINT_NAME));
				const gen = (cur?.gen ?? 0) + 1;
				await this.db.delete(checkpointParts).where(and(eq(checkpointParts.name, CHECKPOINT_NAME), eq(checkpointParts.gen, gen)));
				for (let i = 0; i < parts.length; i++) await this.db.insert(checkpointParts).values({ name: CHECKPOINT_NAME, gen, part: i, data: parts[i] });
				await this.db.transaction(async (tx) => {
					await tx
						.insert(checkpoints)
						.values({ name: CHECKPOINT_NAME, seq, state: '', gen, parts: parts.length })
						.onConflictDoUpdate({ target: checkpoints.name, set: { seq, state: '', gen, parts: parts.length, createdAt: new Date() } });
					await tx.delete(checkpointParts).where(and(eq(checkpointParts.name, CHECKPOINT_NAME), ne(checkpointParts.gen, gen)));
				});
			} catch (err) {
				this.eventsSinceCheckpoint += counted;
				throw err;
			} finally {
				this.checkpointing = null;
			}
		})();
		return this.checkpointing;
	}
}
