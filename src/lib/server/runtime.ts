/**
 * The running Hallwatch: database, org, credentials, ingest, live projection, stream hub,
 * deadline judge, checkpoints, demo simulator and control socket, started once per process
 * and shared by SvelteKit routes (via hooks.server.ts) and the WebSocket upgrade handler
 * (server.js in production, the Vite plugin in dev) through a global slot.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type net from 'node:net';
import { sql } from 'drizzle-orm';
import { dayKey } from '../domain/time';
import type { OrgIndex } from '../domain/org';
import { dueDerivedEvents, prune } from '../domain/projection';
import { dueRuleCards } from '../domain/rules';
import { Credentials, CREDENTIALS_CHANNEL } from './auth/credentials';
import { CardDesk } from './supervision/cards';
import { PresenceRounds } from './supervision/rounds';
import { TerminalHub, TerminalService } from './supervision/terminal';
import { InstancePresence } from './live/instance-presence';
import { WallRegistry, WALLS_CHANNEL } from './live/wall-registry';
import { Accounts } from './auth/accounts';
import { SessionStore } from './auth/session';
import { describeDatabase, type Config } from './config';
import { runCommand, type CommandContext } from './control/commands';
import { serveControl } from './control/socket';
import { openDatabase, type DbHandle } from './db/client';
import { LOG_CHANNEL, readAfter } from './db/log';
import { IngestService } from './ingest/service';
import { Hub } from './live/hub';
import { SessionSockets } from './live/session-sockets';
import { handleUpgrade } from './live/upgrade';
import { Projector } from './live/projector';
import { loadOrg, ORG_CHANNEL } from './org/store';
import { ensureRuleSettings, loadRulesConfig, RULES_CHANNEL, type RulesConfig } from './rules/settings';
import { DemoRunner } from './sim/runner';
import { HotlineDesk } from './hotline/desk';
import { HotlineTickets } from './hotline/tickets';

export interface Runtime {
	config: Config;
	handle: DbHandle;
	org(): OrgIndex;
	reloadOrg(): Promise<void>;
	/** Card rules, the working-day calendar and the scoring rules in force (settings `rules`, `calendar`, `scoring`). */
	rules(): RulesConfig;
	/** Reload them after an admin saved (and tell the other instances). */
	reloadRules(): Promise<void>;
	credentials: Credentials;
	sessions: SessionStore;
	accounts: Accounts;
	ingest: IngestService;
	projector: Projector;
	hub: Hub;
	/** The wall displays of every instance (list, reload). */
	walls: WallRegistry;
	terminals: TerminalService;
	terminalHub: TerminalHub;
	rounds: PresenceRounds;
	cardDesk: CardDesk;
	/** The `hotline_tickets` projection and the console's reads of it. */
	hotline: HotlineTickets;
	/** The hotline console's actions (events through the ingest path). */
	hotlineDesk: HotlineDesk;
	isLeader(): boolean;
	demo: DemoRunner | null;
	startedAt: number;
	/** Sockets opened with a session: closed when it ends (sign-out closes them at once). */
	sessionSockets: SessionSockets;
	/** Upgrade `/api/v1/stream` and `/api/v1/terminal`; returns false for other paths (left to others, e.g. Vite HMR). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	health(): Promise<{ ok: boolean; detail: Record<string, unknown> }>;
	commandContext(actor: string): CommandContext;
	stop(): Promise<void>;
}

/** Recent log events put in the stream's resume ring at start-up. */
const RING_PRELOAD = 5000;

const SLOT = Symbol.for('hallwatch.runtime');
type Slot = { promise?: Promise<Runtime>; runtime?: Runtime };
const slot = (): Slot => ((globalThis as Record<symbol, Slot>)[SLOT] ??= {});

/** The started runtime (throws before start). */
export function getRuntime(): Runtime {
	const rt = slot().runtime;
	if (!rt) throw new Error('Hallwatch runtime not started');
	return rt;
}

export function runtimeReady(): Promise<Runtime> | undefined {
	return slot().promise;
}

