import { expect, type Browser, type Page } from '@playwright/test';

/** The sign-in page as a person uses it. */
export class LoginPage {
	constructor(readonly page: Page) {}

	async open(baseUrl: string, next?: string): Promise<void> {
		await this.page.goto(`${baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
		await expect(this.page.getByRole('heading', { name: '登录' })).toBeVisible();
	}

	async signIn(username: string, password: string): Promise<void> {
		await this.page.getByLabel('用户名').fill(username);
		await this.page.getByLabel('密码').fill(password);
		await this.page.getByRole('button', { name: '登录' }).click();
	}

	error() {
		return this.page.getByTestId('login-error');
	}
}

/** A new browser (context) at 1440×900 (or the given size; a phone below 600 px wide) in Chinese, signed in as `username` (the sign-in sent, not awaited). */
export async function signedInPage(browser: Browser, baseUrl: string, username: string, password: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
	const phone = viewport.width < 600;
	const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: phone, hasTouch: phone });
	const page = await ctx.newPage();
	const login = new LoginPage(page);
	await login.open(baseUrl);
	await login.signIn(username, password);
	return page;
}
