/**
 * The wall display in real Chromium at the screens it is made for: every page at 1366×768,
 * 1920×1080, 3840×2160 and a 5760×1080 three-panel wall (plus ?lang=en), against a real server
 * holding a realistic busy day of the 45-window demo center. Checks geometry (nothing outside
 * the canvas or screen, no overlapping panels, no truncated or clipped text, no panel across a
 * physical seam of the three-panel wall), content (45 tiles, figures equal the snapshot, no '—'
 * where data exists, charts drawn at the right pixel density) and that the console stays clean.
 * A last test adds heavy data (four-digit queues, a presence round most staff missed, a burst of
 * cards) and checks the geometry again. Screenshots go to
 * tests/e2e/screenshots/wall-<page>-<w>x<h>[-en][-heavy].png.
 */
import { expect, test, type Page } from '@playwright/test';
import { cst, startServer, type TestServer } from '../integration/harness';
import { DEMO_REGION_CODE } from '../../src/lib/server/sim/demo-org';
import { shortCenterName } from '../../src/lib/wall/region';
import { card, CENTER, CITY, COUNTY, ensureShotsDir, inspectLayout, networkOn, postAll, PROVINCE, regionWallUrl, seedBusyDemo, seedNetwork, SHOTS, ticket, wallUrl, watchErrors, type Seeded } from './wall-helpers';

const SIZES: Array<[number, number]> = [
	[1366, 768],
	[1920, 1080],
	[3840, 2160],
	[5760, 1080]
];
const PAGES = ['overview', 'hall', 'hotline', 'supervision', 'rankings'] as const;
type WallPage = (typeof PAGES)[number];

/** Test ids each page must show (standard layout). */
const REQUIRED: Record<WallPage, string[]> = {
	overview: ['view-overview', 'hall-kpis', 'window-grid', 'panel-windows', 'panel-hotline', 'panel-ticketsPerHour', 'chart-ticketsPerHour', 'panel-departmentScores', 'panel-presence', 'panel-cards', 'panel-cases'],
	hall: ['view-hall', 'hall-kpis', 'window-grid', 'panel-windows', 'panel-waiting', 'chart-waitingByDepartment', 'panel-ticketsPerHour', 'chart-ticketsPerHour'],
	hotline: ['view-hotline', 'panel-hotline', 'panel-hotlineDepartments', 'chart-hotlineByDepartment', 'panel-hotlineOverdue'],
	supervision: ['view-supervision', 'panel-presence', 'panel-cards', 'card-feed', 'panel-cardTally', 'chart-cardsByDepartment', 'panel-cases'],
	rankings: ['view-rankings', 'ranking-online_entry_rate', 'ranking-online_handling_rate', 'ranking-one_door_rate', 'ranking-max_one_trip_rate', 'panel-departmentScores', 'departments-top', 'departments-bottom']
};
/** The three-panel /wall: hall | overview | hotline, supervision and rankings. */
const REQUIRED_WIDE_OVERVIEW = ['view-hall', 'view-overview', 'view-side'];

let server: TestServer;
let seeded: Seeded;

// Not serial: one failing size must not hide the others (after a failure Playwright starts a
// fresh worker, which starts and seeds a fresh server).

test.beforeAll(async () => {
	test.setTimeout(180_000);
	server = await startServer({ backend: 'pglite' });
	seeded = await seedBusyDemo(server, { days: 3 });
	console.log(`[layout] seeded ${seeded.events} events (center zone ${seeded.tz}, about 15:00 local) in ${seeded.ms} ms`);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
});

async function openWall(page: Page, p: WallPage, extra = ''): Promise<void> {
	await page.goto(wallUrl(server, seeded.token, p === 'overview' ? '' : p, extra));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	await expect(page.getByTestId(`view-${p}`).first()).toBeVisible();
	// Count-ups (≤ 600 ms) settle; charts draw their first option without animation.
	await page.waitForTimeout(900);
}

