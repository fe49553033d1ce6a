/**
 * The composition root: builds every service once per process (database, org and rules,
 * credentials, sessions, ingest, projection, stream hub, terminals, supervision, hotline, the
 * writer's loops, demo simulator, control socket) and wires them together. Routes receive them
 * as `event.locals.services` (hooks.server.ts); the WebSocket upgrades (server.js in production,
 * the Vite plugin in dev) and `stop()` are the process owner's, through a global slot.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
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
import { openDatabase } from './db/client';
import type { Services } from './services';
import { LOG_CHANNEL, readAfter } from './db/log';
import { IngestService } from './ingest/service';
import { Hub } from './live/hub';
import { SessionSockets } from './live/session-sockets';
import { handleUpgrade } from './live/upgrade';
import { Projector } from './live/projector';
import { loadOrg, ORG_CHANNEL } from './org/store';
import { ensureRuleSettings, loadRulesConfig, RULES_CHANNEL, type RulesConfig } from './rules/settings';
import { checkHealth } from './health';
import { SharedSetting } from './shared-setting';
import { WriterLoops } from './writer';
import { DemoRunner } from './sim/runner';
import { HotlineDesk } from './hotline/desk';
import { HotlineTickets } from './hotline/tickets';

/** The services and what only the process owner (server.js, the Vite plugin, tests) may use. */
export interface Runtime extends Services {
	terminalHub: TerminalHub;
	/** Upgrade `/api/v1/stream` and `/api/v1/terminal`; returns false for other paths (left to others, e.g. Vite HMR). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
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
	const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrationsFolder: path.join(config.rootDir, 'drizzle') });
	log(`database: ${describeDatabase(config)}, migrations applied`);
	const db = handle.db;
	const pg = handle.kind === 'postgres';
	await ensureRuleSettings(db, Date.now());
	const orgSetting = await SharedSetting.open(handle, ORG_CHANNEL, () => loadOrg(db));
	const rulesSetting = await SharedSetting.open(handle, RULES_CHANNEL, () => loadRulesConfig(db));
	const org = () => orgSetting.get();
	const rules = () => rulesSetting.get();
	if (rules().errors.length) log(`card rules settings: ${rules().errors.join('; ')} (defaults used there)`);

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

	const leader = await handle.tryLeadership();
	const projector = new Projector(db, { org, log });
	await projector.restore(leader);
	const hub = new Hub({ state: () => projector.state, org, scoring: () => rules().scoring, flushMs: config.streamFlushMs, heartbeatMs: config.heartbeatMs });
	projector.onApplied((events) => hub.onApplied(events));
	// Resumes (`since=`) across a restart: the ring starts with the log's recent events, not empty.
	hub.onApplied((await readAfter(db, Math.max(0, projector.seq - RING_PRELOAD), RING_PRELOAD)).filter((e) => e.seq <= projector.seq));

	const ingest = new IngestService({ db, org, onCommitted: (e) => projector.submit(e), notify: pg, durable: () => handle.flushCommits() });
	const terminals = new TerminalService({ state: () => projector.state, org, ingest });
	// Who has a terminal open, and which walls are connected, is shared through the database
	// (a round may start on any instance; the admin console lists and reloads every wall).
	const presence = new InstancePresence({
		db,
		instanceId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
		local: () => ({ terminals: [...terminalHub.connectedStaff()], walls: hub.listClients() }),
		staleMs: 3 * config.heartbeatMs
	});
	let stopping = false;
	const syncPresence = () => void (stopping ? null : presence.sync().catch(() => {}));
	const walls = new WallRegistry({ db, presence, local: hub, notify: pg });
	// A terminal connecting or leaving is written at once (a round may start on another instance).
	const terminalHub = new TerminalHub(terminals, org, config.streamFlushMs, config.heartbeatMs, syncPresence);
	projector.onApplied((events) => terminalHub.onApplied(events));
	const rounds = new PresenceRounds({ db, state: () => projector.state, org, ingest, connected: () => presence.connectedStaff() });
	const cardDesk = new CardDesk({ db, state: () => projector.state, org, ingest });
	// Hotline tickets as they stand: the writer writes them in batches; at start-up it first reads
	// the log after the table's watermark (events committed while it was down or by another writer).
	const hotline: HotlineTickets = new HotlineTickets({ db, org, isLeader: (): boolean => writer.isLeader(), log });
	projector.onApplied((events) => hotline.onApplied(events));
	if (leader) void hotline.catchUp().catch(() => {});
	const hotlineDesk = new HotlineDesk({ db, org, ingest, tickets: hotline, calendar: () => rules().calendar });
	const writer = new WriterLoops({ handle, config, projector, ingest, rounds, hotline, org, rules, log }, leader);

	// One path for a new org or new rules, whether saved here or announced by another instance.
	orgSetting.onChange(() => {
		writer.forgetSettled();
		hub.orgChanged();
	});
	rulesSetting.onChange(() => {
		writer.forgetSettled();
		hub.figuresChanged();
	});
	const unlisten: Array<() => Promise<void>> = [];
	if (pg) {
		// A notification lost while reconnecting is caught up by the writer loops' slow poll of the head.
		unlisten.push(await handle.listen(LOG_CHANNEL, (payload) => projector.notifyHead(Number(payload))));
		unlisten.push(await orgSetting.listen(log), await rulesSetting.listen(log));
		unlisten.push(await handle.listen(CREDENTIALS_CHANNEL, () => credentials.clearCaches()));
		unlisten.push(await handle.listen(WALLS_CHANNEL, (payload) => walls.onNotify(payload)));
	}

	writer.start();
	// This instance's terminals and walls for every instance; sockets of ended sessions close by the
	// next heartbeat; expired sessions are swept hourly (validation refuses them anyway).
	syncPresence();
	const timers = [
		setInterval(syncPresence, config.heartbeatMs),
		setInterval(() => void sessionSockets.sweep().catch(() => {}), config.heartbeatMs),
		setInterval(() => void sessions.sweep().catch(() => {}), 60 * 60_000)
	];

	const reloadOrg = () => orgSetting.reload();
	const demo = config.simulate === 'off' ? null : await DemoRunner.prepare({ db, config, credentials, ingest, reloadOrg, org, log, embedded: !pg });
	demo?.start();
	const commandContext = (actor: string): CommandContext => ({ db, credentials, ingest, org, walls, actor });
	const control = !pg && config.controlSocket ? await serveControl(config.dataDir, (req) => runCommand(commandContext(`cli:${req.actor}`), req.group, req.argv)) : null;
	const startedAt = Date.now();

	const rt: Runtime = {
		config,
		handle,
		org,
		reloadOrg,
		rules,
		reloadRules: () => rulesSetting.reload(),
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
		isLeader: () => writer.isLeader(),
		sessionSockets,
		demo,
		startedAt,
		handleUpgrade: (req, socket, head) => handleUpgrade({ sessions, credentials, org, hub, terminalHub, sessionSockets, origin: config.origin }, req, socket, head),
		health: () => checkHealth({ handle, projector, hub, isLeader: () => writer.isLeader(), org, startedAt }),
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
			if (control) await new Promise<void>((r) => control.close(() => r()));
			await writer.stop();
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
