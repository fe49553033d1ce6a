/**
 * The live stream (spec §2): WebSocket clients grouped by scope. On connect a client gets a
 * snapshot (or, with `since=N` still in the recent-events ring, exactly the events after N
 * plus the current figures). Afterwards each client gets at most one `delta` message per
 * flush interval (~10/s): the figures that changed and the scope's new events. A client whose
 * socket buffer backs up is skipped and later resynced with a fresh snapshot instead of being
 * buffered without bound. Heartbeats (ping frames + `heartbeat` messages) detect dead peers.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OrgIndex } from '../../domain/org';
import type { ScoringRules, ThreeRateWeights } from '../../domain/metrics';
import type { PlacedEvent } from '../../domain/projection';
import { LiveFigures, NO_CENTER_DEPARTMENTS } from '../../domain/figures';
import type { LiveState } from '../../domain/projection';
import { homesOf, scopeLabel, type Scope, type Snapshot } from '../../domain/snapshot';
import { homeKey, homeKeyOf } from '../../domain/keys';
import { CLOSE, type EventsMode, type Figures, type FiguresPatch, type ServerMessage, type StreamEvent, type WallClient } from '../../live/protocol';
import { maskEventData } from '../privacy';

export type { EventsMode, StreamEvent, WallClient };

/** An event in the ring and the groups' pending lists, with the home key scopes are matched on. */
interface Entry {
	event: StreamEvent;
	home: string;
}

interface Group {
	key: string;
	scope: Scope;
	homes: Set<string>;
	clients: Set<Client>;
	figures: Figures | null;
	pending: Entry[];
	overflow: boolean;
	dirty: boolean;
	/** The seq the group's clients were last brought up to (heartbeats and pongs carry it, never a seq still pending). */
	seq: number;
}

interface Client {
	ws: WebSocket;
	group: Group;
	events: EventsMode;
	lagging: boolean;
	alive: boolean;
	name: string;
	connectedAt: number;
	/** When the display last showed it is alive (a pong or a message of its own). */
	lastSeenAt: number;
	/** When the hub last sent it a message (snapshot, delta, heartbeat, command). */
	lastSentAt: number | null;
	/** Messages it sent since the last heartbeat (a flood closes the socket). */
	received: number;
}

/** Messages a display may send between two heartbeats (it sends a ping now and then). */
const MAX_MESSAGES_PER_HEARTBEAT = 100;

const NOTABLE = new Set([
	'card.issued',
	'card.revoked',
	'presence.check_missed',
	'case.overdue',
	'case.deadline_near',
	'hotline.ticket_overdue',
	'hotline.ticket_supervised',
	'hotline.ticket_reopened',
	'alert.raised',
	'alert.updated',
	'alert.acknowledged',
	'alert.resolved'
]);

export function isNotable(e: { type: string; data: Record<string, unknown> }): boolean {
	return NOTABLE.has(e.type) || (e.type === 'evaluation.submitted' && typeof e.data.rating === 'number' && e.data.rating <= 2);
}

/** Leaves of `next` that differ from `prev` (arrays compared and sent whole). */
export function diffFigures(prev: unknown, next: unknown): unknown {
	if (prev === next) return undefined;
	// A leaf that is not an object differs (it is not ===); arrays are sent whole when any item differs.
	if (typeof next !== 'object' || next === null) return next;
	if (Array.isArray(next) || typeof prev !== 'object' || prev === null || Array.isArray(prev)) {
		return sameJson(prev, next) ? undefined : next;
	}
	const out: Record<string, unknown> = {};
	let any = false;
	for (const k of Object.keys(next)) {
		const d = diffFigures((prev as Record<string, unknown>)[k], (next as Record<string, unknown>)[k]);
		if (d !== undefined) {
			out[k] = d;
			any = true;
		}
	}
	return any ? out : undefined;
}

/**
 * Whether two figures serialize alike (as JSON.stringify would see them: a key whose value is
 * undefined is no key), without serializing: unchanged lists are mostly the same objects, so
 * this stops at identity or at the first difference and allocates nothing.
 */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return asJsonLeaf(a) === asJsonLeaf(b);
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
		return true;
	}
	if (Array.isArray(b)) return false;
	const x = a as Record<string, unknown>;
	const y = b as Record<string, unknown>;
	let keys = 0;
	for (const k in x) {
		if (x[k] === undefined) continue;
		keys++;
		if (!sameJson(x[k], y[k])) return false;
	}
	for (const k in y) if (y[k] !== undefined) keys--;
	return keys === 0;
}