/** Everything one page must satisfy at one size; soft assertions so one run lists every problem. */
async function checkPage(page: Page, p: WallPage, w: number, h: number, lang: 'zh' | 'en'): Promise<void> {
	const label = `${p} ${w}×${h}${lang === 'en' ? ' en' : ''}`;
	const report = await inspectLayout(page);
	const shot = `${SHOTS}/wall-${p}-${w}x${h}${lang === 'en' ? '-en' : ''}.png`;
	await page.screenshot({ path: shot });
	const wide = w / h >= 2.5;
	expect.soft(report.layout, `${label}: layout`).toBe(wide ? 'wide' : 'standard');
	// Letterboxed fit: the canvas fills the screen in one dimension.
	const fills = Math.abs(report.canvas.width - w) <= 1 || Math.abs(report.canvas.height - h) <= 1;
	expect.soft(fills, `${label}: canvas ${report.canvas.width}×${report.canvas.height} fills the ${w}×${h} screen in one dimension`).toBe(true);
	expect.soft(report.problems, `${label}: layout problems`).toEqual([]);
	expect.soft(report.emptyFigures, `${label}: figures shown as empty`).toEqual([]);
	const required = wide && p === 'overview' ? [...REQUIRED_WIDE_OVERVIEW, ...REQUIRED.overview, 'panel-waiting', 'panel-hotlineOverdue'] : REQUIRED[p];
	for (const id of required) await expect.soft(page.getByTestId(id).first(), `${label}: [${id}] visible`).toBeVisible();
	if (p === 'overview' || p === 'hall') {
		expect.soft(report.tiles.length, `${label}: window grids`).toBe(wide && p === 'overview' ? 2 : 1);
		for (const n of report.tiles) expect.soft(n, `${label}: tiles in a window grid`).toBe(45);
	}
	// "前五名 / Top 5" heads a list of five: the heading's count is the number of rows shown.
	const heads = await page.evaluate(() =>
		[...document.querySelectorAll('[data-testid="departments-top"], [data-testid="departments-bottom"]')].map((ol) => ({
			head: (ol.previousElementSibling?.textContent ?? '').trim(),
			rows: ol.querySelectorAll('li').length
		}))
	);
	const CN: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
	for (const { head, rows } of heads) {
		const m = /(\d+)|([一二两三四五六七八九十])/.exec(head);
		const said = m ? (m[1] ? Number(m[1]) : CN[m[2]]) : null;
		if (said != null) expect.soft(rows, `${label}: "${head}" heads ${rows} rows`).toBe(said);
	}
	const charts = report.canvases.filter((c) => c.width > 0 && c.height > 0);
	if (p !== 'rankings') expect.soft(charts.length, `${label}: charts drawn`).toBeGreaterThan(0);
	test.info().annotations.push({
		type: 'layout',
		description: `${label}: scale ${report.scale.toFixed(3)}, ${report.panels} panels, ${report.texts} text elements, ${report.canvases.length} canvases (${charts.map((c) => `${c.width}×${c.height}`).join(', ')}), tiles ${report.tiles.join('+') || '-'}, problems ${report.problems.length}, screenshot ${shot}`
	});
}

/** The KPI figures on screen equal the server's snapshot (data-value is the final value). */
async function checkFiguresMatchSnapshot(page: Page): Promise<void> {
	const snap = await server.snapshot(seeded.token, '&center=PJ-001');
	const want: Record<string, number | null> = {
		'kpi-ticketsIssuedToday': snap.hall.ticketsIssuedToday,
		'kpi-waitingNow': snap.hall.waitingNow,
		'kpi-servedToday': snap.hall.servedToday,
		'kpi-windowsOpen': snap.hall.windowsOpen,
		'kpi-windowsServing': snap.hall.windowsServing,
		'kpi-satisfactionRate': snap.evaluations.satisfactionRate
	};
	for (const [id, v] of Object.entries(want)) {
		expect.soft(v, `snapshot has ${id}`).not.toBeNull();
		await expect.soft(page.getByTestId(id).first(), `${id} = snapshot`).toHaveAttribute('data-value', String(v));
	}
	expect(snap.hall.ticketsIssuedToday, 'a busy day was seeded').toBeGreaterThan(500);
	expect(snap.windows.length).toBe(45);
}

for (const [w, h] of SIZES) {
	test(`every wall page at ${w}×${h}: inside the screen, no overlaps, no clipped text, figures filled`, async ({ page }) => {
		test.setTimeout(120_000);
		const errors = watchErrors(page);
		await page.setViewportSize({ width: w, height: h });
		for (const p of PAGES) {
			await openWall(page, p);
			await checkPage(page, p, w, h, 'zh');
			if (p === 'overview') await checkFiguresMatchSnapshot(page);
		}
		expect(errors, 'console errors and page errors').toEqual([]);
	});
}

