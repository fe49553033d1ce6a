/**
 * Which staff members have a window terminal open, across server instances (PostgreSQL runs
 * any number of them; a window PC's socket reaches one). A presence check records whether its
 * staff member had a terminal open when the round started ("not at terminal" when missed), and
 * a supervisor's round may be started on any instance: so each instance writes the staff of its
 * own terminals to `terminal_presence` every heartbeat and at once when one connects or leaves,
 * and reads everyone's rows seen within `staleMs` (an instance that died stops counting then).
 */
import { and, eq, gte, lt, ne, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { terminalPresence } from '../db/schema';

interface Deps {
	db: Database;
	/** This instance, unique among those sharing the database. */
	instanceId: string;
	/** Staff with a terminal connected to this instance now. */
	local: () => Set<string>;
	/** Rows older than this are not counted (default 30 s: three missed heartbeats). */
	staleMs?: number;
	now?: () => number;
}

/** Rows of instances gone for this long are deleted. */
const FORGET_MS = 24 * 3_600_000;

export class TerminalRegistry {
	private staleMs: number;
	private now: () => number;
	private pending: Promise<void> | null = null;
	private again = false;

	constructor(private deps: Deps) {
		this.staleMs = deps.staleMs ?? 30_000;
		this.now = deps.now ?? Date.now;
	}

	/** Write this instance's terminals (coalesced: one write at a time, one more if asked meanwhile). */
	sync(): Promise<void> {
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
		const { db, instanceId } = this.deps;
		const staff = [...this.deps.local()];
		const at = new Date(this.now());
		const t = terminalPresence;
		await db.transaction(async (tx) => {
			await tx.delete(t).where(staff.length ? and(eq(t.instanceId, instanceId), notInArray(t.staffCode, staff)) : eq(t.instanceId, instanceId));
			if (staff.length)
				await tx
					.insert(t)
					.values(staff.map((staffCode) => ({ instanceId, staffCode, seenAt: at })))
					.onConflictDoUpdate({ target: [t.instanceId, t.staffCode], set: { seenAt: sql`excluded.seen_at` } });
			await tx.delete(t).where(lt(t.seenAt, new Date(at.getTime() - FORGET_MS)));
		});
	}

	/** Staff with a terminal open now: this instance's, and other instances' seen lately. */
	async connected(): Promise<Set<string>> {
		const out = new Set(this.deps.local());
		const t = terminalPresence;
		const rows = await this.deps.db
			.select({ staffCode: t.staffCode })
			.from(t)
			.where(and(ne(t.instanceId, this.deps.instanceId), gte(t.seenAt, new Date(this.now() - this.staleMs))));
		for (const r of rows) out.add(r.staffCode);
		return out;
	}

	/** On shutdown: this instance's terminals are gone. */
	async clear(): Promise<void> {
		await this.pending?.catch(() => {});
		await this.deps.db.delete(terminalPresence).where(eq(terminalPresence.instanceId, this.deps.instanceId));
	}

}
