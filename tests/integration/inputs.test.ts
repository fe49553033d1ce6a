/**
 * Hostile and careless input over HTTP against the built server (issue 10, items 5, 7, 8, 9):
 * weak passwords wherever a password is chosen, bad query and path parameters on every route
 * that reads them, request bodies that are not UTF-8, and what the quarantine shows of a
 * malformed caller phone. A 500 is always a bug; no answer shows a stack trace.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createUser, freshPostgres, provisioned, startServer, WebSession, type TestServer } from './harness';

describe.each(BACKENDS)('inputs on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };
	let admin: WebSession;

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0' } });
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
		if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	describe('passwords', () => {
		const WEAK = ['aaaaaaaaaa', '1234567890', 'password123'];

		it('the first-run page refuses common and trivial passwords and the username, in Chinese and English', async () => {
			const web = new WebSession(server);
			for (const password of [...WEAK, 'chief-harbor-lamp-7']) {
				const r = await web.action('/setup', { username: 'chief', displayName: '主任', password, confirm: password });
				expect(r.status, password).toBe(400);
				expect(r.data, password).toMatchObject({ field: 'password', error: expect.stringMatching(/^password: /), zh: expect.stringMatching(/^新密码/) });
			}
			expect((await web.action('/setup', { username: 'chief', password: 'aaaaaaaaaa', confirm: 'aaaaaaaaaa' })).data.zh).toMatch(/太容易被猜到/);
			expect((await web.action('/setup', { username: 'chief', password: 'chief-harbor-lamp-7', confirm: 'chief-harbor-lamp-7' })).data).toMatchObject({
				error: 'password: must not contain the username',
				zh: '新密码不能包含用户名'
			});
			// Nothing was created: the page is still open, and a strong password makes the admin.
			expect((await new WebSession(server).get('/setup')).status).toBe(200);
			const r = await web.form('/setup', { username: 'chief', displayName: '主任', password: 'quiet harbor lamp 7', confirm: 'quiet harbor lamp 7' });
			expect(r.status).toBe(303);
			expect(r.headers.get('location')).toBe('/admin');
			admin = web;
			creds = await provisioned(server);
		});

		it('changing my password refuses a weak one, and one that contains my username', async () => {
			const u = createUser(server, 'li.hua', ['leader']);
			const web = new WebSession(server);
			expect((await web.signIn(u.username, u.password)).status).toBe(303);
			for (const password of [...WEAK, 'LI.HUA harbor lamp']) {
				const r = await web.action('/account?/password', { current: u.password, password, confirm: password });
				expect(r.status, password).toBe(400);
				expect(r.data, password).toMatchObject({ field: 'password', error: expect.stringMatching(/^password: (too easy to guess|must not contain the username)/), zh: expect.stringMatching(/^新密码/) });
			}
			// The old password still works.
			expect((await new WebSession(server).signIn(u.username, u.password)).status).toBe(303);
			const ok = await web.action('/account?/password', { current: u.password, password: 'quiet harbor lamp 8', confirm: 'quiet harbor lamp 8' });
			expect(ok.type).toBe('success');
		});

		it('the operator CLI refuses a weak --password', () => {
			for (const password of [...WEAK, 'ops-lead harbor lamp']) {
				const r = server.cli('admin', 'create', '--username', 'ops-lead', '--password', password);
				expect(r.code, password).toBe(2);
				expect(r.stderr, password).toMatch(/--password: (too easy to guess|must not contain the username)/);
			}
			expect(server.cli('admin', 'create', '--username', 'ops-lead', '--password', 'quiet harbor lamp 9').code).toBe(0);
		});
	});
});
