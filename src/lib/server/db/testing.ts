/**
 * Databases for tests of server modules: an embedded PGlite in a temp dir, and a fresh
 * PostgreSQL database when TEST_DATABASE_URL is set (CI sets it). Migrations applied.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from './client';

export type TestBackend = 'pglite' | 'postgres';
export const TEST_BACKENDS: TestBackend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestDatabase(kind: TestBackend): Promise<{ handle: DbHandle; cleanup(): Promise<void> }> {
	const migrationsFolder = path.resolve('drizzle');
	if (kind === 'pglite') {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-db-'));
		const handle = await openDatabase({ databaseUrl: null, dataDir, migrationsFolder });
		return {
			handle,
			async cleanup() {
				await handle.close();
				fs.rmSync(dataDir, { recursive: true, force: true });
			}
		};
	}
	const base = process.env.TEST_DATABASE_URL!;
	const name = `hw_unit_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const u = new URL(base);
	u.pathname = `/${name}`;
	const handle = await openDatabase({ databaseUrl: u.toString(), dataDir: os.tmpdir(), migrationsFolder });
	return {
		handle,
		async cleanup() {
			await handle.close();
			const a = postgres(base, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}
