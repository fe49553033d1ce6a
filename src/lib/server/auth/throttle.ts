/**
 * The sign-in throttle (登录失败处理, 等保 2.0): failures are counted per account *and source
 * address*, so guessing from one address stops that address for that account, and the owner
 * signing in from an address that has not failed still gets in. Three counters, one table
 * (`login_throttle`, one row per key, a counting window each):
 *
 * - `pair:NAME|ADDR` — `pairFailures` failures stop this address for this account for `lockMs`;
 * - `ip:ADDR` — `ipFailures` failures (any accounts) stop the address altogether;
 * - `user:NAME` — failures from every address. Past `accountFailures` the account is *under
 *   attack*: it is never locked (that would hand outsiders the power to keep its owner out),
 *   every attempt on it is slowed instead (a delay before the password is even checked, doubling
 *   up to `maxDelayMs`), and the admins are told once per window (`underAttack` in the answer;
 *   the caller audits it).
 *
 * Unknown accounts are counted the same way as known ones, so the throttle tells nobody which
 * accounts exist. An admin's unlock clears the account's counter and every pair of it.
 */
import { eq, like, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Executor } from '../db/client';
import { loginThrottle } from '../db/schema';

export interface ThrottlePolicy {
	/** Failures of one account from one address, within the window, that stop that address for it. */
	pairFailures: number;
	/** Failures from one address within the window that stop the address. */
	ipFailures: number;
	/** Failures of one account from all addresses within the window past which it is slowed. */
	accountFailures: number;
	windowMs: number;
	lockMs: number;
	/** Longest delay of an attempt on an account under attack. */
	maxDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { pairFailures: 5, ipFailures: 30, accountFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxDelayMs: 4000 };

/** The policy of the configuration (`LOGIN_*`): a stop lasts as long as its counting window. */
export function throttlePolicy(c: Pick<Config, 'loginUserFailures' | 'loginIpFailures' | 'loginAccountFailures' | 'loginLockMinutes'>): ThrottlePolicy {
	const ms = c.loginLockMinutes * 60_000;
	return { pairFailures: c.loginUserFailures, ipFailures: c.loginIpFailures, accountFailures: c.loginAccountFailures, windowMs: ms, lockMs: ms, maxDelayMs: DEFAULT_THROTTLE.maxDelayMs };
}

export type Gate =
	/** Go ahead, after `delayMs` (0 unless the account is under attack). */
	| { ok: true; delayMs: number }
	| { ok: false; reason: 'locked' | 'ip_blocked'; until: Date };

const userKey = (username: string) => `user:${username.toLowerCase()}`;
const pairKey = (username: string, ip: string | null) => `pair:${username.toLowerCase()}|${ip ?? 'unknown'}`;
const ipKey = (ip: string) => `ip:${ip}`;

export class LoginThrottle {
	constructor(
		private db: Executor,
		readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
		private now: () => number = Date.now
	) {}

	/** May this attempt go ahead, and after how long? */
	async gate(username: string, ip: string | null): Promise<Gate> {
		const now = this.now();
		const keys = [userKey(username), pairKey(username, ip), ...(ip ? [ipKey(ip)] : [])];
		const rows = await this.db.select().from(loginThrottle).where(sql`${loginThrottle.key} in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`);
		let delayMs = 0;
		for (const r of rows) {
			if (r.lockedUntil && r.lockedUntil.getTime() > now && !r.key.startsWith('user:')) return { ok: false, reason: r.key.startsWith('ip:') ? 'ip_blocked' : 'locked', until: r.lockedUntil };
			const current = r.windowStart.getTime() > now - this.policy.windowMs;
			if (r.key.startsWith('user:') && current && r.failures >= this.policy.accountFailures)
				delayMs = Math.min(this.policy.maxDelayMs, 250 * 2 ** Math.min(10, r.failures - this.policy.accountFailures + 1));
		}
		return { ok: true, delayMs };
	}

