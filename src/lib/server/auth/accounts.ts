/**
 * Accounts: passwords (argon2id), sign-in through the throttle (`throttle.ts`: per account and address),
 * and the admin's user management. Every change here is audited by the caller's route (who and
 * from where is only known there); this module returns the before/after it needs.
 */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, type Role, type UserScope } from '../../domain/roles';
import type { OrgIndex } from '../../domain/org';
import type { Executor } from '../db/client';
import { users } from '../db/schema';
import { weakness } from './password';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottlePolicy } from './throttle';
import { userFromRow, type SessionStore, type SessionUser } from './session';
import { UserError } from '../user-error';

const ARGON = { algorithm: 2 /* argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD = 10;

export const hashPassword = (password: string) => hash(password, ARGON);

/** A hash of a random password, verified against when the account does not exist (same cost). */
let dummyHash: Promise<string> | null = null;

/** An account change that cannot be made as asked; `field` names the form field. */
export class AccountError extends UserError {
	constructor(message: string, field = '', zh?: string) {
		super(message, field, zh);
	}
}

/** Chinese names of the account form's fields, for their errors. */
const FIELD_ZH: Record<string, string> = { username: '用户名', displayName: '姓名', roles: '角色', scopeKind: '范围', scopeCode: '范围', staffCode: '关联人员', password: '新密码', current: '当前密码', confirm: '确认密码' };
/** The account form's rules in Chinese, by the English text of the rule. */
const RULE_ZH: Record<string, string> = { '2–64 letters, digits, . _ -': '2–64 个字母、数字或 . _ -', 'at most 64 characters': '最多 64 个字符', 'choose at least one role': '请至少选择一个角色' };

export function oneTimePassword(): string {
	return randomBytes(12).toString('base64url');
}

/** Usernames this short (li, wu) are inside too many words to refuse every password that contains them. */
const MIN_NAME_IN_PASSWORD = 3;

/**
 * The rules for a password someone chooses: 10–200 characters, not the account's username
 * inside it, and not easy to guess (common passwords, keyboard patterns, repeats, sequences,
 * dates: zxcvbn, password.ts). The account's names count as words an attacker tries first.
 */
export function checkPassword(password: string, field = 'password', account: { username?: string; displayName?: string } = {}): void {
	const name = FIELD_ZH[field] ?? '密码';
	if (password.length < MIN_PASSWORD) throw new AccountError(`${field}: at least ${MIN_PASSWORD} characters`, field, `${name}至少 ${MIN_PASSWORD} 个字符`);
	if (password.length > 200) throw new AccountError(`${field}: at most 200 characters`, field, `${name}最多 200 个字符`);
	const username = account.username?.trim().toLowerCase() ?? '';
	if (username.length >= MIN_NAME_IN_PASSWORD && password.toLowerCase().includes(username))
		throw new AccountError(`${field}: must not contain the username`, field, `${name}不能包含用户名`);
	const why = weakness(password, [account.username ?? '', account.displayName ?? '']);
	if (why) throw new AccountError(`${field}: too easy to guess (${why.en}); choose a longer phrase of several unrelated words`, field, `${name}太容易被猜到（${why.zh}），请改用由几个不相关的词组成的较长短语`);
}

export type SignInResult =
	| { ok: true; user: SessionUser }
	/** Wrong password, unknown account or disabled account: one answer for all three. */
	| { ok: false; reason: 'invalid'; remaining: number; underAttack: boolean }
	| { ok: false; reason: 'locked' | 'ip_blocked'; until: Date };

/** The current password was refused too often from this address: like a stopped sign-in. */
export class ThrottledError extends AccountError {
	readonly status = 429;
	constructor(readonly until: Date) {
		super(`current: too many wrong passwords; try again after ${until.toISOString()}`, 'current', '当前密码错误次数过多，请稍后再试');
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Accounts {
	readonly throttle: LoginThrottle;

	constructor(
		private db: Executor,
		private sessions: SessionStore,
		policy: ThrottlePolicy = DEFAULT_THROTTLE,
		private now: () => number = Date.now
	) {
		this.throttle = new LoginThrottle(db, policy, now);
	}

	async count(): Promise<number> {
		const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(users);
		return Number(row.n);
	}

	/**
	 * Check a username and password from `ip`. Unknown and disabled accounts cost the same time,
	 * count failures the same way and answer the same as a wrong password, so neither the answer
	 * nor the throttle tells which accounts exist or are disabled.
	 */
	async signIn(username: string, password: string, ip: string | null): Promise<SignInResult> {
		const gate = await this.throttle.gate(username, ip);
		if (!gate.ok) return gate;
		if (gate.delayMs) await sleep(gate.delayMs);
		const [row] = await this.db.select().from(users).where(eq(users.username, username));
		dummyHash ??= hashPassword(oneTimePassword());
		const good = await verify(row?.passwordHash ?? (await dummyHash), password).catch(() => false);
		if (!row || !good || row.disabledAt) {
			const f = await this.throttle.failed(username, ip);
			if (f.stoppedUntil) return { ok: false, reason: 'locked', until: f.stoppedUntil };
			return { ok: false, reason: 'invalid', remaining: f.remaining, underAttack: f.underAttack };
		}
		await this.throttle.succeeded(username, ip);
		await this.db.update(users).set({ lastLoginAt: new Date(this.now()) }).where(eq(users.id, row.id));
		return { ok: true, user: userFromRow(row) };
	}

	/** Lift every stop of an account (admin). */
	unlock(username: string): Promise<boolean> {
		return this.throttle.unlock(username);
	}

	/** Accounts with an address stopped now, by lower-case name (the admin's list). */
	lockedUntil(): Promise<Map<string, Date>> {
		return this.throttle.stopped();
	}

	// ── Users ──────────────────────────────────────────────────────────────────

	async list() {
		return (await this.db.select().from(users).orderBy(asc(users.id))).map((r) => ({ ...userFromRow(r), disabledAt: r.disabledAt, lastLoginAt: r.lastLoginAt, createdAt: r.createdAt }));
	}

	/**
	 * People by name: each actor (`user:li`, `li`, `terminal:li`) → the account's name (李督查), or
	 * its username when it has none. Actors that are not accounts (system, a key) are left out.
	 */
	async namesOf(actors: Iterable<string>): Promise<Record<string, string>> {
		const wanted = new Map<string, string[]>();
		for (const a of new Set(actors)) {
			const u = a.replace(/^(user|terminal|cli):/, '');
			wanted.set(u, [...(wanted.get(u) ?? []), a]);
		}
		if (!wanted.size) return {};
		const rows = await this.db.select({ username: users.username, displayName: users.displayName }).from(users).where(inArray(users.username, [...wanted.keys()]));
		const out: Record<string, string> = {};
		for (const r of rows) for (const a of wanted.get(r.username) ?? []) out[a] = r.displayName || r.username;
		return out;
	}

	async get(id: number) {
		const [row] = await this.db.select().from(users).where(eq(users.id, id));
		return row ?? null;
	}

	/** Create an account. Without a password, a one-time password is returned (change at first sign-in). */
	async create(input: UserInput & { password?: string }, org: OrgIndex): Promise<{ user: SessionUser; oneTimePassword: string | null }> {
		const v = parseUserInput(input, org);
		const [dupe] = await this.db.select({ id: users.id }).from(users).where(eq(users.username, v.username));
		if (dupe) throw new AccountError(`username: "${v.username}" is taken`, 'username', `用户名“${v.username}”已被使用`);
		if (input.password) checkPassword(input.password, 'password', v);
		const password = input.password || oneTimePassword();
		const [row] = await this.db
			.insert(users)
			.values({
				username: v.username,
				displayName: v.displayName,
				passwordHash: await hashPassword(password),
				roles: v.roles,
				scopeKind: v.scope.kind,
				scopeCode: v.scope.kind === 'all' ? null : v.scope.code,
				staffCode: v.staffCode,
				mustChangePassword: !input.password
			})
			.returning();
		return { user: userFromRow(row), oneTimePassword: input.password ? null : password };
	}

	/**
	 * Change roles, scope, name or staff link. A change of roles or scope ends the user's
	 * sessions (they sign in again with the new rights). The last active administrator keeps the
	 * admin role (nobody would be left to manage the deployment). Returns before and after.
	 */
	async update(id: number, input: Omit<UserInput, 'username'>, org: OrgIndex) {
		const before = await this.get(id);
		if (!before) throw new AccountError('user: not found', 'id', '用户不存在');
		const v = parseUserInput({ ...input, username: before.username }, org);
		if (isActiveAdmin(before) && !v.roles.includes('admin') && (await this.otherActiveAdmins(id)) === 0)
			throw new AccountError('roles: this is the last active administrator; keep the admin role', 'roles', '这是最后一位在用的系统管理员，须保留管理员角色');
		const [row] = await this.db
			.update(users)
			.set({ displayName: v.displayName, roles: v.roles, scopeKind: v.scope.kind, scopeCode: v.scope.kind === 'all' ? null : v.scope.code, staffCode: v.staffCode, updatedAt: new Date(this.now()) })
			.where(eq(users.id, id))
			.returning();
		const b = userFromRow(before);
		const a = userFromRow(row);
		const rightsChanged = JSON.stringify([b.roles.slice().sort(), b.scope, b.staffCode]) !== JSON.stringify([a.roles.slice().sort(), a.scope, a.staffCode]);
		const ended = rightsChanged ? await this.sessions.invalidateUser(id) : 0;
		return { before: publicFields(b), after: publicFields(a), sessionsEnded: ended };
	}

	/**
	 * Disable or enable an account; disabling ends its sessions. Nobody disables their own account
	 * (`by`, the acting user's id), and the last active administrator stays enabled.
	 */
	async setDisabled(id: number, disabled: boolean, by?: number) {
		if (disabled && by === id) throw new AccountError('id: you cannot disable your own account', 'id', '不能停用自己的账户');
		const before = await this.get(id);
		if (!before) throw new AccountError('user: not found', 'id', '用户不存在');
		if (disabled && isActiveAdmin(before) && (await this.otherActiveAdmins(id)) === 0)
			throw new AccountError('id: this is the last active administrator', 'id', '这是最后一位在用的系统管理员，不能停用');
		await this.db
			.update(users)
			.set({ disabledAt: disabled ? new Date(this.now()) : null, updatedAt: new Date(this.now()) })
			.where(eq(users.id, id));
		const ended = disabled ? await this.sessions.invalidateUser(id) : 0;
		return { username: before.username, sessionsEnded: ended };
	}

	/** Admin reset: a new one-time password; all sessions end. */
	async resetPassword(id: number): Promise<{ username: string; oneTimePassword: string }> {
		const before = await this.get(id);
		if (!before) throw new AccountError('user: not found', 'id', '用户不存在');
		const password = oneTimePassword();
		await this.db
			.update(users)
			.set({ passwordHash: await hashPassword(password), mustChangePassword: true, passwordChangedAt: new Date(this.now()), updatedAt: new Date(this.now()) })
			.where(eq(users.id, id));
		await this.sessions.invalidateUser(id);
		await this.unlock(before.username);
		return { username: before.username, oneTimePassword: password };
	}

	/**
	 * The user changes their own password; every other session of theirs ends. The current
	 * password is checked through the sign-in throttle (per account and address), so a stolen
	 * session cannot be used to guess it.
	 */
	async changePassword(id: number, current: string, next: string, keepSession: string, ip: string | null): Promise<void> {
		const row = await this.get(id);
		if (!row) throw new AccountError('user: not found', 'id', '用户不存在');
		const gate = await this.throttle.gate(row.username, ip);
		if (!gate.ok) throw new ThrottledError(gate.until);
		if (gate.delayMs) await sleep(gate.delayMs);
		if (!(await verify(row.passwordHash, current).catch(() => false))) {
			const f = await this.throttle.failed(row.username, ip);
			if (f.stoppedUntil) throw new ThrottledError(f.stoppedUntil);
			throw new AccountError('current: the current password is wrong', 'current', '当前密码不正确');
		}
		await this.throttle.succeeded(row.username, ip);
		checkPassword(next, 'password', row);
		if (next === current) throw new AccountError('password: choose a password different from the current one', 'password', '新密码不能与当前密码相同');
		await this.db
			.update(users)
			.set({ passwordHash: await hashPassword(next), mustChangePassword: false, passwordChangedAt: new Date(this.now()), updatedAt: new Date(this.now()) })
			.where(eq(users.id, id));
		await this.sessions.invalidateUser(id, keepSession);
	}

	/** Are there admins left besides this one (never lock everyone out)? */
	async otherActiveAdmins(id: number): Promise<number> {
		const rows = await this.db
			.select({ id: users.id })
			.from(users)
			.where(and(sql`${users.roles} @> '["admin"]'::jsonb`, sql`${users.disabledAt} is null`, sql`${users.id} <> ${id}`));
		return rows.length;
	}
}

const isActiveAdmin = (row: { roles: unknown; disabledAt: Date | null }) => !row.disabledAt && (row.roles as string[]).includes('admin');

const publicFields = (u: SessionUser) => ({ displayName: u.displayName, roles: u.roles, scope: u.scope, staffCode: u.staffCode });

// ── Input ────────────────────────────────────────────────────────────────────

export const userInputSchema = z.object({
	username: z
		.string()
		.trim()
		.regex(/^[A-Za-z0-9._-]{2,64}$/, '2–64 letters, digits, . _ -'),
	displayName: z.string().trim().max(64, 'at most 64 characters').default(''),
	roles: z.array(z.enum(ROLES)).min(1, 'choose at least one role'),
	scopeKind: z.enum(['all', 'center', 'region']).default('all'),
	scopeCode: z.string().trim().optional().nullable(),
	staffCode: z.string().trim().optional().nullable()
});
export type UserInput = z.input<typeof userInputSchema>;

export function parseUserInput(input: UserInput, org: OrgIndex): { username: string; displayName: string; roles: Role[]; scope: UserScope; staffCode: string | null } {
	const r = userInputSchema.safeParse(input);
	if (!r.success) {
		const issue = r.error.issues[0];
		const field = String(issue.path[0] ?? 'user');
		throw new AccountError(`${field}: ${issue.message}`, field, `${FIELD_ZH[field] ?? field}：${RULE_ZH[issue.message] ?? issue.message}`);
	}
	const v = r.data;
	let scope: UserScope = { kind: 'all' };
	if (v.scopeKind !== 'all') {
		const code = v.scopeCode ?? '';
		if (!code) throw new AccountError(`scopeCode: choose the ${v.scopeKind}`, 'scopeCode', v.scopeKind === 'center' ? '请选择中心' : '请选择地区');
		const known = v.scopeKind === 'center' ? org.centers.has(code) : org.regions.has(code);
		if (!known) throw new AccountError(`scopeCode: unknown ${v.scopeKind} "${code}"`, 'scopeCode', `${v.scopeKind === 'center' ? '中心' : '地区'}不存在：“${code}”`);
		scope = { kind: v.scopeKind, code };
	}
	// The admin console manages the whole deployment (users, keys, org data, rules): an
	// administrator limited to one center would still reach every other one through it.
	if (v.roles.includes('admin') && scope.kind !== 'all') throw new AccountError('scopeKind: an administrator manages the whole deployment; choose the scope "all"', 'scopeKind', '管理员管理整个系统，范围须为“全部”');
	const staffCode = v.staffCode || null;
	if (v.roles.includes('window_staff') && !staffCode) throw new AccountError('staffCode: a window_staff account belongs to a staff member', 'staffCode', '窗口人员账户须关联一名窗口人员');
	if (v.roles.includes('department_handler') && !staffCode)
		throw new AccountError('staffCode: a department_handler account belongs to a staff member of the department it handles tickets for', 'staffCode', '承办单位账户须关联该部门的一名人员');
	if (staffCode && !org.staff.has(staffCode)) throw new AccountError(`staffCode: unknown staff member "${staffCode}"`, 'staffCode', `人员不存在：“${staffCode}”`);
	return { username: v.username, displayName: v.displayName || v.username, roles: [...new Set(v.roles)], scope, staffCode };
}
