/**
 * Security over HTTP and WebSocket against the built server, as an attacker and as each role
 * would try it with two centers (HC1 in city C1, HC2 in county D1): scope on every action and
 * read that names an entity, evidence that cannot be guessed, safe redirects after sign-in,
 * WebSockets that check Origin and end with their session, a login throttle that cannot be
 * used to lock the owner out, and one-time passwords that open nothing but /account.
 */
import fs from 'node:fs';
import { unflatten as devalueUnflatten } from 'devalue';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createUser, cst, freshPostgres, provisioned, sleep, startServer, until, WebSession, type TestServer } from './harness';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8ff3f0005fe02fea7d6a4f30000000049454e44ae426082', 'hex');

/** A session whose requests come from `ip` (the server trusts X-Forwarded-For in this test). */
class From extends WebSession {
	constructor(
		server: TestServer,
		readonly ip: string
	) {
		super(server);
	}
	override request(pathname: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		headers.set('x-forwarded-for', this.ip);
		return super.request(pathname, { ...init, headers });
	}
}

/** Open a WebSocket; resolves with the socket once open, or the refusal's status. */
function openSocket(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket; messages: any[]; closed: Promise<number> } | { status: number }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, { headers });
		const messages: any[] = [];
		ws.on('message', (m) => messages.push(JSON.parse(String(m))));
		const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
		ws.once('open', () => resolve({ ws, messages, closed }));
		ws.once('unexpected-response', (_q, res) => resolve({ status: res.statusCode ?? 0 }));
		ws.once('error', reject);
	});
}

