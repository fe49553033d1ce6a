/**
 * Supervision in real Chromium, three people at once: a supervisor starts a presence round;
 * one window PC (a second browser context) shows the full-screen prompt within a second and its
 * staff member confirms; another lets it run out and gets a yellow card by rule, which appears on
 * the wall; the supervisor revokes it and the wall's tally drops.
 * Screenshots: tests/e2e/screenshots/supervision-*.png, terminal-*.png.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import { createUser, cst, provisioned, startServer, type TestServer } from '../integration/harness';
import { signedInPage } from './pages/login-page';
import { ensureShotsDir, SHOTS } from './wall-helpers';

let server: TestServer;
let creds: { key: string; token: string };

test.beforeAll(async () => {
	server = await startServer({ backend: 'pglite', env: { DERIVE_EVERY_MS: '200', INGEST_RATE_LIMIT: '0' } });
	creds = await provisioned(server);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

const signedIn = (browser: Browser, username: string, password: string): Promise<Page> => signedInPage(browser, server.url, username, password);

test('a round reaches the window PCs at once; a miss earns a yellow card on the wall; revoking it drops the tally', async ({ browser }) => {
	test.setTimeout(120_000);
	const sup = createUser(server, 'e2e-sup', ['supervisor']);
	const a = createUser(server, 'e2e-w1', ['window_staff'], { staff: 'S001' });
	const b = createUser(server, 'e2e-w2', ['window_staff'], { staff: 'S002' });

	// Two window PCs: both clock in and open their windows.
	const pcA = await signedIn(browser, a.username, a.password);
	const pcB = await signedIn(browser, b.username, b.password);
	for (const pc of [pcA, pcB]) {
		await expect(pc).toHaveURL(/\/terminal$/);
		await pc.getByTestId('act-clock_in').click();
		await expect(pc.getByTestId('terminal-duty')).toHaveText('已签到');
		await pc.getByTestId('act-status-open').click();
		await expect(pc.getByTestId('terminal-status')).toHaveText('开放');
		await expect(pc.getByTestId('terminal-offline')).toHaveCount(0);
	}
	await pcA.screenshot({ path: `${SHOTS}/terminal-open.png` });

	// The wall, for the tally.
	const wallCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const wall = await wallCtx.newPage();
	await wall.goto(`${server.url}/wall/supervision?token=${encodeURIComponent(creds.token)}&center=HC1`);
	await expect(wall.getByTestId('cards-yellowMonth')).toHaveText('0');

	// The supervisor starts a round with 8 s to answer.
	const desk = await signedIn(browser, sup.username, sup.password);
	await expect(desk).toHaveURL(/\/supervision$/);
	await desk.getByLabel('响应时限（秒）').fill('8');
	const t0 = Date.now();
	await desk.getByTestId('start-round').getByRole('button', { name: '发起' }).click();
	await expect(pcA.getByTestId('presence-modal')).toBeVisible({ timeout: 1000 });
	await expect(pcB.getByTestId('presence-modal')).toBeVisible({ timeout: 1000 });
	console.log(`[supervision] prompt on both PCs ${Date.now() - t0} ms after the click`);
	await pcA.screenshot({ path: `${SHOTS}/terminal-presence-check.png` });
	// PC A answers with a key press; PC B lets it run out.
	await pcA.keyboard.press('Enter');
	await expect(pcA.getByTestId('presence-modal')).toHaveCount(0);
	await expect(pcA.getByTestId('terminal-checks')).toContainText('已确认');
	await expect(pcB.getByTestId('presence-modal')).toHaveCount(0, { timeout: 12_000 });
	await expect(pcB.getByTestId('terminal-checks')).toContainText('未确认', { timeout: 5000 });

	// The miss earns a yellow card by rule: on the wall, on PC B, on the desk.
	await expect(wall.getByTestId('cards-yellowMonth')).toHaveText('1', { timeout: 10_000 });
	await expect(pcB.getByTestId('terminal-cards')).toContainText('黄牌', { timeout: 5000 });
	await pcB.screenshot({ path: `${SHOTS}/terminal-missed.png` });
	await desk.reload();
	await expect(desk.getByTestId('check-S001')).toHaveAttribute('data-outcome', 'confirmed');
	await expect(desk.getByTestId('check-S002')).toHaveAttribute('data-outcome', 'missed');
	const row = desk.getByTestId('card-list').locator('tr', { hasText: '王芳' });
	await expect(row).toContainText('规则');
	await desk.screenshot({ path: `${SHOTS}/supervision-desk.png`, fullPage: true });

	// Revoked with a reason, after a confirmation (dismissed first: nothing happens): the wall's tally drops back.
	await row.getByText('撤销').first().click();
	await row.getByLabel('撤销原因').fill('终端网络故障，经核实在岗');
	let asked = '';
	desk.once('dialog', (d) => {
		asked = d.message();
		void d.dismiss();
	});
	await row.getByRole('button', { name: '撤销' }).click();
	await expect.poll(() => asked).toContain('撤销王芳的黄牌');
	await desk.waitForTimeout(500);
	await expect(row).toContainText('有效');
	desk.once('dialog', (d) => void d.accept());
	await row.getByRole('button', { name: '撤销' }).click();
	await expect(desk.getByRole('status')).toHaveText('已撤销王芳的黄牌。');
	await expect(wall.getByTestId('cards-yellowMonth')).toHaveText('0', { timeout: 10_000 });
	await expect(desk.getByTestId('card-list').locator('tr', { hasText: '王芳' })).toContainText('已撤销');
	await wall.screenshot({ path: `${SHOTS}/supervision-wall-after-revoke.png` });
	await expect(desk.getByTestId('card-list').locator('tr', { hasText: '王芳' }).getByTestId('card-revoke-reason')).toHaveText('撤销原因：终端网络故障，经核实在岗');
});

test('a hand card’s explanation (reason, note, evidence) on the desk, in the export, on the staff member’s terminal and on the wall', async ({ browser }) => {
	test.setTimeout(90_000);
	const sup = createUser(server, 'e2e-sup2', ['supervisor']);
	const w = createUser(server, 'e2e-w3', ['window_staff'], { staff: 'S001' });
	const other = createUser(server, 'e2e-w4', ['window_staff'], { staff: 'S002' });
	const note = '上午十点离岗二十分钟，群众现场投诉';
	const desk = await signedIn(browser, sup.username, sup.password);
	await expect(desk).toHaveURL(/\/supervision$/);
	await desk.getByText('人工记牌').click();
	const form = desk.getByTestId('issue-card');
	await form.locator('select[name=color]').selectOption('red');
	await form.locator('select[name=target_staff]').selectOption('S001');
	await form.locator('select[name=reason]').selectOption('misconduct');
	await form.getByLabel('说明').fill(note);
	await form.getByLabel(/证据/).setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2e3b0a50000000049454e44ae426082', 'hex') });
	await form.getByRole('button', { name: '记牌' }).click();
	// The answer names the person, not the card's id.
	await expect(desk.getByRole('status')).toHaveText('已给张伟记红牌。');
	const row = desk.getByTestId('card-list').locator('tr', { hasText: '张伟' }).first();
	await expect(row.getByTestId('card-why')).toContainText('违规');
	await expect(row.getByTestId('card-note')).toHaveText(`说明：${note}`);
	await expect(row.getByTestId('card-evidence')).toHaveText('现场照片.png');

	// The export carries the note and the evidence's name.
	const xlsx = await desk.request.get(`${server.url}/supervision/export?center=HC1`);
	expect(xlsx.status()).toBe(200);
	const ExcelJS = (await import('exceljs')).default;
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load((await xlsx.body()) as never);
	const values: string[] = [];
	wb.worksheets[0].eachRow((r) => r.eachCell((c) => values.push(String(c.value))));
	expect(values).toEqual(expect.arrayContaining(['说明', '证据', note, '现场照片.png', '违规']));

	// The carded staff member sees it all on the terminal, and may open the evidence; a colleague may not.
	const pc = await signedIn(browser, w.username, w.password);
	await expect(pc).toHaveURL(/\/terminal$/);
	const mine = pc.getByTestId('terminal-card').filter({ hasText: '违规' });
	await expect(mine).toContainText('红牌');
	await expect(mine).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/); // the console's one format, in the center's zone
	await expect(mine.getByTestId('terminal-card-note')).toHaveText(`说明：${note}`);
	const link = mine.getByTestId('terminal-card-evidence');
	await expect(link).toHaveText('现场照片.png');
	const href = (await link.getAttribute('href'))!;
	const file = await pc.request.get(`${server.url}${href}`);
	expect(file.status()).toBe(200);
	expect(file.headers()['content-type']).toBe('image/png');
	const colleague = await signedIn(browser, other.username, other.password);
	await expect(colleague).toHaveURL(/\/terminal$/);
	expect((await colleague.request.get(`${server.url}${href}`)).status()).toBe(404);
	await pc.screenshot({ path: `${SHOTS}/terminal-card-note.png` });

	// The wall's ticker shows the note beside the reason.
	const wallCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const wall = await wallCtx.newPage();
	await wall.goto(`${server.url}/wall/supervision?token=${encodeURIComponent(creds.token)}&center=HC1`);
	await expect(wall.getByTestId('ticker')).toContainText(note);
	await wall.screenshot({ path: `${SHOTS}/supervision-wall-card-note.png` });
});

test('the terminal: 叫下一号 only with the window open and someone waiting; 重呼 says it was done; pausing with a called ticket says what to do', async ({ browser }) => {
	test.setTimeout(90_000);
	const w = createUser(server, 'e2e-w5', ['window_staff'], { staff: 'S003' });
	const pc = await signedIn(browser, w.username, w.password);
	await expect(pc).toHaveURL(/\/terminal$/);
	const call = pc.getByTestId('act-call_next');
	await expect(call).toBeDisabled();
	await expect(pc.getByTestId('call-hint')).toHaveText('开放窗口后才能叫号');
	await pc.getByTestId('act-clock_in').click();
	await pc.getByTestId('act-status-open').click();
	await expect(pc.getByTestId('terminal-status')).toHaveText('开放');
	await expect(call).toBeDisabled();
	await expect(pc.getByTestId('call-hint')).toHaveText('暂无等候的群众');
	// Someone takes a ticket for this window's department: the button comes alive by the push.
	const r = await server.post('/api/v1/events', { events: [{ id: `e2e-q-${Date.now()}`, type: 'queue.ticket_issued', occurredAt: cst(Date.now() - 1000), data: { centerCode: 'HC2', ticketNo: 'C101', departmentCode: 'DGS' } }] }, creds.key);
	expect(r.body.accepted).toBe(1);
	await expect(call).toBeEnabled({ timeout: 5000 });
	await call.click();
	await expect(pc.getByTestId('terminal-done')).toHaveText('已叫 C101 号');
	await pc.getByTestId('act-recall').click();
	await expect(pc.getByTestId('terminal-done')).toHaveText('已重呼 C101 号');
	await pc.getByTestId('act-status-paused').click();
	await expect(pc.getByTestId('terminal-error')).toContainText('C101 号已叫号：请先开始办理或标记过号');
	await pc.screenshot({ path: `${SHOTS}/terminal-called.png` });
});

test('the hand-card form stays open, with what was typed, through the page’s live refresh', async ({ browser }) => {
	test.setTimeout(60_000);
	const sup = createUser(server, 'e2e-sup3', ['supervisor']);
	const desk = await signedIn(browser, sup.username, sup.password);
	await expect(desk).toHaveURL(/\/supervision$/);
	await desk.getByText('人工记牌').click();
	const form = desk.getByTestId('issue-card');
	await form.getByLabel('说明').fill('正在填写，不应被刷新打断');
	// Longer than the page's 5 s refresh, with events arriving meanwhile.
	for (let i = 0; i < 3; i++) {
		await server.post('/api/v1/events', { events: [{ id: `e2e-refresh-${Date.now()}-${i}`, type: 'queue.ticket_issued', occurredAt: cst(Date.now() - 1000), data: { centerCode: 'HC1', ticketNo: `R${i}`, departmentCode: 'GSJ' } }] }, creds.key);
		await desk.waitForTimeout(2500);
	}
	await expect(form).toBeVisible();
	await expect(form.getByLabel('说明')).toHaveValue('正在填写，不应被刷新打断');
});
