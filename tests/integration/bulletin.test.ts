/**
 * The monthly bulletin over HTTP against the real server: a known event set of last month
 * (sent through the ingest API, deadlines judged by the server itself), regional indicators
 * entered by an admin on /reports/indicators (a CSV with a preview, and one by form), then the
 * bulletin checked number by number (the page's sentences and every table of its Excel
 * workbook), its PDF read back (pages, title), the leader's draft and publishing (audited), a
 * published version frozen against later events, a new version with a reason, and a month
 * older than the months kept in memory read from the rollups table.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as devalueParse } from 'devalue';
import { previousMonth } from '../../src/lib/domain/time';
import { BACKENDS, createUser, freshPostgres, provisioned, sleep, startServer, testPassword, until, WebSession, type TestServer, problem } from './harness';

/** This month in Shanghai, and the bulletin's month (the one before). */
const NOW_MONTH = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const M = previousMonth(NOW_MONTH);
const M1 = previousMonth(M);
const M2 = previousMonth(M1);
/** 15 months back: older than the 13 months the live state keeps. */
const OLD = Array.from({ length: 15 }).reduce<string>((m) => previousMonth(m), NOW_MONTH);
const [MY, MM] = M.split('-').map(Number);
const label = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5))}月`;
const at = (day: string, hms: string, month = M) => `${month}-${day}T${hms}+08:00`;

type Row = Array<string | number | null>;
async function workbook(r: Response): Promise<(name: string) => Row[]> {
	expect(r.status).toBe(200);
	expect(r.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as never);
	return (name) => {
		const ws = wb.getWorksheet(name);
		if (!ws) throw new Error(`no sheet "${name}" (sheets: ${wb.worksheets.map((w) => w.name).join(', ')})`);
		const rows: Row[] = [];
		ws.eachRow({ includeEmpty: false }, (row) => rows.push((row.values as Row).slice(1).map((v) => (v === undefined ? null : v))));
		return rows;
	};
}

/** Send events with the ingest key; every one must be accepted. */
async function send(server: TestServer, key: string, events: any[]): Promise<void> {
	const r = await server.post('/api/v1/events', { events }, key);
	expect(r.status).toBe(200);
	expect(r.body.rejected, JSON.stringify(r.body.results.filter((x: any) => x.status === 'rejected'))).toBe(0);
}

let n = 0;
const ev = (type: string, occurredAt: string, data: Record<string, unknown>) => ({ id: `b-${Date.now().toString(36)}-${++n}`, type, occurredAt, data });

/** Last month, as in the unit tests' fixture, in the test org (GSJ, GAJ at HC1 in city C1; DGS at HC2 in district D1). */
function lastMonth(): { first: any[]; afterJudge: any[] } {
	const accept = (caseId: string, dept: string, when: string, immediate: boolean, online: boolean, due: Record<string, unknown>) => ev('case.accepted', when, { caseId, departmentCode: dept, itemName: '事项', immediate, online, ...due });
	const card = (cardId: string, color: string, kind: string, code: string, reason: string, when: string, extra: Record<string, unknown> = {}) => ev('card.issued', when, { cardId, color, target: { kind, code }, reason, ...extra });
	const first = [
		accept('p1', 'GSJ', at('28', '09:00:00', M1), false, false, { dueAt: at('05', '17:00:00') }),
		ev('case.completed', at('02', '10:00:00'), { caseId: 'p1' }),
		ev('hotline.ticket_created', at('05', '09:00:00'), { ticketId: 'h1', channel: 'phone', category: '市场监管', summary: '……', regionCode: 'C1' }),
		ev('hotline.ticket_assigned', at('05', '10:00:00'), { ticketId: 'h1', departmentCode: 'GSJ', dueAt: at('08', '17:00:00') }),
		ev('hotline.ticket_closed', at('07', '15:00:00'), { ticketId: 'h1' }),
		ev('hotline.callback_recorded', at('08', '10:00:00'), { ticketId: 'h1', reached: true, satisfaction: 'satisfied' }),
		ev('hotline.ticket_created', at('06', '09:00:00'), { ticketId: 'h2', channel: 'web', category: '户籍', summary: '……', regionCode: 'D1' }),
		ev('hotline.ticket_assigned', at('06', '10:00:00'), { ticketId: 'h2', departmentCode: 'DGS', dueAt: at('09', '17:00:00') }),
		ev('hotline.ticket_created', at('06', '11:00:00'), { ticketId: 'h3', channel: 'mailbox', category: '其他', summary: '……' }),
		ev('hotline.callback_recorded', at('07', '11:00:00'), { ticketId: 'h3', reached: false }),
		ev('queue.ticket_issued', at('08', '09:00:00'), { centerCode: 'HC1', ticketNo: 'A001', departmentCode: 'GSJ' }),
		ev('queue.ticket_issued', at('08', '09:05:00'), { centerCode: 'HC1', ticketNo: 'B001', departmentCode: 'GAJ' }),
		ev('queue.ticket_called', at('08', '09:10:00'), { centerCode: 'HC1', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' }),
		ev('queue.service_started', at('08', '09:10:00'), { centerCode: 'HC1', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001' }),
		ev('queue.service_completed', at('08', '09:20:00'), { centerCode: 'HC1', ticketNo: 'A001', windowCode: 'W01', staffCode: 'S001', result: 'done' }),
		ev('queue.ticket_no_show', at('08', '09:30:00'), { centerCode: 'HC1', ticketNo: 'B001' }),
		ev('queue.ticket_issued', at('09', '10:00:00'), { centerCode: 'HC2', ticketNo: 'C001', departmentCode: 'DGS' }),
		ev('queue.ticket_called', at('09', '10:02:00'), { centerCode: 'HC2', ticketNo: 'C001', windowCode: 'E01', staffCode: 'S003' }),
		ev('queue.service_started', at('09', '10:02:00'), { centerCode: 'HC2', ticketNo: 'C001', windowCode: 'E01', staffCode: 'S003' }),
		ev('queue.service_completed', at('09', '10:12:00'), { centerCode: 'HC2', ticketNo: 'C001', windowCode: 'E01', staffCode: 'S003', result: 'done' }),
		accept('g1', 'GSJ', at('10', '09:00:00'), true, true, { dueAt: at('10', '17:00:00') }),
		ev('case.completed', at('10', '09:30:00'), { caseId: 'g1' }),
		accept('g2', 'GSJ', at('10', '09:00:00'), false, false, { promisedDays: 5 }),
		ev('case.completed', at('12', '10:00:00'), { caseId: 'g2' }),
		accept('g3', 'GSJ', at('11', '09:00:00'), false, false, { dueAt: at('13', '17:00:00') }),
		accept('s1', 'GAJ', at('20', '09:00:00'), false, true, { dueAt: at('25', '17:00:00') }),
		ev('evaluation.submitted', at('12', '11:00:00'), { rating: 5, windowCode: 'W01' }),
		ev('evaluation.submitted', at('12', '11:10:00'), { rating: 1, windowCode: 'W01', staffCode: 'S001' }),
		ev('evaluation.submitted', at('12', '11:20:00'), { rating: 2, windowCode: 'W02' }),
		ev('evaluation.submitted', at('12', '11:30:00'), { rating: 4, windowCode: 'E01' }),
		ev('presence.check_issued', at('15', '10:00:00'), { checkId: 'k1', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 60 }),
		ev('presence.check_confirmed', at('15', '10:00:30'), { checkId: 'k1', staffCode: 'S001' }),
		ev('presence.check_issued', at('16', '10:00:00'), { checkId: 'k2', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 60 }),
		ev('presence.check_issued', at('16', '10:00:00'), { checkId: 'k3', staffCode: 'S002', windowCode: 'W02', respondWithinSec: 60 }),
		ev('presence.check_issued', at('16', '10:00:00'), { checkId: 'k4', staffCode: 'S003', windowCode: 'E01', respondWithinSec: 60 }),
		ev('presence.check_confirmed', at('16', '10:00:10'), { checkId: 'k4', staffCode: 'S003' }),
		card('y1', 'yellow', 'staff', 'S001', 'absent', at('16', '11:00:00')),
		card('y2', 'yellow', 'staff', 'S002', 'complaint', at('17', '09:00:00')),
		card('r1', 'red', 'window', 'E01', 'misconduct', at('18', '09:00:00')),
		card('rb', 'yellow', 'staff', 'S001', 'bad_review', at('20', '09:00:00'), { rule: 'bad_review' }),
		card('y3', 'yellow', 'department', 'GAJ', 'overdue_case', at('26', '08:00:00')),
		ev('card.revoked', at('27', '09:00:00'), { cardId: 'y3', reason: '经核实系系统故障' })
	];
	// After the server judged k2, k3 missed, g3, s1 and h2 overdue.
	const afterJudge = [
		ev('case.completed', at('26', '09:00:00'), { caseId: 's1' }),
		ev('hotline.ticket_supervised', at('26', '10:00:00'), { ticketId: 'h2', note: '督办' }),
		accept('a1', 'DGS', at('28', '09:00:00'), true, false, { dueAt: at('28', '17:00:00') }),
		ev('case.completed', at('28', '09:10:00'), { caseId: 'a1' })
	];
	return { first, afterJudge };
}

/** The texts of the cells of the table row with this data-testid. */
function cells(html: string, testid: string): string[] {
	const row = new RegExp(`<tr[^>]*data-testid="${testid}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
	if (!row) throw new Error(`no row ${testid}`);
	return [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
}

