/**
 * Ingest: validate each event on its own (catalog schema, key scope, org codes, in-batch
 * duplicates), commit the valid ones to the log and quarantine the rejected ones in the same
 * transaction, then hand the committed events to the projection. `accepted` only after commit.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { parseEvent, type HallEvent } from '../../domain/catalog';
import { storableCopy, storableProblem, storableText } from '../../domain/storable';
import type { OrgIndex } from '../../domain/org';
import type { DerivedEvent, PlacedEvent } from '../../domain/projection';
import type { Scope } from '../../domain/snapshot';
import { typeAllowed } from '../auth/credentials';
import { Reach } from '../auth/reach';
import type { Database } from '../db/client';
import { appendEvents, type AppendInput } from '../db/log';
import { ingestKeys, quarantine } from '../db/schema';

export interface EventResult {
	id: string;
	status: 'accepted' | 'duplicate' | 'rejected';
	seq?: number;
	error?: string;
}

export interface IngestResponse {
	accepted: number;
	duplicates: number;
	rejected: number;
	results: EventResult[];
}

export interface IngestDeps {
	db: Database;
	org: () => OrgIndex;
	/** Called with the events just committed (the projector applies them). */
	onCommitted: (events: PlacedEvent[]) => void;
	/** Notify other instances (PostgreSQL) of the new log head. */
	notify: boolean;
	/** Make the commit durable before it is acknowledged (PGlite: fsync the WAL). */
	durable?: () => Promise<void>;
	now?: () => number;
}

export const SYSTEM_SENDER = 'system';

/** The server is shutting down: nothing was stored, the sender retries (safe: ids). */
export class ShuttingDownError extends Error {
	constructor() {
		super('server shutting down: nothing was stored; retry (ids make retries safe)');
	}
}

export interface IngestOptions {
	/** Derived events of the system (the deadline judge). */
	allowSystem?: boolean;
	/** Keep rejected events in the quarantine (default true). */
	quarantine?: boolean;
	/** The sending key's center or region; events placed elsewhere are rejected. */
	scope?: Scope;
}

export class IngestService {
	private readonly now: () => number;
	private inflight = 0;
	private draining = false;
	private idle: Array<() => void> = [];

	constructor(private deps: IngestDeps) {
		this.now = deps.now ?? Date.now;
	}

	/** Refuse new requests (shutdown) and resolve once those in flight have committed, or after `timeoutMs`. */
	async drain(timeoutMs = 5000): Promise<void> {
		this.draining = true;
		if (!this.inflight) return;
		await Promise.race([new Promise<void>((r) => this.idle.push(r)), new Promise((r) => setTimeout(r, timeoutMs))]);
	}

	/**
	 * Ingest a request's events for `sender`. `allowedTypes` are the key's type patterns
	 * (null: any non-system type, for trusted in-process senders like the console); `scope` the
	 * key's center or region: an event placed elsewhere is rejected (a hall's machines send for
	 * their hall only).
	 */
	async ingest(
		sender: string,
		raws: unknown[],
		allowedTypes: string[] | null,
		opts: IngestOptions = {}
	): Promise<IngestResponse> {
		if (this.draining) throw new ShuttingDownError();
		this.inflight++;
		try {
			return await this.ingestNow(sender, raws, allowedTypes, opts);
		} finally {
			if (--this.inflight === 0) for (const r of this.idle.splice(0)) r();
		}
	}

