/**
 * What only the writer instance does, as loops with `start()` and `stop()`:
 *
 * - the **deadline judge** (every `DERIVE_EVERY_MS`): presence checks, cases and hotline tickets
 *   the clock has made due, and the cards the switched-on rules issue for what is judged, appended
 *   through the ingest path with deterministic ids (a second attempt is a duplicate);
 * - the **rollups** flushed every `ROLLUPS_EVERY_MS`, and **checkpoints** by time or by volume
 *   (followers only prune);
 * - the **presence-check scheduler** (planned rounds are claimed by id, so issued once);
 * - on PostgreSQL, **leadership**: a follower retries the advisory lock every 5 s and takes over,
 *   and every instance polls the log head as a safety net for a lost NOTIFY.
 *
 * With PGlite the one process is always the writer.
 */
import { sql } from 'drizzle-orm';
import type { OrgIndex } from '../domain/org';
import { dueDerivedEvents, prune } from '../domain/projection';
import { dueAlerts, type LoginAttack } from '../domain/alerts';
import { dueRuleCards } from '../domain/rules';
import { dayKey } from '../domain/time';
import type { Config } from './config';
import type { DbHandle } from './db/client';
import type { HotlineTickets } from './hotline/tickets';
import type { IngestService } from './ingest/service';
import type { Projector } from './live/projector';
import type { RulesConfig } from './rules/settings';
import type { PresenceRounds } from './supervision/rounds';

export interface WriterDeps {
	handle: DbHandle;
	config: Pick<Config, 'deriveEveryMs' | 'checkpointEveryMs' | 'checkpointEveryEvents' | 'rollupsEveryMs' | 'alerts' | 'alertsEveryMs'>;
	projector: Projector;
	ingest: IngestService;
	rounds: PresenceRounds;
	hotline: HotlineTickets;
	org: () => OrgIndex;
	rules: () => RulesConfig;
	/** Accounts under sign-in attack now (the login throttle), for the alert rules. */
	attacks: () => Promise<LoginAttack[]>;
	log: (msg: string) => void;
}

/** Derived ids remembered as settled (came back duplicate or rejected), at most. */
const SETTLED_LIMIT = 100_000;

export class WriterLoops {
	private timers: Array<ReturnType<typeof setInterval>> = [];
	private stopping = false;
	private deriving = false;
	private readonly pending = new Set<string>();
	/** Derived ids that came back duplicate or refused: not offered again every second. */
	private readonly settled = new Set<string>();
	private lastCheckpoint = Date.now();
	private lastRollups = Date.now();
	private lastFollowerPrune = Date.now();
	/** The deadline judge's clock: the real one, or the front of a history being fed (the demo's backfill). */
	private clock: () => number = Date.now;
	private lastAlerts = 0;

	constructor(
		private deps: WriterDeps,
		private leader: boolean
	) {}

	isLeader(): boolean {
		return this.leader;
	}

	/** The org or the rules changed: what was refused before may be accepted now; try once more. */
	forgetSettled(): void {
		this.settled.clear();
	}

	start(): void {
		const { config, handle } = this.deps;
		this.timers.push(setInterval(() => void this.derive(), config.deriveEveryMs));
		this.timers.push(setInterval(() => void this.checkpoint(), 500));
		this.timers.push(setInterval(() => void this.scheduleRounds(), 20_000));
		if (handle.kind === 'postgres') this.timers.push(setInterval(() => void this.leadership(), 5000));
	}

	/** Stop the loops and write a final checkpoint (the caller has drained ingest first). */
	async stop(): Promise<void> {
		this.stopping = true;
		for (const t of this.timers) clearInterval(t);
		this.timers = [];
		await this.checkpoint(true).catch(() => {});
	}

	/**
	 * Judge deadlines by this clock from now on. A history fed faster than it happened (the demo's
	 * backfill of last month) is judged at its own front, never at today's time: otherwise every
	 * ticket still open in it would be judged overdue.
	 */
	useClock(clock: () => number): void {
		this.clock = clock;
	}

	/** Judge deadlines as of `now` (the judge's clock by default); waits for a run in progress. */
	async judge(now = this.clock()): Promise<void> {
		while (this.deriving) await new Promise((r) => setTimeout(r, 5));
		await this.derive(now);
	}

