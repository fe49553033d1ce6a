/**
 * The hotline's category time limits (办理时限, working days): one row of the `settings` table
 * (`hotline`), read when a ticket is dispatched or the console opens, so every instance sees an
 * admin's change at once (no cache to invalidate).
 */
import { eq } from 'drizzle-orm';
import { parseHotlineSettings, type HotlineSettings } from '../../domain/hotline';
import type { Executor } from '../db/client';
import { settings } from '../db/schema';

export const HOTLINE_KEY = 'hotline';
/** NOTIFY channel of a change (PostgreSQL): every instance reloads the weights its live figures use. */
export const HOTLINE_CHANNEL = 'hallwatch_hotline';

export async function loadHotlineSettings(db: Executor): Promise<{ settings: HotlineSettings; errors: string[] }> {
	const [row] = await db.select().from(settings).where(eq(settings.key, HOTLINE_KEY));
	return parseHotlineSettings(row?.value ?? null);
}

export async function saveHotlineSettings(db: Executor, value: HotlineSettings): Promise<void> {
	await db
		.insert(settings)
		.values({ key: HOTLINE_KEY, value })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}
