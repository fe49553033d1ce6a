import { expect, type Locator, type Page } from '@playwright/test';

/** The hotline console (/hotline) as an operator on the phone uses it: keyboard first. */
export class HotlineConsole {
	constructor(readonly page: Page) {}

	async open(baseUrl: string, query = ''): Promise<void> {
		await this.page.goto(`${baseUrl}/hotline${query}`);
		await expect(this.page.getByTestId('hotline-figures')).toBeVisible();
	}

	get intake(): Locator {
		return this.page.getByTestId('hotline-intake');
	}

	/** Alt+N: the caller phone field, wherever the focus was. */
	async focusIntake(): Promise<void> {
		await this.page.keyboard.press('Alt+N');
		await expect(this.intake.getByLabel('来电号码')).toBeFocused();
	}

	/**
	 * Take a call with the keyboard only: phone, Tab (channel stays 电话), Tab, category by arrow
	 * presses, Tab, region by arrow presses, Tab, summary, Enter saves. Returns the new ticket id.
	 */
	async takeCallByKeyboard(c: { phone: string; categoryDown: number; regionDown: number; summary: string }): Promise<string> {
		const kb = this.page.keyboard;
		await this.focusIntake();
		await kb.type(c.phone);
		await kb.press('Tab');
		await expect(this.intake.getByLabel('渠道')).toBeFocused();
		await kb.press('Tab');
		await expect(this.intake.getByLabel('类别')).toBeFocused();
		for (let i = 0; i < c.categoryDown; i++) await kb.press('ArrowDown');
		await kb.press('Tab');
		await expect(this.intake.getByLabel('所属区域')).toBeFocused();
		for (let i = 0; i < c.regionDown; i++) await kb.press('ArrowDown');
		await kb.press('Tab');
		await expect(this.intake.getByLabel('诉求内容')).toBeFocused();
		await kb.type(c.summary);
		await kb.press('Enter');
		const saved = this.page.getByTestId('intake-saved');
		await expect(saved).toBeVisible();
		return /RX-\d{8}-[0-9A-Z]{5}/.exec((await saved.textContent()) ?? '')![0];
	}

	/** A month figure as shown (its data-value). */
	figure(key: string): Locator {
		return this.page.getByTestId(`fig-${key}`);
	}

	row(ticketId: string): Locator {
		return this.page.getByTestId(`ticket-${ticketId}`);
	}
}

/** One ticket (/hotline/ID): its facts, its actions, its timeline. */
export class TicketPage {
	constructor(readonly page: Page) {}

	async open(baseUrl: string, ticketId: string): Promise<void> {
		await this.page.goto(`${baseUrl}/hotline/${encodeURIComponent(ticketId)}`);
		await expect(this.page.getByTestId('ticket-id')).toHaveText(ticketId);
	}

	status(): Locator {
		return this.page.getByTestId('ticket-status');
	}

	timeline(): Locator {
		return this.page.getByTestId('ticket-timeline');
	}

	async dispatch(department: string): Promise<void> {
		const form = this.page.getByTestId('form-dispatch');
		await form.getByLabel('承办部门').selectOption({ label: department });
		await form.getByRole('button', { name: '转办' }).click();
		await expect(this.status()).toHaveText('已转办');
	}

	async close(): Promise<void> {
		await this.page.getByTestId('form-close').getByRole('button', { name: '办结' }).click();
		await expect(this.status()).toHaveText('已办结');
	}

	async callback(satisfaction: '满意' | '基本满意' | '不满意', solved?: boolean): Promise<void> {
		const form = this.page.getByTestId('form-callback');
		await form.getByLabel('联系上', { exact: true }).check();
		await form.getByLabel(satisfaction, { exact: true }).check();
		if (solved !== undefined) await form.getByLabel(solved ? '已解决' : '未解决', { exact: true }).check();
		await form.getByRole('button', { name: '保存' }).click();
		await expect(this.page.getByTestId('ticket-callback')).toContainText(satisfaction);
	}
}

/** A department handler's queue (/hotline/department): one card per ticket with its actions. */
export class DepartmentQueue {
	constructor(readonly page: Page) {}

	card(ticketId: string): Locator {
		return this.page.getByTestId(`dept-ticket-${ticketId}`);
	}

	async acknowledge(ticketId: string): Promise<void> {
		await this.card(ticketId).getByTestId('form-acknowledge').getByRole('button', { name: '签收' }).click();
		await expect(this.card(ticketId)).toContainText('已签收');
	}

	async returnIt(ticketId: string, reason: string): Promise<void> {
		const form = this.card(ticketId).getByTestId('form-return');
		await form.getByLabel('退单理由').fill(reason);
		await form.getByRole('button', { name: '退单' }).click();
		await expect(this.card(ticketId).getByTestId('waiting-review')).toContainText(reason);
	}

	async requestExtension(ticketId: string, days: number, reason: string): Promise<void> {
		const form = this.card(ticketId).getByTestId('form-requestExtension');
		await form.getByLabel('延长工作日').fill(String(days));
		await form.getByLabel('延期理由').fill(reason);
		await form.getByRole('button', { name: '申请延期' }).click();
		await expect(this.card(ticketId).getByTestId('waiting-extension')).toBeVisible();
	}

	async reply(ticketId: string, text: string): Promise<void> {
		const form = this.card(ticketId).getByTestId('form-reply');
		await form.getByLabel('办理结果').fill(text);
		await form.getByRole('button', { name: '回复' }).click();
		await expect(this.card(ticketId)).toContainText(text);
	}
}