test('?lang=en: English labels, and English text fits too (1920×1080 and 1366×768)', async ({ page }) => {
	test.setTimeout(120_000);
	const errors = watchErrors(page);
	for (const [w, h] of [
		[1920, 1080],
		[1366, 768]
	] as Array<[number, number]>) {
		await page.setViewportSize({ width: w, height: h });
		for (const p of PAGES) {
			await openWall(page, p, '&lang=en');
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');
			await checkPage(page, p, w, h, 'en');
		}
	}
	// Labels in English (names of people, departments and places are data and stay Chinese).
	await page.setViewportSize({ width: 1920, height: 1080 });
	await openWall(page, 'overview', '&lang=en');
	await expect(page.getByTestId('page-title')).toHaveText('Overview');
	await expect(page.getByTestId('status')).toContainText('Live');
	await expect(page.getByTestId('hall-kpis')).toContainText('Waiting now');
	await expect(page.getByTestId('panel-presence')).toContainText('Presence checks');
	// No label text in Chinese: every text outside data (names) must be free of CJK characters.
	const cjkLabels = await page.evaluate(() => {
		const out: string[] = [];
		const skip = '[data-testid^="window-W"], [data-testid="center-name"], [data-testid="card-feed"], [data-testid="presence-missedNames"], [data-testid^="departments-"], [data-testid^="chart-"], [data-testid="ticker"], [data-testid="hotline-overdueList"], [data-testid^="ranking-"] li';
		for (const h of document.querySelectorAll('[data-testid="wall"] h1, [data-testid="wall"] h2, [data-testid="wall"] .label, [data-testid="wall"] th, [data-testid="wall"] .title')) {
			if (h.closest(skip)) continue;
			if (h.parentElement?.querySelector(':scope > [data-testid="center-name"]')) continue; // the center's own name and title (org data)
			const t = (h.textContent ?? '').trim();
			if (/[\u4e00-\u9fff]/.test(t)) out.push(t);
		}
		return out;
	});
	expect(cjkLabels, 'labels still in Chinese under ?lang=en').toEqual([]);
	expect(errors, 'console errors and page errors').toEqual([]);
});

/** Heavy figures and long lists: four-digit queues, a presence round most staff missed, a burst of cards. */
function stressEvents(): any[] {
	const out: any[] = [];
	const depts = ['GAJ', 'BDC', 'GSJ', 'GSW', 'RSJ', 'GJJ'];
	for (let i = 0; i < 2500; i++) out.push(ticket(Date.now() - 60_000 + i, depts[i % depts.length]));
	const round = Date.now() - 10 * 60_000;
	for (let s = 1; s <= 51; s++) {
		const staffCode = `S${String(s).padStart(3, '0')}`;
		const checkId = `e2e-stress-chk-${process.pid}-${staffCode}`;
		out.push({ id: `${checkId}-i`, type: 'presence.check_issued', occurredAt: cst(round + s * 100), data: { centerCode: CENTER, checkId, staffCode, respondWithinSec: 60 } });
		if (s % 3 === 0) out.push({ id: `${checkId}-c`, type: 'presence.check_confirmed', occurredAt: cst(round + 30_000 + s * 100), data: { centerCode: CENTER, checkId, staffCode } });
	}
	for (const [i, target] of ['S010', 'S011', 'S012', 'S013', 'S014', 'S046', 'S047', 'S048'].entries()) out.push(card(i % 3 === 0 ? 'red' : 'yellow', target, Date.now() - 60_000 + i * 1000));
	return out;
}