	private async ingestNow(sender: string, raws: unknown[], allowedTypes: string[] | null, opts: IngestOptions): Promise<IngestResponse> {
		const now = this.now();
		const org = this.deps.org();
		const reach = opts.scope && opts.scope.kind !== 'all' ? Reach.of(opts.scope, org) : null;
		const results: EventResult[] = new Array(raws.length);
		const toStore: AppendInput[] = [];
		const storeIndex: number[] = [];
		const rejected: Array<{ index: number; raw: unknown; id?: string; type?: string; error: string }> = [];
		const seenInRequest = new Map<string, number>();

		raws.forEach((raw, index) => {
			const unstorable = storableProblem(raw);
			if (unstorable) {
				const r = raw as Record<string, unknown> | null;
				const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
				rejected.push({ index, raw, id: str(r?.id), type: str(r?.type), error: unstorable });
				return;
			}
			const parsed = parseEvent(raw, { now, allowSystem: opts.allowSystem });
			if (!parsed.ok) {
				rejected.push({ index, raw, id: parsed.id, type: parsed.type, error: parsed.error });
				return;
			}
			const event = parsed.event;
			if (allowedTypes && !typeAllowed(allowedTypes, event.type)) {
				rejected.push({
					index,
					raw,
					id: event.id,
					type: event.type,
					error: `type: this ingest key may not send "${event.type}" (it may send ${allowedTypes.join(', ')})`
				});
				return;
			}
			const refError = org.checkRefs(event);
			if (refError) {
				rejected.push({ index, raw, id: event.id, type: event.type, error: refError });
				return;
			}
			const first = seenInRequest.get(event.id);
			if (first !== undefined) {
				results[index] = { id: event.id, status: 'duplicate', error: `id: repeats the id of event ${first} in this batch; counted once` };
				return;
			}
			const place = org.place(event);
			if (reach && !reach.place(place)) {
				const where = place.centerCode ? `center "${place.centerCode}"` : place.regionCode ? `region "${place.regionCode}"` : 'no center or region';
				rejected.push({ index, raw, id: event.id, type: event.type, error: `data: this ingest key sends for ${reach.scope.kind} "${'code' in reach.scope ? reach.scope.code : ''}" only; this event belongs to ${where}` });
				return;
			}
			seenInRequest.set(event.id, index);
			toStore.push({ event, place });
			storeIndex.push(index);
		});

		const { committed, duplicates } = await appendEvents(this.deps.db, sender, toStore, {
			notify: this.deps.notify,
			within: rejected.length && opts.quarantine !== false
				? async (tx) => {
						await tx.insert(quarantine).values(
							// Stored as sent, except what the database cannot hold (NUL, lone surrogates, deep nesting).
							rejected.map((r) => ({
								sender,
								eventId: r.id === undefined ? null : storableText(r.id),
								type: r.type === undefined ? null : storableText(r.type),
								body: (r.raw === null || r.raw === undefined ? sql`'null'::jsonb` : storableCopy(r.raw)) as never,
								error: storableText(r.error)
							}))
						);
					}
				: undefined
		});

		if (committed.length || rejected.length) await this.deps.durable?.();
		const seqById = new Map(committed.map((e) => [e.id, e.seq]));
		toStore.forEach(({ event }, i) => {
			const index = storeIndex[i];
			results[index] = duplicates.has(event.id)
				? { id: event.id, status: 'duplicate' }
				: { id: event.id, status: 'accepted', seq: seqById.get(event.id) };
		});
		for (const r of rejected) results[r.index] = { id: r.id ?? '', status: 'rejected', error: r.error };
		if (committed.length) this.deps.onCommitted(committed);

		let accepted = 0;
		let dup = 0;
		for (const r of results) r.status === 'accepted' ? accepted++ : r.status === 'duplicate' && dup++;
		return { accepted, duplicates: dup, rejected: rejected.length, results };
	}

	/** Store events the system derived (deadlines judged); ids are deterministic, so re-deriving is harmless. */
	async appendDerived(derived: DerivedEvent[]): Promise<IngestResponse> {
		return this.ingest(SYSTEM_SENDER, derived, null, { allowSystem: true });
	}

	/** Store events made in-process (the demo simulator, console actions) through the same path. */
	async appendLocal(sender: string, events: HallEvent[]): Promise<IngestResponse> {
		return this.ingest(sender, events, null);
	}

	/**
	 * Replay quarantined events (all open ones, or the given ids) through validation again,
	 * as their original sender. Those accepted (or now duplicates) leave the quarantine.
	 */
	async replayQuarantine(ids: number[] | 'all'): Promise<{ replayed: number; accepted: number; duplicates: number; stillRejected: Array<{ id: number; error: string }> }> {
		const rows = await this.deps.db
			.select()
			.from(quarantine)
			.where(ids === 'all' ? eq(quarantine.status, 'open') : and(eq(quarantine.status, 'open'), inArray(quarantine.id, ids)))
			.orderBy(quarantine.id)
			.limit(10_000);
		let accepted = 0;
		let duplicates = 0;
		const stillRejected: Array<{ id: number; error: string }> = [];
		const bySender = new Map<string, typeof rows>();
		for (const r of rows) bySender.set(r.sender, [...(bySender.get(r.sender) ?? []), r]);
		for (const [sender, list] of bySender) {
			// Still as that sender: an event its key may not send stays rejected (senders without a key,
			// like the console or the simulator, keep their in-process rights).
			const [key] = await this.deps.db
				.select({ types: ingestKeys.types, scopeKind: ingestKeys.scopeKind, scopeCode: ingestKeys.scopeCode })
				.from(ingestKeys)
				.where(eq(ingestKeys.name, sender))
				.orderBy(desc(ingestKeys.id))
				.limit(1);
			for (let i = 0; i < list.length; i += 1000) {
				const chunk = list.slice(i, i + 1000);
				// Replayed without the quarantine write: a still-bad event stays in its row.
				const scope = key?.scopeCode && key.scopeKind !== 'all' ? { kind: key.scopeKind as 'center' | 'region', code: key.scopeCode } : undefined;
				const res = await this.ingest(sender, chunk.map((r) => r.body), key?.types ?? null, { quarantine: false, scope });
				await this.deps.db.transaction(async (tx) => {
					for (let j = 0; j < chunk.length; j++) {
						const r = res.results[j];
						if (r.status === 'rejected') {
							stillRejected.push({ id: chunk[j].id, error: r.error! });
							if (r.error !== chunk[j].error) await tx.update(quarantine).set({ error: r.error! }).where(eq(quarantine.id, chunk[j].id));
						} else {
							r.status === 'accepted' ? accepted++ : duplicates++;
							await tx
								.update(quarantine)
								.set({ status: 'replayed', resolvedAt: new Date(), resolution: r.status === 'accepted' ? `accepted as seq ${r.seq}` : 'duplicate' })
								.where(eq(quarantine.id, chunk[j].id));
						}
					}
				});
			}
		}
		return { replayed: rows.length, accepted, duplicates, stillRejected };
	}
}
