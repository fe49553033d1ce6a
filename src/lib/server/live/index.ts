/**
 * What keeps screens live, started together: the stream hub (walls and pages), the window
 * terminals' hub, the sockets bound to sessions, this instance's presence row (terminals and
 * walls, for every instance) and the WebSocket upgrades. `stop()` closes the sockets and clears
 * this instance's row.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ScoringRules, ThreeRateWeights } from '../../domain/metrics';
import type { OrgIndex } from '../../domain/org';
import type { Credentials } from '../auth/credentials';
import type { SessionStore } from '../auth/session';
import type { Config } from '../config';
import type { DbHandle } from '../db/client';
import { readAfter } from '../db/log';
import { TerminalHub, type TerminalService } from '../supervision/terminal';
import { Hub } from './hub';
import { InstancePresence } from './instance-presence';
import type { Projector } from './projector';
import { SessionSockets } from './session-sockets';
import { handleUpgrade } from './upgrade';
import { WallRegistry, WALLS_CHANNEL } from './wall-registry';

/** Recent log events put in the stream's resume ring at start-up. */
const RING_PRELOAD = 5000;

export interface LiveDeps {
	handle: DbHandle;
	config: Pick<Config, 'streamFlushMs' | 'heartbeatMs' | 'origin'>;
	projector: Projector;
	terminals: TerminalService;
	sessions: SessionStore;
	credentials: Credentials;
	org: () => OrgIndex;
	scoring: () => ScoringRules;
	/** The hotline's three-rate weights in force (settings `hotline`). */
	weights?: () => ThreeRateWeights;
}

export interface Live {
	hub: Hub;
	terminalHub: TerminalHub;
	walls: WallRegistry;
	presence: InstancePresence;
	sessionSockets: SessionSockets;
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	stop(): Promise<void>;
}

export async function startLive(d: LiveDeps): Promise<Live> {
	const { handle, config, projector, org } = d;
	const db = handle.db;
	const hub = new Hub({ state: () => projector.state, org, scoring: d.scoring, weights: d.weights, flushMs: config.streamFlushMs, heartbeatMs: config.heartbeatMs });
	projector.onApplied((events) => hub.onApplied(events));
	// Resumes (`since=`) across a restart: the ring starts with the log's recent events, not empty.
	hub.onApplied((await readAfter(db, Math.max(0, projector.seq - RING_PRELOAD), RING_PRELOAD)).filter((e) => e.seq <= projector.seq));

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
	// A terminal connecting or leaving is written at once (a round may start on another instance).
	const terminalHub = new TerminalHub(d.terminals, org, config.streamFlushMs, config.heartbeatMs, syncPresence);
	projector.onApplied((events) => terminalHub.onApplied(events));
	const walls = new WallRegistry({ db, presence, local: hub, notify: handle.kind === 'postgres' });
	const sessionSockets = new SessionSockets((ids) => d.sessions.stillValid(ids));
	const unlisten = handle.kind === 'postgres' ? await handle.listen(WALLS_CHANNEL, (payload) => walls.onNotify(payload)) : null;

	// This instance's terminals and walls for every instance; sockets of ended sessions close by the next heartbeat.
	syncPresence();
	const timers = [setInterval(syncPresence, config.heartbeatMs), setInterval(() => void sessionSockets.sweep().catch(() => {}), config.heartbeatMs)];
	const upgrades = { sessions: d.sessions, credentials: d.credentials, org, hub, terminalHub, sessionSockets, origin: config.origin };

	return {
		hub,
		terminalHub,
		walls,
		presence,
		sessionSockets,
		handleUpgrade: (req, socket, head) => handleUpgrade(upgrades, req, socket, head),
		async stop() {
			stopping = true;
			for (const t of timers) clearInterval(t);
			await hub.close();
			terminalHub.close();
			await presence.clear().catch(() => {});
			await unlisten?.().catch(() => {});
		}
	};
}
