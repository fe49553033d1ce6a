/**
 * Opens the database: embedded PGlite in DATA_DIR (guarded by a lock file, since two
 * processes on one PGlite directory corrupt it) or PostgreSQL at DATABASE_URL. Applies the
 * drizzle-kit migrations and makes sure the log head exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { Durability } from './durability';
import { PGliteRemote } from './pglite-remote';
import { schema } from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Tx;

export interface DbHandle {
	db: Database;
	kind: 'pglite' | 'postgres';
	/** Subscribe to a NOTIFY channel (PostgreSQL only; PGlite has one process). */
	listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
	/** Run `fn` while holding a session-level advisory lock if it can be had now; false otherwise. */
	tryLeadership(): Promise<boolean>;
	/** Make the commits made so far durable on disk (PGlite runs with fsync off; PostgreSQL: no-op). */
	flushCommits(): Promise<void>;
	/** Flush every changed database file to disk (PGlite; PostgreSQL: no-op). */
	sweep(): Promise<void>;
	/** Apply the drizzle-kit migrations (serialized across instances on PostgreSQL). */
	migrate(migrationsFolder: string): Promise<void>;
	close(): Promise<void>;
}

export class DataDirLockedError extends Error {}

/** Take `DATA_DIR/hallwatch.lock` or explain who holds it. Returns a release function. */
export function lockDataDir(dataDir: string): () => void {
	fs.mkdirSync(dataDir, { recursive: true });
	const file = path.join(dataDir, 'hallwatch.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = fs.openSync(file, 'wx', 0o600);
			fs.writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
			fs.closeSync(fd);
			return () => {
				try {
					const held = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
					if (held.pid === process.pid) fs.unlinkSync(file);
				} catch {
					/* already gone */
				}
			};
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			let holder: { pid?: number; startedAt?: string } = {};
			try {
				holder = JSON.parse(fs.readFileSync(file, 'utf8'));
			} catch {
				/* unreadable: treat as stale */
			}
			if (holder.pid && holder.pid !== process.pid && isAlive(holder.pid))
				throw new DataDirLockedError(
					`DATA_DIR ${dataDir} is in use by another Hallwatch (pid ${holder.pid}, started ${holder.startedAt ?? '?'}). ` +
						`Two processes on one embedded database corrupt it: stop the other one, or set DATA_DIR to another folder. ` +
						`Operator commands (npm run key/token/admin) talk to the running server instead.`
				);
			fs.rmSync(file, { force: true }); // stale lock from a crashed process
		}
	}
	throw new DataDirLockedError(`could not take the lock ${file}`);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export interface OpenOptions {
	databaseUrl: string | null;
	dataDir: string;
	migrationsFolder: string;
	/** Skip the data-dir lock (never for a server). */
	noLock?: boolean;
}

const LEADER_LOCK_KEY = 0x4841_4c4c; // "HALL"

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
	const handle = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts);
	await migrateAndSeedHead(handle, opts.migrationsFolder);
	return handle;
}

async function openPglite(opts: OpenOptions): Promise<DbHandle> {
	const release = opts.noLock ? () => {} : lockDataDir(opts.dataDir);
	try {
		const { drizzle } = await import('drizzle-orm/pglite');
		const pgDir = path.join(opts.dataDir, 'pg');
		// PGlite runs every query synchronously in WASM: in a worker thread of its own it never holds
		// up the event loop (pglite-worker.js, next to the migrations' project root: outside the bundle).
		const pg = await PGliteRemote.open(path.join(path.dirname(opts.migrationsFolder), 'src', 'lib', 'server', 'db', 'pglite-worker.js'), pgDir);
		const db = drizzle({ client: pg as never, schema }) as unknown as Database;
		const durability = new Durability(pgDir);
		return {
			db,
			kind: 'pglite',
			flushCommits: () => durability.flushWal(),
			sweep: () => durability.sweep(),
			listen: async () => async () => {},
			tryLeadership: async () => true,
			async migrate(migrationsFolder) {
				const { migrate } = await import('drizzle-orm/pglite/migrator');
				await migrate(db as never, { migrationsFolder });
			},
			close: async () => {
				try {
					await pg.close();
				} finally {
					release();
				}
			}
		};
	} catch (err) {
		release();
		throw err;
	}
}

