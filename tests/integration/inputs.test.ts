/**
 * Hostile and careless input over HTTP against the built server (issue 10, items 5, 7, 8, 9):
 * weak passwords wherever a password is chosen, bad query and path parameters on every route
 * that reads them, request bodies that are not UTF-8, and what the quarantine shows of a
 * malformed caller phone. A 500 is always a bug; no answer shows a stack trace.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../src/lib/server/privacy';
import { BACKENDS, createUser, cst, freshPostgres, problem, provisioned, startServer, TEST_ORG, WebSession, type TestServer } from './harness';

describe.each(BACKENDS)('inputs on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0' } });
		// Keys and org data only: no account yet, so the first-run page is open.
		creds = await provisioned(server);
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
				expect(r.data.form, password).toBe('setup');
				expect(problem(r.data, 'password'), password).toMatch(/^password: /);
				expect(problem(r.data, 'password', 'zh'), password).toMatch(/^新密码/);
			}
			expect(problem((await web.action('/setup', { username: 'chief', password: 'aaaaaaaaaa', confirm: 'aaaaaaaaaa' })).data, 'password', 'zh')).toMatch(/太容易被猜到/);
			const named = (await web.action('/setup', { username: 'chief', password: 'chief-harbor-lamp-7', confirm: 'chief-harbor-lamp-7' })).data;
			expect(problem(named, 'password')).toBe('password: must not contain the username');
			expect(problem(named, 'password', 'zh')).toBe('新密码不能包含用户名');
			// Two passwords that differ: said in Chinese on the Chinese page.
			expect(problem((await web.action('/setup', { username: 'chief', password: 'quiet harbor lamp 7', confirm: 'quiet harbor lamp 8' })).data, 'confirm', 'zh')).toBe('两次输入的密码不一致');
			// Nothing was created: the page is still open, and a strong password makes the admin.
			expect((await new WebSession(server).get('/setup')).status).toBe(200);
			const r = await web.form('/setup', { username: 'chief', displayName: '主任', password: 'quiet harbor lamp 7', confirm: 'quiet harbor lamp 7' });
			expect(r.status).toBe(303);
			expect(r.headers.get('location')).toBe('/admin');
		});

		it('changing my password refuses a weak one, and one that contains my username', async () => {
			const u = createUser(server, 'li.hua', ['leader']);
			const web = new WebSession(server);
			expect((await web.signIn(u.username, u.password)).status).toBe(303);
			for (const password of [...WEAK, 'LI.HUA harbor lamp']) {
				const r = await web.action('/account?/password', { current: u.password, password, confirm: password });
				expect(r.status, password).toBe(400);
				expect(problem(r.data, 'password'), password).toMatch(/^password: (too easy to guess|must not contain the username)/);
				expect(problem(r.data, 'password', 'zh'), password).toMatch(/^新密码/);
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

	describe('bad query and path parameters', () => {
		// Over-long and not-whole numbers, NUL bytes, text far over any field's length.
		const NUMBER = ['99999999999999999999', '1e400', '-1', '1.5', 'abc', '%00'];
		const TEXT = ['%00', 'a%00b', 'x'.repeat(1000)];
		const DAY = ['2026-13-45', '99999999999999999999', '%00'];
		const MONTH_ = ['2026-13', '99999999999999999999', '%00'];
		const CHOICE = ['bogus', '%00'];
		const M = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
		const query: Array<[string, string, string[]]> = [
			['/admin/audit', 'before', NUMBER],
			...(['actor', 'action', 'target'] as const).map((k): [string, string, string[]] => ['/admin/audit', k, TEXT]),
			['/admin/audit', 'from', DAY],
			['/admin/audit', 'to', DAY],
			['/admin/quarantine', 'fix', NUMBER],
			['/admin/quarantine', 'sender', TEXT],
			['/admin/quarantine', 'type', TEXT],
			['/admin/org', 'kind', CHOICE],
			['/admin/org', 'q', TEXT],
			['/admin/org', 'edit', TEXT],
			...(['status', 'on', 'ontime', 'callback', 'satisfaction', 'overdue', 'supervised'] as const).map((k): [string, string, string[]] => ['/hotline', k, CHOICE]),
			...(['department', 'category', 'q'] as const).map((k): [string, string, string[]] => ['/hotline', k, TEXT]),
			['/hotline', 'from', DAY],
			['/hotline', 'to', DAY],
			['/hotline', 'after', ['99999999999999999999~x', '1~%00', 'nonsense', '%00']],
			...['/supervision', '/supervision/export'].flatMap((route): Array<[string, string, string[]]> => [
				[route, 'month', MONTH_],
				[route, 'color', CHOICE],
				[route, 'source', CHOICE],
				[route, 'revoked', CHOICE],
				[route, 'center', TEXT],
				[route, 'department', TEXT],
				[route, 'q', TEXT]
			]),
			['/reports/scores', 'month', MONTH_],
			['/reports/scores', 'dept', TEXT],
			['/reports/indicators', 'period', MONTH_],
			...[`/reports/bulletin/${M}`, `/reports/bulletin/${M}/print`, `/reports/bulletin/${M}/xlsx`, `/reports/bulletin/${M}/pdf`].flatMap((route): Array<[string, string, string[]]> => [
				[route, 'v', NUMBER],
				[route, 'center', TEXT],
				[route, 'region', TEXT]
			]),
			['/api/v1/snapshot', 'center', TEXT],
			['/api/v1/snapshot', 'region', TEXT]
		];
		const paths: Array<[string, string]> = [
			...NUMBER.map((v): [string, string] => [`/supervision/evidence/${v}`, 'id']),
			...TEXT.map((v): [string, string] => [`/hotline/${v}`, 'ticketId']),
			...MONTH_.map((v): [string, string] => [`/reports/bulletin/${v}`, 'month']),
			...MONTH_.map((v): [string, string] => [`/reports/bulletin/${v}/xlsx`, 'month'])
		];
		/** What of a stack trace or a server path could leak into an answer. */
		const LEAK = /\n\s+at |node_modules|file:\/\/|\/build\/server|Failed query/;

		it('answers 400 or 404 with a reason, never a 500, and never a stack trace', async () => {
			const web = new WebSession(server);
			const u = createUser(server, 'all-roles', ['admin', 'leader', 'supervisor', 'hotline_operator']);
			expect((await web.signIn(u.username, u.password)).status).toBe(303);
			// [url, the field the answer must name]
			const urls: Array<[string, string]> = [...query.flatMap(([route, key, values]) => values.map((v): [string, string] => [`${route}?${key}=${v}`, key])), ...paths];
			// Pages answer their data (__data.json) the same way: the load's error, with its status.
			for (const [url, field] of [...urls]) if (!url.startsWith('/api/') && !/\/(xlsx|pdf|export)|evidence/.test(url)) urls.push([url.replace(/(\?|$)/, '/__data.json$1'), field]);
			const problems: string[] = [];
			for (const [url, field] of urls) {
				const r = await web.get(url, { accept: url.includes('__data.json') ? 'application/json' : 'text/html' });
				const body = await r.text();
				let status = r.status;
				if (url.includes('__data.json') && status === 200) status = (JSON.parse(body).nodes as Array<{ type: string; status?: number } | null>).find((n) => n?.type === 'error')?.status ?? (body.includes('"error"') ? 500 : 200);
				if (status !== 400 && status !== 404) problems.push(`${url}: ${status} ${body.slice(0, 120)}`);
				else if (LEAK.test(body)) problems.push(`${url}: ${status} shows ${LEAK.exec(body)![0]}`);
				// The reason names the field (`before: expected …`), or the NUL refusal names the parameter or the path.
				else if (!new RegExp(`(${field}|path)(&quot;|\\\\?")?: `).test(body)) problems.push(`${url}: ${status} does not name ${field}: ${body.slice(0, 200)}`);
			}
			expect(problems).toEqual([]);
		}, 120_000);

		it('refuses bad ids in form actions with 400, never a 500', async () => {
			const web = new WebSession(server);
			const u = createUser(server, 'form-admin', ['admin']);
			expect((await web.signIn(u.username, u.password)).status).toBe(303);
			const problems: string[] = [];
			for (const id of ['99999999999999999999', '1e400', '-1', 'abc'])
				for (const [action, extra] of [
					['/admin/users?/update', { roles: 'leader' }],
					['/admin/users?/disable', {}],
					['/admin/users?/enable', {}],
					['/admin/users?/reset', {}],
					['/admin/quarantine?/fix', { body: '{}' }],
					['/admin/quarantine?/replay', {}],
					['/admin/quarantine?/discard', { reason: 'test' }]
				] as const) {
					const r = await web.form(action, { id, ...extra }, { enhanced: true });
					const body = await r.text();
					const status = r.status === 200 ? (JSON.parse(body) as { status: number }).status : r.status;
					if (status !== 400 && status !== 404) problems.push(`${action} id=${id}: ${status} ${body.slice(0, 120)}`);
					else if (!/\bid\b/.test(body)) problems.push(`${action} id=${id}: ${status} does not name the id: ${body.slice(0, 120)}`);
				}
			expect(problems).toEqual([]);
		});

		it('refuses a NUL byte anywhere in the path or the query before anything else, naming where', async () => {
			for (const url of ['/healthz?x=%00', '/login?next=%2F%00', '/%00', '/api/v1/snapshot?token=%00', '/wall?%00=1']) {
				const r = await fetch(server.url + url, { redirect: 'manual' });
				expect(r.status, url).toBe(400);
				expect(await r.text(), url).toMatch(/(path|query|parameter).*NUL byte/);
			}
		});
	});

	describe('NUL bytes in form fields', () => {
		it('are refused with 400 naming the field (name, text or file name), while a file’s own bytes may hold them', async () => {
			const web = new WebSession(server);
			const u = createUser(server, 'nul-all', ['admin', 'leader', 'supervisor']);
			expect((await web.signIn(u.username, u.password)).status).toBe(303);
			const M = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
			const problems: string[] = [];
			const check = async (what: string, r: Response, field: string) => {
				const body = await r.text();
				if (r.status !== 400 || !body.includes(`form field \\"${field}\\": contains a NUL byte`) && !body.includes(`form field "${field}": contains a NUL byte`)) problems.push(`${what}: ${r.status} ${body.slice(0, 160)}`);
			};
			// As a plain form (the sign-in page, anonymous) and as enhanced form actions.
			await check('login', await new WebSession(server).form('/login', { username: 'a\0b', password: 'x' }), 'username');
			for (const [action, fields, field] of [
				['/admin/keys?/revokeKey', { name: '\0' }, 'name'],
				['/admin/users?/create', { username: 'nul-user', displayName: 'a\0b', roles: 'leader' }, 'displayName'],
				['/admin/rules?/importCsv', { csv: '2027-01-01,holiday,元\0旦' }, 'csv'],
				[`/reports/bulletin/${M}?/saveDraft`, { intro: 'a\0b', problems: '', plans: '' }, 'intro'],
				['/admin/quarantine?/discard', { id: '1', 'reason\0': 'x' }, 'reason\0']
			] as const)
				await check(action, await web.form(action, fields as Record<string, string>, { enhanced: true }), field.replace('\0', '%00'));
			const card = (reason: string, file: string) => {
				const fd = new FormData();
				for (const [k, v] of Object.entries({ color: 'yellow', targetKind: 'staff', target_staff: 'S001', reason, note: '' })) fd.append(k, v);
				// A PNG: its bytes hold NULs, as files do.
				fd.append('evidence', new Blob([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8ff3f0005fe02fea7d6a4f30000000049454e44ae426082', 'hex')], { type: 'image/png' }), file);
				return web.multipart('/supervision?/issueCard', fd);
			};
			await check('issueCard reason', await card('mis\0conduct', 'photo.png'), 'reason');
			await check('issueCard file name', await card('misconduct', 'pho\0to.png'), 'evidence');
			expect(problems).toEqual([]);
			const ok = await (await card('misconduct', '现场照片.png')).json();
			expect(ok.type, JSON.stringify(ok)).toBe('success');
		});
	});

	describe('the quarantine and a malformed caller phone', () => {
		const PHONE = '1380000123x';
		const DIGITS = PHONE.replace(/\D/g, '');
		const MASKED = `data.callerPhone: expected a phone number, found "${maskPhone(PHONE)}"`;

		it('tells the sender what it sent, and shows people the reason masked: page, data, CLI, replay, fix and its audit entry', async () => {
			const web = new WebSession(server);
			const u = createUser(server, 'q-admin', ['admin']);
			expect((await web.signIn(u.username, u.password)).status).toBe(303);
			const event = { id: `q-${Date.now().toString(36)}`, type: 'hotline.ticket_created', occurredAt: cst(Date.now() - 1000), data: { ticketId: 'RX-Q1', channel: 'phone', category: '城市管理', summary: '路灯不亮', callerPhone: PHONE } };
			const sent = await server.post('/api/v1/events', event, creds.key);
			// The sender sent the number: its answer names it as sent, so it can find and fix the record.
			expect(sent.body.results[0]).toMatchObject({ status: 'rejected', error: `data.callerPhone: expected a phone number, found "${PHONE}"` });

			const list = server.cli('quarantine', 'list');
			const line = list.stdout.split('\n').find((l) => l.includes(event.id))!;
			expect(line).toContain(MASKED);
			expect(list.stdout).not.toContain(DIGITS);
			const qid = /^#(\d+)/.exec(line)![1];

			for (const url of ['/admin/quarantine', '/admin/quarantine/__data.json', `/admin/quarantine?fix=${qid}`, '/admin']) {
				const body = await (await web.get(url)).text();
				expect(body, url).not.toContain(DIGITS);
			}
			expect(await (await web.get('/admin/quarantine')).text()).toContain(maskPhone(PHONE));

			// Replayed (still rejected): the results say why, masked, in the console and the CLI.
			const replayed = await web.action('/admin/quarantine?/replay', { id: qid });
			expect(replayed.data.replayed.stillRejected).toEqual([{ id: Number(qid), error: MASKED }]);
			const cli = server.cli('quarantine', 'replay', '--id', qid);
			expect(cli.code).toBe(1); // still rejected: told on stderr
			expect(cli.stderr).toContain(MASKED);
			expect(cli.stdout + cli.stderr).not.toContain(DIGITS);

			// Fixing another field with the phone left masked as shown keeps the original number, still
			// malformed: the refusal says so, masked.
			const shown = { ...event, data: { ...event.data, callerPhone: maskPhone(PHONE), summary: '路灯坏了' } };
			const refused = await web.action('/admin/quarantine?/fix', { id: qid, body: JSON.stringify(shown) });
			expect(refused.status).toBe(400);
			expect(JSON.stringify(refused.data)).toContain(maskPhone(PHONE));
			expect(JSON.stringify(refused.data)).not.toContain(DIGITS);
			// Fixed with a good number: the audit entry keeps the old reason, masked.
			const fixed = await web.action('/admin/quarantine?/fix', { id: qid, body: JSON.stringify({ ...event, data: { ...event.data, callerPhone: '13900001111' } }) });
			expect(fixed.type).toBe('success');
			const audit = await (await web.get('/admin/audit?action=quarantine.fix')).text();
			expect(audit).toContain(maskPhone(PHONE));
			expect(audit).not.toContain(DIGITS);
			expect(await (await web.get('/admin/quarantine')).text()).not.toContain(DIGITS);
		});
	});

	describe('request bodies that are not UTF-8', () => {
		/** JSON text with `bad` bytes where `@` stands; the offset of the first bad byte. */
		const bytes = (json: string, bad: number[]): { body: Buffer; at: number } => {
			const [head, tail] = json.split('@');
			return { body: Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)]), at: Buffer.byteLength(head) };
		};
		// A stray continuation byte, a lone lead byte, an overlong "/", a UTF-16 surrogate, a sequence cut short by the end.
		const BAD = [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe4, 0xb8]];
		const put = (path: string, body: Buffer) =>
			fetch(server.url + path, { method: path === '/api/v1/org' ? 'PUT' : 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${creds.key}` }, body: new Uint8Array(body) });

		it('POST /api/v1/events and PUT /api/v1/org answer 400 naming the byte, and store nothing', async () => {
			const seq0 = (await server.snapshot(creds.token)).seq;
			const quarantined0 = server.cli('quarantine', 'list').stdout;
			for (const bad of BAD) {
				const ev = bytes(JSON.stringify({ id: `u-${bad.join('-')}`, type: 'queue.ticket_issued', occurredAt: cst(Date.now() - 1000), data: { centerCode: 'HC1', ticketNo: 'A@1', departmentCode: 'GSJ' } }), bad);
				const r = await put('/api/v1/events', ev.body);
				expect(r.status, JSON.stringify(bad)).toBe(400);
				expect(await r.json(), JSON.stringify(bad)).toEqual({ error: `body: invalid UTF-8 at byte ${ev.at}` });
				const org = bytes(JSON.stringify({ windows: [{ code: 'W77', name: '77号@窗口', centerCode: 'HC1', departmentCode: 'GSJ' }] }), bad);
				const o = await put('/api/v1/org', org.body);
				expect(o.status, JSON.stringify(bad)).toBe(400);
				expect(await o.json(), JSON.stringify(bad)).toEqual({ error: `body: invalid UTF-8 at byte ${org.at}` });
			}
			// A cut-off last character is named where it starts.
			const cut = Buffer.from('{"events": []}');
			const tail = await put('/api/v1/events', Buffer.concat([cut, Buffer.from([0xe4, 0xb8])]));
			expect(await tail.json()).toEqual({ error: `body: invalid UTF-8 at byte ${cut.length}` });
			expect((await server.snapshot(creds.token)).seq).toBe(seq0);
			expect(server.cli('quarantine', 'list').stdout).toBe(quarantined0);
			expect((await server.snapshot(creds.token, '&center=HC1')).hall.windowsTotal).toBe(TEST_ORG.windows.filter((w) => w.centerCode === 'HC1').length);
			// Valid UTF-8 (Chinese, emoji) goes through as before.
			const ok = await put('/api/v1/events', Buffer.from(JSON.stringify({ id: `u-ok-${Date.now()}`, type: 'queue.ticket_issued', occurredAt: cst(Date.now() - 1000), data: { centerCode: 'HC1', ticketNo: 'A中😀', departmentCode: 'GSJ' } })));
			expect(ok.status).toBe(200);
			expect((await ok.json()).accepted).toBe(1);
		});
	});
});