	/**
	 * Count a failure. Returns what is left for this address and account before it is stopped,
	 * and `underAttack` once per window, when the account's count reaches the attack threshold.
	 */
	async failed(username: string, ip: string | null): Promise<{ remaining: number; stoppedUntil: Date | null; underAttack: boolean; accountFailures: number }> {
		const pair = await this.count(pairKey(username, ip), this.policy.pairFailures);
		if (ip) await this.count(ipKey(ip), this.policy.ipFailures);
		const account = await this.count(userKey(username), null);
		return {
			remaining: Math.max(0, this.policy.pairFailures - pair.failures),
			stoppedUntil: pair.lockedUntil,
			underAttack: account.failures === this.policy.accountFailures,
			accountFailures: account.failures
		};
	}

	/** A correct password from this address: its pair starts over (the account's counter runs out by itself). */
	async succeeded(username: string, ip: string | null): Promise<void> {
		await this.db.delete(loginThrottle).where(eq(loginThrottle.key, pairKey(username, ip)));
	}

	/** The admin lifts every stop of an account (all its addresses) and its attack counter. */
	async unlock(username: string): Promise<boolean> {
		const name = username.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c);
		const a = await this.db.delete(loginThrottle).where(eq(loginThrottle.key, userKey(username))).returning({ key: loginThrottle.key });
		const b = await this.db.delete(loginThrottle).where(like(loginThrottle.key, `pair:${name}|%`)).returning({ key: loginThrottle.key, lockedUntil: loginThrottle.lockedUntil });
		return a.length > 0 || b.some((r) => r.lockedUntil && r.lockedUntil.getTime() > this.now());
	}

	/** Accounts with an address stopped now (latest stop), for the admin's list. */
	async stopped(): Promise<Map<string, Date>> {
		const out = new Map<string, Date>();
		const rows = await this.db.select().from(loginThrottle).where(sql`${loginThrottle.key} like 'pair:%' and ${loginThrottle.lockedUntil} > ${new Date(this.now()).toISOString()}::timestamptz`);
		for (const r of rows) {
			const name = r.key.slice(5, r.key.lastIndexOf('|'));
			const prev = out.get(name);
			if (!prev || prev < r.lockedUntil!) out.set(name, r.lockedUntil!);
		}
		return out;
	}

	/** Accounts under attack now (past `accountFailures` within the window), for the alert rules. */
	async underAttack(): Promise<Array<{ username: string; failures: number; since: number }>> {
		const windowStart = new Date(this.now() - this.policy.windowMs).toISOString();
		const rows = await this.db
			.select()
			.from(loginThrottle)
			.where(sql`${loginThrottle.key} like 'user:%' and ${loginThrottle.failures} >= ${this.policy.accountFailures} and ${loginThrottle.windowStart} >= ${windowStart}::timestamptz`);
		return rows.map((r) => ({ username: r.key.slice(5), failures: r.failures, since: r.windowStart.getTime() }));
	}

	/** Count one failure under `key`; stop the key when it reaches `limit` (null: never). */
	private async count(key: string, limit: number | null): Promise<{ failures: number; lockedUntil: Date | null }> {
		const now = new Date(this.now());
		// Dates inside sql`` go as text: postgres-js does not serialize Date parameters there.
		const windowStart = sql`${new Date(this.now() - this.policy.windowMs).toISOString()}::timestamptz`;
		const nowSql = sql`${now.toISOString()}::timestamptz`;
		const [row] = await this.db
			.insert(loginThrottle)
			.values({ key, failures: 1, windowStart: now })
			.onConflictDoUpdate({
				target: loginThrottle.key,
				set: {
					// A new window once the old one passed.
					failures: sql`case when ${loginThrottle.windowStart} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
					windowStart: sql`case when ${loginThrottle.windowStart} < ${windowStart} then ${nowSql} else ${loginThrottle.windowStart} end`
				}
			})
			.returning();
		if (limit !== null && row.failures >= limit) {
			const until = new Date(this.now() + this.policy.lockMs);
			await this.db.update(loginThrottle).set({ lockedUntil: until, failures: 0, windowStart: now }).where(eq(loginThrottle.key, key));
			return { failures: row.failures, lockedUntil: until };
		}
		return { failures: row.failures, lockedUntil: null };
	}
}
