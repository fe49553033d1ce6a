/**
 * The live stream's protocol (`/api/v1/stream`, spec §2), shared by the server's hub and the
 * browser's LiveFeed so the compiler checks both sides against one definition (as immich's
 * `websocket.ts` types its events). Every server message carries the `seq` it brings the
 * client up to.
 */
import type { Snapshot } from '../domain/snapshot';

/** The figures of a scope: a snapshot without its `seq` and `asOf`. */
export type Figures = Omit<Snapshot, 'seq' | 'asOf'>;

/** The leaves of the figures that changed (objects recursively; arrays and scalars whole). */
export type FiguresPatch = { [K in keyof Figures]?: Patch<Figures[K]> };
type Patch<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: Patch<T[K]> } : T;

/** An event as the stream sends it: caller phones masked, the center it belongs to. */
export interface StreamEvent {
	seq: number;
	id: string;
	type: string;
	occurredAt: string;
	centerCode: string | null;
	data: Record<string, unknown>;
}

/** Which events a client asks for: every one, the notable ones (default), or none. */
export type EventsMode = 'all' | 'notable' | 'none';
export const EVENTS_MODES: readonly EventsMode[] = ['all', 'notable', 'none'];

export type SnapshotMessage = { type: 'snapshot' } & Snapshot;

export interface DeltaMessage {
	type: 'delta';
	seq: number;
	asOf: string;
	/** What changed since the previous message; a resume (`resumed`) carries all the figures. */
	figures: FiguresPatch;
	events: StreamEvent[];
	/** Answer to `since=N` within the server's ring: every event after `since`, none twice. */
	resumed?: true;
	since?: number;
}

export interface HeartbeatMessage {
	type: 'heartbeat' | 'pong';
	seq: number;
	asOf: string;
}

/** Operator commands: reload the page (`npm run walls -- reload`), or the token was revoked (stop). */
export interface CommandMessage {
	type: 'reload' | 'revoked';
	seq: number;
}

export type ServerMessage = SnapshotMessage | DeltaMessage | HeartbeatMessage | CommandMessage;
export type WallCommand = CommandMessage['type'];

/** What a client may send: a ping (answered with a `pong`). Anything else is ignored. */
export type ClientMessage = { type: 'ping' };

/** Close codes the server uses (4000–4999 are the application's own). */
export const CLOSE = {
	/** The session that opened the socket ended (sign-out, expiry, account disabled or changed): sign in again. */
	sessionEnded: 4001,
	/** The client sent more messages than a display ever needs. */
	tooManyMessages: 1008,
	/** The server is shutting down (reconnect). */
	goingAway: 1001
} as const;

/** A connected display as operators see it (`npm run walls -- list`, /admin/walls). */
export interface WallClient {
	/** The display token's name (or `user:NAME`). */
	name: string;
	/** `center:PJ-001`, `region:PJ` or `all`. */
	scope: string;
	connectedAt: string;
	/** Last sign of life from the display: a pong to the server's ping, or a message it sent. */
	lastHeartbeatAt: string;
	/** Last message the server sent it, or null. */
	lastMessageAt: string | null;
	/** Its socket backed up; it gets a fresh snapshot once drained. */
	lagging: boolean;
}
