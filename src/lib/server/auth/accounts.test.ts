/**
 * Sessions and accounts against a real database (PGlite; PostgreSQL too when TEST_DATABASE_URL
 * is set): the Lucia session design, sliding expiry, invalidation, the sign-in throttle, and the
 * append-only audit log.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrgIndex } from '../../domain/org';
import { audit } from '../audit';
import type { DbHandle } from '../db/client';
import { auditLog, sessions } from '../db/schema';
import { openTestDatabase, TEST_BACKENDS } from '../db/testing';
import { AccountError, Accounts } from './accounts';
import { generateSessionToken, SessionStore } from './session';

const ORG = new OrgIndex({
	regions: [{ code: 'C1', name: '测试市' }],
	centers: [{ code: 'HC1', name: '测试中心', regionCode: 'C1' }],
	departments: [{ code: 'GSJ', name: '工商局', centerCode: 'HC1' }],
	windows: [{ code: 'W01', name: '01号窗口', centerCode: 'HC1', departmentCode: 'GSJ' }],
	staff: [{ code: 'S001', name: '张伟', departmentCode: 'GSJ', windowCode: 'W01' }]
} as never);
const DAY = 86_400_000;

describe.each(TEST_BACKENDS)('accounts and sessions on %s', (backend) => {
	let handle: DbHandle;
	let cleanup: () => Promise<void>;
	let clock = Date.parse('2026-11-20T09:00:00+08:00');
	const now = () => clock;
	let store: SessionStore;
	let accounts: Accounts;

	beforeAll(async () => {
		({ handle, cleanup } = await openTestDatabase(backend));
		store = new SessionStore(handle.db, { lifetimeDays: 7, now });
		accounts = new Accounts(handle.db, store, { pairFailures: 3, ipFailures: 5, accountFailures: 6, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxDelayMs: 40 }, now);
	}, 60_000);
	afterAll(async () => cleanup?.());

	it('stores only the SHA-256 of a session token, never the token', async () => {
		const { user } = await accounts.create({ username: 'zhang', roles: ['leader'], password: 'a long password 1' }, ORG);
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		const s = await store.create(token, user.id, { ip: '10.0.0.1' });
		const rows = await handle.db.select().from(sessions);
		expect(rows.map((r) => r.id)).toEqual([s.id]);
		expect(s.id).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode(token))));
		expect(JSON.stringify(rows)).not.toContain(token);
		const v = await store.validate(token);
		expect(v?.user.username).toBe('zhang');
		expect(v?.refreshed).toBe(false);
		expect(await store.validate(generateSessionToken())).toBeNull();
	});

	it('slides: used in the second half of its life, a session gets a full lifetime again; unused past expiry, it is gone', async () => {
		const { user } = await accounts.create({ username: 'li', roles: ['supervisor'], password: 'a long password 2' }, ORG);
		const token = generateSessionToken();
		const created = await store.create(token, user.id);
		clock += 3 * DAY; // first half: no refresh
		expect((await store.validate(token))!.refreshed).toBe(false);
		clock += 1 * DAY; // 4 days in: second half
		const v = await store.validate(token);
		expect(v!.refreshed).toBe(true);
		expect(v!.session.expiresAt.getTime()).toBe(clock + 7 * DAY);
		expect(v!.session.expiresAt.getTime()).toBeGreaterThan(created.expiresAt.getTime());
		clock += 7 * DAY + 1; // unused for a full lifetime
		expect(await store.validate(token)).toBeNull();
		expect(await handle.db.select().from(sessions).where(eq(sessions.id, v!.session.id))).toEqual([]);
	});

	it('ends sessions on logout, password change (except the current one), role change and disabling', async () => {
		const { user } = await accounts.create({ username: 'wang', roles: ['hotline_operator'], password: 'a long password 3' }, ORG);
		const [a, b, c] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
		const sa = await store.create(a, user.id);
		await store.create(b, user.id);
		await store.create(c, user.id);
		await store.invalidate(sa.id);
		expect(await store.validate(a)).toBeNull();
		const sb = (await store.validate(b))!.session;
		// A weak new password is refused, naming the field; nothing changes.
		for (const weak of ['qwertyuiop', 'wang harbor lamp 9'])
			await expect(accounts.changePassword(user.id, 'a long password 3', weak, sb.id, null)).rejects.toMatchObject({ field: 'password' });
		expect(await store.validate(c)).not.toBeNull();
		await accounts.changePassword(user.id, 'a long password 3', 'another password 3', sb.id, null);
		expect(await store.validate(b)).not.toBeNull();
		expect(await store.validate(c)).toBeNull();
		// The old password no longer works, the new one does.
		expect((await accounts.signIn('wang', 'a long password 3', null)).ok).toBe(false);
		expect((await accounts.signIn('wang', 'another password 3', null)).ok).toBe(true);
		// Same roles: sessions stay. New roles: they end.
		expect((await accounts.update(user.id, { roles: ['hotline_operator'], displayName: '王' }, ORG)).sessionsEnded).toBe(0);
		expect(await store.validate(b)).not.toBeNull();
		const change = await accounts.update(user.id, { roles: ['hotline_operator', 'leader'] }, ORG);
		expect(change.sessionsEnded).toBe(1);
		expect(change.before.roles).toEqual(['hotline_operator']);
		expect(change.after.roles).toEqual(['hotline_operator', 'leader']);
		expect(await store.validate(b)).toBeNull();
		const d = generateSessionToken();
		await store.create(d, user.id);
		expect((await accounts.setDisabled(user.id, true)).sessionsEnded).toBe(1);
		expect(await store.validate(d)).toBeNull();
		// A disabled account answers exactly as a wrong password.
		expect(await accounts.signIn('wang', 'another password 3', null)).toEqual({ ok: false, reason: 'invalid', remaining: 2, underAttack: false });
	});

	it('stops an address for an account after repeated failures, never the owner elsewhere; unknown accounts alike; unlocks by time or by an admin', async () => {
		await accounts.create({ username: 'zhao', roles: ['leader'], password: 'the right password' }, ORG);
		expect(await accounts.signIn('zhao', 'wrong', '10.0.0.9')).toEqual({ ok: false, reason: 'invalid', remaining: 2, underAttack: false });
		expect(await accounts.signIn('zhao', 'wrong', '10.0.0.9')).toEqual({ ok: false, reason: 'invalid', remaining: 1, underAttack: false });
		const locked = await accounts.signIn('zhao', 'wrong', '10.0.0.9');
		expect(locked).toMatchObject({ ok: false, reason: 'locked' });
		// Even the right password is refused from that address…
		expect(await accounts.signIn('zhao', 'the right password', '10.0.0.9')).toMatchObject({ ok: false, reason: 'locked' });
		// …but the owner from another address gets in.
		expect((await accounts.signIn('zhao', 'the right password', '10.0.0.8')).ok).toBe(true);
		// An unknown account answers exactly like a known one.
		expect(await accounts.signIn('nobody', 'x', '10.0.0.7')).toEqual({ ok: false, reason: 'invalid', remaining: 2, underAttack: false });
		expect(await accounts.signIn('nobody', 'x', '10.0.0.7')).toEqual({ ok: false, reason: 'invalid', remaining: 1, underAttack: false });
		expect(await accounts.signIn('nobody', 'x', '10.0.0.7')).toMatchObject({ ok: false, reason: 'locked' });
		// The stop lifts after its time.
		clock += 15 * 60_000 + 1;
		expect((await accounts.signIn('zhao', 'the right password', '10.0.0.9')).ok).toBe(true);
		// Or at once by an admin.
		for (let i = 0; i < 3; i++) await accounts.signIn('zhao', 'wrong', '10.0.0.6');
		expect(await accounts.signIn('zhao', 'the right password', '10.0.0.6')).toMatchObject({ reason: 'locked' });
		expect((await accounts.lockedUntil()).has('zhao')).toBe(true);
		expect(await accounts.unlock('zhao')).toBe(true);
		expect((await accounts.signIn('zhao', 'the right password', '10.0.0.6')).ok).toBe(true);
	});

	it('slows an account guessed at from many addresses instead of locking it, and says so once', async () => {
		clock += 60 * 60_000;
		await accounts.create({ username: 'qian', roles: ['admin'], password: 'the owner password' }, ORG);
		const attack = [];
		for (let i = 0; i < 8; i++) attack.push(await accounts.signIn('qian', 'guess', `198.51.100.${i}`));
		// The sixth failure crosses the threshold: reported once, not again.
		expect(attack.filter((r) => !r.ok && r.reason === 'invalid' && r.underAttack)).toHaveLength(1);
		expect(attack.every((r) => !r.ok && r.reason === 'invalid')).toBe(true);
		const gate = await accounts.throttle.gate('qian', '203.0.113.1');
		expect(gate).toMatchObject({ ok: true });
		expect(gate.ok && gate.delayMs).toBeGreaterThan(0);
		expect(gate.ok && gate.delayMs).toBeLessThanOrEqual(40);
		// The owner, from an address that has not failed, still gets in (after the delay).
		expect((await accounts.signIn('qian', 'the owner password', '203.0.113.1')).ok).toBe(true);
	});

	it('blocks an address after many failures across accounts', async () => {
		clock += 60 * 60_000;
		for (let i = 0; i < 5; i++) await accounts.signIn(`guess${i}`, 'x', '192.0.2.1');
		expect(await accounts.signIn('zhang', 'a long password 1', '192.0.2.1')).toMatchObject({ ok: false, reason: 'ip_blocked' });
		expect((await accounts.signIn('zhang', 'a long password 1', '192.0.2.2')).ok).toBe(true);
	});

	it('validates accounts with errors that name the field', async () => {
		const bad = async (input: Parameters<Accounts['create']>[0], field: string) => {
			const err = await accounts.create(input, ORG).catch((e) => e);
			expect(err).toBeInstanceOf(AccountError);
			expect(err.field, err.message).toBe(field);
			expect(err.message.startsWith(`${field}: `)).toBe(true);
		};
		await bad({ username: 'x', roles: ['leader'] }, 'username');
		await bad({ username: 'zhang', roles: ['leader'] }, 'username'); // taken
		await bad({ username: 'newbie', roles: [] }, 'roles');
		await bad({ username: 'newbie', roles: ['leader'], password: 'short' }, 'password');
		await bad({ username: 'newbie', roles: ['leader'], password: 'aaaaaaaaaa' }, 'password');
		await bad({ username: 'newbie', roles: ['leader'], password: '1234567890' }, 'password');
		await bad({ username: 'newbie', roles: ['leader'], password: 'newbie harbor lamp' }, 'password');
		await bad({ username: 'newbie', roles: ['window_staff'] }, 'staffCode');
		await bad({ username: 'newbie', roles: ['window_staff'], staffCode: 'S999' }, 'staffCode');
		await bad({ username: 'newbie', roles: ['leader'], scopeKind: 'center', scopeCode: 'NOPE' }, 'scopeCode');
		const ok = await accounts.create({ username: 'newbie', roles: ['window_staff'], staffCode: 'S001', scopeKind: 'center', scopeCode: 'HC1' }, ORG);
		expect(ok.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(ok.user).toMatchObject({ mustChangePassword: true, staffCode: 'S001', scope: { kind: 'center', code: 'HC1' } });
	});

	it('keeps the last active administrator: it keeps the admin role and stays enabled; nobody disables themselves', async () => {
		// qian (an administrator of an earlier test) steps down first: chief is then the only one.
		const qian = (await accounts.list()).find((u) => u.username === 'qian')!;
		const { user: chief } = await accounts.create({ username: 'chief', roles: ['admin'], password: 'a long password 9' }, ORG);
		await accounts.update(qian.id, { roles: ['leader'] }, ORG);
		const refused = (p: Promise<unknown>) => p.then(() => null, (e) => e);
		let err = await refused(accounts.update(chief.id, { roles: ['leader'] }, ORG));
		expect(err).toBeInstanceOf(AccountError);
		expect(err).toMatchObject({ field: 'roles', message: 'roles: this is the last active administrator; keep the admin role', zh: '这是最后一位在用的系统管理员，须保留管理员角色' });
		err = await refused(accounts.setDisabled(chief.id, true));
		expect(err).toMatchObject({ field: 'id', message: 'id: this is the last active administrator' });
		err = await refused(accounts.setDisabled(chief.id, true, chief.id));
		expect(err).toMatchObject({ field: 'id', message: 'id: you cannot disable your own account' });
		// With a second administrator, either may go.
		const { user: deputy } = await accounts.create({ username: 'deputy', roles: ['admin'], password: 'a long password 8' }, ORG);
		await accounts.update(chief.id, { roles: ['leader'] }, ORG);
		err = await refused(accounts.setDisabled(deputy.id, true, chief.id));
		expect(err).toMatchObject({ field: 'id', message: 'id: this is the last active administrator' });
		await accounts.update(chief.id, { roles: ['admin'] }, ORG);
		expect(await accounts.setDisabled(deputy.id, true, chief.id)).toMatchObject({ username: 'deputy' });
	});

	it('keeps the audit log append-only', async () => {
		await audit(handle.db, { actor: 'user:zhang', action: 'user.update', target: 'li', ip: '10.0.0.1', detail: { before: { roles: ['a'] }, after: { roles: ['b'] } } });
		await expect(handle.db.update(auditLog).set({ actor: 'someone else' })).rejects.toThrow();
		await expect(handle.db.delete(auditLog)).rejects.toThrow();
	});
});
