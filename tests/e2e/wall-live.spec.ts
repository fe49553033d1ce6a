/**
 * The wall display live, in real Chromium against a real server (busy demo day seeded):
 * - a figure changes on screen within 1 s of an ingested event (latency measured in the page);
 * - page rotation (?rotate=hall,hotline&dwell=5) and a red card bringing /wall/supervision forward
 *   (an old red card does not);
 * - the server is killed: the banner "数据中断 · 数据截至 HH:MM:SS" appears within 30 s, panels are
 *   marked stale and window timers stop; the server restarts on the same DATA_DIR and port: the
 *   banner clears and the figures equal GET /api/v1/snapshot, including events accepted just
 *   before the kill; events ingested after the restart appear;
 * - offline start: with the server stopped, a reload (and another wall page) still loads through
 *   the service worker and shows the cached figures at once, marked cached/stale with their age,
 *   then the interruption banner; the worker caches only the shell and built files (never the
 *   API) and has deleted an older version's cache; the server restarts: the wall is live again
 *   by itself;
 * - a region wall (a province of 40 centers, seeded beside the demo): one center's tickets reach
 *   the province's KPI and its city's tile at once, a red card turns the center's tile red on its
 *   county's wall, and the ranking's figure moves on with the clock.
 * Tests run in order on one server (a fresh one after a failure).
 */
import { expect, test, type Page } from '@playwright/test';
import { cst, startServer, type TestServer } from '../integration/harness';
import { card, CENTER, CITY, COUNTY, ensureShotsDir, figuresMatchSnapshot, networkOn, parseFigure, PROVINCE, regionWallUrl, seedBusyDemo, shownFigures, SHOTS, ticket, wallUrl, watchErrors, type Seeded } from './wall-helpers';

let server: TestServer;
let seeded: Seeded;

// Not serial: a failure must not hide the later checks (after a failure Playwright starts a fresh
// worker, which starts and seeds a fresh server).

test.beforeAll(async () => {
	test.setTimeout(180_000);
	server = await startServer({ backend: 'pglite' });
	seeded = await seedBusyDemo(server, { days: 1 });
	console.log(`[live] seeded ${seeded.events} events (center zone ${seeded.tz}) in ${seeded.ms} ms`);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
});

const shanghai = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
/** Seconds of the day (Asia/Shanghai) of an epoch ms, as the wall shows times. */
const secOfDay = (ms: number) => {
	const [h, m, s] = shanghai.format(new Date(ms)).split(':').map(Number);
	return h * 3600 + m * 60 + s;
};
const hmsToSec = (hms: string) => {
	const [h, m, s] = hms.split(':').map(Number);
	return h * 3600 + m * 60 + s;
};

const expectFiguresMatchSnapshot = (page: Page, label: string) => figuresMatchSnapshot(page, server, seeded.token, label);

async function open(page: Page, path = '', extra = ''): Promise<void> {
	await page.goto(wallUrl(server, seeded.token, path, extra));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
}

test('a figure changes on screen within 1 s of an ingested event', async ({ page }) => {
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await open(page);
	const issued = page.getByTestId('kpi-ticketsIssuedToday');
	await page.waitForTimeout(1500); // count-up of the first figures over
	const latencies: number[] = [];
	for (let i = 0; i < 5; i++) {
		const before = Number(await issued.getAttribute('data-value'));
		const want = new Intl.NumberFormat('en-US').format(before + 1);
		// Watch the figure in the page: the time (epoch ms) its text first reads the new value.
		const seen = page.evaluate(
			({ want }) =>
				new Promise<number>((resolve, reject) => {
					const el = document.querySelector('[data-testid="kpi-ticketsIssuedToday"]')!;
					const done = () => {
						if ((el.textContent ?? '').trim() === want) {
							obs.disconnect();
							resolve(performance.timeOrigin + performance.now());
						}
					};
					const obs = new MutationObserver(done);
					obs.observe(el, { subtree: true, childList: true, characterData: true });
					setTimeout(() => reject(new Error(`figure did not read ${want} within 5 s`)), 5000);
				}),
			{ want }
		);
		await page.waitForTimeout(50); // the observer is in place
		const t0 = Date.now();
		const res = await server.post('/api/v1/events', { events: [ticket()] }, seeded.key);
		const acked = Date.now();
		expect(res.status).toBe(200);
		expect(res.body.accepted).toBe(1);
		const shownAt = await seen;
		latencies.push(Math.round(shownAt - t0));
		console.log(`[live] event ${i + 1}: ingest answered after ${acked - t0} ms, figure on screen ${Math.round(shownAt - t0)} ms after the POST started`);
		await page.waitForTimeout(300);
	}
	const sorted = [...latencies].sort((a, b) => a - b);
	const summary = `POST → figure on screen: ${latencies.join(', ')} ms (median ${sorted[2]} ms, max ${sorted[4]} ms)`;
	test.info().annotations.push({ type: 'latency', description: summary });
	console.log(`[live] ${summary}`);
	for (const l of latencies) expect(l, 'event → figure latency (ms)').toBeLessThan(1000);
	expect(errors).toEqual([]);
});