/** NaN and ±Infinity serialize as null, as does undefined in a list. */
const asJsonLeaf = (v: unknown) => (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v);

export interface HubOptions {
	state: () => LiveState;
	org: () => OrgIndex;
	/** Department scoring rules in force (default: spec §3's). */
	scoring?: () => ScoringRules;
	/** Weights of the hotline's three-rate composite in force (default 30/35/35). */
	weights?: () => ThreeRateWeights;
	flushMs: number;
	heartbeatMs: number;
	/** Recent events kept for `since=` resumes. */
	ringSize?: number;
	/** Bytes queued on a socket beyond which the client is considered slow. */
	maxBuffered?: number;
	now?: () => number;
}

export class Hub {
	readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
	private groups = new Map<string, Group>();
	private ring: Entry[] = [];
	private ringStart = 0;
	private flushTimer: ReturnType<typeof setInterval>;
	private heartbeatTimer: ReturnType<typeof setInterval>;
	/** home → the groups whose scope shows it (an applied event goes to those only). */
	private byHome = new Map<string, Set<Group>>();
	/** Groups with a client to resync once its socket drains. */
	private laggingGroups = new Set<Group>();
	/** Every group's figures, kept per home and per region (figures.ts): a flush recomputes only what changed. */
	readonly figures: LiveFigures;
	private readonly ringSize: number;
	private readonly maxBuffered: number;
	private readonly now: () => number;
	/** Messages sent, for the bench and /healthz. */
	stats = { messages: 0, snapshots: 0, resumes: 0, resyncs: 0 };

	constructor(private opts: HubOptions) {
		this.ringSize = opts.ringSize ?? 20_000;
		this.maxBuffered = opts.maxBuffered ?? 1 << 20;
		this.now = opts.now ?? Date.now;
		this.figures = new LiveFigures({ state: opts.state, org: opts.org, scoring: opts.scoring, weights: opts.weights });
		this.flushTimer = setInterval(() => this.flush(), opts.flushMs);
		this.heartbeatTimer = setInterval(() => this.heartbeat(), opts.heartbeatMs);
	}

	get clientCount(): number {
		let n = 0;
		for (const g of this.groups.values()) n += g.clients.size;
		return n;
	}

	/** The projection applied these events (in seq order). */
	onApplied(events: PlacedEvent[]): void {
		this.figures.applied(events);
		for (const e of events) {
			const entry: Entry = {
				event: { seq: e.seq, id: e.id, type: e.type, occurredAt: e.occurredAt, centerCode: e.place.centerCode, data: maskEventData(e.type, e.data as Record<string, unknown>) },
				home: homeKeyOf(e.place)
			};
			this.ring.push(entry);
			for (const g of this.byHome.get(entry.home) ?? []) {
				if (g.overflow) continue;
				g.dirty = true;
				if (g.pending.length >= 5000) {
					g.overflow = true;
					g.pending = [];
				} else g.pending.push(entry);
			}
		}
		if (this.ring.length > this.ringSize * 1.5) {
			const drop = this.ring.length - this.ringSize;
			this.ring.splice(0, drop);
			this.ringStart += drop;
		}
	}

	/** The org changed: recompute which homes each scope covers, resend figures. */
	orgChanged(): void {
		for (const g of this.groups.values()) {
			this.index(g, false);
			g.homes = homeKeys(g.scope, this.opts.org());
			this.index(g, true);
			g.dirty = true;
		}
	}

	/** Something every figure may depend on changed (the scoring rules): recompute every group. */
	figuresChanged(): void {
		for (const g of this.groups.values()) g.dirty = true;
	}

	/** The projection was rebuilt (e.g. this instance became the writer): resync everyone. */
	resyncAll(): void {
		for (const g of this.groups.values()) {
			g.overflow = true;
			g.dirty = true;
		}
	}

