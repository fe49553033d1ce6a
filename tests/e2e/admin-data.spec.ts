/**
 * The admin console's org page in real Chromium: an admin signs in, uploads a CSV of windows
 * with one bad row, sees the preview (new rows and the bad row's line, field and problem),
 * applies it and finds the new window in the table. Also takes 1440×900 screenshots of the
 * four data pages (keys, walls, quarantine, org) for a look, and checks the walls page
 * refreshes itself when a display connects.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { createUser, provisioned, startServer, StreamClient, type TestServer } from '../integration/harness';
import { ensureShotsDir, SHOTS, watchErrors } from './wall-helpers';

let server: TestServer;
let admin: { username: string; password: string };
let creds: { key: string; token: string };

test.beforeAll(async () => {
	test.setTimeout(120_000);
	server = await startServer({ backend: 'pglite' });
	creds = await provisioned(server);
	admin = createUser(server, 'e2e-admin', ['admin']);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** /admin/org as a person uses it. */
class OrgPage {
	constructor(readonly page: Page) {}

	async signIn(username: string, password: string) {
		await this.page.goto(`${server.url}/login?next=/admin/org`);
		await this.page.locator('input[name=username]').fill(username);
		await this.page.locator('input[name=password]').fill(password);
		await this.page.locator('button[type=submit]').click();
		await this.page.waitForURL((url) => url.pathname === '/admin/org');
	}
	async open(kind: string) {
		await this.page.goto(`${server.url}/admin/org?kind=${kind}`);
	}
	get uploadForm(): Locator {
		return this.page.locator('form[action="?/preview"]');
	}
	async upload(kind: string, name: string, csv: string) {
		await this.uploadForm.locator('select[name=kind]').selectOption(kind);
		await this.uploadForm.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
		await this.uploadForm.getByRole('button', { name: '上传并预览' }).click();
	}
	get preview(): Locator {
		return this.page.getByTestId('preview');
	}
	/** Rows of the preview's error table as [line, field, problem]. */
	async invalidRows(): Promise<string[][]> {
		return this.page.getByTestId('invalid-rows').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
	}
	async validCodes(): Promise<string[]> {
		return this.page.getByTestId('valid-rows').locator('tbody td.code').allTextContents();
	}
	async apply() {
		await this.preview.getByRole('button', { name: /导入/ }).click();
		await expect(this.page.getByTestId('applied')).toBeVisible();
	}
	row(code: string): Locator {
		return this.page.getByTestId('org-items').locator('tbody tr', { has: this.page.locator('td.code', { hasText: new RegExp(`^${code}$`) }) });
	}
}

test('CSV upload: preview with a bad row, apply, the new window is listed', async ({ page }) => {
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1440, height: 900 });
	const org = new OrgPage(page);
	await org.signIn(admin.username, admin.password);
	await org.open('windows');
	await expect(org.row('W01')).toBeVisible();
	await expect(org.row('W05')).toHaveCount(0);

	const csv = ['code,name,centerCode,departmentCode', 'W05,05号窗口,HC1,GSJ', 'W06,"06号窗口, 综合",HC1,NOPE', 'W01,01号窗口,HC1,GSJ'].join('\r\n');
	await org.upload('windows', 'windows.csv', csv);
	await expect(org.preview).toBeVisible();
	await expect(org.preview).toContainText('新增 1 条，修改 0 条，不变 1 条，有错误 1 条');
	expect(await org.validCodes()).toEqual(['W05']);
	expect(await org.invalidRows()).toEqual([['3', '所属部门编码（departmentCode）', '所属部门编码（departmentCode）：引用的编码“NOPE”不存在']]);
	await page.screenshot({ path: path.join(SHOTS, 'admin-org-preview.png'), fullPage: true });

	await org.apply();
	await expect(page.getByTestId('applied')).toContainText('已导入窗口 1 条');
	await expect(org.row('W05')).toBeVisible();
	await expect(org.row('W05')).toContainText('05号窗口');
	await expect(org.row('W06')).toHaveCount(0);
	expect(errors).toEqual([]);
});

test('screenshots of the four data pages at 1440×900', async ({ page }) => {
	await page.setViewportSize({ width: 1440, height: 900 });
	const org = new OrgPage(page);
	await org.signIn(admin.username, admin.password);
	// Something on each page: a quarantined event and a connected wall.
	await server.post('/api/v1/events', { id: 'shot-1', type: 'queue.ticket_called', occurredAt: new Date(Date.now() - 1000).toISOString(), data: { centerCode: 'HC1', ticketNo: 'A1', windowCode: 'W99' } }, creds.key);
	const wall = await StreamClient.connect(server, creds.token);
	try {
		for (const p of ['keys', 'walls', 'quarantine', 'org']) {
			await page.goto(`${server.url}/admin/${p}`);
			await page.waitForLoadState('networkidle');
			await page.screenshot({ path: path.join(SHOTS, `admin-${p}.png`) });
		}
		// A new key: its secret shown once, beside a copy button.
		await page.goto(`${server.url}/admin/keys`);
		await page.locator('form[action="?/createKey"] input[name=name]').fill('queue-hall-1');
		await page.getByLabel('queue.*').check();
		await page.getByRole('button', { name: '创建接入密钥' }).click();
		await expect(page.getByTestId('secret')).toContainText(/hwk_/);
		await page.screenshot({ path: path.join(SHOTS, 'admin-keys-secret.png') });
		await page.goto(`${server.url}/admin/quarantine`);
		await page.getByRole('link', { name: '修正' }).first().click();
		await expect(page.locator('textarea[name=body]')).toBeVisible();
		await page.screenshot({ path: path.join(SHOTS, 'admin-quarantine-fix.png') });
	} finally {
		wall.close();
	}
});

test('walls page refreshes itself: a display that connects appears without a reload', async ({ page }) => {
	const org = new OrgPage(page);
	await org.signIn(admin.username, admin.password);
	await page.goto(`${server.url}/admin/walls`);
	const rows = page.getByTestId('walls').locator('tbody tr td:first-child');
	const before = await rows.allTextContents();
	const wall = await StreamClient.connect(server, creds.token);
	try {
		await expect.poll(async () => (await rows.allTextContents()).filter((n) => n !== '当前没有大屏连接。').length, { timeout: 8000 }).toBe(before.filter((n) => n !== '当前没有大屏连接。').length + 1);
	} finally {
		wall.close();
	}
});