/** Start once per process; later calls get the same runtime. */
export function startRuntime(config: Config, log: (msg: string) => void = (m) => console.log(`[hallwatch] ${m}`)): Promise<Runtime> {
	const s = slot();
	s.promise ??= boot(config, log).then(
		(rt) => (s.runtime = rt),
		(err) => {
			s.promise = undefined;
			throw err;
		}
	);
	return s.promise;
}

async function boot(config: Config, log: (msg: string) => void): Promise<Runtime> {
	const handle = await openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.dataDir,
		migrationsFolder: path.join(config.rootDir, 'drizzle')
	});
	log(`database: ${describeDatabase(config)}, migrations applied`);
	const db = handle.db;
	let org = await loadOrg(db);
	await ensureRuleSettings(db, Date.now());
	let rules = await loadRulesConfig(db);
	if (rules.errors.length) log(`card rules settings: ${rules.errors.join('; ')} (defaults used there)`);
	const credentials = new Credentials(db);
	const sessions = new SessionStore(db, { lifetimeDays: config.sessionDays });
	const sessionSockets = new SessionSockets((ids) => sessions.stillValid(ids));
	const accounts = new Accounts(db, sessions, {
		pairFailures: config.loginUserFailures,
		ipFailures: config.loginIpFailures,
		accountFailures: config.loginAccountFailures,
		windowMs: config.loginLockMinutes * 60_000,
		lockMs: config.loginLockMinutes * 60_000,
		maxDelayMs: 4000
	});
	let leader = await handle.tryLeadership();

	const projector = new Projector(db, { org: () => org, log });
	await projector.restore(leader);

	const hub = new Hub({ state: () => projector.state, org: () => org, scoring: () => rules.scoring, flushMs: config.streamFlushMs, heartbeatMs: config.heartbeatMs });
	projector.onApplied((events) => hub.onApplied(events));
	// Resumes (`since=`) across a restart: the ring starts with the log's recent events, not empty.
	hub.onApplied((await readAfter(db, Math.max(0, projector.seq - RING_PRELOAD), RING_PRELOAD)).filter((e) => e.seq <= projector.seq));

	const ingest = new IngestService({
		db,
		org: () => org,
		onCommitted: (e) => projector.submit(e),
		notify: handle.kind === 'postgres',
		durable: () => handle.flushCommits()
	});
	const terminals = new TerminalService({ state: () => projector.state, org: () => org, ingest });
	// Who has a terminal open, and which walls are connected, is shared through the database
	// (a round may start on any instance; the admin console lists and reloads every wall).
	const instanceId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
	const presence = new InstancePresence({
		db,
		instanceId,
		local: () => ({ terminals: [...terminalHub.connectedStaff()], walls: hub.listClients() }),
		staleMs: 3 * config.heartbeatMs
	});
	const syncPresence = () => {
		if (!stopping) void presence.sync().catch(() => {});
	};
	const walls = new WallRegistry({ db, presence, local: hub, notify: handle.kind === 'postgres' });
	// A terminal connecting or leaving is written at once (a round may start on another instance).
	const terminalHub = new TerminalHub(terminals, () => org, config.streamFlushMs, config.heartbeatMs, syncPresence);
	const rounds = new PresenceRounds({ db, state: () => projector.state, org: () => org, ingest, connected: () => presence.connectedStaff() });
	const cardDesk = new CardDesk({ db, state: () => projector.state, org: () => org, ingest });
	projector.onApplied((events) => terminalHub.onApplied(events));
	// Hotline tickets as they stand: the writer writes them in batches; at start-up it first reads
	// the log after the table's watermark (events committed while it was down or by another writer).
	const hotline = new HotlineTickets({ db, org: () => org, isLeader: () => leader, log });
	projector.onApplied((events) => hotline.onApplied(events));
	if (leader) void hotline.catchUp().catch(() => {});
	const hotlineDesk = new HotlineDesk({ db, org: () => org, ingest, tickets: hotline, calendar: () => rules.calendar });
	/** Derived ids that came back duplicate or rejected (bounded). */
	const derivedSettled = new Set<string>();
	const settle = (id: string) => {
		if (derivedSettled.size >= 100_000) derivedSettled.clear();
		derivedSettled.add(id);
	};

	const reloadOrg = async () => {
		org = await loadOrg(db);
		derivedSettled.clear();
		hub.orgChanged();
		if (handle.kind === 'postgres') await db.execute(sql`select pg_notify(${ORG_CHANNEL}, '')`);
	};
	const reloadRules = async () => {
		rules = await loadRulesConfig(db);
		derivedSettled.clear();
		hub.figuresChanged();
		if (handle.kind === 'postgres') await db.execute(sql`select pg_notify(${RULES_CHANNEL}, '')`);
	};

	const unlisten: Array<() => Promise<void>> = [];
	if (handle.kind === 'postgres') {
		unlisten.push(await handle.listen(LOG_CHANNEL, (payload) => projector.notifyHead(Number(payload))));
		unlisten.push(
			await handle.listen(ORG_CHANNEL, () => {
				void loadOrg(db).then((o) => {
					org = o;
					derivedSettled.clear();
					hub.orgChanged();
				});
			})
		);
		unlisten.push(await handle.listen(CREDENTIALS_CHANNEL, () => credentials.clearCaches()));
		unlisten.push(await handle.listen(WALLS_CHANNEL, (payload) => walls.onNotify(payload)));
		unlisten.push(
			await handle.listen(RULES_CHANNEL, () => {
				void loadRulesConfig(db).then((r) => {
					rules = r;
					derivedSettled.clear();
					hub.figuresChanged();
				});
			})
		);
		// A notification lost while reconnecting is caught up by a slow poll of the head.
	}

	const timers: Array<ReturnType<typeof setInterval>> = [];
	let stopping = false;

	// Deadline judge (writer only): presence checks, cases and hotline tickets past due, and the
	// cards the switched-on rules issue for what is already judged.
	const derivePending = new Set<string>();
	let deriving = false;
	const derive = async () => {
		if (!leader || deriving || stopping) return;
		deriving = true;
		try {
			const now = Date.now();
			const due = [
				...dueDerivedEvents(projector.state, now),
				...dueRuleCards(projector.state, now, { settings: rules.settings, calendar: rules.calendar, org })
			].filter((d) => !derivePending.has(d.id) && !derivedSettled.has(d.id));
			if (!due.length) return;
			for (const d of due) derivePending.add(d.id);
			try {
				for (let i = 0; i < due.length; i += 1000) {
					const res = await ingest.appendDerived(due.slice(i, i + 1000));
					// Stored before (its effect since pruned) or refused (e.g. its staff member left the org
					// data): not offered again every second; an org or rules reload tries once more.
					for (const r of res.results) if (r.status !== 'accepted') settle(r.id);
				}
			} finally {
				for (const d of due) derivePending.delete(d.id);
			}
		} catch (err) {
			log(`deadline judge: ${(err as Error).message}`);
		} finally {
			deriving = false;
		}
	};
	timers.push(setInterval(derive, config.deriveEveryMs));

	// Checkpoint + rollups (writer only), by time or by volume.
	let lastCheckpoint = Date.now();
	let lastFollowerPrune = Date.now();
	const checkpoint = async (force = false) => {
		if (!leader) {
			// Followers keep no dirty deltas but must not grow either: drop what no figure reads.
			if (Date.now() - lastFollowerPrune > 60_000) {
				lastFollowerPrune = Date.now();
				prune(projector.state, dayKey(Date.now(), org.timezoneOf(null)));
			}
			return;
		}
		const dueByTime = Date.now() - lastCheckpoint >= config.checkpointEveryMs;
		const dueByVolume = projector.eventsPendingCheckpoint() >= config.checkpointEveryEvents;
		if (!projector.checkpointDue || (!force && !dueByTime && !dueByVolume)) return;
		lastCheckpoint = Date.now();
		try {
			await projector.checkpoint();
			await handle.sweep();
		} catch (err) {
			log(`checkpoint failed (will retry): ${(err as Error).message}`);
		}
	};
	timers.push(setInterval(() => void checkpoint(), 500));
	// The presence-check scheduler (writer only): planned rounds are claimed by id, so issued once.
	timers.push(
		setInterval(() => {
			if (leader && !stopping) void rounds.tick().then((ids) => ids.length && log(`presence rounds started: ${ids.join(', ')}`)).catch((err) => log(`presence scheduler: ${(err as Error).message}`));
		}, 20_000)
	);
	// This instance's terminals and walls, for the rounds, admin console and CLI of any instance.
	syncPresence();
	timers.push(setInterval(syncPresence, config.heartbeatMs));
	// Sockets of sessions that ended (signed out, expired, account disabled or changed) close by the next heartbeat.
	timers.push(setInterval(() => void sessionSockets.sweep().catch(() => {}), config.heartbeatMs));
	// Expired sessions: validation refuses them anyway; the sweep keeps the table small.
	const sweepSessions = () => void sessions.sweep().catch(() => {});
	timers.push(setInterval(sweepSessions, 60 * 60_000));

	// PostgreSQL: followers try to become the writer; everyone polls the head as a safety net.
	if (handle.kind === 'postgres') {
		timers.push(
			setInterval(async () => {
				try {
					if (!leader && (await handle.tryLeadership())) {
						leader = true;
						// Chained now, before any batch this writer queues: the rows first catch up with the log
						// (events the previous writer applied but had not written), then new batches fold on them.
						void hotline.catchUp().catch(() => {});
						log('this instance is now the writer (checkpoints, deadline judge)');
						// Swapped in consistently (see Projector.restore): clients keep their deltas, no resync.
						await projector.restore(true);
					}
					const r = await db.execute(sql`select seq from log_head where id = 1`);
					const rows = Array.isArray(r) ? r : (r as { rows: Array<{ seq: string }> }).rows;
					projector.notifyHead(Number((rows[0] as { seq: string }).seq));
				} catch {
					/* database away: /healthz says so */
				}
			}, 5000)
		);
	}

	// Demo center + simulator.
	let demo: DemoRunner | null = null;
	if (config.simulate !== 'off') {
		demo = await DemoRunner.prepare({ db, config, credentials, ingest, reloadOrg, org: () => org, log, embedded: handle.kind === 'pglite' });
		if (demo) demo.start();
	}

	let rt!: Runtime;
	const commandContext = (actor: string): CommandContext => ({ db, credentials, ingest, org: () => org, walls, actor });

	let control: net.Server | null = null;
	if (handle.kind === 'pglite' && config.controlSocket) {
		control = await serveControl(config.dataDir, (req) => runCommand(commandContext(`cli:${req.actor}`), req.group, req.argv));
	}

	rt = {
		config,
		handle,
		org: () => org,
		reloadOrg,
		rules: () => rules,
		reloadRules,
		credentials,
		sessions,
		accounts,
		ingest,
		projector,
		hub,
		walls,
		terminals,
		terminalHub,
		rounds,
		cardDesk,
		hotline,
		hotlineDesk,
		isLeader: () => leader,
		sessionSockets,
		demo,
		startedAt: Date.now(),
		handleUpgrade: (req, socket, head) => handleUpgrade({ sessions, credentials, org: () => org, hub, terminalHub, sessionSockets, origin: config.origin }, req, socket, head),
		async health() {
			try {
				await Promise.race([
					db.execute(sql`select 1`),
					new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))
				]);
				return {
					ok: true,
					detail: {
						status: 'ok',
						database: handle.kind,
						seq: projector.seq,
						writer: leader,
						clients: hub.clientCount,
						uptimeSec: Math.round((Date.now() - rt.startedAt) / 1000),
						today: dayKey(Date.now(), org.timezoneOf(null))
					}
				};
			} catch {
				return { ok: false, detail: { status: 'database unavailable', database: handle.kind } };
			}
		},
		commandContext,
		async stop() {
			if (stopping) return;
			stopping = true;
			demo?.stop();
			// New ingest requests get 503 (retry-safe); those in flight commit before the final checkpoint.
			await ingest.drain(5000);
			for (const t of timers) clearInterval(t);
			await hub.close();
			terminalHub.close();
			await presence.clear().catch(() => {});
			for (const u of unlisten) await u().catch(() => {});
			if (control) await new Promise<void>((r) => control!.close(() => r()));
			await checkpoint(true).catch(() => {});
			await hotline.stop().catch(() => {});
			await handle.close();
			slot().runtime = undefined;
			slot().promise = undefined;
			log('stopped cleanly');
		}
	};
	log(`ready at seq ${projector.seq} (${leader ? 'writer' : 'follower'}) on ${os.hostname()}`);
	return rt;
}