	/**
	 * Accept an authorized upgrade for `scope`. `since` resumes; `events` filters the event list;
	 * `bind` ties the socket to the session that opened it (it returns what to call on close).
	 */
	accept(req: IncomingMessage, socket: Duplex, head: Buffer, params: { scope: Scope; since: number | null; events: EventsMode; name: string; bind?: (close: (code: number, reason: string) => void) => () => void }): void {
		this.wss.handleUpgrade(req, socket, head, (ws) => {
			const unbind = params.bind?.((code, reason) => ws.close(code, reason));
			const group = this.groupFor(params.scope);
			// Bring the scope's existing clients up to date first, so the new client's
			// starting point and the group's figures are the same.
			this.flushGroup(group, this.opts.state().seq);
			const now = this.now();
			const client: Client = { ws, group, events: params.events, lagging: false, alive: true, name: params.name, connectedAt: now, lastSeenAt: now, lastSentAt: null, received: 0 };
			const seen = () => {
				client.alive = true;
				client.lastSeenAt = this.now();
			};
			this.greet(client, params.since);
			group.clients.add(client);
			ws.on('pong', seen);
			ws.on('message', (raw) => {
				seen();
				if (++client.received > MAX_MESSAGES_PER_HEARTBEAT) return ws.close(CLOSE.tooManyMessages, 'too many messages');
				let msg: { type?: string } | null = null;
				try {
					msg = JSON.parse(String(raw));
				} catch {
					/* ignore non-JSON */
				}
				if (msg?.type === 'ping') this.send(client, { type: 'pong', seq: group.seq, asOf: new Date(this.now()).toISOString() });
			});
			ws.on('close', () => {
				unbind?.();
				group.clients.delete(client);
				if (!group.clients.size) {
					this.groups.delete(group.key);
					this.laggingGroups.delete(group);
					this.index(group, false);
				}
			});
			ws.on('error', () => ws.terminate());
		});
	}

	private greet(client: Client, since: number | null): void {
		const state = this.opts.state();
		const oldest = this.ring.length ? this.ring[0].event.seq : state.seq + 1;
		if (since !== null && since <= state.seq && since >= oldest - 1 && client.group.figures) {
			// Resume: every event after `since` in scope, none twice, then the figures as they are now.
			const events = this.filterEvents(
				this.ring.filter((e) => e.event.seq > since && client.group.homes.has(e.home)),
				client.events
			);
			this.stats.resumes++;
			this.send(client, { type: 'delta', seq: state.seq, asOf: new Date(this.now()).toISOString(), resumed: true, since, figures: client.group.figures, events });
		} else this.sendSnapshot(client);
	}

	private sendSnapshot(client: Client): void {
		const snap = this.snapshotFor(client.group);
		this.stats.snapshots++;
		this.send(client, { type: 'snapshot', ...snap });
	}

	/** The scope's figures now (from the live cache: the stream and the snapshot endpoint alike). */
	snapshotFor(group: { scope: Scope }): Snapshot {
		return this.figures.snapshot(group.scope, this.now());
	}

	private groupFor(scope: Scope): Group {
		const key = scopeLabel(scope);
		let g = this.groups.get(key);
		if (!g) {
			g = { key, scope, homes: homeKeys(scope, this.opts.org()), clients: new Set(), figures: null, pending: [], overflow: false, dirty: true, seq: this.opts.state().seq };
			this.groups.set(key, g);
			this.index(g, true);
		}
		return g;
	}

	/** Put a group in (or take it out of) the index of the groups each home shows in. */
	private index(g: Group, add: boolean): void {
		for (const h of g.homes) {
			let set = this.byHome.get(h);
			if (add) {
				if (!set) this.byHome.set(h, (set = new Set()));
				set.add(g);
			} else if (set) {
				set.delete(g);
				if (!set.size) this.byHome.delete(h);
			}
		}
	}

	private filterEvents(entries: Entry[], mode: EventsMode): StreamEvent[] {
		if (mode === 'none') return [];
		const out: StreamEvent[] = [];
		for (const { event } of entries) if (mode === 'all' || isNotable(event)) out.push(event);
		return out;
	}

	/**
	 * Send the changes of each group whose figures changed (an event or time touched one of its
	 * homes) or that has events to deliver. Groups nothing touched cost nothing.
	 */
	flush(): void {
		const changed = this.figures.takeChanged(this.now());
		if (changed !== 'all') for (const h of changed) for (const g of this.byHome.get(h) ?? []) g.dirty = true;
		const seq = this.opts.state().seq;
		for (const g of this.groups.values()) if (g.dirty || changed === 'all' || this.laggingGroups.has(g)) this.flushGroup(g, seq);
	}

