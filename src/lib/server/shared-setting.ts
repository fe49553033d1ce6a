/**
 * A value every instance keeps in memory and loads from the database: the org data, the card
 * rules with the calendar and the scoring rules. There is one path that applies a new value
 * (`apply`: load, keep, tell the listeners); `reload` is that path after a change saved here,
 * followed by a NOTIFY so every other instance takes the same path (PostgreSQL).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from './db/client';

export class SharedSetting<T> {
	private listeners: Array<(value: T) => void> = [];

	private constructor(
		private readonly handle: DbHandle,
		private readonly channel: string,
		private readonly load: () => Promise<T>,
		private value: T
	) {}

	/** Load the value once (start-up). */
	static async open<T>(handle: DbHandle, channel: string, load: () => Promise<T>): Promise<SharedSetting<T>> {
		return new SharedSetting(handle, channel, load, await load());
	}

	get(): T {
		return this.value;
	}

	/** Called with every new value, here or from another instance. */
	onChange(fn: (value: T) => void): void {
		this.listeners.push(fn);
	}

	/** Load and apply the stored value: the one path, for changes made here and NOTIFYs alike. */
	async apply(): Promise<void> {
		this.value = await this.load();
		for (const fn of this.listeners) fn(this.value);
	}

	/** A change was saved here: apply it, and tell the other instances to. */
	async reload(): Promise<void> {
		await this.apply();
		if (this.handle.kind === 'postgres') await this.handle.db.execute(sql`select pg_notify(${this.channel}, '')`);
	}

	/** Apply on every NOTIFY of another instance (PostgreSQL); returns the unlisten function. */
	listen(log: (msg: string) => void): Promise<() => Promise<void>> {
		return this.handle.listen(this.channel, () => void this.apply().catch((err) => log(`${this.channel}: reload failed: ${(err as Error).message}`)));
	}
}