describe.each(BACKENDS)('security on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };
	let supAll: WebSession;
	let supB: WebSession;
	let admin: WebSession;
	const wsBase = () => server.url.replace('http', 'ws');

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({
			backend,
			databaseUrl: pg?.url,
			env: { INGEST_RATE_LIMIT: '0', HEARTBEAT_MS: '1000', TRUST_PROXY: '1', LOGIN_USER_FAILURES: '3', LOGIN_IP_FAILURES: '1000', LOGIN_LOCK_MINUTES: '15' }
		});
		creds = await provisioned(server);
		const a = createUser(server, 'root', ['admin']);
		const s1 = createUser(server, 'sup-all', ['supervisor']);
		const s2 = createUser(server, 'sup-b', ['supervisor'], { scope: 'center:HC2' });
		admin = new From(server, '10.0.0.1');
		supAll = new From(server, '10.0.0.2');
		supB = new From(server, '10.0.0.3');
		expect((await admin.signIn(a.username, a.password)).status).toBe(303);
		expect((await supAll.signIn(s1.username, s1.password)).status).toBe(303);
		expect((await supB.signIn(s2.username, s2.password)).status).toBe(303);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
		if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	async function issue(web: WebSession, fields: Record<string, string>, evidence = false): Promise<any> {
		const fd = new FormData();
		for (const [k, v] of Object.entries(fields)) fd.append(k, v);
		if (evidence) fd.append('evidence', new Blob([PNG], { type: 'image/png' }), 'photo.png');
		return (await web.multipart('/supervision?/issueCard', fd)).json();
	}

	it('keeps a supervisor of center B away from center A: cards, revokes, evidence, rounds and names', async () => {
		// Center A's card (by a supervisor of everything), with evidence.
		const mine = await issue(supAll, { color: 'yellow', targetKind: 'staff', target_staff: 'S001', reason: 'misconduct', note: 'A 的牌' }, true);
		expect(mine.type, JSON.stringify(mine)).toBe('success');
		const before = await server.snapshot(creds.token, '&center=HC1');

		// B may not card A's staff, window or department.
		for (const [kind, code] of [
			['staff', 'S001'],
			['window', 'W01'],
			['department', 'GSJ']
		]) {
			const r = await issue(supB, { color: 'red', targetKind: kind, [`target_${kind}`]: code, reason: 'misconduct' });
			expect(r.type, `${kind} ${code}`).toBe('failure');
			expect(r.status).toBe(404);
		}
		// …but its own.
		expect((await issue(supB, { color: 'yellow', targetKind: 'staff', target_staff: 'S003', reason: 'misconduct' })).type).toBe('success');

		// A's card, as A's supervisor sees it: its id and its evidence link (not a sequence number).
		const html = await (await supAll.get('/supervision?center=HC1')).text();
		const cardId = /data-testid="card-(card-[\w-]+)"/.exec(html)![1];
		const evidence = /href="\/supervision\/evidence\/([^"]+)"/.exec(html)![1];
		expect(evidence).toMatch(/^[a-z0-9]{26,}$/);
		expect((await supAll.get(`/supervision/evidence/${evidence}`)).status).toBe(200);

		// B can neither revoke it nor download its evidence, by its id or by counting.
		const rv = await supB.action('/supervision?/revokeCard', { cardId, reason: '越权撤销' });
		expect(rv.type).toBe('failure');
		expect(rv.status).toBe(404);
		expect((await supB.get(`/supervision/evidence/${evidence}`)).status).toBe(404);
		for (const guess of ['1', '2', '3']) expect((await supB.get(`/supervision/evidence/${guess}`)).status).toBe(404);

		// A's wall counted nothing of B's attempts.
		const after = await server.snapshot(creds.token, '&center=HC1');
		expect(after.cards.redMonth).toBe(before.cards.redMonth);
		expect(after.cards.yellowMonth).toBe(before.cards.yellowMonth);

		// B's page data names only B's people and windows, whatever center it asks for.
		for (const q of ['', '?center=HC1']) {
			const data = await (await supB.get(`/supervision/__data.json${q}`)).text();
			expect(data).toContain('李娜');
			expect(data).not.toContain('张伟');
			expect(data).not.toContain('王芳');
			expect(data).not.toContain('"01号窗口"');
			expect(data).not.toContain(cardId);
		}
		// B's export has none of A's cards.
		const xlsx = await supB.get('/supervision/export?center=HC1');
		expect(xlsx.status).toBe(200);
		expect(Buffer.from(await xlsx.arrayBuffer()).includes(Buffer.from(cardId))).toBe(false);

		// Rounds: not in A, and not for A's department or windows from B's center.
		const staffB = createUser(server, 'staff-b', ['window_staff'], { staff: 'S003' });
		const term = new From(server, '10.0.0.4');
		await term.signIn(staffB.username, staffB.password);
		await term.action('/terminal?/act', { action: 'clock_in' });
		const rounds: Array<Record<string, string>> = [
			{ center: 'HC1', target: 'all' },
			{ center: 'HC2', target: 'department', department: 'GSJ' },
			{ center: 'HC2', target: 'windows', windows: 'W01' }
		];
		for (const fields of rounds) {
			const r = await supB.action('/supervision?/startRound', { ...fields, respondWithinSec: '60' });
			expect(r.type, JSON.stringify(fields)).toBe('failure');
		}
		expect((await supB.action('/supervision?/startRound', { center: 'HC2', target: 'all', respondWithinSec: '60' })).type).toBe('success');
	}, 60_000);

	it('keeps a hotline operator of center B away from center A’s tickets', async () => {
		const at = cst(Date.now() - 60_000);
		const r = await server.post('/api/v1/events', { id: 'sec-hl-1', type: 'hotline.ticket_created', occurredAt: at, data: { ticketId: 'HL-A-1', channel: 'phone', category: '咨询', summary: '市里的件', regionCode: 'C1' } }, creds.key);
		expect(r.body.accepted).toBe(1);
		const op = createUser(server, 'op-b', ['hotline_operator'], { scope: 'center:HC2' });
		const web = new From(server, '10.0.0.5');
		await web.signIn(op.username, op.password);
		expect((await web.get('/hotline/HL-A-1')).status).toBe(404);
		const act = await web.action('/hotline/act?/supervise', { ticketId: 'HL-A-1', note: '越权督办', level: '1' });
		expect(act.type).toBe('failure');
		expect(act.data.errors.ticketId.params.problem.key).toBe('hl.problem.unknownTicket');
		const list = await (await web.get('/hotline/__data.json')).text();
		expect(list).not.toContain('HL-A-1');
		// Dispatching to A's department from B's scope is refused too.
		const intake = await web.action('/hotline/act?/intake', { callerPhone: '13800000000', channel: 'phone', category: '咨询', summary: '县里的件', regionCode: 'D1', departmentCode: 'GSJ' });
		expect(intake.type).toBe('failure');
		expect(Object.keys(intake.data.errors)).toEqual(['departmentCode']);
	});

	it('keeps an ingest key of one center to that center’s events', async () => {
		const k = server.cli('key', 'create', '--name', 'queue-hc2', '--types', 'queue.*', '--center', 'HC2');
		expect(k.code, k.stderr + k.stdout).toBe(0);
		const at = cst(Date.now() - 1000);
		const res = await server.post(
			'/api/v1/events',
			{
				events: [
					{ id: 'sc-1', type: 'queue.ticket_issued', occurredAt: at, data: { centerCode: 'HC2', ticketNo: 'B001', departmentCode: 'DGS' } },
					{ id: 'sc-2', type: 'queue.ticket_issued', occurredAt: at, data: { centerCode: 'HC1', ticketNo: 'B002', departmentCode: 'GSJ' } }
				]
			},
			k.last
		);
		expect(res.status).toBe(200);
		expect(res.body.results.map((r: any) => r.status)).toEqual(['accepted', 'rejected']);
		expect(res.body.results[1].error).toBe('data: this ingest key sends for center "HC2" only; this event belongs to center "HC1"');
		// A key of one center may not rewrite the org data of all.
		const org = server.cli('key', 'create', '--name', 'org-hc2', '--types', 'org', '--center', 'HC2');
		expect(org.code).not.toBe(0);
		expect(org.stderr + org.stdout).toMatch(/may not send org data/);
	});

	it('redirects after sign-in only to a path of this site', async () => {
		const u = createUser(server, 'leader-r', ['leader']);
		const evil = ['/\t/evil.example/x', '/\n/evil.example', '//evil.example', '/\\evil.example', 'https://evil.example/', '/%5Cevil.example', ' /\t\\evil.example', 'javascript:alert(1)', '/\r\nSet-Cookie: a=b'];
		for (const next of evil) {
			const web = new From(server, '10.0.1.1');
			const r = await web.form(`/login?next=${encodeURIComponent(next)}`, { username: u.username, password: u.password });
			expect(r.status, JSON.stringify(next)).toBe(303);
			const loc = r.headers.get('location')!;
			expect(loc, JSON.stringify(next)).toMatch(/^\/(?![/\\])/);
			expect(new URL(loc, server.url).origin).toBe(server.url);
			// Signed in already: the same check on GET /login.
			const again = await web.get(`/login?next=${encodeURIComponent(next)}`);
			expect(again.status).toBe(303);
			expect(new URL(again.headers.get('location')!, server.url).origin).toBe(server.url);
			expect(again.headers.get('location')).toMatch(/^\/(?![/\\])/);
		}
		// A path of this site is kept, with its query.
		const web = new From(server, '10.0.1.1');
		const r = await web.form(`/login?next=${encodeURIComponent('/reports/scores?month=2026-11')}`, { username: u.username, password: u.password });
		expect(r.headers.get('location')).toBe('/reports/scores?month=2026-11');
	});

	it('refuses a cookie-authenticated WebSocket from another origin', async () => {
		const cookie = admin.cookieHeader;
		const other = `http://127.0.0.1:${server.port + 1}`;
		for (const path of ['/api/v1/stream', '/api/v1/terminal']) {
			const r = await openSocket(`${wsBase()}${path}`, { cookie, origin: other });
			expect('status' in r && r.status, path).toBe(403);
		}
		const ok = await openSocket(`${wsBase()}/api/v1/stream`, { cookie, origin: server.url });
		expect('ws' in ok).toBe(true);
		if ('ws' in ok) ok.ws.close();
		// A display token is its own credential: a wall page served elsewhere may use it.
		const wall = await openSocket(`${wsBase()}/api/v1/stream?token=${creds.token}`, { origin: other });
		expect('ws' in wall).toBe(true);
		if ('ws' in wall) wall.ws.close();
	});

	it('closes a socket when its session ends: sign-out, disabled account, changed roles', async () => {
		const cases: Array<[string, (u: { username: string }, web: WebSession) => Promise<void>]> = [
			['sign-out', async (_u, web) => void (await web.form('/logout', {}))],
			['disabled', async (u) => expect((await admin.action('/admin/users?/disable', { id: String(await userIdOf(u.username)) })).type).toBe('success')],
			[
				'changed roles',
				async (u) => expect((await admin.action('/admin/users?/update', { id: String(await userIdOf(u.username)), roles: 'supervisor', scope: 'all' })).type).toBe('success')
			]
		];
		for (const [what, end] of cases) {
			const u = createUser(server, `lead-${what.replace(/\W+/g, '-')}`, ['leader']);
			const web = new From(server, '10.0.2.1');
			await web.signIn(u.username, u.password);
			const s = await openSocket(`${wsBase()}/api/v1/stream`, { cookie: web.cookieHeader, origin: server.url });
			if (!('ws' in s)) throw new Error(`stream refused: ${s.status}`);
			await until(() => s.messages.some((m) => m.type === 'snapshot'));
			const t0 = Date.now();
			await end(u, web);
			const code = await Promise.race([s.closed, sleep(5000).then(() => -1)]);
			expect(code, what).not.toBe(-1);
			expect(Date.now() - t0, what).toBeLessThan(3000); // the next heartbeat at the latest (1 s here)
		}
		// The terminal's socket too.
		const staff = createUser(server, 'staff-out', ['window_staff'], { staff: 'S002' });
		const web = new From(server, '10.0.2.2');
		await web.signIn(staff.username, staff.password);
		const t = await openSocket(`${wsBase()}/api/v1/terminal`, { cookie: web.cookieHeader, origin: server.url });
		if (!('ws' in t)) throw new Error(`terminal refused: ${t.status}`);
		await web.form('/logout', {});
		expect(await Promise.race([t.closed, sleep(5000).then(() => -1)])).not.toBe(-1);
	});

	/** An account's id, as the admin console's page data lists it. */
	async function userIdOf(username: string): Promise<number> {
		const body = await (await admin.get('/admin/users/__data.json')).json();
		const node = body.nodes.find((n: any) => n?.type === 'data' && JSON.stringify(n.data).includes(username));
		const data = devalueUnflatten(node.data) as { users: Array<{ id: number; username: string }> };
		const found = data.users.find((x) => x.username === username);
		if (!found) throw new Error(`no user ${username}`);
		return found.id;
	}

	it('does not let outsiders lock the owner out: failures count per account and address', async () => {
		const owner = createUser(server, 'boss2', ['admin']);
		// One address guesses: that address is stopped for this account…
		const attacker = new From(server, '203.0.113.7');
		for (let i = 0; i < 2; i++) expect((await attacker.signIn(owner.username, `wrong-guess-${i}`)).status).toBe(400);
		expect((await attacker.signIn(owner.username, 'wrong-guess-2')).status).toBe(429);
		const stopped = await attacker.signIn(owner.username, owner.password);
		expect(stopped.status).toBe(429);
		// …the owner, from an address that has not failed, still gets in.
		const home = new From(server, '198.51.100.20');
		expect((await home.signIn(owner.username, owner.password)).status).toBe(303);

		// Many addresses: the account is slowed, never locked; the owner still gets in; admins are told.
		for (let i = 0; i < 12; i++) {
			const bot = new From(server, `192.0.2.${i + 1}`);
			const r = await bot.signIn(owner.username, `botnet-guess-${i}`);
			expect([400, 429]).toContain(r.status);
		}
		const t0 = Date.now();
		const back = new From(server, '198.51.100.21');
		expect((await back.signIn(owner.username, owner.password)).status).toBe(303);
		expect(Date.now() - t0).toBeLessThan(10_000);
		const audit = await (await admin.get(`/admin/audit?action=auth.account_under_attack&target=${owner.username}`)).text();
		expect(audit).toContain('auth.account_under_attack');

		// The admin can lift the stop of the attacking address too.
		const userId = await userIdOf(owner.username);
		expect((await admin.action('/admin/users?/unlock', { id: String(userId) })).type).toBe('success');
		expect((await attacker.signIn(owner.username, owner.password)).status).toBe(303);
	}, 60_000);

	it('answers a disabled account exactly as a wrong password', async () => {
		const u = createUser(server, 'gone', ['leader']);
		const userId = await userIdOf(u.username);
		expect((await admin.action('/admin/users?/disable', { id: String(userId) })).type).toBe('success');
		const right = await new From(server, '10.0.3.1').form('/login', { username: u.username, password: u.password }, { enhanced: true });
		const wrong = await new From(server, '10.0.3.2').form('/login', { username: u.username, password: 'not-the-password-1' }, { enhanced: true });
		expect(right.status).toBe(wrong.status);
		const [a, b] = [await right.json(), await wrong.json()];
		expect(a.type).toBe(b.type);
		expect(a.status).toBe(b.status);
		expect(JSON.stringify(a)).not.toContain('disabled');
	});

	it('throttles the current-password check of a password change', async () => {
		const u = createUser(server, 'changer', ['leader']);
		const web = new From(server, '10.0.4.1');
		await web.signIn(u.username, u.password);
		for (let i = 0; i < 3; i++) {
			const r = await web.action('/account?/password', { current: `wrong-${i}`, password: 'a brand new passphrase 7', confirm: 'a brand new passphrase 7' });
			expect(Object.keys(r.data.errors)).toEqual(['current']);
		}
		const r = await web.action('/account?/password', { current: u.password, password: 'a brand new passphrase 7', confirm: 'a brand new passphrase 7' });
		expect(r.type).toBe('failure');
		expect(r.status).toBe(429);
	});

	it('lets an account on its one-time password reach only /account and sign-out', async () => {
		const r = server.cli('admin', 'create', '--username', 'newbie', '--roles', 'leader');
		expect(r.code, r.stderr).toBe(0);
		const otp = r.last.trim().split(/\s+/).at(-1)!;
		const web = new From(server, '10.0.5.1');
		const s = await web.signIn('newbie', otp);
		expect(s.headers.get('location')).toBe('/account?first=1');
		expect((await web.get('/api/v1/snapshot')).status).toBe(403);
		expect((await web.get('/reports')).headers.get('location')).toBe('/account?first=1');
		const data = await web.get('/reports/__data.json');
		expect(data.status === 200 ? (await data.json()).type : data.status).toMatch(/^(redirect|303)$/);
		const ws = await openSocket(`${wsBase()}/api/v1/stream`, { cookie: web.cookieHeader, origin: server.url });
		expect('status' in ws && ws.status).toBe(403);
		expect((await web.get('/account')).status).toBe(200);
		expect((await web.form('/logout', {})).status).toBe(303);
	});
});
