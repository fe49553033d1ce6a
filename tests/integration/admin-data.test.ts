/**
 * The admin console's data pages over HTTP against the built server, signed in as an admin:
 * keys and tokens (/admin/keys), walls (/admin/walls), quarantine (/admin/quarantine) and org
 * data (/admin/org, single edits and CSV uploads). Every action leaves an audit entry naming the
 * user; secrets and full caller phones never appear in it; a non-admin is refused.
 */
import fs from 'node:fs';
import * as devalue from 'devalue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createUser, cst, freshPostgres, problem, provisioned, startServer, StreamClient, until, WebSession, type TestServer } from './harness';

type ActionResult = { type: 'success' | 'failure' | 'redirect' | 'error'; status: number; data: any };

describe.each(BACKENDS)('admin data pages on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };
	let admin: WebSession;
	let leader: WebSession;

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0', HEARTBEAT_MS: '500' } });
		creds = await provisioned(server);
		const a = createUser(server, 'data-admin', ['admin']);
		const l = createUser(server, 'data-leader', ['leader']);
		admin = new WebSession(server);
		leader = new WebSession(server);
		expect((await admin.signIn(a.username, a.password)).status).toBe(303);
		expect((await leader.signIn(l.username, l.password)).status).toBe(303);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
		if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	/** Post a form action as `use:enhance` does; the answer's data decoded. */
	async function act(path: string, fields: Record<string, string | string[]>, web = admin): Promise<ActionResult> {
		const r = await web.form(path, fields, { enhanced: true });
		const body = await r.json();
		return { ...body, data: body.data ? devalue.parse(body.data) : undefined };
	}
	/** Post multipart (a file upload) as the page does. */
	async function upload(path: string, fields: Record<string, string>, file: { name: string; bytes: Uint8Array }): Promise<ActionResult> {
		const fd = new FormData();
		for (const [k, v] of Object.entries(fields)) fd.append(k, v);
		fd.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'text/csv' }), file.name);
		const r = await admin.request(path, { method: 'POST', body: fd, headers: { origin: server.url, 'x-sveltekit-action': 'true', accept: 'application/json' } });
		const body = await r.json();
		return { ...body, data: body.data ? devalue.parse(body.data) : undefined };
	}
	/** A page's load data (its last node), as the client router fetches it. */
	async function pageData(path: string, web = admin): Promise<any> {
		const [p, q] = path.split('?');
		const r = await web.get(`${p.replace(/\/$/, '')}/__data.json${q ? `?${q}` : ''}`);
		expect(r.status).toBe(200);
		const body = await r.json();
		const node = body.nodes[body.nodes.length - 1];
		return devalue.unflatten(node.data);
	}
	/** The newest audit entries of an action. */
	async function audits(action: string): Promise<any[]> {
		return (await pageData(`/admin/audit?action=${encodeURIComponent(action)}`)).entries;
	}
	const event = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, occurredAt: cst(Date.now() - 1000), data });

	it('refuses a signed-in non-admin on every page and action, and stores nothing', async () => {
		for (const path of ['/admin/keys', '/admin/walls', '/admin/quarantine', '/admin/org']) {
			const r = await leader.get(path);
			expect([303, 403], path).toContain(r.status);
		}
		const r = await leader.form('/admin/keys?/createKey', { name: 'sneaky', types: 'queue.*' });
		expect(r.status).not.toBe(200);
		const keys = (await pageData('/admin/keys')).keys;
		expect(keys.some((k: any) => k.name === 'sneaky')).toBe(false);
		expect((await audits('ingest_key.create')).filter((e) => e.target === 'sneaky')).toEqual([]);
	});

	it('keys: creates a key shown once, refuses bad input by field, revokes; each audited without the secret', async () => {
		let res = await act('/admin/keys?/createKey', { name: '', types: ['queue.*'], moreTypes: 'queue.bogus!' });
		expect(res.type).toBe('failure');
		expect(res.data).toMatchObject({ form: 'createKey', errors: { name: { key: 'keys.errRequired' }, types: { key: 'keys.errType', params: { value: 'queue.bogus!' } } } });
		expect(problem(res.data, 'types', 'zh')).toBe('事件类型：“queue.bogus!”不是事件类型或前缀（如 queue.*、hotline.ticket_created、org、*）');
		expect(res.data.values.types).toEqual(['queue.*']);

		res = await act('/admin/keys?/createKey', { name: 'hall-queue', types: ['queue.*', 'window.*'], moreTypes: 'hotline.ticket_created' });
		expect(res.type).toBe('success');
		const secret: string = res.data.created.secret;
		expect(secret).toMatch(/^hwk_/);
		const sent = await server.post('/api/v1/events', event('k-1', 'queue.ticket_issued', { centerCode: 'HC1', ticketNo: 'K1' }), secret);
		expect(sent.body.accepted).toBe(1);
		// Never again: not in the list, the page or the audit log.
		const page = await (await admin.get('/admin/keys')).text();
		expect(page).not.toContain(secret);
		const listed = (await pageData('/admin/keys')).keys.find((k: any) => k.name === 'hall-queue');
		expect(listed).toMatchObject({ types: ['queue.*', 'window.*', 'hotline.ticket_created'], revokedAt: null });
		expect(listed.lastUsedAt).not.toBe(null);
		const [created] = await audits('ingest_key.create');
		expect(created).toMatchObject({ actor: 'user:data-admin', target: 'hall-queue', detail: { types: ['queue.*', 'window.*', 'hotline.ticket_created'] } });
		expect(created.ip).toBeTruthy();
		expect(JSON.stringify(created)).not.toContain(secret);

		res = await act('/admin/keys?/createKey', { name: 'hall-queue', types: ['queue.*'] });
		expect(res.data.errors.name).toEqual({ key: 'keys.errKeyTaken', params: { value: 'hall-queue' } });

		res = await act('/admin/keys?/revokeKey', { name: 'hall-queue' });
		expect(res.data.revoked).toEqual({ kind: 'key', name: 'hall-queue' });
		expect((await server.post('/api/v1/events', event('k-2', 'queue.ticket_issued', { centerCode: 'HC1', ticketNo: 'K2' }), secret)).status).toBe(401);
		expect((await audits('ingest_key.revoke'))[0]).toMatchObject({ target: 'hall-queue', detail: { before: 'active', after: 'revoked' } });
		res = await act('/admin/keys?/revokeKey', { name: 'hall-queue' });
		expect(res.data.errors.name.key).toBe('keys.errNoActiveKey');
	});

	it('tokens: creates a scoped token shown once, refuses an unknown scope, revokes; audited', async () => {
		let res = await act('/admin/keys?/createToken', { name: 'east-wall', scope: 'center:NOPE' });
		expect(res.data.errors.scope).toEqual({ key: 'keys.errCenter', params: { value: 'NOPE' } });
		res = await act('/admin/keys?/createToken', { name: 'east-wall', scope: 'center:HC2' });
		const token: string = res.data.created.secret;
		expect(token).toMatch(/^hwd_/);
		expect((await server.snapshot(token)).scope).toBe('center:HC2');
		expect((await pageData('/admin/keys')).tokens.find((t: any) => t.name === 'east-wall')).toMatchObject({ scope: 'center:HC2', revokedAt: null });
		const [created] = await audits('display_token.create');
		expect(created).toMatchObject({ actor: 'user:data-admin', target: 'east-wall', detail: { scope: { kind: 'center', code: 'HC2' } } });
		expect(JSON.stringify(created)).not.toContain(token);
		res = await act('/admin/keys?/revokeToken', { name: 'east-wall' });
		expect(res.data.revoked.name).toBe('east-wall');
		expect((await fetch(`${server.url}/api/v1/snapshot?token=${token}`)).status).toBe(401);
		expect((await audits('display_token.revoke'))[0].target).toBe('east-wall');
	});

	it('walls: lists connected displays with their heartbeat, reloads one or all; audited', async () => {
		const res = await act('/admin/keys?/createToken', { name: 'lobby-wall', scope: 'all' });
		const wall = await StreamClient.connect(server, res.data.created.secret);
		const other = await StreamClient.connect(server, creds.token);
		try {
			const listed = await until(async () => (await pageData('/admin/walls')).walls.find((w: any) => w.name === 'lobby-wall'));
			expect(listed).toMatchObject({ scope: 'all', lagging: false });
			const first = listed.lastHeartbeatAt;
			// The display answers the server's pings (HEARTBEAT_MS=500): its last heartbeat moves on.
			await until(async () => (await pageData('/admin/walls')).walls.find((w: any) => w.name === 'lobby-wall').lastHeartbeatAt > first, 5000, 200);

			let r = await act('/admin/walls?/reload', { name: 'lobby-wall' });
			expect(r.data.reloaded).toEqual({ name: 'lobby-wall', count: 1 });
			await wall.waitFor((m) => m.type === 'reload');
			expect(other.messages.some((m) => m.type === 'reload')).toBe(false);
			expect((await audits('walls.reload'))[0]).toMatchObject({ actor: 'user:data-admin', target: 'lobby-wall', detail: { clients: 1 } });

			r = await act('/admin/walls?/reload', {});
			expect(r.data.reloaded).toEqual({ name: null, count: 2 });
			await other.waitFor((m) => m.type === 'reload');
			expect((await audits('walls.reload'))[0].target).toBe('all');

			r = await act('/admin/walls?/reload', { name: 'nobody' });
			expect(r.data.errors.name).toEqual({ key: 'walls.errNotConnected', params: { value: 'nobody' } });
		} finally {
			wall.close();
			other.close();
		}
	});

	it('quarantine: lists, filters, fixes (validated, phones masked in the audit), replays and discards', async () => {
		const phone = '13800001234';
		await server.post(
			'/api/v1/events',
			{
				events: [
					event('q-1', 'hotline.ticket_created', { ticketId: 'RX-Q1', channel: 'phone', category: '城管', summary: '路灯', callerPhone: phone, regionCode: 'NOWHERE' }),
					event('q-2', 'queue.ticket_called', { centerCode: 'HC1', ticketNo: 'A1', windowCode: 'W99' }),
					event('q-3', 'queue.ticket_called', { centerCode: 'HC1', ticketNo: 'A2', windowCode: 'W98' })
				]
			},
			creds.key
		);
		let data = await pageData('/admin/quarantine');
		expect(data.total).toBe(3);
		const byEvent = (id: string) => data.items.find((i: any) => i.eventId === id);
		const q1 = byEvent('q-1');
		expect(q1.error).toBe('data.regionCode: unknown region "NOWHERE"');
		expect(q1.body).toContain('138****1234');
		expect(q1.body).not.toContain(phone);
		expect((await pageData('/admin/quarantine?type=queue.ticket_called')).items.map((i: any) => i.eventId).sort()).toEqual(['q-2', 'q-3']);
		expect((await pageData('/admin/quarantine?sender=nobody')).items).toEqual([]);

		// Fix: invalid JSON and an invalid event are refused with the reason; the text is kept.
		let r = await act('/admin/quarantine?/fix', { id: String(q1.id), body: '{"id": ' });
		expect(r.data.errors.body.key).toBe('quarantine.errBody');
		expect(r.data.errors.body.params.detail).toMatch(/^body: not valid JSON/);
		expect(r.data.values.body).toBe('{"id": ');
		const edited = JSON.parse(q1.body);
		r = await act('/admin/quarantine?/fix', { id: String(q1.id), body: JSON.stringify({ ...edited, data: { ...edited.data, channel: 'fax' } }) });
		expect(r.data.errors.body.params.detail).toMatch(/^data\.channel: expected one of/);
		r = await act('/admin/quarantine?/fix', { id: String(q1.id), body: JSON.stringify({ ...edited, data: { ...edited.data, regionCode: 'D1' } }) });
		expect(r.data.fixed).toEqual({ id: q1.id, warning: null });
		const [fix] = await audits('quarantine.fix');
		expect(fix).toMatchObject({ actor: 'user:data-admin', target: String(q1.id) });
		expect(fix.detail.before.data.regionCode).toBe('NOWHERE');
		expect(fix.detail.after.data.regionCode).toBe('D1');
		expect(JSON.stringify(fix)).not.toContain(phone);

		// Replay the fixed one: accepted as its sender, the full phone kept (the mask was left as shown).
		r = await act('/admin/quarantine?/replay', { id: String(q1.id) });
		expect(r.data.replayed).toMatchObject({ replayed: 1, accepted: 1, duplicates: 0, stillRejected: [] });
		expect((await audits('quarantine.replay'))[0]).toMatchObject({ target: String(q1.id), detail: { accepted: 1 } });
		r = await act('/admin/quarantine?/replay', {});
		expect(r.data.errors.id.key).toBe('quarantine.errNoneSelected');

		// Replay all: the two unknown windows stay, with their reasons.
		r = await act('/admin/quarantine?/replayAll', {});
		expect(r.data.replayed.accepted).toBe(0);
		expect(r.data.replayed.stillRejected.map((x: any) => x.error).sort()).toEqual(['data.windowCode: unknown window "W98" in center "HC1"', 'data.windowCode: unknown window "W99" in center "HC1"']);

		// Discard needs a reason.
		data = await pageData('/admin/quarantine');
		const ids = data.items.map((i: any) => String(i.id));
		r = await act('/admin/quarantine?/discard', { id: ids, reason: ' ' });
		expect(problem(r.data, 'reason', 'zh')).toBe('丢弃原因：必填');
		r = await act('/admin/quarantine?/discard', { id: ids, reason: '测试数据' });
		expect(r.data.discarded).toEqual({ count: 2, notOpen: 0 });
		expect((await audits('quarantine.discard'))[0]).toMatchObject({ detail: { reason: '测试数据', discarded: 2 } });
		expect((await pageData('/admin/quarantine')).total).toBe(0);
	});

	it('org: edits one item (audited before/after, live at once) and refuses bad fields by name', async () => {
		let r = await act('/admin/org?/save', { kind: 'windows', isNew: '0', originalCode: 'W01', code: 'W01', name: '01号综合窗口', centerCode: 'HC1', departmentCode: 'NOPE' });
		expect(r.data.errors.departmentCode.params.en).toBe('departmentCode: unknown department "NOPE"');
		expect(r.data.values.name).toBe('01号综合窗口');
		r = await act('/admin/org?/save', { kind: 'windows', isNew: '0', originalCode: 'W01', code: 'W01', name: '01号综合窗口', centerCode: 'HC1', departmentCode: 'GAJ' });
		expect(r.data.saved).toEqual({ kind: 'windows', code: 'W01', created: false, changed: 2 });
		const w01 = (await pageData('/admin/org?kind=windows')).items.find((w: any) => w.code === 'W01');
		expect(w01).toMatchObject({ name: '01号综合窗口', departmentCode: 'GAJ' });
		const [update] = await audits('org.update');
		expect(update).toMatchObject({ actor: 'user:data-admin', target: 'windows:W01', detail: { before: { name: '01号窗口', departmentCode: 'GSJ' }, after: { name: '01号综合窗口', departmentCode: 'GAJ' } } });
		// Live: an event naming the window now places it in its new department.
		const snap = await server.snapshot(creds.token, '&center=HC1');
		expect(snap.windows.find((w: any) => w.code === 'W01').departmentCode).toBe('GAJ');

		r = await act('/admin/org?/save', { kind: 'windows', isNew: '1', code: 'W02', name: 'x', centerCode: 'HC1', departmentCode: 'GSJ' });
		expect(r.data.errors.code.params.en).toBe('code: "W02" exists already');
	});

	it('org CSV: previews (GBK, a bad row), applies the valid rows in one go, audited with counts', async () => {
		// "03号窗口" and "东02号窗口" in GBK, as Chinese Excel saves them; one row names an unknown department.
		const gbk = (s: string) => new Uint8Array([...s].flatMap((ch) => [...encodeGbk(ch)]));
		const csv = '编码,名称,所属中心编码,所属部门编码\r\nW03,03号窗口,HC1,GSJ\r\nE02,东02号窗口,HC2,DGS\r\nW04,04号窗口,HC1,NOPE\r\nW02,02号窗口,HC1,GAJ\r\n';
		let r = await upload('/admin/org?/preview', { kind: 'windows' }, { name: 'windows.csv', bytes: gbk(csv) });
		expect(r.type).toBe('success');
		const p = r.data.preview;
		expect(p.encoding).toBe('gbk');
		expect(p.counts).toEqual({ new: 2, changed: 0, unchanged: 1, invalid: 1 });
		expect(p.rows.map((x: any) => [x.row, x.code, x.status])).toEqual([
			[2, 'W03', 'new'],
			[3, 'E02', 'new']
		]);
		expect(p.invalid[0]).toMatchObject({ row: 4, problems: [{ field: 'departmentCode', code: 'ref', message: 'departmentCode: unknown department "NOPE"' }] });
		// Nothing stored by a preview.
		expect((await pageData('/admin/org?kind=windows')).items.some((w: any) => w.code === 'W03')).toBe(false);

		r = await act('/admin/org?/apply', { kind: 'windows', text: r.data.text, fileName: 'windows.csv' });
		expect(r.data.applied).toEqual({ kind: 'windows', fileName: 'windows.csv', new: 2, changed: 0, unchanged: 1, invalid: 1, written: 2 });
		const items = (await pageData('/admin/org?kind=windows')).items;
		expect(items.find((w: any) => w.code === 'E02')).toMatchObject({ name: '东02号窗口', centerCode: 'HC2' });
		expect((await audits('org.import'))[0]).toMatchObject({ actor: 'user:data-admin', target: 'windows', detail: { fileName: 'windows.csv', new: 2, invalid: 1, written: 2 } });
		// Live: events may name the new window at once.
		const sent = await server.post('/api/v1/events', event('w03-called', 'queue.ticket_called', { centerCode: 'HC1', ticketNo: 'A9', windowCode: 'W03' }), creds.key);
		expect(sent.body.accepted).toBe(1);

		r = await upload('/admin/org?/preview', { kind: 'windows' }, { name: 'bad.csv', bytes: new TextEncoder().encode('code,name,colour\nW9,x,red\n') });
		expect(r.data.preview.fileErrors.map((e: any) => e.message)).toContain('column "colour" is not a field of windows (expected code, name, centerCode, departmentCode)');
		r = await upload('/admin/org?/preview', { kind: 'windows' }, { name: 'empty.csv', bytes: new Uint8Array() });
		expect(r.data.errors.file.key).toBe('org.errNoFile');
	});
});

/** GBK bytes of one character (the test's few Chinese characters, from a table Node can produce). */
function encodeGbk(ch: string): Uint8Array {
	if (ch.charCodeAt(0) < 0x80) return new Uint8Array([ch.charCodeAt(0)]);
	// Node decodes GBK but cannot encode it: find the two bytes by decoding the GBK range once.
	GBK ??= buildGbk();
	const b = GBK.get(ch);
	if (!b) throw new Error(`no GBK code for ${ch}`);
	return b;
}
let GBK: Map<string, Uint8Array> | undefined;
function buildGbk(): Map<string, Uint8Array> {
	const map = new Map<string, Uint8Array>();
	const dec = new TextDecoder('gbk');
	for (let hi = 0x81; hi <= 0xfe; hi++)
		for (let lo = 0x40; lo <= 0xfe; lo++) {
			if (lo === 0x7f) continue;
			const bytes = new Uint8Array([hi, lo]);
			const s = dec.decode(bytes);
			if (s.length === 1 && !map.has(s)) map.set(s, bytes);
		}
	return map;
}