	private flushGroup(g: Group, seq: number): void {
		g.dirty = false;
		g.seq = seq;
		const snap = this.snapshotFor(g);
		const { seq: _s, asOf, ...figures } = snap;
		const patch = (g.figures ? diffFigures(g.figures, figures) : figures) as FiguresPatch | undefined;
		g.figures = figures;
		const pending = g.pending;
		const overflow = g.overflow;
		g.pending = [];
		g.overflow = false;
		// One encoded frame payload per events mode, shared by every client of the group (a thousand walls on one hall).
		const deltas = new Map<EventsMode, Buffer | null>();
		let lagging = false;
		for (const c of g.clients) {
			if (overflow) {
				c.lagging = true;
			}
			if (c.lagging) {
				if (c.ws.bufferedAmount < this.maxBuffered / 4) {
					c.lagging = false;
					this.stats.resyncs++;
					this.send(c, { type: 'snapshot', ...snap });
				} else lagging = true;
				continue;
			}
			if (c.ws.bufferedAmount > this.maxBuffered) {
				c.lagging = lagging = true; // resynced with a fresh snapshot once its buffer drains
				continue;
			}
			// Clients with the same events mode get the same message: build and serialize it once.
			let text = deltas.get(c.events);
			if (text === undefined) {
				const events = this.filterEvents(pending, c.events);
				text = patch === undefined && !events.length ? null : Buffer.from(JSON.stringify({ type: 'delta', seq, asOf, figures: patch ?? {}, events } satisfies ServerMessage));
				deltas.set(c.events, text);
			}
			if (text !== null) this.sendText(c, text);
		}
		// A client waiting for its buffer to drain is looked at again at the next flush, change or not.
		if (lagging) this.laggingGroups.add(g);
		else this.laggingGroups.delete(g);
	}

	private send(c: Client, msg: ServerMessage): void {
		this.sendText(c, JSON.stringify(msg));
	}

	private sendText(c: Client, text: string | Buffer): void {
		if (c.ws.readyState !== 1) return;
		this.stats.messages++;
		c.lastSentAt = this.now();
		c.ws.send(text, { binary: false });
	}

	private heartbeat(): void {
		const asOf = new Date(this.now()).toISOString();
		for (const g of this.groups.values())
			for (const c of g.clients) {
				const msg: ServerMessage = { type: 'heartbeat', seq: g.seq, asOf };
				c.received = 0;
				if (!c.alive) {
					c.ws.terminate();
					continue;
				}
				c.alive = false;
				c.ws.ping();
				if (!c.lagging) this.send(c, msg);
			}
	}

	/** Send a command (`reload`, `revoked`) to every client, or to those with the given name. */
	command(type: 'reload' | 'revoked', name?: string): number {
		let n = 0;
		for (const g of this.groups.values())
			for (const c of g.clients)
				if (!name || c.name === name) {
					this.send(c, { type, seq: g.seq });
					n++;
				}
		return n;
	}

	listClients(): WallClient[] {
		const iso = (t: number) => new Date(t).toISOString();
		const out: WallClient[] = [];
		for (const g of this.groups.values())
			for (const c of g.clients)
				out.push({
					name: c.name,
					scope: g.key,
					connectedAt: iso(c.connectedAt),
					lastHeartbeatAt: iso(c.lastSeenAt),
					lastMessageAt: c.lastSentAt === null ? null : iso(c.lastSentAt),
					lagging: c.lagging
				});
		return out;
	}

	async close(): Promise<void> {
		clearInterval(this.flushTimer);
		clearInterval(this.heartbeatTimer);
		for (const g of this.groups.values()) for (const c of g.clients) c.ws.close(CLOSE.goingAway, 'server shutting down');
		this.groups.clear();
		this.byHome.clear();
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
	}
}

/** The homes whose changes a scope's figures show (a region or the deployment: also the bureaus of no center). */
function homeKeys(scope: Scope, org: OrgIndex): Set<string> {
	const homes = new Set(homesOf(scope, org).map((h) => homeKey(h.kind, h.code)));
	if (scope.kind !== 'center') homes.add(NO_CENTER_DEPARTMENTS);
	return homes;
}