test('heavy data (four-digit queues, a round most staff missed, a burst of cards) still fits, zh and en', async ({ page }) => {
	test.setTimeout(120_000);
	const errors = watchErrors(page);
	await postAll(server, seeded.key, stressEvents());
	// The server judges the unanswered checks as missed on its next pass.
	await expect.poll(async () => (await server.snapshot(seeded.token, `&center=${CENTER}`)).presence.latestRound?.missed?.length ?? 0, { timeout: 15_000 }).toBeGreaterThan(20);
	const snap = await server.snapshot(seeded.token, `&center=${CENTER}`);
	expect(snap.hall.waitingNow).toBeGreaterThan(1000);
	for (const [w, h, lang] of [
		[1920, 1080, 'zh'],
		[1920, 1080, 'en'],
		[1366, 768, 'en'],
		[5760, 1080, 'zh']
	] as Array<[number, number, 'zh' | 'en']>) {
		await page.setViewportSize({ width: w, height: h });
		for (const p of PAGES) {
			await openWall(page, p, lang === 'en' ? '&lang=en' : '');
			const report = await inspectLayout(page);
			const shot = `${SHOTS}/wall-${p}-${w}x${h}${lang === 'en' ? '-en' : ''}-heavy.png`;
			await page.screenshot({ path: shot });
			expect.soft(report.problems, `heavy ${p} ${w}×${h} ${lang}: layout problems`).toEqual([]);
			expect.soft(report.emptyFigures, `heavy ${p} ${w}×${h} ${lang}: empty figures`).toEqual([]);
		}
	}
	expect(errors, 'console errors and page errors').toEqual([]);
});

// ── Region walls ─────────────────────────────────────────────────────────────────────────
//
// A province of 40 centers in 2 cities and 6 counties (seeded beside the demo center, once per
// worker, by the first region test): the province's, a city's and a county's wall on the pages
// that show tiles and rankings instead of windows. Screenshots:
// tests/e2e/screenshots/wall-region-<code>-<page>-<w>x<h>[-en].png.

const withNetwork = () => networkOn(server, seeded.key);

const REGION_SIZES: Array<[number, number]> = [
	[1920, 1080],
	[3840, 2160],
	[5760, 1080]
];
const REGION_PAGES = ['overview', 'hall', 'rankings'] as const;
type RegionPage = (typeof REGION_PAGES)[number];
const REGION_REQUIRED: Record<RegionPage, string[]> = {
	overview: ['view-overview', 'hall-kpis', 'panel-regions', 'region-tiles', 'panel-centerRanking', 'centers-top', 'panel-regionSupervision'],
	hall: ['view-hall', 'hall-kpis', 'panel-hallTiles', 'region-tiles', 'panel-centerQueues', 'centers-top', 'panel-ticketsPerHour', 'chart-ticketsPerHour'],
	rankings: ['view-rankings', 'ranking-online_entry_rate', 'ranking-one_door_rate', 'panel-centerRanking', 'centers-top']
};
/** A center or region code (never shown: names are). */
const CODE = /\bHN(-\d\d)*(-[CT]\d*)?\b/;

async function openRegionWall(page: Page, region: string, p: RegionPage, extra = ''): Promise<void> {
	await page.goto(regionWallUrl(server, seeded.token, region, p === 'overview' ? '' : p, extra));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	await expect(page.getByTestId(`view-${p}`).first()).toBeVisible();
	await expect(page.getByTestId('center-ranking').first()).toBeVisible();
	await page.waitForTimeout(900);
}

/** The tiles a region wall must show: its own centers, then its child regions. */
function expectedTiles(snap: any, region: string): string[] {
	const own = Object.entries(snap.centers as Record<string, { regionCode: string }>)
		.filter(([, c]) => c.regionCode === region)
		.map(([code]) => code);
	return [...own, ...(snap.regions as Array<{ regionCode: string }>).map((r) => r.regionCode)];
}

