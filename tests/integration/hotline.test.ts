/**
 * The hotline console over HTTP against the built server: an operator takes a call, dispatches
 * it (due N working days later by the calendar), records the department's reply, closes it and
 * records the callback, and the month's figures follow; a ticket sent through the ingest API is
 * the same kind of ticket; reopening and supervision; a leader reads but is refused every
 * action and never gets a full caller phone; an admin's time limits (audited) drive the next
 * dispatch; keyset paging; the `hotline_tickets` table rebuilt from the log after a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/lib/domain/calendar';
import { monthRange } from '../../src/lib/domain/hotline-figures';
import { monthKey } from '../../src/lib/domain/time';
import { BACKENDS, createUser, cst, freshPostgres, problem, provisioned, until, WebSession, type TestServer, startServer } from './harness';

/** A refused hotline action in the form layer's one shape: its field, the desk's problem code and the English text. */
function refused(r: { data: any }): { field: string; code: string; error: string } {
	const [field, m] = Object.entries(r.data.errors as Record<string, any>)[0];
	return { field, code: String(m.params?.problem?.key ?? '').replace('hl.problem.', ''), error: problem(r.data, field)! };
}

const cal = new WorkingCalendar();
const TZ = 'Asia/Shanghai';
const PHONE = '13800001234';

/** The month's figures as the page shows them (data-value of each tile). */
async function figures(web: WebSession): Promise<Record<string, string>> {
	const html = await (await web.get('/hotline')).text();
	const out: Record<string, string> = {};
	for (const k of ['received', 'closed', 'closureRate', 'onTimeRate', 'callbackRate', 'satisfactionRate']) {
		const m = new RegExp(`data-testid="fig-${k}"[^>]*data-value="([^"]*)"`).exec(html);
		out[k] = m ? m[1] : 'missing';
	}
	return out;
}

/** Ticket ids listed on a page of the list. */
const listed = (html: string) => [...html.matchAll(/data-testid="ticket-([^"]+)"/g)].map((m) => m[1]).filter((id) => !['list', 'id', 'status', 'phone', 'facts', 'actions', 'timeline', 'department', 'due', 'callback'].includes(id));