test('rotation moves between pages every dwell, and a red card brings supervision forward', async ({ page }) => {
	test.setTimeout(90_000);
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	const t0 = Date.now();
	await open(page, '', '&rotate=hall,hotline&dwell=5');
	await expect(page.getByTestId('rotation')).toBeVisible();
	// Record which page is in front, every 100 ms, for one full cycle (3 × 5 s) and a bit.
	const seen: Array<{ at: number; path: string; title: string }> = [];
	const until = Date.now() + 17_000;
	while (Date.now() < until) {
		const path = new URL(page.url()).pathname;
		if (!seen.length || seen[seen.length - 1].path !== path) seen.push({ at: Date.now() - t0, path, title: (await page.getByTestId('page-title').textContent()) ?? '' });
		await page.waitForTimeout(100);
	}
	const order = seen.map((s) => s.path);
	console.log(`[live] rotation: ${seen.map((s) => `${s.path} "${s.title}" @${(s.at / 1000).toFixed(1)} s`).join(' → ')}`);
	expect(order.slice(0, 4)).toEqual(['/wall', '/wall/hall', '/wall/hotline', '/wall']);
	// Once rotating, the URL names the whole cycle (the page it was opened on first), so a reload keeps it.
	expect(new URL(page.url()).searchParams.get('rotate')).toBe('overview,hall,hotline');
	// How long each page stayed in front (the first one counts from the page load).
	const dwells = [1, 2, 3].map((i) => seen[i].at - seen[i - 1].at);
	for (const d of dwells.slice(1)) {
		expect(d).toBeGreaterThan(4000);
		expect(d).toBeLessThan(7000); // 5 s, checked on a 1 s tick, plus the page change
	}
	await expect(page.getByTestId('page-title')).not.toHaveText('');
	test.info().annotations.push({ type: 'rotation', description: order.slice(0, 4).join(' → ') + `, dwells ${dwells.map((d) => (d / 1000).toFixed(1)).join(' / ')} s` });

	// An old red card (replayed history, > 10 min) does not interrupt; a yellow one neither.
	await page.waitForURL((u) => u.pathname === '/wall/hall', { timeout: 20_000 });
	const old = card('red', 'S002', Date.now() - 15 * 60_000);
	const yellow = card('yellow', 'S003');
	expect((await server.post('/api/v1/events', { events: [old, yellow] }, seeded.key)).body.accepted).toBe(2);
	await page.waitForTimeout(1500);
	expect(new URL(page.url()).pathname, 'an old red card or a yellow one does not bring supervision forward').not.toBe('/wall/supervision');

	// A new red card: supervision in front at once, for one dwell, then the rotation carries on.
	await page.waitForURL((u) => u.pathname === '/wall/hotline', { timeout: 20_000 });
	await page.waitForTimeout(1000);
	const red = card('red', 'S001');
	const sent = Date.now();
	expect((await server.post('/api/v1/events', { events: [red] }, seeded.key)).body.accepted).toBe(1);
	await page.waitForURL((u) => u.pathname === '/wall/supervision', { timeout: 3000 });
	const forward = Date.now() - sent;
	await expect(page.getByTestId('page-title')).toHaveText('效能监督');
	await expect(page.getByTestId(`card-${red.data.cardId}`)).toBeVisible();
	await expect(page.getByTestId(`card-${red.data.cardId}`)).toHaveAttribute('data-color', 'red');
	await page.screenshot({ path: `${SHOTS}/wall-rotation-redcard-1920x1080.png` });
	// Stays one dwell, then the rotation goes on (not back to supervision).
	const leftAt = Date.now();
	await page.waitForURL((u) => u.pathname !== '/wall/supervision', { timeout: 9000 });
	const stayed = Date.now() - sent;
	expect(stayed).toBeGreaterThan(4000);
	console.log(`[live] red card → supervision in front after ${forward} ms, stayed ${(stayed / 1000).toFixed(1)} s, then ${new URL(page.url()).pathname}`);
	test.info().annotations.push({ type: 'red card', description: `supervision in front ${forward} ms after the POST, for ${(stayed / 1000).toFixed(1)} s (left at +${leftAt - sent} ms)` });
	expect(forward).toBeLessThan(2000);
	expect(errors).toEqual([]);
});