async function checkRegionPage(page: Page, region: string, p: RegionPage, w: number, h: number, lang: 'zh' | 'en'): Promise<void> {
	const label = `region ${region} ${p} ${w}×${h}${lang === 'en' ? ' en' : ''}`;
	const report = await inspectLayout(page);
	const shot = `${SHOTS}/wall-region-${region}-${p}-${w}x${h}${lang === 'en' ? '-en' : ''}.png`;
	await page.screenshot({ path: shot });
	const wide = w / h >= 2.5;
	// Whole screens are too wide (or too fine) to read in one picture: each physical panel of a
	// three-panel wall apart (-panel1…3), and a 4K screen's top left quarter at full pixels (-detail).
	if (wide) for (let i = 0; i < 3; i++) await page.screenshot({ path: shot.replace(/\.png$/, `-panel${i + 1}.png`), clip: { x: (i * w) / 3, y: 0, width: w / 3, height: h } });
	if (w >= 3840 && !wide) await page.screenshot({ path: shot.replace(/\.png$/, '-detail.png'), clip: { x: 0, y: 0, width: w / 2, height: h / 2 } });
	expect.soft(report.layout, `${label}: layout`).toBe(wide ? 'wide' : 'standard');
	expect.soft(report.problems, `${label}: layout problems`).toEqual([]);
	// A county's hall takes no hotline calls (its city's does): a rate of nothing is "—", as the snapshot says.
	const snap = await server.snapshot(seeded.token, `&region=${region}`);
	const none: Record<string, unknown> = { 'hotline-satisfactionRate': snap.hotline.satisfactionRate, 'hotline-closureRate': snap.hotline.closureRate, 'hotline-onTimeRate': snap.hotline.onTimeRate, 'cases-immediateRate': snap.cases.immediateRate, 'hotline-callAnswerRate': snap.hotline.callAnswerRate, 'hotline-acknowledgedOnTimeRate': snap.hotline.acknowledgedOnTimeRate, 'hotline-resolvedRate': snap.hotline.resolvedRate };
	expect.soft(report.emptyFigures.filter((f) => none[f.split('=')[0]] !== null), `${label}: figures shown as empty`).toEqual([]);
	expect.soft(report.tiles, `${label}: no window grid on a region wall`).toEqual([]);
	const required = wide && p === 'overview' ? [...REGION_REQUIRED.overview, ...REGION_REQUIRED.hall, 'view-side', 'panel-centerRanking2'] : REGION_REQUIRED[p];
	for (const id of required) await expect.soft(page.getByTestId(id).first(), `${label}: [${id}] visible`).toBeVisible();
	expect.soft(snap.windows, `${label}: a region snapshot lists no windows`).toEqual([]);
	if (p !== 'rankings') {
		await expect.soft(page.getByTestId('kpi-ticketsIssuedToday').first(), `${label}: tickets = snapshot`).toHaveAttribute('data-value', String(snap.hall.ticketsIssuedToday));
		// Every direct child has its tile (all fit: at most 7 here), in order, linking to its wall.
		const tiles = await page.locator('[data-testid="region-tiles"]').first().locator('a[data-testid^="tile-"]').evaluateAll((as) => as.map((a) => ({ id: a.getAttribute('data-testid')!.slice(5), kind: a.getAttribute('data-kind'), href: a.getAttribute('href'), text: (a.textContent ?? '').replace(/\s+/g, ' ') })));
		expect.soft(tiles.map((x) => x.id), `${label}: a tile per child`).toEqual(expectedTiles(snap, region));
		for (const tile of tiles) {
			const want = `/wall?token=${encodeURIComponent(seeded.token)}&${tile.kind === 'region' ? 'region' : 'center'}=${tile.id}${lang === 'en' ? '&lang=en' : ''}`;
			expect.soft(tile.href, `${label}: tile ${tile.id} links to its wall`).toBe(want);
			expect.soft(tile.text, `${label}: tile ${tile.id} shows names, not codes`).not.toMatch(CODE);
		}
		if (p === 'overview') {
			// Tile figures equal the snapshot's (a child region's tile, a center's tile).
			const child = snap.regions[0];
			if (child) await expect.soft(page.getByTestId(`tile-${child.regionCode}-waitingNow`).first(), `${label}: region tile waiting = snapshot`).toHaveAttribute('data-value', new Intl.NumberFormat('en-US').format(child.waitingNow));
			const [code, c] = Object.entries(snap.centers as Record<string, any>).find(([, x]) => x.regionCode === region) ?? [];
			if (code) await expect.soft(page.getByTestId(`tile-${code}-casesOverdueOpen`).first(), `${label}: center tile overdue = snapshot`).toHaveAttribute('data-value', String(c.casesOverdueOpen));
		}
	}
	// The ranking: rows of names (never codes), each a link to that center's wall, best first.
	const rows = await page.locator('[data-testid="centers-top"] a, [data-testid="centers-bottom"] a').evaluateAll((as) => as.map((a) => ({ id: a.getAttribute('data-testid')!.slice('center-row-'.length), href: a.getAttribute('href'), name: a.querySelector('.name')?.textContent?.trim() ?? '' })));
	expect.soft(rows.length, `${label}: ranked rows`).toBeGreaterThanOrEqual(Math.min(5, Object.keys(snap.centers).length));
	// Beyond the rows that fit, the bottom of the ranking is shown too.
	if (Object.keys(snap.centers).length > 12) await expect.soft(page.getByTestId('centers-bottom').first(), `${label}: the bottom of the ranking`).toBeVisible();
	for (const r of rows) {
		expect.soft(snap.centers[r.id], `${label}: row ${r.id} is a center of the region`).toBeTruthy();
		expect.soft(r.name, `${label}: row ${r.id} shows a name`).not.toMatch(CODE);
		expect.soft(r.name, `${label}: row ${r.id}'s name is its center's`).toBe(shortCenterName(snap.centers[r.id]?.name ?? '?'));
		expect.soft(r.href, `${label}: row ${r.id} links to its wall`).toBe(`/wall?token=${encodeURIComponent(seeded.token)}&center=${r.id}${lang === 'en' ? '&lang=en' : ''}`);
	}
	const heads = await page.evaluate(() =>
		[...document.querySelectorAll('[data-testid="centers-top"], [data-testid="centers-bottom"]')].map((ol) => ({ head: (ol.previousElementSibling?.textContent ?? '').trim(), rows: ol.querySelectorAll('li').length }))
	);
	const CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
	for (const { head, rows: n } of heads) {
		const m = /(\d+)|([一二三四五六七八九十])/.exec(head);
		if (m) expect.soft(n, `${label}: "${head}" heads ${n} rows`).toBe(m[1] ? Number(m[1]) : CN[m[2]]);
	}
	test.info().annotations.push({ type: 'layout', description: `${label}: scale ${report.scale.toFixed(3)}, ${report.panels} panels, ${report.texts} texts, ${rows.length} ranked rows, problems ${report.problems.length}, screenshot ${shot}` });
}