async function openPostgres(url: string): Promise<DbHandle> {
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const client = postgres(url, { max: 10, onnotice: () => {}, idle_timeout: 60, connect_timeout: 10 });
	const db = drizzle(client, { schema }) as unknown as Database;
	let leaderConn: Awaited<ReturnType<typeof client.reserve>> | null = null;
	return {
		db,
		kind: 'postgres',
		flushCommits: async () => {},
		sweep: async () => {},
		async listen(channel, onPayload) {
			const sub = await client.listen(channel, onPayload);
			return async () => sub.unlisten();
		},
		async tryLeadership() {
			if (leaderConn) {
				// Still holding the session lock if the reserved connection is alive.
				try {
					await leaderConn`select 1`;
					return true;
				} catch {
					leaderConn = null;
				}
			}
			const conn = await client.reserve();
			const [row] = await conn`select pg_try_advisory_lock(${LEADER_LOCK_KEY}) as ok`;
			if (row.ok) {
				leaderConn = conn;
				return true;
			}
			conn.release();
			return false;
		},
		async migrate(migrationsFolder) {
			const { migrate } = await import('drizzle-orm/postgres-js/migrator');
			// Instances starting together take turns on a session advisory lock.
			const conn = await client.reserve();
			try {
				await conn`select pg_advisory_lock(${LEADER_LOCK_KEY + 1})`;
				await migrate(db as never, { migrationsFolder });
			} finally {
				await conn`select pg_advisory_unlock(${LEADER_LOCK_KEY + 1})`.catch(() => {});
				conn.release();
			}
		},
		async close() {
			if (leaderConn) {
				try {
					await leaderConn`select pg_advisory_unlock(${LEADER_LOCK_KEY})`;
				} catch {
					/* connection gone: the lock went with it */
				}
				leaderConn.release();
			}
			await client.end({ timeout: 5 });
		}
	};
}

async function migrateAndSeedHead(handle: DbHandle, migrationsFolder: string): Promise<void> {
	await handle.migrate(migrationsFolder);
	await handle.db.execute(sql`insert into log_head (id, seq) values (1, 0) on conflict (id) do nothing`);
}

/** Is this error the database being unreachable (as opposed to a bad query)? */
export function isUnavailable(err: unknown): boolean {
	const e = err as { code?: string; message?: string } | undefined;
	if (!e) return false;
	const code = e.code ?? '';
	return (
		['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT'].includes(code) ||
		code.startsWith('57P') || // admin shutdown, cannot connect now
		code.startsWith('08') || // connection exception
		/PGlite is closed|database system is shutting down/i.test(e.message ?? '')
	);
}

/** Rows of a raw `db.execute` result: PGlite returns `{ rows }`, postgres-js an array. */
export function rowsOf<T>(result: unknown): T[] {
	const r = result as { rows?: T[] };
	return Array.isArray(r) ? (r as T[]) : (r.rows ?? []);
}

type DriverClient = {
	unsafe?: (text: string, params: unknown[], opts: { prepare: boolean }) => Promise<Array<Record<string, unknown>>>;
	query?: (text: string, params: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;
};

/**
 * The driver's own parameterized query inside `tx`, for the ingest hot path. drizzle's `execute`
 * sends every statement unnamed, and postgres.js then asks the server for the parameter types
 * before each one (a round trip and a parse per request); here the statement is prepared once per
 * connection and reused. PGlite runs in-process: its query as is. (Relies on drizzle's session
 * holding the driver's client as `client`, checked here so an upgrade that changes it fails loudly.)
 */
export function driverQuery(tx: Tx): (text: string, params: unknown[]) => Promise<Array<Record<string, unknown>>> {
	const client = (tx as unknown as { session?: { client?: DriverClient } }).session?.client;
	if (client && typeof client.unsafe === 'function') {
		const unsafe = client.unsafe.bind(client);
		return (text, params) => unsafe(text, params, { prepare: true });
	}
	if (client && typeof client.query === 'function') {
		const query = client.query.bind(client);
		return async (text, params) => (await query(text, params)).rows;
	}
	throw new Error('driverQuery: this drizzle session has no driver client (drizzle-orm changed its internals?)');
}
