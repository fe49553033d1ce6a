/**
 * The composition root: builds every service once per process (database, org and rules,
 * credentials, sessions, ingest, projection, stream hub, terminals, supervision, hotline, the
 * writer's loops, demo simulator, control socket) and wires them together. Routes receive them
 * as `event.locals.services` (hooks.server.ts); the WebSocket upgrades (server.js in production,
 * the Vite plugin in dev) and `stop()` are the process owner's, through a global slot.
 */
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Credentials, CREDENTIALS_CHANNEL } from './auth/credentials';
import { CardDesk } from './supervision/cards';
import { PresenceRounds } from './supervision/rounds';
import { TerminalService, type TerminalHub } from './supervision/terminal';
import { Accounts } from './auth/accounts';
import { throttlePolicy } from './auth/throttle';
import { SessionStore } from './auth/session';
import { describeDatabase, type Config } from './config';
import { runCommand, type CommandContext } from './control/commands';
import { serveControl } from './control/socket';
import { openDatabase } from './db/client';
import type { Services } from './services';
import { LOG_CHANNEL } from './db/log';
import { IngestService } from './ingest/service';
import { startLive } from './live';
import { Projector } from './live/projector';
import { loadOrg, ORG_CHANNEL } from './org/store';
import { ensureRuleSettings, loadRulesConfig, RULES_CHANNEL, type RulesConfig } from './rules/settings';
import { checkHealth, watchEventLoop } from './health';
import { SharedSetting } from './shared-setting';
import { HOTLINE_CHANNEL, loadHotlineSettings } from './hotline/settings';
import { WriterLoops } from './writer';
import { DemoRunner } from './sim/runner';
import { HotlineDesk } from './hotline/desk';
import { HotlineTickets } from './hotline/tickets';
import { AlertDesk } from './alerts/desk';
import { AlertOutbox } from './alerts/outbox';