for (const [w, h] of REGION_SIZES) {
	test(`region walls (province, city, county) at ${w}×${h}: tiles and rankings instead of windows, inside the screen, no overlaps, no clipped text`, async ({ page }) => {
		test.setTimeout(420_000);
		await withNetwork();
		const errors = watchErrors(page);
		await page.setViewportSize({ width: w, height: h });
		for (const region of [PROVINCE, CITY, COUNTY])
			for (const p of REGION_PAGES) {
				await openRegionWall(page, region, p);
				await checkRegionPage(page, region, p, w, h, 'zh');
			}
		expect(errors, 'console errors and page errors').toEqual([]);
	});
}

test('region walls in English (1920×1080), and a region of one center keeps its window grid', async ({ page }) => {
	test.setTimeout(240_000);
	await withNetwork();
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	for (const p of REGION_PAGES) {
		await openRegionWall(page, PROVINCE, p, '&lang=en');
		await checkRegionPage(page, PROVINCE, p, 1920, 1080, 'en');
	}
	await expect(page.getByTestId('panel-centerRanking')).toContainText('Centers ranked');
	// The demo city (盘锦市) has one center: its region wall is that hall, windows and all.
	await page.goto(`${server.url}/wall?token=${encodeURIComponent(seeded.token)}&region=${DEMO_REGION_CODE}`);
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	await expect(page.locator('[data-testid="window-grid"] [data-testid^="window-W"]')).toHaveCount(45);
	await expect(page.getByTestId('region-tiles')).toHaveCount(0);
	expect(errors, 'console errors and page errors').toEqual([]);
});

