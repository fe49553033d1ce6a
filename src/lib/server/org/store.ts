/**
 * Org reference data: kept in memory as an OrgIndex for validation and projection, persisted
 * in the org tables, upserted by code (idempotent). Other instances reload on NOTIFY.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import { OrgIndex, type OrgData, type OrgKind } from '../../domain/org';
import { audit, type AuditEntry } from '../audit';
import type { Database, Executor } from '../db/client';
import { centers, departments, regions, staff, windows } from '../db/schema';

export const ORG_CHANNEL = 'hallwatch_org';

const TABLES = { regions, centers, departments, windows, staff } as const;

export async function loadOrg(db: Database): Promise<OrgIndex> {
	const [r, c, d, w, s] = await Promise.all([
		db.select().from(regions),
		db.select().from(centers),
		db.select().from(departments),
		db.select().from(windows),
		db.select().from(staff)
	]);
	const strip = <T extends Record<string, unknown>>(rows: T[]) =>
		rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k, v]) => k !== 'updatedAt' && v !== null)));
	return new OrgIndex({
		regions: strip(r),
		centers: strip(c),
		departments: strip(d),
		windows: strip(w),
		staff: strip(s)
	} as unknown as OrgData);
}

export interface UpsertCounts {
	regions: number;
	centers: number;
	departments: number;
	windows: number;
	staff: number;
}

/** Upsert every item by code in one transaction. Returns how many items of each kind were written. */
export async function upsertOrg(db: Executor, data: OrgData): Promise<UpsertCounts> {
	const counts = { regions: 0, centers: 0, departments: 0, windows: 0, staff: 0 };
	const run = async (tx: Executor) => {
		for (const kind of ['regions', 'centers', 'departments', 'windows', 'staff'] as OrgKind[]) {
			const items = data[kind] as Array<Record<string, unknown>>;
			if (!items.length) continue;
			const table = TABLES[kind];
			const columns = getTableColumns(table) as Record<string, { name: string }>;
			const cols = Object.keys(columns).filter((k) => k !== 'code' && k !== 'updatedAt');
			const set: Record<string, unknown> = { updatedAt: sql`now()` };
			for (const col of cols) set[col] = sql.raw(`excluded.${columns[col].name}`);
			for (let i = 0; i < items.length; i += 500) {
				const chunk = items.slice(i, i + 500).map((it) => {
					const row: Record<string, unknown> = { code: it.code };
					for (const col of cols) row[col] = it[col] ?? null;
					return row;
				});
				await (tx as Database)
					.insert(table)
					.values(chunk as never)
					.onConflictDoUpdate({ target: (table as typeof regions).code, set: set as never });
			}
			counts[kind] = items.length;
		}
	};
	if ('transaction' in db) await (db as Database).transaction(run);
	else await run(db);
	return counts;
}

/**
 * The one way org data is changed (the console's save and CSV import, `PUT /api/v1/org`): the
 * items and their audit entry in one transaction (both or neither), then the org reloaded here
 * and, through NOTIFY, on every other instance. `entry` gets the counts written.
 */
export async function saveOrg(deps: { db: Database; reloadOrg(): Promise<void> }, data: OrgData, entry: (counts: UpsertCounts) => AuditEntry): Promise<UpsertCounts> {
	const counts = await deps.db.transaction(async (tx) => {
		const written = await upsertOrg(tx, data);
		await audit(tx, entry(written));
		return written;
	});
	await deps.reloadOrg();
	return counts;
}
