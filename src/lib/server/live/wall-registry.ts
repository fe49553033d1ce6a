/**
 * The wall displays of every server instance. A display's socket reaches one instance (several
 * run on PostgreSQL), but the admin console and `npm run walls` must list and reload them all:
 * each instance rewrites its row of `instance_walls` (its connected displays) every heartbeat,
 * and a reload is a NOTIFY that every instance (this one included) carries out on its own
 * displays. On PGlite there is one instance: it lists its own hub and reloads it directly.
 */
import { and, eq, gte, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { instanceWalls } from '../db/schema';
import type { WallClient } from './hub';

export const WALLS_CHANNEL = 'hallwatch_walls';
/** The control messages a display acts on. */
const WALL_COMMANDS = ['reload', 'revoked'] as const;
export type WallCommand = (typeof WALL_COMMANDS)[number];

/** What the registry needs of this instance's stream hub. */
export interface LocalWalls {
	listClients(): WallClient[];
	command(msg: Record<string, unknown>, name?: string): number;
}

/** A connected display and the instance it is connected to. */
export type ListedWall = WallClient & { instance: string };

interface Deps {
	db: Database;
	instanceId: string;
	/** This instance's hub; absent in the CLI (PostgreSQL), which only reads and notifies. */
	local?: LocalWalls;
	/** Whether reloads go by NOTIFY (PostgreSQL), to every instance listening on WALLS_CHANNEL. */
	notify: boolean;
	/** Other instances' rows older than this are not counted (default 30 s). */
	staleMs?: number;
	now?: () => number;
}

/** Rows of instances gone for this long are deleted. */
const FORGET_MS = 24 * 3_600_000;

export class WallRegistry {
	private staleMs: number;
	private now: () => number;

	constructor(private deps: Deps) {
		this.staleMs = deps.staleMs ?? 30_000;
		this.now = deps.now ?? Date.now;
	}

	/** Write this instance's displays (every heartbeat). */
	async sync(): Promise<void> {
		if (!this.deps.local) return;
		const at = new Date(this.now());
		const clients = this.deps.local.listClients() as unknown as Array<Record<string, unknown>>;
		const t = instanceWalls;
		await this.deps.db
			.insert(t)
			.values({ instanceId: this.deps.instanceId, seenAt: at, clients })
			.onConflictDoUpdate({ target: t.instanceId, set: { seenAt: at, clients } });
		await this.deps.db.delete(t).where(lt(t.seenAt, new Date(at.getTime() - FORGET_MS)));
	}

	/** Every connected display: this instance's as they are now, the others' as last written. */
	async list(): Promise<ListedWall[]> {
		const me = this.deps.instanceId;
		const out: ListedWall[] = (this.deps.local?.listClients() ?? []).map((c) => ({ ...c, instance: me }));
		const t = instanceWalls;
		const rows = await this.deps.db
			.select()
			.from(t)
			.where(and(ne(t.instanceId, me), gte(t.seenAt, new Date(this.now() - this.staleMs))));
		for (const r of rows) for (const c of r.clients as unknown as WallClient[]) out.push({ ...c, instance: r.instanceId });
		return out;
	}

	/** Tell every display (or those of one token name) to reload; returns how many were connected. */
	reload(name?: string): Promise<number> {
		return this.command({ type: 'reload' }, name);
	}

	/**
	 * Send a control message (`reload`, or `revoked` when a display token is revoked) to every
	 * display of every instance, or to those of one token name; returns how many were connected.
	 */
	async command(msg: { type: WallCommand }, name?: string): Promise<number> {
		const n = (await this.list()).filter((c) => !name || c.name === name).length;
		if (this.deps.notify) await this.deps.db.execute(sql`select pg_notify(${WALLS_CHANNEL}, ${JSON.stringify({ msg, name: name ?? null })})`);
		else this.deps.local?.command(msg, name);
		return n;
	}

	/** Carry out a notification on this instance's displays (PostgreSQL: every instance listens). */
	onNotify(payload: string): void {
		try {
			const { msg, name } = JSON.parse(payload) as { msg?: { type?: unknown }; name?: string | null };
			if (msg && WALL_COMMANDS.includes(msg.type as WallCommand)) this.deps.local?.command({ type: msg.type }, name ?? undefined);
		} catch {
			/* not ours */
		}
	}

	/** On a clean stop: this instance's displays are gone. */
	async clear(): Promise<void> {
		await this.deps.db.delete(instanceWalls).where(eq(instanceWalls.instanceId, this.deps.instanceId));
	}
}