test('region walls link: a tile opens the child region’s wall, a ranked center its own (token and language kept)', async ({ page }) => {
	test.setTimeout(240_000);
	const net = await withNetwork();
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });
	const nameOf = (code: string) => net.org.regions.find((r) => r.code === code)?.name ?? net.org.centers.find((c) => c.code === code)!.name;
	await openRegionWall(page, PROVINCE, 'overview', '&lang=en');
	// Province → city, by its tile.
	await page.getByTestId(`tile-${CITY}`).click();
	await page.waitForURL((u) => u.searchParams.get('region') === CITY);
	expect(new URL(page.url()).searchParams.get('token')).toBe(seeded.token);
	expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	await expect(page.getByTestId('center-name')).toHaveText(nameOf(CITY));
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByTestId(`tile-${COUNTY}`)).toBeVisible();
	// City → county → one of its township centers, by its tile.
	await page.getByTestId(`tile-${COUNTY}`).click();
	await page.waitForURL((u) => u.searchParams.get('region') === COUNTY);
	await expect(page.getByTestId('center-name')).toHaveText(nameOf(COUNTY), { timeout: 20_000 });
	const town = `${COUNTY}-T001`;
	await page.getByTestId(`tile-${town}`).click();
	await page.waitForURL((u) => u.searchParams.get('center') === town && !u.searchParams.has('region'));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	await expect(page.getByTestId('center-name')).toHaveText(nameOf(town));
	await expect(page.locator('[data-testid="window-grid"] [data-testid^="window-"]')).toHaveCount(8);
	// A ranked center on the province's rankings page opens that center's wall.
	await openRegionWall(page, PROVINCE, 'rankings');
	const row = page.locator('[data-testid="centers-bottom"] a').first();
	const code = (await row.getAttribute('data-testid'))!.slice('center-row-'.length);
	await row.click();
	await page.waitForURL((u) => u.searchParams.get('center') === code);
	expect(new URL(page.url()).searchParams.get('token')).toBe(seeded.token);
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	await expect(page.getByTestId('center-name')).toHaveText(nameOf(code));
	await expect(page.getByTestId('view-overview')).not.toHaveAttribute('data-scope', 'region');
	await expect(page.locator('[data-testid="window-grid"] [data-testid^="window-"]')).toHaveCount(8);
	expect(errors, 'console errors and page errors').toEqual([]);
});

test('a prefecture of 17 counties and 120 centers: its 18 tiles page through on the clock, every one shown in turn; its ranking fits', async ({ page }) => {
	test.setTimeout(420_000);
	const pref = await seedNetwork(server, seeded.key, { shape: { centers: 120, windowsPerCenter: 4, cities: 0, counties: 17 } });
	console.log(`[layout] prefecture of ${pref.org.centers.length} centers seeded: ${pref.events} events in ${pref.ms} ms`);
	const top = pref.org.regions.find((r) => !r.parentCode)!.code;
	const errors = watchErrors(page);
	for (const [w, h] of REGION_SIZES) {
		await page.setViewportSize({ width: w, height: h });
		for (const p of REGION_PAGES) {
			await openRegionWall(page, top, p);
			const report = await inspectLayout(page);
			const shot = `${SHOTS}/wall-region-${top}-${p}-${w}x${h}.png`;
			await page.screenshot({ path: shot });
			if (w / h >= 2.5) for (let i = 0; i < 3; i++) await page.screenshot({ path: shot.replace(/\.png$/, `-panel${i + 1}.png`), clip: { x: (i * w) / 3, y: 0, width: w / 3, height: h } });
			expect.soft(report.problems, `prefecture ${p} ${w}×${h}: layout problems`).toEqual([]);
		}
	}
	// The overview at 1920×1080: pages of tiles, each child on one of them within a cycle.
	await page.setViewportSize({ width: 1920, height: 1080 });
	await openRegionWall(page, top, 'overview');
	const want = 1 + pref.org.regions.filter((r) => r.parentCode === top).length;
	const tiles = page.locator('[data-testid="panel-regions"] a[data-testid^="tile-"]');
	await expect(page.getByTestId('panel-regions-page')).toBeVisible();
	const pages = Number(/\/(\d+)/.exec((await page.getByTestId('panel-regions-page').textContent()) ?? '')![1]);
	expect(pages).toBeGreaterThan(1);
	const seen = new Set<string>();
	const until = Date.now() + pages * 15_000 + 3000;
	while (Date.now() < until && seen.size < want) {
		for (const id of await tiles.evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')!))) seen.add(id);
		await page.waitForTimeout(1000);
	}
	expect(seen.size, `tiles seen over ${pages} pages`).toBe(want);
	await expect(page.getByTestId('region-tiles')).toHaveAttribute('data-count', String(want));
	expect(errors, 'console errors and page errors').toEqual([]);
});
