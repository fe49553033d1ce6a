/**
 * The hotline console in real Chromium: an operator takes a call with the keyboard only (Alt+N,
 * Tab, arrows, Enter; a refused form names the field and keeps the focus there), dispatches it,
 * the department's system replies through the ingest API (the ticket page shows it live), the
 * operator closes it and records the callback, and the closure rate on the hotline wall
 * (opened next to the console with a display token) changes. Screenshots at 1440×900:
 * tests/e2e/screenshots/hotline-*.png.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import { createUser, cst, provisioned, startServer, type TestServer } from '../integration/harness';
import { signedInPage } from './pages/login-page';
import { HotlineConsole, TicketPage } from './pages/hotline-page';
import { ensureShotsDir, SHOTS } from './wall-helpers';

let server: TestServer;
let creds: { key: string; token: string };

test.beforeAll(async () => {
	server = await startServer({ backend: 'pglite', env: { INGEST_RATE_LIMIT: '0', STREAM_FLUSH_MS: '50' } });
	creds = await provisioned(server);
	ensureShotsDir();
	// Some tickets of the month in every state, so the figures, the ranking and the list have something to show.
	const at = Date.now() - 6 * 3_600_000;
	const due = (h: number) => cst(Date.now() + h * 3_600_000);
	const events: unknown[] = [];
	const add = (i: number, type: string, dt: number, data: Record<string, unknown>) => events.push({ id: `seed-${i}-${type}`, type, occurredAt: cst(at + dt * 60_000), data: { ticketId: `RX-SEED-${i}`, ...data } });
	const topics = ['小区门前路灯损坏，夜间出行不便', '公交车班次少，候车时间长', '反映某企业拖欠农民工工资', '咨询养老保险转移接续办理流程', '反映某超市销售过期食品', '附近工地夜间施工噪音扰民'];
	for (let i = 0; i < 12; i++) {
		add(i, 'hotline.ticket_created', i * 5, { channel: i % 4 ? 'phone' : 'web', category: ['城市管理', '交通出行', '劳动社保', '咨询', '市场监管', '环境保护'][i % 6], summary: topics[i % 6], ...(i % 4 ? { callerPhone: `1390000${String(1000 + i)}` } : {}), regionCode: i % 2 ? 'D1' : 'D2' });
		if (i % 6 === 5) continue;
		add(i, 'hotline.ticket_assigned', i * 5 + 3, { departmentCode: ['GSJ', 'GAJ', 'DGS'][i % 3], dueAt: i === 4 ? due(-1) : due(48) });
		if (i % 3 === 2) continue;
		add(i, 'hotline.ticket_replied', i * 5 + 30, { departmentCode: ['GSJ', 'GAJ', 'DGS'][i % 3], reply: '已处理' });
		add(i, 'hotline.ticket_closed', i * 5 + 40, {});
		if (i % 4 === 0) add(i, 'hotline.callback_recorded', i * 5 + 60, { reached: true, satisfaction: i === 8 ? 'unsatisfied' : 'satisfied' });
	}
	add(7, 'hotline.ticket_supervised', 200, { note: '请加快办理', level: 2 });
	const r = await server.post('/api/v1/events', { events }, creds.key);
	if (r.body.rejected) throw new Error(JSON.stringify(r.body.results.find((x: any) => x.status === 'rejected')));
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

const signedIn = (browser: Browser, username: string, password: string): Promise<Page> => signedInPage(browser, server.url, username, password);

test('an operator takes a call by keyboard, dispatches it, the department replies, the operator closes it and records the callback; the wall’s closure rate changes', async ({ browser }) => {
	test.setTimeout(120_000);
	const op = createUser(server, 'e2e-op', ['hotline_operator']);

	// The hotline wall, next to the console.
	const wallCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const wall = await wallCtx.newPage();
	await wall.goto(`${server.url}/wall/hotline?token=${encodeURIComponent(creds.token)}`);
	const wallRate = wall.getByTestId('hotline-closureRate');
	await expect(wallRate).not.toHaveAttribute('data-value', '');
	const rateBefore = Number(await wallRate.getAttribute('data-value'));

	const page = await signedIn(browser, op.username, op.password);
	await expect(page).toHaveURL(/\/hotline$/);
	const hotline = new HotlineConsole(page);
	await expect(hotline.figure('received')).toHaveAttribute('data-value', '12');
	await page.screenshot({ path: `${SHOTS}/hotline-console.png`, fullPage: true });

	// A refused form names the field and puts the focus there.
	await hotline.focusIntake();
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('intake-error')).toHaveText('来电号码：电话和微信来件需填写来电号码');
	await expect(hotline.intake.getByLabel('来电号码')).toBeFocused();
	await page.screenshot({ path: `${SHOTS}/hotline-intake-error.png` });

	// The call, keyboard only: 城市管理 (2nd category), 东区 (2nd region).
	const ticketId = await hotline.takeCallByKeyboard({ phone: '13812345678', categoryDown: 2, regionDown: 2, summary: '幸福家园小区门前路灯损坏，夜间出行不便' });
	await expect(page.getByTestId('intake-error')).toHaveCount(0);
	// Cleared and ready for the next call.
	await expect(hotline.intake.getByLabel('来电号码')).toBeFocused();
	await expect(hotline.intake.getByLabel('来电号码')).toHaveValue('');
	await expect(hotline.intake.getByLabel('诉求内容')).toHaveValue('');
	await expect(hotline.row(ticketId)).toContainText('13812345678');
	await expect(hotline.row(ticketId)).toContainText('城市管理');
	await expect(hotline.figure('received')).toHaveAttribute('data-value', '13');

	// Dispatch it from its page.
	await hotline.row(ticketId).getByRole('link', { name: ticketId }).click();
	const ticket = new TicketPage(page);
	await expect(page.getByTestId('ticket-id')).toHaveText(ticketId);
	await ticket.dispatch('市工商局');
	await expect(page.getByTestId('ticket-department')).toHaveText('市工商局');
	await expect(page.getByTestId('ticket-due')).not.toHaveText('—');
	await page.screenshot({ path: `${SHOTS}/hotline-ticket-actions.png`, fullPage: true });

	// The department replies from its own system; the ticket page shows it without a reload.
	const reply = await server.post('/api/v1/events', { id: `dept-reply-${ticketId}`, type: 'hotline.ticket_replied', occurredAt: cst(Date.now() - 500), data: { ticketId, departmentCode: 'GSJ', reply: '已安排维修，路灯当日修复' } }, creds.key);
	expect(reply.body.accepted).toBe(1);
	await expect(ticket.status()).toHaveText('已回复', { timeout: 10_000 });
	await expect(ticket.timeline()).toContainText('已安排维修，路灯当日修复');

	// Close, then the callback.
	await ticket.close();
	await ticket.callback('满意');
	await expect(ticket.timeline().locator('li')).toHaveCount(5);
	await page.screenshot({ path: `${SHOTS}/hotline-ticket.png`, fullPage: true });

	// The wall's closure rate moved (one more closed of one more received).
	await expect(wallRate).not.toHaveAttribute('data-value', String(rateBefore), { timeout: 10_000 });
	const rateAfter = Number(await wallRate.getAttribute('data-value'));
	console.log(`[hotline] wall closure rate ${rateBefore} → ${rateAfter}`);
	expect(rateAfter).toBeGreaterThan(rateBefore);
	await wall.screenshot({ path: `${SHOTS}/hotline-wall-after.png` });

	// The console's own figures agree and drill down to the tickets behind them.
	await hotline.open(server.url);
	await expect(hotline.figure('closureRate')).toHaveAttribute('data-value', `${rateAfter.toFixed(1)}%`);
	await hotline.figure('closed').click();
	await expect(page).toHaveURL(/status=closed/);
	await expect(hotline.row(ticketId)).toBeVisible();
	await wallCtx.close();
});

test('a leader reads the console without actions and masked phones; an admin sets the time limits', async ({ browser }) => {
	const leader = createUser(server, 'e2e-lead', ['leader']);
	const page = await signedIn(browser, leader.username, leader.password);
	await expect(page).toHaveURL(/\/reports$/);
	await page.goto(`${server.url}/hotline`);
	await expect(page.getByTestId('hotline-list')).toBeVisible();
	await expect(page.getByTestId('hotline-intake')).toHaveCount(0);
	await expect(page.getByTestId('ticket-RX-SEED-1')).toContainText('139****1001');
	await page.screenshot({ path: `${SHOTS}/hotline-leader.png`, fullPage: true });
	await page.getByTestId('ticket-RX-SEED-7').getByRole('link').first().click();
	await expect(page.getByTestId('ticket-facts')).toBeVisible();
	await expect(page.getByTestId('ticket-actions')).toHaveCount(0);
	await page.goto(`${server.url}/hotline?lang=en`);
	await expect(page.getByRole('heading', { name: "Mayor's hotline 12345" })).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/hotline-leader-en.png`, fullPage: true });

	const admin = createUser(server, 'e2e-adm', ['admin']);
	const a = await signedIn(browser, admin.username, admin.password);
	await expect(a).toHaveURL(/\/admin$/);
	await a.goto(`${server.url}/hotline/limits`);
	const form = a.getByTestId('limits-form');
	await form.locator('input[name="days"]').nth(1).fill('3');
	await form.getByRole('button', { name: '保存' }).click();
	await expect(a.getByRole('status')).toHaveText('已保存。');
	await a.screenshot({ path: `${SHOTS}/hotline-limits.png`, fullPage: true });
});
