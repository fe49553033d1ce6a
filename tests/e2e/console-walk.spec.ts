/**
 * Every console page of every role, walked in Chromium in zh-CN, at 1920×1080 and at phone width
 * (390×844): each page has a `main` landmark, no serious or critical axe-core violation, no
 * horizontal overflow at phone width, and no English outside an allow-list (codes, units, the
 * language switch, the test's own usernames). Some errors too: a wrong password, a ticket that
 * does not exist, a page that does not exist, publishing without 存在问题.
 * Screenshots: tests/e2e/screenshots/walk-<role>-<page>-<width>.png (each role's home page).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import { createUser, cst, provisioned, startServer, type TestServer } from '../integration/harness';
import { LoginPage, signedInPage } from './pages/login-page';
import { ensureShotsDir, SHOTS } from './wall-helpers';

let server: TestServer;
let creds: { key: string; token: string };
const MONTH = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

test.beforeAll(async () => {
	server = await startServer({ backend: 'pglite', env: { INGEST_RATE_LIMIT: '0' } });
	creds = await provisioned(server);
	ensureShotsDir();
	const at = Date.now() - 2 * 3_600_000;
	const ev = (id: string, type: string, dt: number, data: Record<string, unknown>) => ({ id, type, occurredAt: cst(at + dt * 60_000), data });
	const events = [
		ev('w-1', 'hotline.ticket_created', 0, { ticketId: 'RX-WALK-1', channel: 'phone', category: '城市管理', summary: '小区门前路灯损坏', callerPhone: '13900001111', regionCode: 'D1' }),
		ev('w-2', 'hotline.ticket_assigned', 5, { ticketId: 'RX-WALK-1', departmentCode: 'GSJ', dueAt: cst(Date.now() + 48 * 3_600_000) }),
		ev('w-3', 'card.issued', 10, { cardId: 'card-walk-1', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent', note: '离岗未报备' }),
		ev('w-4', 'queue.ticket_issued', 12, { centerCode: 'HC1', ticketNo: 'A001', departmentCode: 'GSJ' })
	];
	const r = await server.post('/api/v1/events', { events }, creds.key);
	if (r.body.rejected) throw new Error(JSON.stringify(r.body.results.find((x: { status: string }) => x.status === 'rejected')));
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** Latin words a Chinese page may show: codes, units, formats, names of products and the language switch. */
const ALLOWED = new Set([
	// Field names of the files an admin prepares (org CSV columns, GeoJSON) and the tool the help names.
	'code', 'name', 'centerCode', 'departmentCode', 'regionCode', 'windowCode', 'parentCode', 'level', 'staffCode', 'FeatureCollection', 'Polygon', 'MultiPolygon', 'properties.code', 'properties.name', 'mapshaper',
	'Hallwatch',
	// The OS account that ran the operator CLI in this test (命令行（root）in the audit log).
	'root', 'English', 'Excel', 'PDF', 'CSV', 'PNG', 'JPEG', 'GIF', 'WebP', 'GeoJSON', 'MB', 'KB', 'URL', 'API', 'ID', 'IP', 'JSON', 'ws', 'wss', 'http', 'https', 'Token', 'TOKEN', 'Enter', 'Alt', 'Tab', 'Esc', 'Shift', 'Ctrl']);
/** A code (HC1, W01, S001, GSJ, RX-WALK-1, A001, card-…), a username of this test, a unit, a key or token as shown once. */
const CODE = /^([A-Z0-9][A-Z0-9_-]*|e2e-[a-z0-9-]+|[kt][a-z0-9]{8,}|hw[kd]_[A-Za-z0-9_-]+|v\d+|[a-z]+:\/\/\S+)$/;

function latinWords(text: string): string[] {
	const words = text.match(/[A-Za-z][A-Za-z0-9_.:/-]*/g) ?? [];
	return [...new Set(words.map((w) => w.replace(/[.:]+$/, '')).filter((w) => w && !ALLOWED.has(w) && !CODE.test(w)))];
}

/** The page's text as read, without what is marked as code (<code>, <kbd>, <samp>: event types, rule ids, file columns). */
async function visibleText(page: Page): Promise<string> {
	return page.evaluate(() => {
		const style = document.createElement('style');
		style.textContent = 'code, kbd, samp { display: none !important; }';
		document.head.append(style);
		const text = document.body.innerText;
		style.remove();
		return text;
	});
}

interface Finding {
	page: string;
	what: string;
}

