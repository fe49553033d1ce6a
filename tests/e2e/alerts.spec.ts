/**
 * Alerts in real Chromium: a red card raises a red alert; the wall shows the alert interrupt
 * over everything, then the alert stays in the ticker; a supervisor acknowledges it on /alerts
 * with a note. Screenshots: tests/e2e/screenshots/alerts-*.png, wall-alert-interrupt.png.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { createUser, cst, provisioned, startServer, type TestServer } from '../integration/harness';
import { signedInPage } from './pages/login-page';
import { ensureShotsDir, SHOTS } from './wall-helpers';

let server: TestServer;
let creds: { key: string; token: string };

test.beforeAll(async () => {
	server = await startServer({ backend: 'pglite', env: { ALERTS: 'on', ALERTS_EVERY_MS: '200', DERIVE_EVERY_MS: '200', INGEST_RATE_LIMIT: '0' } });
	creds = await provisioned(server);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

const card = async (cardId: string, color: 'red' | 'yellow', target: { kind: string; code: string }, reason: string) => {
	const r = await server.post('/api/v1/events', { id: cardId, type: 'card.issued', occurredAt: cst(Date.now()), data: { cardId, color, target, reason } }, creds.key);
	expect(r.body.accepted).toBe(1);
};

test('a red alert interrupts the wall, then stays in the ticker; a supervisor acknowledges it with a note', async ({ browser }) => {
	test.setTimeout(120_000);
	const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const wall = await ctx.newPage();
	await wall.goto(`${server.url}/wall/hall?token=${encodeURIComponent(creds.token)}&center=HC1`);
	await expect(wall.getByTestId('wall')).toBeVisible();
	await expect(wall.getByTestId('alert-interrupt')).toHaveCount(0);

	await card('e2e-y1', 'yellow', { kind: 'department', code: 'GAJ' }, 'overdue_case');
	await card('e2e-r1', 'red', { kind: 'staff', code: 'S001' }, 'absent');
	const interrupt = wall.getByTestId('alert-interrupt');
	await expect(interrupt).toBeVisible({ timeout: 10_000 });
	await expect(interrupt).toContainText('红色告警');
	await expect(interrupt).toContainText('测试市政务服务中心 张伟 被亮红牌（离岗）');
	await wall.waitForTimeout(600);
	await wall.screenshot({ path: `${SHOTS}/wall-alert-interrupt.png` });

	// The desk: the alerts of the supervisor's center, red first.
	const sup = createUser(server, 'e2e-alerts-sup', ['supervisor'], { scope: 'center:HC1' });
	const desk = await signedInPage(browser, server.url, sup.username, sup.password);
	await desk.waitForURL((u) => u.pathname !== '/login');
	await desk.goto(`${server.url}/alerts`);
	const rows = desk.getByTestId('alert-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.first()).toContainText('张伟 被亮红牌');
	await expect(rows.nth(1)).toContainText('市公安局 被亮黄牌');
	await desk.screenshot({ path: `${SHOTS}/alerts-page.png`, fullPage: true });
	await rows.first().getByRole('textbox').fill('已电话联系本人，回到岗位');
	await rows.first().getByRole('button', { name: '确认' }).click();
	await expect(desk.getByRole('status')).toHaveText('已确认。');
	await expect(rows.first()).toContainText('确认：已电话联系本人，回到岗位');
	await desk.screenshot({ path: `${SHOTS}/alerts-acknowledged.png`, fullPage: true });

	// Acknowledged: the interrupt goes; the alert is a line of the ticker.
	await expect(interrupt).toHaveCount(0, { timeout: 5000 });
	await expect(wall.locator('.foot')).toContainText('红色告警', { timeout: 30_000 });
	await wall.screenshot({ path: `${SHOTS}/wall-alert-ticker.png` });
	await ctx.close();
});
