/**
 * The department's side of a 12345 ticket in real Chromium (issue 14): the hotline center
 * dispatches two tickets to 市工商局; the bureau's handler takes the first (签收), returns it
 * (退单) and the center refuses the return, asks for more time (申请延期) and the center approves
 * (the due time moves), replies; the operator closes it and records the callback with 是否解决.
 * The second ticket is returned and the center accepts, re-dispatching it to 市公安局: it
 * leaves the bureau's queue. Screenshots: tests/e2e/screenshots/hotline-department-*.png.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import { createUser, cst, provisioned, startServer, type TestServer } from '../integration/harness';
import { signedInPage } from './pages/login-page';
import { DepartmentQueue, TicketPage } from './pages/hotline-page';
import { ensureShotsDir, SHOTS } from './wall-helpers';

let server: TestServer;
let creds: { key: string; token: string };

test.beforeAll(async () => {
	server = await startServer({ backend: 'pglite', env: { INGEST_RATE_LIMIT: '0', STREAM_FLUSH_MS: '50' } });
	creds = await provisioned(server);
	ensureShotsDir();
	const at = cst(Date.now() - 60_000);
	const created = (ticketId: string, summary: string) => ({ id: `seed-${ticketId}`, type: 'hotline.ticket_created', occurredAt: at, data: { ticketId, channel: 'phone', category: '市场监管', summary, callerPhone: '13900001111', regionCode: 'D1' } });
	const r = await server.post('/api/v1/events', { events: [created('RX-DEPT-1', '反映某超市销售过期食品'), created('RX-DEPT-2', '反映小区物业乱收费')] }, creds.key);
	expect(r.body.accepted).toBe(2);
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

const signedIn = (browser: Browser, username: string, password: string): Promise<Page> => signedInPage(browser, server.url, username, password);

test('签收, 退单 and its review, 延期 and its approval, reply, then close and callback with 是否解决', async ({ browser }) => {
	test.setTimeout(150_000);
	const op = createUser(server, 'e2e-desk', ['hotline_operator']);
	const handler = createUser(server, 'e2e-gsj', ['department_handler'], { staff: 'S001' });

	// The center dispatches both to 市工商局.
	const center = await signedIn(browser, op.username, op.password);
	await expect(center).toHaveURL(/\/hotline$/);
	const ticket = new TicketPage(center);
	for (const id of ['RX-DEPT-1', 'RX-DEPT-2']) {
		await ticket.open(server.url, id);
		await ticket.dispatch('市工商局');
	}
	await expect(center.getByTestId('ticket-ack')).toContainText('未签收');

	// The bureau's handler lands on its queue: both tickets, with their 签收 limit.
	const dept = await signedIn(browser, handler.username, handler.password);
	await expect(dept).toHaveURL(/\/hotline\/department$/);
	const q = new DepartmentQueue(dept);
	await expect(q.card('RX-DEPT-1')).toBeVisible();
	await expect(q.card('RX-DEPT-2')).toBeVisible();
	await expect(q.card('RX-DEPT-1').getByTestId('ack-due')).toContainText('签收时限');
	// Its navigation offers its queue and nothing of the center's.
	await expect(dept.getByRole('link', { name: '市长热线' })).toHaveCount(0);
	await dept.screenshot({ path: `${SHOTS}/hotline-department-queue.png`, fullPage: true });

	// 签收, then 退单 with a reason; a return without one is refused naming the field.
	await q.acknowledge('RX-DEPT-1');
	await q.card('RX-DEPT-1').getByTestId('form-return').getByRole('button', { name: '退单' }).click();
	await expect(q.card('RX-DEPT-1').getByTestId('dept-error')).toHaveText('退回原因：不能为空');
	await q.returnIt('RX-DEPT-1', '该超市属东区，应由东区工商分局办理');
	await expect(q.card('RX-DEPT-1').getByTestId('form-reply')).toHaveCount(0);

	// The center refuses the return: back to the bureau.
	await ticket.open(server.url, 'RX-DEPT-1');
	await expect(center.getByTestId('badge-return')).toBeVisible();
	await expect(center.getByTestId('return-pending')).toContainText('应由东区工商分局办理');
	const review = center.getByTestId('form-reviewReturn');
	await review.getByLabel('驳回退单，退回原部门继续办理').check();
	await review.getByLabel('意见').fill('经核实属市工商局职责，请继续办理');
	await review.getByRole('button', { name: '保存' }).click();
	await expect(center.getByTestId('badge-return')).toHaveCount(0);
	await expect(center.getByTestId('ticket-department')).toHaveText('市工商局');

	// The second: returned, the center accepts and re-dispatches it to 市公安局.
	await dept.reload();
	await q.returnIt('RX-DEPT-2', '属治安问题');
	await ticket.open(server.url, 'RX-DEPT-2');
	const review2 = center.getByTestId('form-reviewReturn');
	await review2.getByLabel('同意退单，改派到').check();
	await review2.getByLabel('承办部门').selectOption({ label: '市公安局' });
	await review2.getByRole('button', { name: '保存' }).click();
	await expect(center.getByTestId('ticket-department')).toHaveText('市公安局');

	// Back at the bureau: the second is gone; the first is theirs again. 申请延期 by 3 working days.
	await dept.reload();
	await expect(q.card('RX-DEPT-2')).toHaveCount(0);
	await expect(q.card('RX-DEPT-1').getByTestId('waiting-review')).toHaveCount(0);
	const dueBefore = await q.card('RX-DEPT-1').getByTestId('due').textContent();
	await q.requestExtension('RX-DEPT-1', 3, '需联合市场监管所现场取证');

	// The center approves: the due time moves and the extension is counted.
	await ticket.open(server.url, 'RX-DEPT-1');
	const dueAtBefore = await center.getByTestId('ticket-due').getAttribute('data-due');
	await expect(center.getByTestId('extension-pending')).toContainText('需联合市场监管所现场取证');
	const decide = center.getByTestId('form-decideExtension');
	await decide.getByLabel('同意', { exact: true }).check();
	await decide.getByRole('button', { name: '保存' }).click();
	await expect(center.getByTestId('badge-extension')).toHaveCount(0);
	await expect(center.getByText('已延期 1 次')).toBeVisible();
	const dueAtAfter = await center.getByTestId('ticket-due').getAttribute('data-due');
	expect(Date.parse(dueAtAfter!)).toBeGreaterThan(Date.parse(dueAtBefore!));
	console.log(`[department] due ${dueAtBefore} → ${dueAtAfter}`);

	// The bureau replies; its page shows the new due time.
	await dept.reload();
	await expect(q.card('RX-DEPT-1').getByTestId('due')).not.toHaveText(dueBefore!);
	await q.reply('RX-DEPT-1', '已责令超市下架过期食品并立案调查');
	await dept.screenshot({ path: `${SHOTS}/hotline-department-replied.png`, fullPage: true });

	// The center closes it and calls back: satisfied, solved.
	await ticket.open(server.url, 'RX-DEPT-1');
	await expect(ticket.status()).toHaveText('已回复');
	await ticket.close();
	await ticket.callback('满意', true);
	await expect(center.getByTestId('ticket-callback')).toContainText('已解决');
	for (const type of ['ticket_acknowledged', 'ticket_returned', 'return_decided', 'extension_requested', 'extension_decided', 'ticket_replied', 'ticket_closed', 'callback_recorded'])
		await expect(ticket.timeline().locator(`li[data-type="hotline.${type}"]`).first()).toBeVisible();
	await center.screenshot({ path: `${SHOTS}/hotline-department-ticket.png`, fullPage: true });

	// Closed: it leaves the bureau's queue. The handler cannot open the center's console.
	await dept.reload();
	await expect(q.card('RX-DEPT-1')).toHaveCount(0);
	const res = await dept.goto(`${server.url}/hotline`);
	expect(res?.status()).toBe(403);
});
