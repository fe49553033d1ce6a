/**
 * What each server instance has connected that the other instances must know of. PostgreSQL
 * runs any number of instances and a socket reaches one of them, yet:
 * - a presence round may start on any instance and records whether each staff member had a
 *   window terminal open ("not at terminal" when missed);
 * - the admin console and `npm run walls` list and reload the wall displays of every instance.
 * So each instance writes one row of `instance_presence` (its terminals' staff and its walls)
 * every heartbeat, and at once when a terminal connects or leaves. Readers take their own lists
 * live and the other instances' rows seen within `staleMs` (an instance that died stops counting
 * then). Rows of instances gone for a day are deleted. On PGlite there is one instance; the row
 * is written all the same (cheap) so the code path is the one PostgreSQL runs.
 */
import { and, eq, gte, lt, ne } from 'drizzle-orm';
import type { Database } from '../db/client';
import { instancePresence } from '../db/schema';
import type { WallClient } from '../../live/protocol';

/** One instance's connected terminals (staff codes) and wall displays. */
export interface InstanceLists {
	terminals: string[];
	walls: WallClient[];
}

export interface InstanceRow extends InstanceLists {
	instanceId: string;
}

interface Deps {
	db: Database;
	/** This instance, unique among those sharing the database. */
	instanceId: string;
	/** This instance's lists now; absent in the CLI, which only reads. */
	local?: () => InstanceLists;
	/** Other instances' rows older than this are not counted (default 30 s: three missed heartbeats). */
	staleMs?: number;
	now?: () => number;
}

/** Rows of instances gone for this long are deleted. */
const FORGET_MS = 24 * 3_600_000;

export class InstancePresence {
	readonly instanceId: string;
	private staleMs: number;
	private now: () => number;
	private pending: Promise<void> | null = null;
	private again = false;

	constructor(private deps: Deps) {
		this.instanceId = deps.instanceId;
		this.staleMs = deps.staleMs ?? 30_000;
		this.now = deps.now ?? Date.now;
	}

	/** This instance's lists as they are now (empty in the CLI). */
	local(): InstanceLists {
		return this.deps.local?.() ?? { terminals: [], walls: [] };
	}

	/** Write this instance's row (coalesced: one write at a time, one more if asked meanwhile). */
	sync(): Promise<void> {
		if (!this.deps.local) return Promise.resolve();
		if (this.pending) {
			this.again = true;
			return this.pending;
		}
		this.pending = (async () => {
			try {
				do {
					this.again = false;
					await this.write();
				} while (this.again);
			} finally {
				this.pending = null;
			}
		})();
		return this.pending;
	}

	private async write(): Promise<void> {
		const { terminals, walls } = this.local();
		const at = new Date(this.now());
		const row = { seenAt: at, terminals, walls };
		const t = instancePresence;
		await this.deps.db
			.insert(t)
			.values({ instanceId: this.instanceId, ...row })
			.onConflictDoUpdate({ target: t.instanceId, set: row });
		await this.deps.db.delete(t).where(lt(t.seenAt, new Date(at.getTime() - FORGET_MS)));
	}

	/** The other instances' rows written within `staleMs`. */
	async others(): Promise<InstanceRow[]> {
		const t = instancePresence;
		return this.deps.db
			.select({ instanceId: t.instanceId, terminals: t.terminals, walls: t.walls })
			.from(t)
			.where(and(ne(t.instanceId, this.instanceId), gte(t.seenAt, new Date(this.now() - this.staleMs))));
	}

	/** Staff with a terminal open now, on any instance. */
	async connectedStaff(): Promise<Set<string>> {
		const out = new Set(this.local().terminals);
		for (const r of await this.others()) for (const s of r.terminals) out.add(s);
		return out;
	}

	/** On a clean stop: this instance's terminals and walls are gone. */
	async clear(): Promise<void> {
		await this.pending?.catch(() => {});
		await this.deps.db.delete(instancePresence).where(eq(instancePresence.instanceId, this.instanceId));
	}
}
