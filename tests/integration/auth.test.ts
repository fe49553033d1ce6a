/**
 * Accounts over HTTP against the built server: first-run setup, sign-in and sign-out, cookie
 * flags, the role × route matrix (every rule of the access table, every role, anonymous and a
 * display token), sliding expiry and expiry, the brute-force throttle, the stream's own check,
 * and the audit entries each action leaves.
 */
import postgres from 'postgres';
import WebSocket from 'ws';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS, decide } from '../../src/lib/server/auth/access';
import { ROLES, type Role } from '../../src/lib/domain/roles';
import { BACKENDS, createUser, freshPostgres, provisioned, sleep, startServer, WebSession, type TestServer } from './harness';

const PASSWORD = 'first admin password';

describe.each(BACKENDS)('accounts on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };
	const users = {} as Record<Role, { username: string; password: string }>;

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		// Short sessions (8.64 s) so sliding and expiry happen within the test; a low lock threshold.
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0', SESSION_DAYS: '0.0001', LOGIN_USER_FAILURES: '3', LOGIN_IP_FAILURES: '1000' } });
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
		if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	it('first run: no account → the setup page makes the first admin, once', async () => {
		const web = new WebSession(server);
		let r = await web.get('/login');
		expect(r.status).toBe(303);
		expect(r.headers.get('location')).toBe('/setup');
		r = await web.form('/setup', { username: 'boss', displayName: '主任', password: PASSWORD, confirm: 'something else' });
		expect(r.status).toBe(400);
		r = await web.form('/setup', { username: 'boss', displayName: '主任', password: PASSWORD, confirm: PASSWORD });
		expect(r.status).toBe(303);
		expect(r.headers.get('location')).toBe('/admin');
		const cookie = web.lastSetCookie.find((c) => c.startsWith('hallwatch_session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).toMatch(/Path=\//i);
		expect(cookie).not.toMatch(/Secure/i); // plain http here; Secure behind https
		expect((await web.get('/admin')).status).toBe(200);
		// Setup is closed now, for everyone.
		const other = new WebSession(server);
		r = await other.get('/setup');
		expect(r.headers.get('location')).toBe('/login');
		r = await other.form('/setup', { username: 'intruder', password: PASSWORD, confirm: PASSWORD });
		expect(r.status).toBe(303);
		expect((await other.signIn('intruder', PASSWORD)).status).toBe(400);
	});

	it('refuses a form post from another origin (CSRF check kept on)', async () => {
		const web = new WebSession(server);
		const r = await web.form('/login', { username: 'boss', password: PASSWORD }, { origin: 'http://evil.example' });
		expect(r.status).toBe(403);
		expect(web.cookies.has('hallwatch_session')).toBe(false);
	});

	it('signs each role in and lands it on its home page', async () => {
		creds = await provisioned(server);
		const homes: Record<Role, string> = { admin: '/admin', leader: '/reports', supervisor: '/supervision', hotline_operator: '/hotline', department_handler: '/hotline/department', window_staff: '/terminal' };
		for (const role of ROLES) {
			users[role] = createUser(server, `u-${role.replace('_', '-')}`, [role], role === 'window_staff' || role === 'department_handler' ? { staff: 'S001' } : {});
			const web = new WebSession(server);
			const r = await web.signIn(users[role].username, users[role].password);
			expect(r.status, role).toBe(303);
			expect(r.headers.get('location'), role).toBe(homes[role]);
			expect((await web.get(homes[role])).status, role).toBe(200);
		}
	});

	it('gives each role exactly what the access table says, for every route', async () => {
		const sessions = new Map<string, WebSession>();
		for (const role of ROLES) {
			const web = new WebSession(server);
			await web.signIn(users[role].username, users[role].password);
			sessions.set(role, web);
		}
		const problems: string[] = [];
		for (const id of Object.keys(ACCESS)) {
			for (const who of [...ROLES, 'anonymous', 'display'] as const) {
				const web = sessions.get(who) ?? new WebSession(server);
				const path = who === 'display' ? `${id}?token=${encodeURIComponent(creds.token)}` : id;
				const r = await web.get(path);
				const api = id.startsWith('/api/') || id === '/healthz';
				const expected = decide(id, who === 'anonymous' || who === 'display' ? null : { roles: [who] }, who === 'display');
				const loc = r.headers.get('location') ?? '';
				const got = r.status === 403 ? 403 : r.status === 401 || (r.status === 303 && loc.startsWith('/login?next=')) ? 401 : 'allowed';
				const want = expected.allow ? 'allowed' : expected.status;
				if (got !== want) problems.push(`${who} GET ${id}: expected ${want}, got ${r.status} ${loc}`);
				if (!expected.allow && api && r.status !== expected.status) problems.push(`${who} GET ${id}: API answers ${r.status}, not ${expected.status}`);
				await r.body?.cancel();
			}
		}
		expect(problems).toEqual([]);
	}, 120_000);

	it('reads the stream with a session of a reading role, not with a window staff session or none', async () => {
		const open = (cookie?: string) =>
			new Promise<number>((resolve) => {
				const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/stream`, { headers: cookie ? { cookie } : {} });
				ws.on('message', () => {
					ws.close();
					resolve(101);
				});
				ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
				ws.on('error', () => resolve(-1));
			});
		const leader = new WebSession(server);
		await leader.signIn(users.leader.username, users.leader.password);
		expect(await open(leader.cookieHeader)).toBe(101);
		const staff = new WebSession(server);
		await staff.signIn(users.window_staff.username, users.window_staff.password);
		expect(await open(staff.cookieHeader)).toBe(403);
		expect(await open()).toBe(401);
		expect(await open('hallwatch_session=forged')).toBe(401);
	});

	it('slides a session that is used and ends one that is not', async () => {
		const web = new WebSession(server);
		await web.signIn(users.leader.username, users.leader.password);
		const first = web.cookies.get('hallwatch_session');
		await sleep(4600); // past half of the 8.64 s lifetime
		let r = await web.get('/account');
		expect(r.status).toBe(200);
		const refreshed = web.lastSetCookie.find((c) => c.startsWith('hallwatch_session='));
		expect(refreshed, 'the cookie is sent again with a later expiry').toBeTruthy();
		expect(web.cookies.get('hallwatch_session')).toBe(first); // same session, new expiry
		await sleep(4600); // past the first expiry, within the slid one
		expect((await web.get('/account')).status).toBe(200);
		await sleep(9000); // unused for a whole lifetime
		r = await web.get('/account');
		expect(r.status).toBe(303);
		expect(r.headers.get('location')).toBe('/login?next=%2Faccount');
	}, 60_000);

	it('ends the session at sign-out; the old cookie no longer works', async () => {
		const web = new WebSession(server);
		await web.signIn(users.supervisor.username, users.supervisor.password);
		const cookie = web.cookieHeader;
		expect((await web.get('/wall')).status).toBe(200);
		const r = await web.form('/logout', {});
		expect(r.status).toBe(303);
		expect(r.headers.get('location')).toBe('/login');
		const replay = await fetch(`${server.url}/wall`, { headers: { cookie }, redirect: 'manual' });
		// A wall address without a session or token: what to do (sign in, or a display token), not the wall.
		expect(replay.status).toBe(401);
		const page = await replay.text();
		expect(page).toContain('大屏地址缺少显示令牌');
		expect(page).toContain('href="/login?next=%2Fwall"');
	});

	it('locks an account after repeated failures with a clear message, and an admin can unlock it', async () => {
		const victim = createUser(server, 'u-victim', ['leader']);
		const web = new WebSession(server);
		for (let i = 0; i < 2; i++) expect((await web.signIn(victim.username, 'wrong password!')).status).toBe(400);
		expect((await web.signIn(victim.username, 'wrong password!')).status).toBe(429);
		const locked = await web.signIn(victim.username, victim.password);
		expect(locked.status).toBe(429);
		expect(await locked.text()).toContain('locked');
		// The admin unlocks it from the users page.
		const admin = new WebSession(server);
		await admin.signIn('boss', PASSWORD);
		const page = await (await admin.get('/admin/users')).text();
		expect(page).toContain('u-victim');
		const id = /"id":(\d+),"username":"u-victim"|id:(\d+),username:"u-victim"/.exec(page);
		expect(id, 'user id in the page data').toBeTruthy();
		const r = await admin.form('/admin/users?/unlock', { id: id![1] ?? id![2] }, { enhanced: true });
		expect(r.status).toBe(200);
		expect((await web.signIn(victim.username, victim.password)).status).toBe(303);
	});

	it('writes an audit entry for sign-ins, failures, sign-outs and user changes, and shows them to the admin', async () => {
		const admin = new WebSession(server);
		await admin.signIn('boss', PASSWORD);
		const created = await admin.form('/admin/users?/create', { username: 'u-new', displayName: '新人', roles: ['supervisor'], scope: 'center:HC1', staffCode: '' }, { enhanced: true });
		expect(created.status).toBe(200);
		const body = await created.json();
		expect(body.type).toBe('success');
		const html = await (await admin.get('/admin/audit?action=user.create&target=u-new')).text();
		expect(html).toContain('user.create');
		expect(html).toContain('u-new');
		const all = await (await admin.get('/admin/audit')).text();
		for (const action of ['auth.login', 'auth.login_failed', 'auth.logout', 'user.unlock', 'user.create']) expect(all, action).toContain(action);
		// Never a password in the log.
		expect(all).not.toContain(PASSWORD);
		if (backend === 'postgres') {
			const db = postgres(pg!.url, { max: 1, onnotice: () => {} });
			try {
				const rows = await db`select actor, action, target, ip from audit_log where action = 'auth.login' and target = 'boss'`;
				expect(rows.length).toBeGreaterThan(0);
				expect(rows[0].ip).toBeTruthy();
				await expect(db`delete from audit_log`).rejects.toThrow(/append-only/);
			} finally {
				await db.end();
			}
		}
	});
});
