/**
 * Configuration from the environment (spec §4). Read once at start-up; nothing else reads
 * process.env. Secrets (DATABASE_URL passwords) are never logged: use `describeDatabase`.
 */
import path from 'node:path';

export interface Config {
	port: number;
	host: string;
	/** PGlite files and the lock/control socket live here (embedded mode). */
	dataDir: string;
	/** PostgreSQL URL; when set PGlite is not used. */
	databaseUrl: string | null;
	/** `on`, `off`, or `auto` (on only for an empty embedded database). */
	simulate: 'on' | 'off' | 'auto';
	/** Project root (migrations folder is `<root>/drizzle`). */
	rootDir: string;
	/** Requests per second per ingest key before 429. */
	ingestRatePerSec: number;
	/** How often the projection checkpoints (ms) — also after this many events. */
	checkpointEveryMs: number;
	checkpointEveryEvents: number;
	/** How often the changed buckets go to the rollups (ms; and at every checkpoint). */
	rollupsEveryMs: number;
	/** Stream deltas are coalesced to at most one message per client per this many ms. */
	streamFlushMs: number;
	heartbeatMs: number;
	/** Period of the deadline judge (presence checks, cases, hotline tickets). */
	deriveEveryMs: number;
	/** Simulator speed multiplier on event volume (demo/load). */
	simulateIntensity: number;
	/** Listen for operator commands on a local socket (embedded mode). */
	controlSocket: boolean;
	/** Session lifetime in days; a session used in its second half slides to a full lifetime. */
	sessionDays: number;
	/**
	 * Failed sign-ins within the window that stop one address for one account, that stop an
	 * address altogether, and (from all addresses) past which an account is slowed, never locked.
	 */
	loginUserFailures: number;
	loginIpFailures: number;
	loginAccountFailures: number;
	/** Minutes a lock or block lasts (also the counting window). */
	loginLockMinutes: number;
	/** The public URL (`ORIGIN`) behind a reverse proxy; null: each request's own scheme and host. */
	origin: string | null;
	/** `ALERTS=off`: the alert rules raise nothing (deliveries of what was raised still go out). */
	alerts: boolean;
	/** How often the alert rules judge (ms). */
	alertsEveryMs: number;
	/** How often the delivery worker looks for due deliveries (ms). */
	deliverEveryMs: number;
	/** First retry of a failed delivery after this long (ms), doubling up to an hour. */
	deliveryRetryBaseMs: number;
	/** A delivery still failing this long (ms) after it was due is dead (at least 24 h). */
	deliveryRetryForMs: number;
	/** Time out a receiver after this long (ms). */
	deliveryTimeoutMs: number;
}

function int(v: string | undefined, dflt: number, name: string): number {
	if (v === undefined || v === '') return dflt;
	const n = Number(v);
	if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: expected a non-negative number, found "${v}"`);
	return n;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const rootDir = path.resolve(env.HALLWATCH_ROOT ?? process.cwd());
	const sim = (env.SIMULATE ?? '').toLowerCase();
	return {
		port: int(env.PORT, 3000, 'PORT'),
		host: env.HOST || '0.0.0.0',
		dataDir: path.resolve(rootDir, env.DATA_DIR || 'data'),
		databaseUrl: env.DATABASE_URL || null,
		simulate: sim === '0' || sim === 'off' || sim === 'false' ? 'off' : sim === '1' || sim === 'on' || sim === 'true' ? 'on' : 'auto',
		rootDir,
		ingestRatePerSec: int(env.INGEST_RATE_LIMIT, 200, 'INGEST_RATE_LIMIT'),
		checkpointEveryMs: int(env.CHECKPOINT_EVERY_MS, 300_000, 'CHECKPOINT_EVERY_MS'),
		checkpointEveryEvents: int(env.CHECKPOINT_EVERY_EVENTS, 100_000, 'CHECKPOINT_EVERY_EVENTS'),
		rollupsEveryMs: int(env.ROLLUPS_EVERY_MS, 5000, 'ROLLUPS_EVERY_MS'),
		streamFlushMs: int(env.STREAM_FLUSH_MS, 100, 'STREAM_FLUSH_MS'),
		heartbeatMs: int(env.HEARTBEAT_MS, 10000, 'HEARTBEAT_MS'),
		deriveEveryMs: int(env.DERIVE_EVERY_MS, 1000, 'DERIVE_EVERY_MS'),
		simulateIntensity: int(env.SIMULATE_INTENSITY, 1, 'SIMULATE_INTENSITY'),
		controlSocket: env.CONTROL_SOCKET !== '0',
		sessionDays: int(env.SESSION_DAYS, 7, 'SESSION_DAYS'),
		loginUserFailures: int(env.LOGIN_USER_FAILURES, 5, 'LOGIN_USER_FAILURES'),
		loginIpFailures: int(env.LOGIN_IP_FAILURES, 30, 'LOGIN_IP_FAILURES'),
		loginAccountFailures: int(env.LOGIN_ACCOUNT_FAILURES, 4 * int(env.LOGIN_USER_FAILURES, 5, 'LOGIN_USER_FAILURES'), 'LOGIN_ACCOUNT_FAILURES'),
		loginLockMinutes: int(env.LOGIN_LOCK_MINUTES, 15, 'LOGIN_LOCK_MINUTES'),
		origin: env.ORIGIN || null,
		alerts: !['0', 'off', 'false'].includes((env.ALERTS ?? '').toLowerCase()),
		alertsEveryMs: int(env.ALERTS_EVERY_MS, 5000, 'ALERTS_EVERY_MS'),
		deliverEveryMs: int(env.DELIVER_EVERY_MS, 1000, 'DELIVER_EVERY_MS'),
		deliveryRetryBaseMs: int(env.DELIVERY_RETRY_BASE_MS, 10_000, 'DELIVERY_RETRY_BASE_MS'),
		deliveryRetryForMs: int(env.DELIVERY_RETRY_FOR_MS, 24 * 3_600_000, 'DELIVERY_RETRY_FOR_MS'),
		deliveryTimeoutMs: int(env.DELIVERY_TIMEOUT_MS, 10_000, 'DELIVERY_TIMEOUT_MS')
	};
}

/** A database description safe for logs (no password). */
export function describeDatabase(cfg: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
	if (!cfg.databaseUrl) return `PGlite (embedded) in ${cfg.dataDir}`;
	try {
		const u = new URL(cfg.databaseUrl);
		return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
	} catch {
		return 'PostgreSQL';
	}
}