test('server killed: stale banner within 30 s; restarted: banner clears, figures equal the snapshot, nothing missed', async ({ page }) => {
	test.setTimeout(150_000);
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await open(page);
	await expectFiguresMatchSnapshot(page, 'before the kill');
	await expect(page.getByTestId('banner-stale')).toHaveCount(0);

	// Events accepted just before the kill: acknowledged means durably committed, so the wall must
	// show them after the restart whether or not their delta reached it in time.
	const issuedBeforeKill = Number(await page.getByTestId('kpi-ticketsIssuedToday').getAttribute('data-value'));
	const last = [ticket(), ticket(), ticket()];
	expect((await server.post('/api/v1/events', { events: last }, seeded.key)).body.accepted).toBe(3);
	const killedAt = Date.now();
	await server.kill();

	const banner = page.getByTestId('banner-stale');
	await expect(banner).toBeVisible({ timeout: 30_000 });
	const bannerAfter = Date.now() - killedAt;
	const text = ((await banner.textContent()) ?? '').trim();
	const m = /^数据中断 · 数据截至 (\d\d:\d\d:\d\d)$/.exec(text);
	expect(m, `banner text "${text}"`).not.toBeNull();
	// The time is the data's: at most one heartbeat (10 s) before the kill.
	const lag = secOfDay(killedAt) - hmsToSec(m![1]);
	expect(lag, `banner time ${m![1]} vs kill at ${shanghai.format(new Date(killedAt))}`).toBeGreaterThanOrEqual(-1);
	expect(lag).toBeLessThanOrEqual(15);
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'down');
	// Every panel marked stale, with its data's time and age.
	const panels = page.locator('[data-testid^="panel-"][data-stale]');
	const n = await panels.count();
	expect(n).toBeGreaterThan(5);
	for (let i = 0; i < n; i++) await expect(panels.nth(i)).toHaveAttribute('data-stale', 'true');
	await expect(page.getByTestId('hall-kpis')).toHaveAttribute('data-stale', 'true');
	await expect(page.getByTestId('ticker')).toHaveClass(/stale/);
	const age = (await page.getByTestId('panel-windows-age').textContent())!.trim();
	expect(age).toMatch(/^截至 \d\d:\d\d:\d\d · \d+秒前$/);
	// Window timers stop at the data's time.
	const serving = page.locator('[data-testid^="window-W"][data-status="serving"]').first();
	const t1 = await serving.textContent();
	await page.waitForTimeout(2200);
	expect(await serving.textContent(), 'a serving window’s timer does not run while the data is stale').toBe(t1);
	await page.screenshot({ path: `${SHOTS}/wall-stale-1920x1080.png` });
	console.log(`[live] server killed: banner "${text}" after ${bannerAfter} ms`);

	// Restart on the same DATA_DIR and port.
	await page.waitForTimeout(3000);
	const restartAt = Date.now();
	await server.start();
	const upAfter = Date.now() - restartAt;
	await expect(banner).toHaveCount(0, { timeout: 45_000 });
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live');
	const clearedAfter = Date.now() - restartAt;
	for (let i = 0; i < n; i++) await expect(panels.nth(i)).toHaveAttribute('data-stale', 'false');
	await expectFiguresMatchSnapshot(page, 'after the restart');
	await expect(page.getByTestId('kpi-ticketsIssuedToday'), 'the 3 tickets accepted just before the kill are counted').toHaveAttribute('data-value', String(issuedBeforeKill + 3));

	// Events ingested after the restart appear.
	const before = Number(await page.getByTestId('kpi-ticketsIssuedToday').getAttribute('data-value'));
	const yellowBefore = parseFigure(await page.getByTestId('cards-yellowToday').textContent()) ?? 0;
	const y = card('yellow', 'S004');
	expect((await server.post('/api/v1/events', { events: [ticket(), ticket(), y] }, seeded.key)).body.accepted).toBe(3);
	await expect(page.getByTestId('kpi-ticketsIssuedToday')).toHaveAttribute('data-value', String(before + 2), { timeout: 2000 });
	// The card by hand counts; the restarted server's card rules may add their own yellow cards
	// at the same moment (a seeded check judged missed), so the screen must then equal the snapshot.
	await expect.poll(async () => parseFigure(await page.getByTestId('cards-yellowToday').textContent()) ?? 0, { timeout: 2000 }).toBeGreaterThanOrEqual(yellowBefore + 1);
	await expectFiguresMatchSnapshot(page, 'after new events');
	const summary = `banner ${bannerAfter} ms after SIGKILL ("${text}"); server up ${upAfter} ms after restart; banner cleared ${clearedAfter} ms after restart`;
	test.info().annotations.push({ type: 'outage', description: summary });
	console.log(`[live] ${summary}`);
	// The only errors allowed are the browser's own reports of the refused WebSocket while the server was down.
	expect(errors.filter((e) => !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
});

/** The service worker's caches: name → cached paths. */
async function swCaches(page: Page): Promise<Record<string, string[]>> {
	return page.evaluate(async () => {
		const out: Record<string, string[]> = {};
		for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
		return out;
	});
}

test('offline start: reloaded with the server down, the service worker loads the wall with the cached figures, marked stale; it recovers by itself', async ({ page }) => {
	test.setTimeout(150_000);
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	// An older version's cache, left on this origin before the wall was opened: the worker deletes it.
	await page.goto(`${server.url}/`);
	await page.evaluate(async () => (await caches.open('hallwatch-wall-0-old')).put('/wall', new Response('an old shell')));
	await open(page);
	// The worker installs (shells and assets cached) and takes over this page.
	await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 30_000 });
	// Ingest something and let the figures cache (written at most every 5 s) catch up with it.
	const issued = Number(await page.getByTestId('kpi-ticketsIssuedToday').getAttribute('data-value'));
	expect((await server.post('/api/v1/events', { events: [ticket(), ticket()] }, seeded.key)).body.accepted).toBe(2);
	await expect(page.getByTestId('kpi-ticketsIssuedToday')).toHaveAttribute('data-value', String(issued + 2));
	await expect
		.poll(
			async () =>
				page.evaluate(() => {
					const keys = Object.keys(localStorage).filter((k) => k.startsWith('hallwatch:figures:v2:'));
					return keys.length === 1 ? (JSON.parse(localStorage.getItem(keys[0])!).hall?.ticketsIssuedToday ?? null) : `keys: ${keys.join(', ')}`;
				}),
			{ timeout: 30_000, intervals: [500] }
		)
		.toBe(issued + 2);
	const storedKey = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('hallwatch:figures:v2:'))!);
	expect(storedKey, 'the cache key does not hold the token').not.toContain(seeded.token);
	const figures = await shownFigures(page);
	const stoppedAt = Date.now();
	await server.stop();

	// One cache, this version's: the five wall shells and the built files; nothing from the API.
	const cached = await swCaches(page);
	const names = Object.keys(cached);
	expect(names, 'caches after the new version activated').toHaveLength(1);
	expect(names[0]).toMatch(/^hallwatch-wall-/);
	const paths = cached[names[0]];
	for (const p of ['/wall', '/wall/hall', '/wall/hotline', '/wall/supervision', '/wall/rankings']) expect(paths, `shell ${p} cached`).toContain(p);
	expect(paths.filter((p) => p.startsWith('/_app/immutable/')).length, 'built files cached').toBeGreaterThan(20);
	expect(paths.filter((p) => /\.woff2$/.test(p)).length, 'every font slice cached').toBeGreaterThan(150);
	expect(paths.filter((p) => !p.startsWith('/_app/') && !p.startsWith('/wall') && p !== '/favicon.svg'), 'only the shell and built files').toEqual([]);

	await page.waitForTimeout(3000); // the cached figures are at least this old
	const reloadedAt = Date.now();
	await page.reload();
	// Navigation start → cached figures on screen, measured in the page.
	const firstFigureMs = await page.waitForFunction(
		() => {
			const el = document.querySelector('[data-testid="kpi-ticketsIssuedToday"]');
			return el && /\d/.test(el.textContent ?? '') ? performance.now() : null;
		},
		null,
		{ polling: 'raf', timeout: 10_000 }
	);
	const ttf = Math.round((await firstFigureMs.jsonValue()) as number);
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'cached');
	const banner = page.getByTestId('banner-stale');
	await expect(banner).toBeVisible();
	await expect(banner).toHaveText(/^\s*正在连接 · 缓存数据截至 \d\d:\d\d:\d\d$/);
	await expect(page.getByTestId('hall-kpis')).toHaveAttribute('data-stale', 'true');
	await expect(page.getByTestId('panel-windows')).toHaveAttribute('data-stale', 'true');
	const age = (await page.getByTestId('panel-windows-age').textContent())!.trim();
	const ageMatch = /^截至 \d\d:\d\d:\d\d · (\d+)(秒|分钟)前$/.exec(age);
	expect(ageMatch, `age label "${age}"`).not.toBeNull();
	expect(Number(ageMatch![1]) * (ageMatch![2] === '秒' ? 1 : 60), 'age of the cached figures (s)').toBeGreaterThanOrEqual(3);
	const shown = await shownFigures(page);
	// (Panel headers show the data's age instead of their extras while stale, e.g. the card counts.)
	for (const k of Object.keys(figures)) if (k in shown || k.startsWith('kpi-')) expect(shown[k], `cached ${k}`).toBe(figures[k]);
	expect(Object.keys(shown).length, 'cached figures shown').toBeGreaterThan(15);
	await expect(page.getByTestId('kpi-ticketsIssuedToday')).toHaveAttribute('data-value', String(issued + 2));
	await expect(page.locator('[data-testid^="window-W"]')).toHaveCount(45);
	await page.screenshot({ path: `${SHOTS}/wall-offline-start-1920x1080.png` });
	// Still no stream after the grace time: the red interruption banner.
	await expect(banner).toHaveText(/^\s*数据中断 · 数据截至 \d\d:\d\d:\d\d$/, { timeout: 20_000 });
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'down');
	// Another wall page starts offline too (as a rotating wall would after a reboot).
	await page.goto(wallUrl(server, seeded.token, 'hall'));
	await expect(page.getByTestId('view-hall')).toBeVisible({ timeout: 10_000 });
	await expect(page.getByTestId('kpi-ticketsIssuedToday')).toHaveAttribute('data-value', String(issued + 2));
	await expect(banner).toBeVisible();
	await page.goto(wallUrl(server, seeded.token));
	await expect(page.getByTestId('kpi-ticketsIssuedToday')).toHaveAttribute('data-value', String(issued + 2), { timeout: 10_000 });
	const summary = `cached figures ${ttf} ms after navigation start (reloaded ${reloadedAt - stoppedAt} ms after the server stopped, no server); panel age "${age}"`;
	test.info().annotations.push({ type: 'offline start', description: summary });
	console.log(`[live] ${summary}`);
	expect(ttf, 'navigation start → cached figures (ms)').toBeLessThan(2000);

	// Server back: live again by itself, figures equal the snapshot.
	const restartAt = Date.now();
	await server.start();
	await expect(banner).toHaveCount(0, { timeout: 45_000 });
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live');
	console.log(`[live] offline start: live again ${Date.now() - restartAt} ms after the server restarted`);
	await expectFiguresMatchSnapshot(page, 'after the offline start');
	// Still nothing from the API in the caches.
	for (const list of Object.values(await swCaches(page))) expect(list.filter((p) => p.includes('/api/'))).toEqual([]);
	// Only the refused stream while the server was down (no font slice or file failed to load).
	expect(errors.filter((e) => !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
});