/** Open a page and check it; collects what is wrong rather than stopping at the first. */
async function check(page: Page, url: string, found: Finding[], opts: { phone?: boolean } = {}): Promise<void> {
	const res = await page.goto(`${server.url}${url}`);
	await page.waitForLoadState('networkidle').catch(() => {});
	const where = `${url}${opts.phone ? ' @390' : ''}`;
	if (res && res.status() >= 500) found.push({ page: where, what: `HTTP ${res.status()}` });
	if ((await page.locator('main').count()) !== 1) found.push({ page: where, what: `main landmarks: ${await page.locator('main').count()}` });
	const english = latinWords(await visibleText(page));
	if (english.length) found.push({ page: where, what: `English: ${english.join(' ')}` });
	const title = await page.title();
	if (!title || /^[\x00-\x7f]*$/.test(title)) found.push({ page: where, what: `tab title: "${title}"` });
	const axe = await new AxeBuilder({ page }).analyze();
	for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
		found.push({ page: where, what: `axe ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}` });
	if (opts.phone) {
		const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		if (over > 0) found.push({ page: where, what: `${over}px wider than the screen` });
	}
}

async function signedIn(browser: Browser, username: string, password: string, width: number): Promise<Page> {
	const page = await signedInPage(browser, server.url, username, password, width < 600 ? { width, height: 844 } : { width, height: 1080 });
	await page.waitForURL((u) => u.pathname !== '/login');
	return page;
}

const ADMIN_PAGES = ['/admin', '/admin/users', '/admin/audit', '/admin/keys', '/admin/org', '/admin/quarantine', '/admin/walls', '/admin/rules', '/admin/scoring', '/admin/maps', '/admin/presence', '/hotline/limits'];
const ROLES: Array<{ role: string; extra?: { staff?: string }; pages: string[] }> = [
	{ role: 'admin', pages: [...ADMIN_PAGES, '/account'] },
	{ role: 'leader', pages: ['/reports', '/reports/scores', '/reports/indicators', `/reports/bulletin/${MONTH}`, '/hotline', '/hotline/RX-WALK-1', '/account'] },
	{ role: 'supervisor', pages: ['/supervision', '/account'] },
	{ role: 'hotline_operator', pages: ['/hotline', '/hotline/RX-WALK-1', '/account'] },
	{ role: 'window_staff', extra: { staff: 'S001' }, pages: ['/terminal', '/account'] }
];

for (const { role, extra, pages } of ROLES) {
	test(`${role}: every page in Chinese, with a main landmark, no serious axe violation, fitting a phone`, async ({ browser }) => {
		test.setTimeout(240_000);
		const user = createUser(server, `e2e-${role.replace('_', '-')}`, [role], extra);
		const found: Finding[] = [];
		for (const width of [1920, 390]) {
			const page = await signedIn(browser, user.username, user.password, width);
			const home = new URL(page.url()).pathname;
			await page.screenshot({ path: `${SHOTS}/walk-${role}-home-${width}.png`, fullPage: width < 600 });
			for (const p of pages) await check(page, p, found, { phone: width < 600 });
			// 最近登录 is filled for the account that just signed in.
			if (role === 'admin') {
				await page.goto(`${server.url}/admin/users`);
				await expect(page.locator('tr', { hasText: user.username }).first()).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
			}
			await page.context().close();
			expect(home).not.toBe('/login');
		}
		expect(found, found.map((f) => `${f.page}: ${f.what}`).join('\n')).toEqual([]);
	});
}

test('errors in Chinese: a wrong password, a page or a ticket that does not exist, publishing without 存在问题', async ({ browser }) => {
	test.setTimeout(120_000);
	const found: Finding[] = [];
	const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	const page = await ctx.newPage();
	const login = new LoginPage(page);
	await login.open(server.url);
	await login.signIn('e2e-nobody', 'not the password at all');
	await expect(login.error()).toBeVisible();
	const english = latinWords(await visibleText(page));
	if (english.length) found.push({ page: '/login (wrong password)', what: `English: ${english.join(' ')}` });
	await check(page, '/setup', found);
	// A wall screen without a token, or with a wrong one: what the operator must do, not a sign-in form.
	for (const [url, says] of [['/wall?center=HC1', '大屏地址缺少显示令牌'], ['/wall?token=hwd_wrong&center=HC1', '显示令牌无效']] as const) {
		const res = await page.goto(`${server.url}${url}`);
		expect(res?.status(), url).toBe(401);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(says);
		await expect(page.getByRole('main')).toContainText('接入密钥');
		await expect(page.getByLabel('密码')).toHaveCount(0);
	}
	await check(page, '/no-such-page', found);

	const lead = createUser(server, 'e2e-lead-errors', ['leader']);
	const op = createUser(server, 'e2e-op-errors', ['hotline_operator']);
	const opPage = await signedIn(browser, op.username, op.password, 1440);
	await check(opPage, '/hotline/RX-NOPE', found);
	const leadPage = await signedIn(browser, lead.username, lead.password, 1440);
	await leadPage.goto(`${server.url}/reports/bulletin/${MONTH}`);
	leadPage.once('dialog', (d) => void d.accept());
	await leadPage.getByTestId('publish').click();
	await expect(leadPage.getByRole('alert').first()).toBeVisible();
	const refused = latinWords(await leadPage.getByRole('alert').first().innerText());
	if (refused.length) found.push({ page: 'publish without text', what: `English: ${refused.join(' ')}` });
	expect(found, found.map((f) => `${f.page}: ${f.what}`).join('\n')).toEqual([]);
});
