/**
 * Applies committed events to the live projection exactly once, in seq order; restores it at
 * start-up from the last checkpoint plus the log's tail (never the whole history); and, on the
 * writer instance, checkpoints the state together with the rollup deltas in one transaction.
 */
import { sql } from 'drizzle-orm';
import { compact, type Counters } from '../../domain/counters';
import type { OrgIndex } from '../../domain/org';
import {
	apply,
	createState,
	deserializeState,
	parseBucketKey,
	prune,
	serializeStateSliced,
	type LiveState,
	type PlacedEvent
} from '../../domain/projection';
import { dayKey } from '../../domain/time';
import type { Database } from '../db/client';
import { readAfter } from '../db/log';
import { checkpoints } from '../db/schema';

const CHECKPOINT_NAME = 'live';
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
		const [cp] = await this.db.select().from(checkpoints).where(sql`${checkpoints.name} = ${CHECKPOINT_NAME}`);
		// Rebuilt aside and swapped in once it has reached the live state (a follower becoming the
		// writer keeps applying and streaming events meanwhile); events only the rebuild applied
		// are then handed to the listeners, so none is streamed twice or skipped.
		const next = cp ? deserializeState(cp.state, writer) : createState(writer);
		const unseen: PlacedEvent[] = [];
		let replayed = 0;
		for (;;) {
			const page = await readAfter(this.db, next.seq, PAGE);
			for (const e of page) {
				apply(next, e, this.ctx);
				if (this.listeners.size && e.seq > this.state.seq) unseen.push(e);
			}
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

	/**
	 * Write the rollup deltas and the state at its seq in one transaction (writer only). The
	 * state is serialized a slice at a time, yielding to the event loop between slices (a large
	 * network's state never stalls the walls), with events held back meanwhile so that it is the
	 * state at exactly `seq`; they are applied as soon as the JSON is built.
	 */
	checkpoint(): Promise<void> {
		if (this.checkpointing) return this.checkpointing;
		const state = this.state;
		if (!state.dirty) return Promise.resolve();
		this.checkpointing = (async () => {
			this.frozen = true;
			prune(state, dayKey(this.now(), this.opts.org().timezoneOf(null)));
			const dirty = state.dirty!;
			state.dirty = new Map();
			const seq = state.seq;
			const counted = this.eventsSinceCheckpoint;
			this.eventsSinceCheckpoint = 0;
			try {
				let json: string;
				try {
					json = await serializeStateSliced(state, () => new Promise((r) => setImmediate(r)));
				} finally {
					this.frozen = false;
					this.drain();
				}
				await this.db.transaction(async (tx) => {
					const rows = [...dirty].map(([key, delta]) => ({ ...parseBucketKey(key), counters: compact(delta) })).filter((r) => Object.keys(r.counters).length);
					for (let i = 0; i < rows.length; i += 500) {
						const chunk = rows.slice(i, i + 500);
						const values = sql.join(
							chunk.map((r) => sql`(${r.kind}, ${r.code}, ${r.period}, ${JSON.stringify(r.counters)}::jsonb, ${seq})`),
							sql`, `
						);
						await tx.execute(sql`
							insert into rollups (scope_kind, scope_code, period, counters, seq) values ${values}
							on conflict (scope_kind, scope_code, period) do update set
								counters = (
									select coalesce(jsonb_object_agg(k, coalesce((rollups.counters ->> k)::float8, 0) + coalesce((excluded.counters ->> k)::float8, 0)), '{}'::jsonb)
									from (select jsonb_object_keys(rollups.counters) as k union select jsonb_object_keys(excluded.counters)) as keys
								),
								seq = excluded.seq`);
					}
					await tx
						.insert(checkpoints)
						.values({ name: CHECKPOINT_NAME, seq, state: json })
						.onConflictDoUpdate({ target: checkpoints.name, set: { seq, state: json, createdAt: new Date() } });
				});
			} catch (err) {
				// Not written: merge the deltas back so the next checkpoint carries them.
				for (const [key, delta] of dirty) {
					const cur = state.dirty?.get(key);
					if (cur) for (const k in delta) (cur as Counters)[k as keyof Counters] = ((cur as Counters)[k as keyof Counters] ?? 0) + (delta as Counters)[k as keyof Counters];
					else state.dirty?.set(key, delta);
				}
				this.eventsSinceCheckpoint += counted;
				throw err;
			} finally {
				this.checkpointing = null;
			}
		})();
		return this.checkpointing;
	}
}
