/**
 * Reports in real Chromium on the demo center (the simulator's last three days): a leader opens
 * this month's bulletin, writes 存在问题 and 下步工作安排 in the document, saves the draft,
 * publishes and sees version 1 (frozen, listed); downloads its PDF with progress shown; reads
 * a department's score breakdown; an admin uploads indicator values (preview, apply) and edits
 * the scoring rules. Screenshots at 1440×900 of every reports page, and of the bulletin on
 * screen and in print emulation: tests/e2e/screenshots/reports-*.png.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import { createUser, startServer, until, type TestServer } from '../integration/harness';
import { LoginPage } from './pages/login-page';
import { ensureShotsDir, SHOTS, watchErrors } from './wall-helpers';

let server: TestServer;
const MONTH = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const LAST_MONTH = (() => {
	const d = new Date(Date.now() + 8 * 3_600_000);
	return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
})();

test.beforeAll(async () => {
	test.setTimeout(900_000);
	// The demo center with its history from the first of last month, as `npm start` gives it.
	server = await startServer({ backend: 'pglite', env: { SIMULATE: '1' } });
	await until(() => /history (\d+)\/\1 h fed/.test(server.output), 880_000, 1000);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

async function signedIn(browser: Browser, username: string, password: string): Promise<Page> {
	const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
	const page = await ctx.newPage();
	const login = new LoginPage(page);
	await login.open(server.url);
	await login.signIn(username, password);
	await page.waitForURL((u) => u.pathname !== '/login');
	return page;
}

test('a leader writes 存在问题, publishes the bulletin and sees the version; PDF with progress; score breakdown', async ({ browser }) => {
	test.setTimeout(180_000);
	const lead = createUser(server, 'e2e-lead', ['leader']);
	const page = await signedIn(browser, lead.username, lead.password);
	const errors = watchErrors(page);

	// Leaders land on the reports; 报表 is also in the console's bar of every page.
	await expect(page).toHaveURL(/\/reports$/);
	await page.goto(`${server.url}/account`);
	await page.getByRole('link', { name: '报表' }).click();
	await expect(page.getByRole('heading', { name: '月度通报' })).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/reports-index.png` });

	// This month's bulletin: the masthead, the figures, the draft's text boxes.
	await page.getByTestId('months').getByRole('link').first().click();
	await expect(page).toHaveURL(new RegExp(`/reports/bulletin/${MONTH}$`));
	const doc = page.getByTestId('bulletin');
	await expect(doc.getByRole('heading', { name: '盘锦市政务服务中心运行情况通报' })).toBeVisible();
	await expect(page.getByTestId('status')).toHaveText('草稿');
	await expect(page.getByTestId('para-scores')).toContainText('个驻厅部门参加绩效考核');
	await expect(page.getByTestId('para-indicator-online_entry_rate')).toContainText('“进一网”占比');

	const problems = '一是部分窗口在岗抽查响应不及时，个别工作人员离岗未报备。\n二是少数部门办件超期，热线工单办结率有待提高。';
	const plans = '一是严格在岗抽查和红黄牌通报制度。\n二是对超期办件和热线工单逐件督办，按月通报。';
	await page.getByTestId('text-problems').fill(problems);
	await page.getByTestId('text-plans').fill(plans);
	await expect(page.getByTestId('unsaved')).toBeVisible();
	await page.getByTestId('save-draft').click();
	await expect(page.getByText('草稿已保存。')).toBeVisible();
	await expect(page.getByTestId('unsaved')).toHaveCount(0);
	await page.screenshot({ path: `${SHOTS}/reports-bulletin-draft.png` });
	await page.screenshot({ path: `${SHOTS}/reports-bulletin-draft-full.png`, fullPage: true });

	// Print emulation: only the document, the text written as paragraphs.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByTestId('side')).toBeHidden();
	await expect(page.getByTestId('text-problems')).toBeHidden();
	await expect(doc.getByText('一是部分窗口在岗抽查响应不及时，个别工作人员离岗未报备。')).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/reports-bulletin-print.png`, fullPage: true });
	await page.emulateMedia({ media: 'screen' });

	// Publish: asked first (it cannot be undone), then version 1, frozen, listed; the text is in the document.
	page.once('dialog', (d) => {
		expect(d.message()).toContain('确定发布第 1 版');
		void d.accept();
	});
	await page.getByTestId('publish').click();
	await expect(page).toHaveURL(new RegExp(`/reports/bulletin/${MONTH}\\?v=1&published=1$`));
	await expect(page.getByTestId('published-notice')).toHaveText('已发布第 1 版。');
	await expect(page.getByTestId('status')).toHaveText('第 1 版');
	// By the person's name, not the log's `user:` sender.
	await expect(page.getByTestId('version-1')).toContainText('e2e-lead');
	await expect(page.getByTestId('version-1')).not.toContainText('user:');
	await expect(page.getByTestId('doc-version')).toContainText('第 1 版');
	await expect(page.getByTestId('para-problems').first()).toHaveText('一是部分窗口在岗抽查响应不及时，个别工作人员离岗未报备。');
	await expect(page.getByTestId('text-problems')).toHaveCount(0); // a version is not edited
	await page.screenshot({ path: `${SHOTS}/reports-bulletin-published.png` });

	// The PDF: progress while the server renders it, then the file.
	const download = page.waitForEvent('download', { timeout: 90_000 });
	await page.getByTestId('download-pdf').click();
	await expect(page.getByTestId('pdf-progress')).toBeVisible();
	const file = await (await download).path();
	await expect(page.getByTestId('pdf-progress')).toHaveAttribute('data-phase', 'done');
	const pdf = fs.readFileSync(file!).toString('latin1');
	expect(pdf.startsWith('%PDF-')).toBe(true);
	expect(pdf.match(/\/Type\s*\/Page(?!s)/g)!.length).toBeGreaterThanOrEqual(6);

	// Back on the index: the published version is listed.
	await page.goto(`${server.url}/reports`);
	await expect(page.getByTestId('published')).toContainText('v1');

	// Department scores: a department's breakdown, point by point.
	await page.getByRole('link', { name: '部门得分' }).click();
	const first = page.getByTestId('scores').locator('tbody tr').first();
	const name = (await first.locator('a').textContent())!.trim();
	const score = (await first.locator('td').nth(2).textContent())!.trim();
	await page.getByTestId('scores').locator('tbody tr').last().locator('a').click();
	await expect(page.getByTestId('breakdown')).toBeVisible();
	await expect(page.getByTestId('line-base')).toContainText('100');
	await page.screenshot({ path: `${SHOTS}/reports-scores.png` });
	expect(name.length).toBeGreaterThan(0);
	expect(Number(score)).toBeGreaterThan(0);

	await page.getByRole('link', { name: '区域指标' }).click();
	await expect(page.getByTestId('ranking-online_entry_rate')).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/reports-indicators.png` });
	expect(errors).toEqual([]);
});

test('last month’s demo bulletin reads like a running center’s (a whole month of cases, queues, checks and hotline tickets)', async ({ browser }) => {
	const lead = createUser(server, 'e2e-lead2', ['leader']);
	const page = await signedIn(browser, lead.username, lead.password);
	await page.goto(`${server.url}/reports/bulletin/${LAST_MONTH}`);
	const cases = (await page.getByTestId('para-cases').textContent())!;
	const n = (re: RegExp) => Number(cases.match(re)?.[1] ?? NaN);
	const accepted = n(/当月受理业务(\d+)件/);
	const overdue = n(/超期办件(\d+)件/);
	const tickets = n(/大厅排队取号(\d+)人次/);
	console.log(`[reports] ${LAST_MONTH}: ${accepted} cases accepted, ${overdue} overdue, ${tickets} queue tickets`);
	// About 22 working days of a 45-window hall: thousands of cases and tens of thousands of tickets, few overdue.
	expect(accepted).toBeGreaterThan(2000);
	expect(tickets).toBeGreaterThan(20_000);
	expect(overdue).toBeLessThan(accepted * 0.05);
	const hotline = (await page.getByTestId('para-hotline').textContent())!;
	const received = Number(hotline.match(/市长热线工单(\d+)件/)?.[1] ?? NaN);
	const late = Number(hotline.match(/超期(\d+)件/)?.[1] ?? NaN);
	console.log(`[reports] ${LAST_MONTH}: ${received} hotline tickets, ${late} overdue`);
	expect(received).toBeGreaterThan(1000);
	// Judged as the history was fed, not at today's time (which would make nearly every ticket overdue).
	expect(late).toBeLessThan(received * 0.2);
	await expect(page.getByTestId('para-presence')).toContainText(/\d/);
	await page.screenshot({ path: `${SHOTS}/reports-bulletin-last-month.png`, fullPage: true });
});

test('an admin enters indicator values by CSV (preview, apply) and edits the scoring rules', async ({ browser }) => {
	test.setTimeout(120_000);
	const boss = createUser(server, 'e2e-boss', ['admin']);
	const page = await signedIn(browser, boss.username, boss.password);
	const errors = watchErrors(page);
	await page.goto(`${server.url}/reports/indicators`);
	const csv = ['区划编码,期间,进一网,网上办,进一门,最多跑一次', `兴隆台区,${MONTH},66.10,60.02,59.31,4.2`, `DW,${MONTH},15.5%,8.1,22,7.3`, `NOPE,${MONTH},1,1,1,1`].join('\n');
	await page.getByTestId('upload-form').locator('input[type=file]').setInputFiles({ name: 'indicators.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
	await page.getByTestId('upload-form').getByRole('button', { name: '上传并预览' }).click();
	await expect(page.getByTestId('preview')).toContainText('新增 8 项');
	await expect(page.getByTestId('invalid-rows')).toContainText('未知的区划“NOPE”');
	await page.getByTestId('preview').scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${SHOTS}/reports-indicators-preview.png` });
	await page.getByRole('button', { name: '报送 8 项' }).click();
	await expect(page.getByTestId('applied')).toContainText('已报送 8 项');
	await page.goto(`${server.url}/reports/indicators?period=${MONTH}`);
	await expect(page.getByTestId('rank-online_entry_rate-XLT')).toContainText('66.10%');

	await page.goto(`${server.url}/admin/scoring`);
	await expect(page.getByTestId('count-bad-review-cards')).not.toBeChecked();
	await page.screenshot({ path: `${SHOTS}/reports-admin-scoring.png` });
	await page.getByLabel('每张黄牌').fill('-3');
	await page.getByRole('button', { name: '保存规则' }).click();
	await expect(page.getByText('评分规则已保存，立即生效。')).toBeVisible();
	await expect(page.getByLabel('每张黄牌')).toHaveValue('-3');
	expect(errors).toEqual([]);
});