describe.each(BACKENDS)('hotline console on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };
	let op: WebSession;
	let leader: WebSession;
	let admin: WebSession;
	let ticketId = '';

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0', DERIVE_EVERY_MS: '200', STREAM_FLUSH_MS: '50' } });
		creds = await provisioned(server);
		const sessions: WebSession[] = [];
		for (const [name, role] of [
			['op', 'hotline_operator'],
			['lead', 'leader'],
			['adm', 'admin']
		] as const) {
			const u = createUser(server, name, [role]);
			const web = new WebSession(server);
			expect((await web.signIn(u.username, u.password)).status).toBe(303);
			sessions.push(web);
		}
		[op, leader, admin] = sessions;
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
		if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	it('lands an operator on /hotline', async () => {
		const u = createUser(server, 'op2', ['hotline_operator']);
		const web = new WebSession(server);
		const r = await web.signIn(u.username, u.password);
		expect(r.headers.get('location')).toBe('/hotline');
		expect(await figures(web)).toMatchObject({ received: '0', closed: '0', closureRate: '—' });
	});

	it('takes a call, dispatches it with a due time N working days on, records the reply, closes it and the callback; the figures follow', async () => {
		// Intake refused with the field named, nothing stored.
		let r = await op.action('/hotline/act?/intake', { callerPhone: PHONE, channel: 'phone', category: '城市管理', summary: '   ', regionCode: 'D1' });
		expect(r.type).toBe('failure');
		expect(refused(r)).toMatchObject({ field: 'summary', error: 'Summary: must not be empty' });
		r = await op.action('/hotline/act?/intake', { callerPhone: '', channel: 'phone', category: '城市管理', summary: 'x', regionCode: 'D1' });
		expect(refused(r)).toMatchObject({ field: 'callerPhone', code: 'phoneRequired' });
		r = await op.action('/hotline/act?/intake', { callerPhone: PHONE, channel: 'phone', category: '没有', summary: 'x', regionCode: 'D1' });
		expect(refused(r).error).toBe('Category: unknown category "没有"');

		r = await op.action('/hotline/act?/intake', { callerPhone: PHONE, channel: 'phone', category: '城市管理', summary: '幸福家园小区路灯损坏', regionCode: 'D1', nonce: 'n-intake-0001' });
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		ticketId = r.data.ticketId;
		expect(ticketId).toMatch(/^RX-\d{8}-[2-9A-Z]{5}$/);
		// The same form sent twice (a double click) stores one ticket.
		const again = await op.action('/hotline/act?/intake', { callerPhone: PHONE, channel: 'phone', category: '城市管理', summary: '幸福家园小区路灯损坏', regionCode: 'D1', nonce: 'n-intake-0001' });
		expect(again.type).toBe('success');
		// The list shows it at once (the action waited for the table).
		let html = await (await op.get('/hotline')).text();
		expect(listed(html)).toContain(ticketId);
		expect(html).toContain(PHONE); // operators see full phones
		expect(await figures(op)).toMatchObject({ received: String(listed(html).length), closed: '0' });

		// Reply before dispatch: refused, naming why.
		r = await op.action('/hotline/act?/reply', { ticketId, reply: '已修复' });
		expect(refused(r)).toMatchObject({ field: 'ticketId', code: 'notDispatched' });
		r = await op.action('/hotline/act?/dispatch', { ticketId, departmentCode: 'NOPE' });
		expect(refused(r)).toMatchObject({ field: 'departmentCode', code: 'unknownDepartment' });
		const before = Date.now();
		r = await op.action('/hotline/act?/dispatch', { ticketId, departmentCode: 'GSJ' });
		const after = Date.now();
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		html = await (await op.get(`/hotline/${ticketId}`)).text();
		const due = Date.parse(/data-testid="ticket-due" data-due="([^"]+)"/.exec(html)![1]);
		// 城市管理: 5 working days (default limits), the same time of day, by the working-day calendar.
		expect(due).toBeGreaterThanOrEqual(cal.addWorkingDays(before - 1000, 5, TZ));
		expect(due).toBeLessThanOrEqual(cal.addWorkingDays(after, 5, TZ));
		expect(cal.workingDaysBetween(after, due, TZ)).toBe(5);
		expect(html).toContain('市工商局');

		r = await op.action('/hotline/act?/reply', { ticketId, reply: '' });
		expect(refused(r)).toMatchObject({ field: 'reply', error: 'Reply: must not be empty' });
		r = await op.action('/hotline/act?/reply', { ticketId, reply: '已安排维修，路灯已修复' });
		expect(r.type).toBe('success');
		r = await op.action('/hotline/act?/callback', { ticketId, reached: '1', satisfaction: 'satisfied' });
		expect(refused(r)).toMatchObject({ field: 'ticketId', code: 'notClosed' });
		r = await op.action('/hotline/act?/close', { ticketId });
		expect(r.type).toBe('success');
		r = await op.action('/hotline/act?/callback', { ticketId, reached: '1' });
		expect(refused(r)).toMatchObject({ field: 'satisfaction', code: 'chooseOne' });
		r = await op.action('/hotline/act?/callback', { ticketId, reached: '1', satisfaction: 'satisfied' });
		expect(r.type).toBe('success');

		expect(await figures(op)).toEqual({ received: '1', closed: '1', closureRate: '100.0%', onTimeRate: '100.0%', callbackRate: '100.0%', satisfactionRate: '100.0%' });
		// The wall's figures agree on received and closed.
		const snap = await server.snapshot(creds.token);
		expect(snap.hotline).toMatchObject({ receivedMonth: 1, closedMonth: 1, closureRate: 100 });
		// The timeline: every event in order, each by the operator.
		html = await (await op.get(`/hotline/${ticketId}`)).text();
		const types = [...html.matchAll(/data-type="(hotline\.[a-z_]+)"/g)].map((m) => m[1]);
		expect(types).toEqual(['hotline.ticket_created', 'hotline.ticket_assigned', 'hotline.ticket_replied', 'hotline.ticket_closed', 'hotline.callback_recorded']);
		expect(html).toContain('已安排维修，路灯已修复');
		// Drill-down: the closed figure's list is exactly this ticket.
		const m = monthRange(monthKey(Date.now(), TZ), TZ);
		const closedList = await (await op.get(`/hotline?status=closed&on=closed&from=${m.from}&to=${m.to}`)).text();
		expect(listed(closedList)).toEqual([ticketId]);
	});

	it('lists a ticket sent through the ingest API like the console’s, and works it', async () => {
		const id = `API-${backend}-1`;
		const at = Date.now() - 60_000;
		const res = await server.post('/api/v1/events', { id: `e-${id}`, type: 'hotline.ticket_created', occurredAt: cst(at), data: { ticketId: id, channel: 'wechat', category: '交通出行', summary: '路口信号灯故障', callerPhone: '13911112222', regionCode: 'D2' } }, creds.key);
		expect(res.body.accepted).toBe(1);
		const html = await until(async () => {
			const h = await (await op.get(`/hotline?q=${encodeURIComponent(id)}`)).text();
			return listed(h).includes(id) ? h : null;
		}) as string;
		expect(listed(html)).toEqual([id]);
		// The operator finds it by the caller's number too.
		expect(listed(await (await op.get('/hotline?q=1391111')).text())).toEqual([id]);
		const r = await op.action('/hotline/act?/dispatch', { ticketId: id, departmentCode: 'GAJ', days: '2' });
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		const page = await (await op.get(`/hotline/${id}`)).text();
		expect(page).toContain('市公安局');
		const due = Date.parse(/data-due="([^"]+)"/.exec(page)![1]);
		expect(cal.workingDaysBetween(Date.now(), due, TZ)).toBe(2);
		expect(listed(await (await op.get('/hotline?department=GAJ&status=assigned')).text())).toEqual([id]);
	});

	it('reopens a closed ticket with a reason and supervises it with a level', async () => {
		let r = await op.action('/hotline/act?/reopen', { ticketId, reason: '' });
		expect(refused(r)).toMatchObject({ field: 'reason', error: 'Reason: must not be empty' });
		r = await op.action('/hotline/act?/reopen', { ticketId, reason: '市民反映路灯仍不亮' });
		expect(r.type).toBe('success');
		expect(await figures(op)).toMatchObject({ closed: '0', closureRate: '0.0%', callbackRate: '—' });
		r = await op.action('/hotline/act?/supervise', { ticketId, level: '7', note: 'x' });
		expect(refused(r)).toMatchObject({ field: 'level', code: 'badLevel' });
		r = await op.action('/hotline/act?/supervise', { ticketId, level: '3', note: '群众反映强烈，请加快办理' });
		expect(r.type).toBe('success');
		const list = await (await op.get('/hotline?supervised=1')).text();
		expect(listed(list)).toEqual([ticketId]);
		expect(list).toContain('督办 3 级');
		const page = await (await op.get(`/hotline/${ticketId}`)).text();
		expect(page).toMatch(/data-testid="ticket-status"[^>]*>退回重办</);
		expect(page).toContain('市民反映路灯仍不亮');
		// Replied and closed again: counted closed once more.
		await op.action('/hotline/act?/reply', { ticketId, reply: '已更换灯具' });
		await op.action('/hotline/act?/close', { ticketId });
		expect(await figures(op)).toMatchObject({ closed: '1', callbackRate: '0.0%' });
		const snap = await server.snapshot(creds.token);
		expect(snap.hotline.closedMonth).toBe(1);
	});

	it('lets a leader read but refuses every action, and never shows a leader or an admin a full phone', async () => {
		const html = await (await leader.get('/hotline')).text();
		expect(listed(html)).toContain(ticketId);
		expect(html).not.toContain('data-testid="hotline-intake"');
		expect(html).not.toContain(PHONE);
		expect(html).toContain('138****1234');
		const detail = await leader.get(`/hotline/${ticketId}`);
		expect(detail.status).toBe(200);
		const page = await detail.text();
		expect(page).not.toContain('data-testid="ticket-actions"');
		expect(page).not.toContain(PHONE);
		for (const p of ['/hotline/__data.json', `/hotline/${ticketId}/__data.json`, '/hotline/__data.json?q=1234']) {
			const body = await (await leader.get(p)).text();
			expect(body, p).not.toContain(PHONE);
			expect(body, p).not.toContain('13911112222');
		}
		for (const [action, fields] of [
			['intake', { callerPhone: PHONE, channel: 'phone', category: '城市管理', summary: 'x' }],
			['close', { ticketId }],
			['reopen', { ticketId, reason: 'x' }],
			['supervise', { ticketId, level: '1', note: 'x' }],
			['callback', { ticketId, reached: '0' }]
		] as const) {
			const r = await leader.form(`/hotline/act?/${action}`, fields, { enhanced: true });
			expect(r.status, action).toBe(403);
			await r.body?.cancel();
		}
		expect((await leader.get('/hotline/limits')).status).toBe(403);
		// Admins work tickets but see masked phones too.
		const adminPage = await (await admin.get(`/hotline/${ticketId}/__data.json`)).text();
		expect(adminPage).not.toContain(PHONE);
		expect(await (await admin.get('/hotline')).text()).toContain('data-testid="hotline-intake"');
		// A leader may not search by phone (the search leaves phones out for them).
		expect(listed(await (await leader.get('/hotline?q=13911112222')).text())).toEqual([]);
	});

	it('a department handler acts on its department’s tickets only (role and scope); the center reviews; a repeat merged counts once', async () => {
		const ev = (id: string, type: string, data: Record<string, unknown>) => ({ id: `dh-${id}-${type}`, type, occurredAt: cst(Date.now() - 5000), data: { ticketId: id, ...data } });
		const created = (id: string) => ev(id, 'hotline.ticket_created', { channel: 'web', category: '市场监管', summary: '过期食品', regionCode: 'D1' });
		const sent = await server.post('/api/v1/events', { events: [created('DH-1'), created('DH-2'), created('DH-3')] }, creds.key);
		expect(sent.body.accepted).toBe(3);
		expect((await op.action('/hotline/act?/dispatch', { ticketId: 'DH-1', departmentCode: 'GSJ' })).type).toBe('success');
		expect((await op.action('/hotline/act?/dispatch', { ticketId: 'DH-2', departmentCode: 'GAJ' })).type).toBe('success');
		// Its 签收 limit: 2 working hours by the calendar.
		const tl = await (await op.get('/hotline/DH-1')).text();
		expect(tl).toContain('签收时限');

		const u = createUser(server, 'gsj-handler', ['department_handler'], { staff: 'S001' });
		const dh = new WebSession(server);
		expect((await dh.signIn(u.username, u.password)).headers.get('location')).toBe('/hotline/department');
		const queue = await (await dh.get('/hotline/department')).text();
		expect(queue).toContain('dept-ticket-DH-1');
		expect(queue).not.toContain('dept-ticket-DH-2'); // 市公安局's
		// Another department's ticket is unknown to it; the center's console and actions are refused.
		let r = await dh.action('/hotline/department?/acknowledge', { ticketId: 'DH-2' });
		expect(refused(r)).toMatchObject({ field: 'ticketId', code: 'unknownTicket' });
		expect((await dh.get('/hotline')).status).toBe(403);
		expect((await dh.form('/hotline/act?/close', { ticketId: 'DH-1' }, { enhanced: true })).status).toBe(403);
		// The center's console has no such action: the department's steps are the department's.
		r = await op.action('/hotline/act?/acknowledge', { ticketId: 'DH-1' });
		expect(r.type).toBe('error');
		expect((await (await op.get('/hotline/DH-1')).text())).not.toContain('已签收');

		r = await dh.action('/hotline/department?/acknowledge', { ticketId: 'DH-1' });
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		r = await dh.action('/hotline/department?/acknowledge', { ticketId: 'DH-1' });
		expect(refused(r)).toMatchObject({ code: 'acknowledgedAlready' });
		r = await dh.action('/hotline/department?/requestExtension', { ticketId: 'DH-1', days: '0', reason: '需协调' });
		expect(refused(r)).toMatchObject({ field: 'days', code: 'badDays' });
		r = await dh.action('/hotline/department?/requestExtension', { ticketId: 'DH-1', days: '2', reason: '需协调' });
		expect(r.type).toBe('success');
		r = await op.action('/hotline/act?/decideExtension', { ticketId: 'DH-1', approved: '0', note: '请按期办结' });
		expect(r.type).toBe('success');
		r = await op.action('/hotline/act?/decideExtension', { ticketId: 'DH-1', approved: '1' });
		expect(refused(r)).toMatchObject({ code: 'noExtensionPending' });

		// 重复件: DH-3 into DH-1; it leaves the list and the received count, and takes no more actions.
		const before = await figures(op);
		r = await op.action('/hotline/act?/merge', { ticketId: 'DH-3', intoTicketId: 'DH-3' });
		expect(refused(r)).toMatchObject({ field: 'intoTicketId', code: 'mergeSelf' });
		r = await op.action('/hotline/act?/merge', { ticketId: 'DH-3', intoTicketId: 'DH-1' });
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		expect(Number((await figures(op)).received)).toBe(Number(before.received) - 1);
		expect(listed(await (await op.get('/hotline')).text())).not.toContain('DH-3');
		expect(listed(await (await op.get('/hotline?merged=1')).text())).toEqual(['DH-3']);
		r = await op.action('/hotline/act?/close', { ticketId: 'DH-3' });
		expect(refused(r)).toMatchObject({ code: 'mergedAlready' });
		// The live figures count it once too.
		const snap = await server.snapshot(creds.token, '');
		expect(snap.hotline.mergedMonth).toBe(1);

		// The filtered list to Excel: the same filter as the page, phones as the viewer sees them; audited.
		const sheet = async (web: WebSession, query: string) => {
			const res = await web.get(`/hotline/export?${query}`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toContain('spreadsheetml');
			const wb = new ExcelJS.Workbook();
			await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
			const ws = wb.worksheets[0];
			const rows: string[][] = [];
			ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
			return rows;
		};
		const merged = await sheet(op, 'merged=1');
		expect(merged[0].slice(0, 3)).toEqual(['工单号', '受理时间', '渠道']);
		expect(merged.slice(1).map((r) => r[0])).toEqual(['DH-3']);
		const all = await sheet(leader, 'q=' + encodeURIComponent(PHONE.slice(0, 3)));
		expect(all.flat().join(' ')).not.toContain(PHONE);
		const opAll = await sheet(op, '');
		// Fewer than a page of tickets here: the workbook holds exactly the list's rows, in its order.
		expect(opAll.slice(1).map((r) => r[0])).toEqual(listed(await (await op.get('/hotline')).text()));
		expect((await dh.get('/hotline/export')).status).toBe(403);
		const audit = await (await admin.get('/admin/audit?action=hotline.export')).text();
		expect(audit).toContain('hotline.export');
	});

	it('lets an admin change the time limits (audited); the next dispatch uses them', async () => {
		let r = await admin.action('/hotline/limits?/save', { name: ['城市管理', '新类别', ''], days: ['2', '0', ''], defaultDays: '4' });
		expect(r.type).toBe('failure');
		expect(refused(r)).toMatchObject({ field: 'limits.新类别', code: 'badDays' });
		r = await admin.action('/hotline/limits?/save', { name: ['城市管理', '供暖', ''], days: ['2', '3', ''], defaultDays: '4' });
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		const audit = await (await admin.get('/admin/audit?action=hotline.limits_update')).text();
		expect(audit).toContain('hotline.limits_update');
		expect(audit).toContain('user:adm');
		// Intake with an immediate dispatch: 供暖 is offered now, with 3 working days.
		const before = Date.now();
		r = await op.action('/hotline/act?/intake', { callerPhone: '13700000000', channel: 'phone', category: '供暖', summary: '暖气不热', regionCode: 'D1', departmentCode: 'GSJ' });
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		const page = await (await op.get(`/hotline/${r.data.ticketId}`)).text();
		const due = Date.parse(/data-due="([^"]+)"/.exec(page)![1]);
		expect(due).toBeGreaterThanOrEqual(cal.addWorkingDays(before - 1000, 3, TZ));
		expect(cal.workingDaysBetween(Date.now(), due, TZ)).toBe(3);
		// The removed category is no longer offered.
		r = await op.action('/hotline/act?/intake', { callerPhone: PHONE, channel: 'phone', category: '交通出行', summary: 'x', regionCode: 'D1' });
		expect(refused(r)).toMatchObject({ field: 'category', code: 'unknownCategory' });

		// The three-rate weights: refused when all 0 (naming the field), and the live figures take a change at once.
		r = await admin.action('/hotline/limits?/save', { name: ['城市管理', '供暖', ''], days: ['2', '3', ''], defaultDays: '4', ackHours: '2', wResponse: '0', wResolved: '0', wSatisfaction: '0' });
		expect(refused(r)).toMatchObject({ field: 'wResponse', code: 'noWeight' });
		r = await admin.action('/hotline/limits?/save', { name: ['城市管理', '供暖', ''], days: ['2', '3', ''], defaultDays: '4', ackHours: '2', wResponse: '0', wResolved: '0', wSatisfaction: '100' });
		expect(r.type, JSON.stringify(r.data)).toBe('success');
		const snap = await server.snapshot(creds.token, '');
		// Satisfaction alone now: the composite is the satisfaction rate (a callback found the caller satisfied above).
		expect(snap.hotline.satisfactionRate).not.toBeNull();
		expect(snap.hotline.compositeRate).toBe(snap.hotline.satisfactionRate);
	});

	it('pages the list by keyset, newest first, without overlaps', async () => {
		const t0 = Date.now() - 3_600_000;
		const batch = Array.from({ length: 60 }, (_, i) => ({
			id: `e-page-${backend}-${i}`,
			type: 'hotline.ticket_created',
			occurredAt: cst(t0 + Math.floor(i / 2) * 1000), // pairs share a second: the ticket id breaks the tie
			data: { ticketId: `PG-${String(i).padStart(3, '0')}`, channel: 'web', category: '咨询', summary: `分页 ${i}`, regionCode: 'D1' }
		}));
		expect((await server.post('/api/v1/events', { events: batch }, creds.key)).body.accepted).toBe(60);
		const first = await until(async () => {
			const h = await (await op.get('/hotline?q=PG-')).text();
			return listed(h).length === 50 ? h : null;
		}) as string;
		const next = /data-testid="next-page"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*data-testid="next-page"/.exec(first)!;
		const second = await (await op.get((next[1] ?? next[2]).replaceAll('&amp;', '&'))).text();
		const a = listed(first);
		const b = listed(second);
		expect(b).toHaveLength(10);
		expect(new Set([...a, ...b]).size).toBe(60);
		expect(a[0]).toBe('PG-059');
		expect(b[b.length - 1]).toBe('PG-000');
		expect(second).not.toContain('data-testid="next-page"');
	});

	it.runIf(backend === 'postgres')('works from a second instance: the writer writes the table, the follower waits for the row', async () => {
		const second = await startServer({ backend, databaseUrl: pg!.url, env: { INGEST_RATE_LIMIT: '0' } });
		try {
			const health = await (await fetch(`${second.url}/healthz`)).json();
			expect(health.writer).toBe(false);
			const u = createUser(second, 'op-second', ['hotline_operator']);
			const web = new WebSession(second);
			await web.signIn(u.username, u.password);
			const r = await web.action('/hotline/act?/intake', { callerPhone: '13600000000', channel: 'phone', category: '城市管理', summary: '第二实例受理', regionCode: 'D1', departmentCode: 'GSJ' });
			expect(r.type, JSON.stringify(r.data)).toBe('success');
			// The action returned once the writer's row had it: both instances list it at once.
			expect(listed(await (await web.get(`/hotline?q=${r.data.ticketId}`)).text())).toEqual([r.data.ticketId]);
			expect(listed(await (await op.get(`/hotline?q=${r.data.ticketId}`)).text())).toEqual([r.data.ticketId]);
			const close = await web.action('/hotline/act?/close', { ticketId: r.data.ticketId });
			expect(close.type).toBe('success');
			expect(await (await op.get(`/hotline/${r.data.ticketId}`)).text()).toMatch(/data-testid="ticket-status"[^>]*>已办结</);

			// Hand-over: the writer dies; events the follower applies meanwhile are not written by
			// anyone until it becomes the writer, whose catch-up then writes them before new batches.
			await server.kill();
			const db = postgres(pg!.url, { max: 1, onnotice: () => {} });
			try {
				const id = `HANDOVER-1`;
				const at = Date.now() - 5000;
				const sent = await second.post('/api/v1/events', { events: [
					{ id: `e-${id}-c`, type: 'hotline.ticket_created', occurredAt: cst(at), data: { ticketId: id, channel: 'web', category: '咨询', summary: '交接期间受理', regionCode: 'D1' } },
					{ id: `e-${id}-a`, type: 'hotline.ticket_assigned', occurredAt: cst(at + 1000), data: { ticketId: id, departmentCode: 'GAJ', dueAt: cst(at + 86_400_000) } }
				] }, creds.key);
				expect(sent.body.accepted).toBe(2);
				const row = async () => (await db`select status, department_code from hotline_tickets where ticket_id = ${id}`)[0];
				if ((await (await fetch(`${second.url}/healthz`)).json()).writer === false) expect(await row()).toBeUndefined();
				await until(async () => (await (await fetch(`${second.url}/healthz`)).json()).writer === true, 15_000, 200);
				expect(await until(row, 5000)).toMatchObject({ status: 'assigned', department_code: 'GAJ' });
				// And the new writer's own batches go on from there.
				const c = await web.action('/hotline/act?/close', { ticketId: id });
				expect(c.type).toBe('success');
				expect((await row()).status).toBe('closed');
			} finally {
				await db.end();
			}
		} finally {
			await second.stop();
			fs.rmSync(second.dataDir, { recursive: true, force: true });
			if (!server.proc) await server.start();
		}
	}, 60_000);

	it('rebuilds hotline_tickets from the log after a restart (from the table’s watermark)', async () => {
		const before = await figures(op);
		const page = listed(await (await op.get('/hotline')).text());
		await server.stop();
		// Lose the newest rows, then everything: the next start reads the log after max(last_seq).
		const wipe = async (sqlText: string) => {
			if (backend === 'postgres') {
				const db = postgres(pg!.url, { max: 1, onnotice: () => {} });
				await db.unsafe(sqlText);
				await db.end();
			} else {
				const { PGlite } = await import('@electric-sql/pglite');
				const db = await PGlite.create(path.join(server.dataDir, 'pg'));
				await db.exec(sqlText);
				await db.close();
			}
		};
		await wipe('delete from hotline_tickets where last_seq > (select max(last_seq) - 20 from hotline_tickets)');
		await server.start();
		await until(async () => listed(await (await op.get('/hotline')).text()).length === page.length, 10_000);
		expect(await figures(op)).toEqual(before);
		await server.stop();
		await wipe('delete from hotline_tickets');
		await server.start();
		await until(() => /hotline tickets caught up from seq 0/.test(server.output), 10_000);
		await until(async () => JSON.stringify(listed(await (await op.get('/hotline')).text())) === JSON.stringify(page), 10_000);
		expect(await figures(op)).toEqual(before);
		const detail = await (await op.get(`/hotline/${ticketId}`)).text();
		expect(detail).toContain('退回重办');
	}, 120_000);
});