// ── Region walls live ────────────────────────────────────────────────────────────────────

test('a region wall live: one center’s events move the region’s figures, its tile and its ranking; the ranking figure rotates on the clock', async ({ page }) => {
	test.setTimeout(300_000);
	const net = await networkOn(server, seeded.key);
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	const town = net.org.centers.find((c) => c.code === `${COUNTY}-T002`)!;
	const dept = net.org.departments.find((d) => d.centerCode === town.code)!;
	const staff = net.org.staff.find((s) => s.departmentCode === dept.code)!;
	let k = 0;
	const stamp = () => `e2e-region-${process.pid}-${Date.now().toString(36)}-${++k}`;
	const issue = () => ({ id: stamp(), type: 'queue.ticket_issued', occurredAt: cst(Date.now() - 500), data: { centerCode: town.code, ticketNo: `R${k}`, departmentCode: dept.code } });

	// The province's hall page: a ticket in a township center counts in the province's KPI and in its city's tile at once.
	await page.goto(regionWallUrl(server, seeded.token, PROVINCE, 'hall'));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	const kpi = page.getByTestId('kpi-ticketsIssuedToday');
	const cityTile = page.getByTestId(`tile-${CITY}-ticketsIssuedToday`);
	await expect(cityTile).toBeVisible();
	await page.waitForTimeout(1000);
	const before = Number(await kpi.getAttribute('data-value'));
	const tileBefore = parseFigure(await cityTile.getAttribute('data-value'))!;
	const t0 = Date.now();
	expect((await server.post('/api/v1/events', { events: [issue(), issue(), issue()] }, seeded.key)).body.accepted).toBe(3);
	await expect(kpi).toHaveAttribute('data-value', String(before + 3), { timeout: 2000 });
	await expect.poll(async () => parseFigure(await cityTile.getAttribute('data-value')), { timeout: 2000 }).toBe(tileBefore + 3);
	const shownAfter = Date.now() - t0;
	console.log(`[live] region wall: 3 tickets in ${town.name} on the province's KPI and its city's tile ${shownAfter} ms after the POST started`);
	expect(shownAfter).toBeLessThan(2000);

	// The county's overview: a red card for the township center's staff turns its tile red.
	await page.goto(regionWallUrl(server, seeded.token, COUNTY));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	const tile = page.getByTestId(`tile-${town.code}`);
	const cards = page.getByTestId(`tile-${town.code}-cards`);
	await expect(cards).toBeVisible();
	const [red0] = (await cards.getAttribute('data-value'))!.split('/').map(Number);
	const cardId = stamp();
	const red = { id: cardId, type: 'card.issued', occurredAt: cst(Date.now() - 500), data: { centerCode: town.code, cardId, color: 'red', target: { kind: 'staff', code: staff.code }, reason: 'misconduct', note: 'e2e region' } };
	expect((await server.post('/api/v1/events', { events: [red] }, seeded.key)).body.accepted).toBe(1);
	await expect.poll(async () => Number((await cards.getAttribute('data-value'))!.split('/')[0]), { timeout: 2000 }).toBe(red0 + 1);
	await expect(tile).toHaveAttribute('data-tone', 'bad');
	await page.screenshot({ path: `${SHOTS}/wall-region-live-redcard-1920x1080.png` });

	// The ranking's figure follows the clock: the next figure of the cycle within one period (15 s).
	const ranking = page.getByTestId('center-ranking');
	const CYCLE = ['presenceResponseRate', 'waitingNow', 'cardsMonth', 'casesOverdueOpen', 'satisfactionRate'];
	const first = (await ranking.getAttribute('data-figure'))!;
	expect(CYCLE).toContain(first);
	await expect(ranking).not.toHaveAttribute('data-figure', first, { timeout: 17_000 });
	const next = (await ranking.getAttribute('data-figure'))!;
	expect(next, `after ${first}`).toBe(CYCLE[(CYCLE.indexOf(first) + 1) % CYCLE.length]);
	const label = (await page.getByTestId('center-ranking-figure').textContent())!.trim();
	test.info().annotations.push({ type: 'region wall', description: `tickets on screen ${shownAfter} ms after the POST; ranking ${first} → ${next} ("${label}")` });
	expect(errors).toEqual([]);
});