/** The services and what only the process owner (server.js, the Vite plugin, tests) may use. */
export interface Runtime extends Services {
	terminalHub: TerminalHub;
	/** Upgrade `/api/v1/stream` and `/api/v1/terminal`; returns false for other paths (left to others, e.g. Vite HMR). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	stop(): Promise<void>;
}

const SLOT = Symbol.for('hallwatch.runtime');
type Slot = { promise?: Promise<Runtime>; runtime?: Runtime };
const slot = (): Slot => ((globalThis as Record<symbol, Slot>)[SLOT] ??= {});

/** The started runtime (throws before start). */
export function getRuntime(): Runtime {
	const rt = slot().runtime;
	if (!rt) throw new Error('Hallwatch runtime not started');
	return rt;
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
	watchEventLoop();
	const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrationsFolder: path.join(config.rootDir, 'drizzle') });
	log(`database: ${describeDatabase(config)}, migrations applied`);
	const db = handle.db;
	const pg = handle.kind === 'postgres';
	await ensureRuleSettings(db, Date.now());
	const orgSetting = await SharedSetting.open(handle, ORG_CHANNEL, () => loadOrg(db));
	const rulesSetting = await SharedSetting.open(handle, RULES_CHANNEL, () => loadRulesConfig(db));
	const org = () => orgSetting.get();
	const rules = () => rulesSetting.get();
	// The hotline's settings (category limits, 签收 hours, three-rate weights): the desk reads them
	// per dispatch; the live figures take the weights from here, reloaded on a change anywhere.
	const hotlineSetting = await SharedSetting.open(handle, HOTLINE_CHANNEL, async () => (await loadHotlineSettings(db)).settings);
	if (rules().errors.length) log(`card rules settings: ${rules().errors.join('; ')} (defaults used there)`);

	const credentials = new Credentials(db);
	const sessions = new SessionStore(db, { lifetimeDays: config.sessionDays });
	const accounts = new Accounts(db, sessions, throttlePolicy(config));
	const leader = await handle.tryLeadership();
	const projector = new Projector(db, { org, log });
	await projector.restore(leader);
	const ingest = new IngestService({ db, org, onCommitted: (e) => projector.submit(e), notify: pg, durable: () => handle.flushCommits() });
	const terminals = new TerminalService({ state: () => projector.state, org, ingest });
	const live = await startLive({ handle, config, projector, terminals, sessions, credentials, org, scoring: () => rules().scoring, weights: () => hotlineSetting.get().weights });
	const { hub, walls, presence } = live;
	const rounds = new PresenceRounds({ db, state: () => projector.state, org, ingest, connected: () => presence.connectedStaff() });
	const cardDesk = new CardDesk({ db, state: () => projector.state, org, ingest });
	// Hotline tickets as they stand: the writer writes them in batches; at start-up it first reads
	// the log after the table's watermark (events committed while it was down or by another writer).
	const hotline: HotlineTickets = new HotlineTickets({ db, org, isLeader: (): boolean => writer.isLeader(), log });
	projector.onApplied((events) => hotline.onApplied(events));
	if (leader) void hotline.catchUp().catch(() => {});
	const hotlineDesk = new HotlineDesk({ db, org, ingest, tickets: hotline, calendar: () => rules().calendar });
	const writer = new WriterLoops({ handle, config, projector, ingest, rounds, hotline, org, rules, attacks: () => accounts.throttle.underAttack(), log }, leader);

	// One path for a new org or new rules, whether saved here or announced by another instance.
	orgSetting.onChange(() => {
		writer.forgetSettled();
		hub.orgChanged();
	});
	rulesSetting.onChange(() => {
		writer.forgetSettled();
		hub.figuresChanged();
	});
	hotlineSetting.onChange(() => hub.figuresChanged());
	const unlisten: Array<() => Promise<void>> = [];
	if (pg) {
		// A notification lost while reconnecting is caught up by the writer loops' slow poll of the head.
		unlisten.push(await handle.listen(LOG_CHANNEL, (payload) => projector.notifyHead(Number(payload))));
		unlisten.push(await orgSetting.listen(log), await rulesSetting.listen(log), await hotlineSetting.listen(log));
		unlisten.push(await handle.listen(CREDENTIALS_CHANNEL, () => credentials.clearCaches()));
	}
	// Alerts: the page's actions, and the writer's outbox of deliveries (claims of a killed embedded process are void).
	const alertDesk = new AlertDesk({ state: () => projector.state, org, ingest });
	const outbox = new AlertOutbox({ handle, config, state: () => projector.state, org, isLeader: () => writer.isLeader(), log });
	if (!pg) await outbox.releaseLeases();
	writer.start();
	outbox.start();
	// Expired sessions: validation refuses them anyway; the hourly sweep keeps the table small.
	const sweep = setInterval(() => void sessions.sweep().catch(() => {}), 60 * 60_000);
	let stopping = false;

	const reloadOrg = () => orgSetting.reload();
	const demo = config.simulate === 'off' ? null : await DemoRunner.prepare({ db, config, credentials, ingest, reloadOrg, org, log, embedded: !pg, judge: (now) => writer.judge(now) });
	// While the demo feeds its history, deadlines are judged at the history's front, not today.
	if (demo) writer.useClock(() => demo.historyFront ?? Date.now());
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
		reloadHotline: () => hotlineSetting.reload(),
		credentials,
		sessions,
		accounts,
		ingest,
		projector,
		hub,
		walls,
		terminals,
		terminalHub: live.terminalHub,
		rounds,
		cardDesk,
		hotline,
		hotlineDesk,
		alertDesk,
		isLeader: () => writer.isLeader(),
		sessionSockets: live.sessionSockets,
		demo,
		startedAt,
		handleUpgrade: live.handleUpgrade,
		health: () => checkHealth({ handle, projector, hub, isLeader: () => writer.isLeader(), org, startedAt }),
		commandContext,
		async stop() {
			if (stopping) return;
			stopping = true;
			demo?.stop();
			// New ingest requests get 503 (retry-safe); those in flight commit before the final checkpoint.
			await ingest.drain(5000);
			clearInterval(sweep);
			await live.stop();
			for (const u of unlisten) await u().catch(() => {});
			if (control) await new Promise<void>((r) => control.close(() => r()));
			await outbox.stop();
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
