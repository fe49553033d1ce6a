/**
 * The wall tells the hall as it is: a window that has called a ticket and not started it shows
 * 呼叫中 with the number (not 空闲), and two rounds started in the same minute count as two.
 * Events through the ingest API; the wall in Chromium at 1920×1080 with a display token.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { cst, provisioned, startServer, type TestServer } from '../integration/harness';
import { ensureShotsDir, SHOTS } from './wall-helpers';

let server: TestServer;
let creds: { key: string; token: string };

test.beforeAll(async () => {
	server = await startServer({ backend: 'pglite', env: { INGEST_RATE_LIMIT: '0', STREAM_FLUSH_MS: '50' } });
	creds = await provisioned(server);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

test('a window calling a ticket shows 呼叫中 and the number; two rounds in the same minute count as two', async ({ browser }) => {
	const now = Date.now();
	const at = (s: number) => cst(now - s * 1000);
	const ev = (id: string, type: string, s: number, data: Record<string, unknown>) => ({ id: `acc-${id}`, type, occurredAt: at(s), data });
	const events = [
		ev('in', 'attendance.clock_in', 120, { staffCode: 'S001', method: 'face' }),
		ev('open', 'window.status_changed', 110, { windowCode: 'W01', status: 'open', staffCode: 'S001' }),
		ev('t', 'queue.ticket_issued', 100, { centerCode: 'HC1', ticketNo: 'A088', departmentCode: 'GSJ' }),
		ev('call', 'queue.ticket_called', 90, { centerCode: 'HC1', ticketNo: 'A088', windowCode: 'W01', staffCode: 'S001' }),
		// Two rounds, 20 seconds apart, each to one person.
		ev('r1', 'presence.check_issued', 60, { checkId: 'r1-S001', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 120, roundId: 'r1' }),
		ev('r2', 'presence.check_issued', 40, { checkId: 'r2-S002', staffCode: 'S002', windowCode: 'W02', respondWithinSec: 120, roundId: 'r2' })
	];
	const r = await server.post('/api/v1/events', { events }, creds.key);
	expect(r.body.accepted, JSON.stringify(r.body)).toBe(events.length);

	const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const wall = await ctx.newPage();
	await wall.goto(`${server.url}/wall/hall?token=${encodeURIComponent(creds.token)}&center=HC1`);
	const tile = wall.getByTestId('window-W01');
	await expect(tile).toHaveAttribute('data-status', 'calling');
	await expect(tile).toContainText('呼叫中');
	await expect(tile).toContainText('A088');
	await expect(wall.getByTestId('legend-calling')).toContainText('呼叫中 1');
	await wall.screenshot({ path: `${SHOTS}/wall-calling.png` });

	await wall.goto(`${server.url}/wall/supervision?token=${encodeURIComponent(creds.token)}&center=HC1`);
	await expect(wall.getByTestId('presence-rounds')).toHaveAttribute('data-value', '2');
});
