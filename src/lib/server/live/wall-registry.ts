/**
 * The wall displays of every server instance. A display's socket reaches one instance (several
 * run on PostgreSQL), but the admin console and `npm run walls` must list and reload them all:
 * the list is this instance's hub plus the other instances' rows of `instance_presence`
 * (InstancePresence), and a reload is a NOTIFY that every instance (this one included) carries
 * out on its own displays. On PGlite there is one instance: it reloads its own hub directly.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { WallClient, WallCommand } from '../../live/protocol';
import type { InstancePresence } from './instance-presence';

export type { WallCommand };
export const WALLS_CHANNEL = 'hallwatch_walls';
/** The commands a display acts on (protocol.ts `CommandMessage`). */
const WALL_COMMANDS: readonly WallCommand[] = ['reload', 'revoked'];

/** What the registry needs of this instance's stream hub. */
export interface LocalWalls {
	listClients(): WallClient[];
	command(type: WallCommand, name?: string): number;
}

/** A connected display and the instance it is connected to. */
export type ListedWall = WallClient & { instance: string };

interface Deps {
	db: Database;
	/** Every instance's connected terminals and walls. */
	presence: InstancePresence;
	/** This instance's hub; absent in the CLI (PostgreSQL), which only reads and notifies. */
	local?: LocalWalls;
	/** Whether commands go by NOTIFY (PostgreSQL), to every instance listening on WALLS_CHANNEL. */
	notify: boolean;
}

export class WallRegistry {
	constructor(private deps: Deps) {}

	/** Every connected display: this instance's as they are now, the others' as last written. */
	async list(): Promise<ListedWall[]> {
		const { presence, local } = this.deps;
		const out: ListedWall[] = (local?.listClients() ?? []).map((c) => ({ ...c, instance: presence.instanceId }));
		for (const r of await presence.others()) for (const c of r.walls) out.push({ ...c, instance: r.instanceId });
		return out;
	}

	/**
	 * Send a control message (`reload`, or `revoked` when a display token is revoked) to every
	 * display of every instance, or to those of one token name; returns how many were connected.
	 */
	async command(msg: { type: WallCommand }, name?: string): Promise<number> {
		const n = (await this.list()).filter((c) => !name || c.name === name).length;
		if (this.deps.notify) await this.deps.db.execute(sql`select pg_notify(${WALLS_CHANNEL}, ${JSON.stringify({ msg, name: name ?? null })})`);
		else this.deps.local?.command(msg.type, name);
		return n;
	}

	/** Carry out a notification on this instance's displays (PostgreSQL: every instance listens). */
	onNotify(payload: string): void {
		try {
			const { msg, name } = JSON.parse(payload) as { msg?: { type?: unknown }; name?: string | null };
			if (msg && WALL_COMMANDS.includes(msg.type as WallCommand)) this.deps.local?.command(msg.type as WallCommand, name ?? undefined);
		} catch {
			/* not ours */
		}
	}
}