	private async derive(at?: number): Promise<void> {
		if (!this.leader || this.deriving || this.stopping) return;
		const { projector, ingest, org, rules, log } = this.deps;
		this.deriving = true;
		try {
			const now = at ?? this.clock();
			const r = rules();
			const alerts = this.deps.config.alerts && now - this.lastAlerts >= this.deps.config.alertsEveryMs ? await this.alertsDue(now) : [];
			const due = [...dueDerivedEvents(projector.state, now), ...dueRuleCards(projector.state, now, { settings: r.settings, calendar: r.calendar, org: org() }), ...alerts].filter(
				(d) => !this.pending.has(d.id) && !this.settled.has(d.id)
			);
			if (!due.length) return;
			for (const d of due) this.pending.add(d.id);
			try {
				for (let i = 0; i < due.length; i += 1000) {
					const res = await ingest.appendDerived(due.slice(i, i + 1000));
					// Stored before (its effect since pruned) or refused (e.g. its staff member left the org
					// data): not offered again every second; an org or rules reload tries once more.
					for (const x of res.results) if (x.status !== 'accepted') this.settle(x.id);
				}
			} finally {
				for (const d of due) this.pending.delete(d.id);
			}
		} catch (err) {
			log(`deadline judge: ${(err as Error).message}`);
		} finally {
			this.deriving = false;
		}
	}

	/** The alert rules (every `alertsEveryMs`): raised, updated and resolved alerts. */
	private async alertsDue(now: number) {
		this.lastAlerts = now;
		const { projector, org, rules, attacks, log } = this.deps;
		const r = rules();
		const underAttack = await attacks().catch((err: Error) => {
			log(`alert rules: sign-in attacks not read (${err.message})`);
			return undefined;
		});
		return dueAlerts(projector.state, now, { settings: r.alerts, calendar: r.calendar, org: org(), attacks: underAttack });
	}

	private settle(id: string): void {
		if (this.settled.size >= SETTLED_LIMIT) this.settled.clear();
		this.settled.add(id);
	}

	/** Checkpoint + rollups (writer), by time or by volume; followers drop what no figure reads. */
	private async checkpoint(force = false): Promise<void> {
		const { projector, config, handle, org, log } = this.deps;
		if (!this.leader) {
			// Followers keep no dirty deltas but must not grow either.
			if (Date.now() - this.lastFollowerPrune > 60_000) {
				this.lastFollowerPrune = Date.now();
				prune(projector.state, dayKey(Date.now(), org().timezoneOf(null)));
			}
			return;
		}
		const dueByTime = Date.now() - this.lastCheckpoint >= config.checkpointEveryMs;
		const dueByVolume = projector.eventsPendingCheckpoint() >= config.checkpointEveryEvents;
		try {
			if (projector.checkpointDue && (force || dueByTime || dueByVolume)) {
				this.lastCheckpoint = this.lastRollups = Date.now();
				await projector.checkpoint();
				await handle.sweep();
			} else if (Date.now() - this.lastRollups >= config.rollupsEveryMs) {
				this.lastRollups = Date.now();
				await projector.flushRollups();
			}
		} catch (err) {
			log(`checkpoint failed (will retry): ${(err as Error).message}`);
		}
	}

	private async scheduleRounds(): Promise<void> {
		if (!this.leader || this.stopping) return;
		try {
			const ids = await this.deps.rounds.tick();
			if (ids.length) this.deps.log(`presence rounds started: ${ids.join(', ')}`);
		} catch (err) {
			this.deps.log(`presence scheduler: ${(err as Error).message}`);
		}
	}

	/** PostgreSQL: a follower tries to become the writer; everyone polls the head as a safety net. */
	private async leadership(): Promise<void> {
		const { handle, projector, hotline, log } = this.deps;
		try {
			if (!this.leader && (await handle.tryLeadership())) {
				this.leader = true;
				// Chained now, before any batch this writer queues: the rows first catch up with the log
				// (events the previous writer applied but had not written), then new batches fold on them.
				void hotline.catchUp().catch(() => {});
				log('this instance is now the writer (checkpoints, deadline judge)');
				// Swapped in consistently (see Projector.restore): clients keep their deltas, no resync.
				await projector.restore(true);
			}
			const r = await handle.db.execute(sql`select seq from log_head where id = 1`);
			const rows = Array.isArray(r) ? r : (r as { rows: Array<{ seq: string }> }).rows;
			projector.notifyHead(Number((rows[0] as { seq: string }).seq));
		} catch {
			/* database away: /healthz says so */
		}
	}
}