async function actionResult(r: Response): Promise<{ type: string; status: number; data: any; location?: string }> {
	const body = (await r.json()) as { type: string; status: number; data?: string; location?: string };
	return { ...body, data: body.data ? devalueParse(body.data) : null };
}

describe.each(BACKENDS)('monthly bulletin on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };
	let leader: WebSession;
	let admin: WebSession;

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0', DERIVE_EVERY_MS: '200', CHECKPOINT_EVERY_MS: '300' } });
		creds = await provisioned(server);
		const l = createUser(server, 'lead', ['leader']);
		const a = createUser(server, 'boss', ['admin']);
		leader = new WebSession(server);
		admin = new WebSession(server);
		expect((await leader.signIn(l.username, l.password)).status).toBe(303);
		expect((await admin.signIn(a.username, a.password)).status).toBe(303);
		const { first, afterJudge } = lastMonth();
		await send(server, creds.key, first);
		// The server's own judge: g3 and s1 overdue (open), h2 overdue; the misses come in the same tick.
		await until(async () => {
			const s = await server.snapshot(creds.token);
			return s.cases.overdueOpen === 2 && s.hotline.overdueOpen === 1;
		}, 10_000);
		await send(server, creds.key, afterJudge);
	});
	/** The leader in another session that asked for English (the console remembers ?lang=). */
	async function englishLeader(): Promise<WebSession> {
		const web = new WebSession(server);
		expect((await web.signIn('lead', testPassword('lead'))).status).toBe(303);
		expect((await web.get('/reports?lang=en')).status).toBe(200);
		return web;
	}
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
		if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	it('regional indicators: an admin uploads a CSV (preview with per-row errors, then apply) and enters one by form; a leader only reads', async () => {
		const csv = ['区划编码,期间,进一网', `D1,${M1},60`, `西区,${M1},50`, `D1,${M},62.5`, `D2,${M},62.5%`, `C1,${M},70`, `NOPE,${M},1`, `D1,${M},101`].join('\r\n');
		const form = new FormData();
		form.set('period', M);
		form.set('file', new File([csv], 'indicators.csv', { type: 'text/csv' }));
		const preview = await actionResult(await admin.multipart('/reports/indicators?/preview', form));
		expect(preview.type).toBe('success');
		const p = preview.data.preview;
		expect(p.counts).toEqual({ new: 5, changed: 0, unchanged: 0, invalid: 2 });
		expect(p.invalid.map((r: any) => [r.row, r.problems[0].field, r.problems[0].zh])).toEqual([
			[7, 'regionCode', '区划：未知的区划“NOPE”（填编码或完整名称）'],
			[8, 'value', '数值：应为 0–100 的百分比，实际为“101”']
		]);
		// Nothing sent yet.
		expect((await server.snapshot(creds.token)).rankings.regions.online_entry_rate).toBeUndefined();
		const apply = await admin.action('/reports/indicators?/apply', { text: preview.data.text, period: preview.data.period, nonce: preview.data.nonce, fileName: 'indicators.csv' });
		expect(apply.data.applied).toMatchObject({ accepted: 5, duplicates: 0, rejected: [], invalid: 2 });
		// A retried apply (same upload) is a duplicate, not new values.
		const again = await admin.action('/reports/indicators?/apply', { text: preview.data.text, period: preview.data.period, nonce: preview.data.nonce, fileName: 'indicators.csv' });
		expect(again.data.applied).toMatchObject({ accepted: 0 });
		const one = await admin.action('/reports/indicators?/enter', { regionCode: 'D1', period: M2, indicator: 'custom', customKey: 'self_service_rate', value: '30' });
		expect(one.data).toMatchObject({ accepted: 1, entered: { regionCode: 'D1', period: M2, indicator: 'self_service_rate', value: 30 } });
		const bad = await admin.action('/reports/indicators?/enter', { regionCode: 'D1', period: '2026-13', indicator: 'online_entry_rate', value: '30' });
		expect(bad.status).toBe(400);
		expect(problem(bad.data, 'period')).toBe('period: expected a month YYYY-MM, found "2026-13"');
		expect((await leader.action('/reports/indicators?/enter', { regionCode: 'D1', period: M, indicator: 'online_entry_rate', value: '1' })).status).toBe(403);
		// The ranking page: ties share rank 2, the change against the previous period.
		const html = await (await leader.get(`/reports/indicators?period=${M}`)).text();
		const row = (code: string) => cells(html, `rank-online_entry_rate-${code}`);
		expect(row('C1')).toEqual(['1', '测试市', '70.00%', '—', '—', '—']);
		expect(row('D1')).toEqual(['2', '东区', '62.50%', '60.00%', '+2.5', '1']);
		expect(row('D2')).toEqual(['2', '西区', '62.50%', '50.00%', '+12.5', '2']);
		// They came through the ingest path as the admin (the log is their record) and are audited.
		const audit = await (await admin.get('/admin/audit?action=indicator.report')).text();
		expect(audit).toContain('user:boss');
	});

	it('the bulletin of last month: every sentence of 一、基本运行情况 and 二、区域指标 from the figures', async () => {
		const r = await leader.get(`/reports/bulletin/${M}`);
		expect(r.status).toBe(200);
		const html = await r.text();
		const sentences = [
			'测试市政务服务运行情况通报',
			`（${MM}月份）`,
			`${MY}年第`,
			`${label(M)}，3个驻厅部门参加绩效考核，平均分95.3分，最高分95.5分，最低分95分。各部门得分：市工商局（95.5分）、市公安局（95.5分）、东区工商分局（95分）。`,
			'当月受理业务5件（其中网上受理2件），办结5件，其中即时办结2件，即办率40%；提前办结2件，按时办结率80%；超期办件2件。大厅排队取号3人次，窗口办理完成2人次。受理业务前三名：市工商局（3件）、东区工商分局（1件）、市公安局（1件）。测试市本级受理4件；县区中东区（1件）。',
			'本月发生有效投诉举报1件。收到群众评价4条，其中满意（4–5分）2条、差评（1–2分）2条，满意率50%。',
			'本月开展在岗抽查4人次，按时确认2人次，未确认2人次，响应率50%。未确认较多的窗口：01号窗口（张伟，1次）、02号窗口（王芳，1次）。共发出黄牌3张、红牌1张（另有1张经核实撤销，不计入），按原因：离岗黄牌1张；差评黄牌1张；投诉黄牌1张；违规红牌1张。被出红牌的：东01号窗口（东区工商分局）1张。',
			'本月受理市长热线工单3件，办结1件，办结率33.3%，按时办结率100%；回访2件，其中回访成功1件（满意1件、基本满意0件、不满意0件），满意率100%；督办1件，超期1件，退回重办0件。',
			`${label(M)}（上期为${label(M1)}）：测试市“进一网”占比70%；东区“进一网”占比62.5%（较上期上升2.5个百分点）；西区“进一网”占比62.5%（较上期上升12.5个百分点）。`,
			`${label(M2)}：东区“self_service_rate”占比30%。`
		];
		for (const s of sentences) expect(html, s).toContain(s);
	});

	it('its Excel workbook: one sheet per table, every number', async () => {
		const sheet = await workbook(await leader.get(`/reports/bulletin/${M}/xlsx`));
		expect(sheet('部门得分').slice(0, 4)).toEqual([
			['名次', '部门', '得分', '黄牌', '黄牌（分）', '红牌', '红牌（分）', '在岗抽查未确认', '在岗抽查未确认（分）', '超期办件', '超期办件（分）', '差评（1–2 分）', '差评（1–2 分）（分）', '按时办结', '按时办结（分）', '差评规则出牌（不重复扣分）', '差评规则出牌（不重复扣分）（分）'],
			[1, '市工商局', 95.5, 1, -2, 0, 0, 1, -1, 1, -1, 1, -0.5, 3, 0, 1, 0],
			[1, '市公安局', 95.5, 1, -2, 0, 0, 1, -1, 1, -1, 1, -0.5, 0, 0, 0, 0],
			[3, '东区工商分局', 95, 0, 0, 1, -5, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
		]);
		expect(sheet('部门业务量')).toEqual([
			['部门', '取号', '办理完成', '受理', '网上受理', '办结', '即时办结', '提前办结', '超期', '评价', '差评'],
			['市工商局', 1, 1, 3, 1, 3, 1, 2, 1, 2, 1],
			['东区工商分局', 1, 1, 1, 0, 1, 1, 0, 0, 1, 0],
			['市公安局', 1, 0, 1, 1, 1, 0, 0, 1, 1, 1]
		]);
		expect(sheet('县区业务量')).toEqual([
			['区划', '受理', '网上受理', '办结', '即时办结', '取号', '热线受理'],
			['测试市（本级）', 4, 2, 4, 1, 2, 1],
			['东区', 1, 0, 1, 1, 1, 1],
			['西区', 0, 0, 0, 0, 0, 0]
		]);
		expect(Object.fromEntries(sheet('办件情况').slice(1) as Array<[string, number]>)).toEqual({
			受理: 5,
			其中网上受理: 2,
			办结: 5,
			即时办结: 2,
			'即办率（%）': 40,
			提前办结: 2,
			按时办结: 4,
			'按时办结率（%）': 80,
			超期: 2,
			'办结率（%）': 100,
			排队取号: 3,
			窗口办理完成: 2,
			有效投诉: 1,
			群众评价: 4,
			'满意（4–5 分）': 2,
			'差评（1–2 分）': 2,
			'满意率（%）': 50
		});
		expect(sheet('在岗抽查')).toEqual([
			['部门', '抽查', '按时确认', '未确认', '响应率（%）'],
			['市工商局', 2, 1, 1, 50],
			['市公安局', 1, 0, 1, 0],
			['东区工商分局', 1, 1, 0, 100],
			['合计', 4, 2, 2, 50]
		]);
		expect(sheet('未确认窗口')).toEqual([
			['窗口', '工作人员', '部门', '未确认'],
			['01号窗口', '张伟', '市工商局', 1],
			['02号窗口', '王芳', '市公安局', 1]
		]);
		expect(sheet('红黄牌')).toEqual([
			['对象', '类别', '部门', '黄牌', '红牌', '原因'],
			['东01号窗口', '窗口', '东区工商分局', 0, 1, '违规 1'],
			['张伟', '人员', '市工商局', 2, 0, '离岗 1、差评 1'],
			['王芳', '人员', '市公安局', 1, 0, '投诉 1']
		]);
		expect(sheet('红黄牌原因')).toEqual([
			['原因', '黄牌', '红牌'],
			['离岗', 1, 0],
			['差评', 1, 0],
			['投诉', 1, 0],
			['违规', 0, 1]
		]);
		expect(Object.fromEntries(sheet('市长热线').slice(1) as Array<[string, number]>)).toEqual({
			受理: 3,
			办结: 1,
			'办结率（%）': 33.3,
			按时办结: 1,
			'按时办结率（%）': 100,
			回访: 2,
			回访成功: 1,
			满意: 1,
			基本满意: 0,
			不满意: 0,
			'满意率（%）': 100,
			督办: 1,
			超期: 1,
			退回重办: 0,
			// v1.1: no 签收 limits, solved answers or calls in this month's events (empty cells); the composite is the
			// satisfaction alone; the only month of the year so far, so the year to date is the month.
			'受理件办结率（%）': 33.3,
			'响应率（签收及时率，%）': undefined,
			'解决率（%）': undefined,
			'三率综合（%）': 100,
			退单: 0,
			'退单率（%）': 0,
			延期: 0,
			'延期率（%）': 0,
			重复件: 0,
			'重复来电率（%）': 0,
			来电: 0,
			'接通率（%）': undefined,
			'15秒接通率（%）': undefined,
			'1—本月累计受理': 3,
			'1—本月累计办结': 1,
			'累计办结率（%）': 33.3,
			'累计受理件办结率（%）': 33.3
		});
		expect(sheet('热线部门').map((r) => r.slice(0, 5))).toEqual([
			['部门', '转办', '办结', '办结率（%）', '超期'],
			['东区工商分局', 1, 0, 0, 1],
			['市工商局', 1, 1, 100, 0]
		]);
		expect(sheet('热线部门')[0].slice(5)).toEqual(['响应率（%）', '解决率（%）', '满意率（%）', '三率综合（%）', '三率排名']);
		expect(sheet('进一网')).toEqual([
			['名次', '区划', '数值（%）', '上期（%）', '变化（百分点）', '上期名次'],
			[1, '测试市', 70],
			[2, '东区', 62.5, 60, 2.5, 1],
			[2, '西区', 62.5, 50, 12.5, 2],
			['期间', label(M), label(M1)]
		]);
		expect(sheet('self_service_rate')).toEqual([
			['名次', '区划', '数值（%）', '上期（%）', '变化（百分点）', '上期名次'],
			[1, '东区', 30],
			['期间', label(M2)]
		]);
		expect(sheet('通报')[0]).toEqual(['标题', `测试市政务服务运行情况通报（${MM}月份）`]);
	});

	it('department scores: the breakdown of every point', async () => {
		const html = await (await leader.get(`/reports/scores?month=${M}&dept=GSJ`)).text();
		expect(html).toContain('data-testid="breakdown-total">95.5<');
		for (const line of ['line-base', 'line-yellowCards', 'line-missedChecks', 'line-overdueCases', 'line-badReviews', 'line-casesOnTime', 'line-badReviewCards']) expect(html).toContain(`data-testid="${line}"`);
		expect(html).not.toContain('data-testid="line-redCards"');
	});

	it('a leader writes the draft and publishes (audited); publishing freezes the figures; a new version needs a reason and differs', async () => {
		const page = `/reports/bulletin/${M}`;
		// Not without 存在问题 and 下步工作安排.
		let r = await actionResult(await leader.form(`${page}?/publish`, { intro: '', problems: '', plans: '' }, { enhanced: true }));
		expect(r).toMatchObject({ type: 'failure', status: 400, data: { form: 'publish', errors: { problems: { key: 'bulletin.errProblems' } } } });
		expect(problem(r.data, 'problems', 'zh')).toBe('请先撰写“存在问题”再发布');
		// Admins read but do not write.
		r = await actionResult(await admin.form(`${page}?/saveDraft`, { intro: '', problems: 'x', plans: 'y' }, { enhanced: true }));
		expect(r.status).toBe(403);
		const texts = { intro: '', problems: '一是部分窗口在岗抽查未及时确认。\n二是个别事项超期办结。', plans: '一是加强在岗管理。\n二是督促超期事项办结。' };
		r = await actionResult(await leader.form(`${page}?/saveDraft`, texts, { enhanced: true }));
		expect(r.type).toBe('success');
		const draft = await (await leader.get(page)).text();
		expect(draft).toContain('一是部分窗口在岗抽查未及时确认。');
		r = await actionResult(await leader.form(`${page}?/publish`, texts, { enhanced: true }));
		expect(r).toMatchObject({ type: 'redirect', status: 303, location: `/reports/bulletin/${M}?v=1&published=1` });
		const audit = await (await admin.get('/admin/audit?action=bulletin.publish')).text();
		expect(audit).toContain('user:lead');
		expect(audit).toContain(`${M} all`);
		const v1 = await (await leader.get(`${page}?v=1`)).text();
		expect(v1).toContain('data-testid="doc-version"');
		expect(v1).toContain('<p data-testid="para-problems">一是部分窗口在岗抽查未及时确认。</p>');

		// Later events of that month: two more cases accepted, a red card.
		await send(server, creds.key, [
			ev('case.accepted', at('27', '09:00:00'), { caseId: 'late1', departmentCode: 'GSJ', itemName: '事项', immediate: false, online: false, promisedDays: 30 }),
			ev('case.accepted', at('27', '09:05:00'), { caseId: 'late2', departmentCode: 'GSJ', itemName: '事项', immediate: false, online: false, promisedDays: 30 }),
			ev('card.issued', at('27', '10:00:00'), { cardId: 'late-red', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent' })
		]);
		const frozen = await workbook(await leader.get(`/reports/bulletin/${M}/xlsx?v=1`));
		expect(frozen('办件情况')[1]).toEqual(['受理', 5]);
		expect(frozen('部门得分')[1].slice(0, 3)).toEqual([1, '市工商局', 95.5]);
		const live = await workbook(await leader.get(`/reports/bulletin/${M}/xlsx`));
		expect(live('办件情况')[1]).toEqual(['受理', 7]);
		expect(live('部门得分')[3].slice(0, 3)).toEqual([3, '市工商局', 90.5]);

		// Version 2: a reason is required; then it carries the new figures, and version 1 stays as it was.
		r = await actionResult(await leader.form(`${page}?/publish`, texts, { enhanced: true }));
		expect(r).toMatchObject({ type: 'failure', status: 400, data: { form: 'publish', errors: { reason: { key: 'bulletin.errReason' } } } });
		r = await actionResult(await leader.form(`${page}?/publish`, { ...texts, reason: '补录27日办件' }, { enhanced: true }));
		expect(r).toMatchObject({ type: 'redirect', location: `/reports/bulletin/${M}?v=2&published=1` });
		const v2 = await workbook(await leader.get(`/reports/bulletin/${M}/xlsx?v=2`));
		expect(v2('办件情况')[1]).toEqual(['受理', 7]);
		expect(v2('通报').find((row) => row[0] === '修订原因')).toEqual(['修订原因', '补录27日办件']);
		expect((await workbook(await leader.get(`/reports/bulletin/${M}/xlsx?v=1`)))('办件情况')[1]).toEqual(['受理', 5]);
		// Both versions are listed, with the reason.
		const index = await (await leader.get('/reports')).text();
		expect(index).toContain(`href="/reports/bulletin/${M}?v=2"`);
		expect(index).toContain(`href="/reports/bulletin/${M}?v=1"`);
		expect(index).toContain('补录27日办件');
		expect((await leader.get(`${page}?v=3`)).status).toBe(404);
	});

	it('the PDF of a version, rendered by headless Chromium: A4 pages, the bulletin’s title', async () => {
		const r = await leader.get(`/reports/bulletin/${M}/pdf?v=1`);
		expect(r.status).toBe(200);
		expect(r.headers.get('x-hallwatch-pdf')).toBe('rendered');
		expect(r.headers.get('content-type')).toBe('application/pdf');
		expect(r.headers.get('content-disposition')).toBe(`attachment; filename="bulletin-all-${M}-v1.pdf"`);
		const pdf = Buffer.from(await r.arrayBuffer());
		const text = pdf.toString('latin1');
		expect(text.startsWith('%PDF-')).toBe(true);
		const pages = text.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
		// The text (two to three pages) and the attachments, each starting a page of its own.
		expect(pages).toBeGreaterThanOrEqual(7);
		expect(pages).toBeLessThanOrEqual(12);
		expect(/\/MediaBox\s*\[0 0 594\.9\d* 841\.9\d*\]/.test(text)).toBe(true); // A4 in points
		const hex = /\/Title\s*<FEFF([0-9A-F]+)>/i.exec(text)![1];
		expect(Buffer.from(hex, 'hex').swap16().toString('utf16le')).toBe(`测试市政务服务运行情况通报（${MM}月份） v1`);

		// A published version never changes: the second download (anyone's) is the stored PDF, not rendered again.
		const again = await admin.get(`/reports/bulletin/${M}/pdf?v=1`);
		expect(again.status).toBe(200);
		expect(again.headers.get('x-hallwatch-pdf')).toBe('cached');
		expect(again.headers.get('content-disposition')).toBe(r.headers.get('content-disposition'));
		expect(Buffer.from(await again.arrayBuffer()).equals(pdf)).toBe(true);
		// The other language is another PDF (another session: ?lang= is remembered); the draft is rendered every time.
		const english = await englishLeader();
		const en = await english.get(`/reports/bulletin/${M}/pdf?v=1`);
		expect([en.status, en.headers.get('x-hallwatch-pdf')]).toEqual([200, 'rendered']);
		expect((await english.get(`/reports/bulletin/${M}/pdf?v=1`)).headers.get('x-hallwatch-pdf')).toBe('cached');
		for (let i = 0; i < 2; i++) expect((await leader.get(`/reports/bulletin/${M}/pdf`)).headers.get('x-hallwatch-pdf')).toBe('rendered');
	}, 120_000);

	it('PDF renders take turns in a bounded queue: beyond one rendering and two waiting, 429 with Retry-After, in the page’s language', async () => {
		const english = await englishLeader();
		const tries = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? english : leader).get(`/reports/bulletin/${M}/pdf`)));
		const busy = tries.filter((r) => r.status === 429);
		const ok = tries.filter((r) => r.status === 200);
		expect(ok.length + busy.length).toBe(6);
		// One rendering and two waiting are taken; a render that ends during the burst frees a place.
		expect(ok.length).toBeGreaterThanOrEqual(3);
		expect(busy.length).toBeGreaterThanOrEqual(1);
		for (const r of busy) {
			expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			const text = await r.text();
			expect(text).toMatch(tries.indexOf(r) % 2 ? /^Busy rendering other PDFs: try again in \d+ s\.$/ : /^正在生成其他 PDF，请 \d+ 秒后重试。$/);
		}
		for (const r of ok) expect(Buffer.from(await r.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
		// Once the queue has drained, the next one is rendered.
		expect((await leader.get(`/reports/bulletin/${M}/pdf`)).status).toBe(200);
	}, 180_000);

	it('a month older than the months kept in memory comes from the rollups table', async () => {
		await send(server, creds.key, [
			ev('case.accepted', at('03', '09:00:00', OLD), { caseId: 'old1', departmentCode: 'GAJ', itemName: '事项', immediate: true, online: false, promisedDays: 1 }),
			ev('case.completed', at('03', '09:10:00', OLD), { caseId: 'old1' }),
			ev('case.accepted', at('04', '09:00:00', OLD), { caseId: 'old2', departmentCode: 'GAJ', itemName: '事项', immediate: false, online: true, promisedDays: 1 })
		]);
		await sleep(1000); // a checkpoint: the state drops the month, the rollups keep it
		// old1 completed early (a day before its due time); old2 judged overdue by the server.
		const want = ['市公安局', 0, 0, 2, 1, 1, 1, 1, 1, 0, 0];
		const sheet = await until(async () => {
			const s = await workbook(await leader.get(`/reports/bulletin/${OLD}/xlsx`));
			return JSON.stringify(s('部门业务量')[1]) === JSON.stringify(want) ? s : null;
		}, 10_000);
		expect(sheet!('办件情况')[1]).toEqual(['受理', 2]);
		const html = await (await leader.get(`/reports/scores?month=${OLD}`)).text();
		expect(html).toContain('本月数据取自汇总表');
	});
});
