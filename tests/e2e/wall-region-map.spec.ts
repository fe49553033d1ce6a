/**
 * The map of a region wall (issue #12), in real Chromium against a real server holding a province
 * of 40 centers (networkOrg, fed by NetworkSimulator): without an uploaded map the wall draws
 * none (its map request answers 204); an admin uploads a GeoJSON of the province's cities on /admin/maps (a file that is no
 * map is refused; a feature of no child region is reported and left out); the province's wall
 * then shows the map beside its tiles, coloured by the figure its ranking shows, inside the
 * screen at 1920×1080, 3840×2160 and 5760×1080; a city without a map still shows none; the
 * admin deletes the map and the wall shows none again. Screenshots:
 * tests/e2e/screenshots/wall-region-map-HN-<w>x<h>.png and admin-maps-1440x900.png.
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { createUser, startServer, type TestServer } from '../integration/harness';
import { CITY, credentials, ensureShotsDir, inspectLayout, networkOn, PROVINCE, regionWallUrl, SHOTS, watchErrors, type SeededNetwork } from './wall-helpers';

let server: TestServer;
let creds: { key: string; token: string };
let admin: { username: string; password: string };
let net: SeededNetwork;

test.beforeAll(async () => {
	test.setTimeout(240_000);
	server = await startServer({ backend: 'pglite' });
	creds = credentials(server);
	admin = createUser(server, 'e2e-map-admin', ['admin']);
	net = await networkOn(server, creds.key);
	ensureShotsDir();
});
test.afterAll(async () => {
	await server?.stop();
	if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** A GeoJSON of the province's cities (irregular hexagons side by side, matched by name), and one feature of no city. */
function provinceGeoJson(): string {
	const cities = net.org.regions.filter((r) => r.parentCode === PROVINCE);
	const hexagon = (cx: number, cy: number) => {
		const ring = Array.from({ length: 6 }, (_, i) => {
			const a = (Math.PI / 3) * i + 0.3;
			const r = 1 + 0.15 * Math.sin(i * 2.1);
			return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
		});
		return [[...ring, ring[0]]];
	};
	const features = cities.map((c, i) => ({ type: 'Feature', properties: { name: c.name, adcode: 430100 + i * 100 }, geometry: { type: 'Polygon', coordinates: hexagon(112 + i * 1.8, 28) } }));
	features.push({ type: 'Feature', properties: { name: '江西省', adcode: 360000 }, geometry: { type: 'Polygon', coordinates: hexagon(116, 28) } });
	return JSON.stringify({ type: 'FeatureCollection', features });
}

async function signIn(page: Page): Promise<void> {
	await page.goto(`${server.url}/login?next=/admin/maps`);
	await page.locator('input[name=username]').fill(admin.username);
	await page.locator('input[name=password]').fill(admin.password);
	await page.locator('button[type=submit]').click();
	await page.waitForURL((url) => url.pathname === '/admin/maps');
}

async function openWall(page: Page, region: string): Promise<void> {
	await page.goto(regionWallUrl(server, creds.token, region));
	await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
	await expect(page.getByTestId('center-ranking').first()).toBeVisible();
	await page.waitForTimeout(1200); // the map request (if any) answered, the chart drawn
}

const mapStatus = async (region: string) => (await fetch(`${server.url}/wall/map?region=${region}&token=${encodeURIComponent(creds.token)}`)).status;

test('a region wall draws no map until an admin uploads one; then the map of its child regions, coloured like its ranking', async ({ page }) => {
	test.setTimeout(240_000);
	const errors = watchErrors(page);
	await page.setViewportSize({ width: 1920, height: 1080 });

	// No map uploaded: nothing drawn, and the wall's map request says so (no content, not an error).
	expect(await mapStatus(PROVINCE)).toBe(204);
	await openWall(page, PROVINCE);
	await expect(page.getByTestId('panel-regionMap')).toHaveCount(0);
	await expect(page.getByTestId('panel-regions')).toBeVisible();

	// The admin: a file that is no map is refused; the province's map is kept with what matched.
	await page.setViewportSize({ width: 1440, height: 900 });
	await signIn(page);
	const form = page.getByTestId('map-upload');
	await form.locator('select[name=region]').selectOption(PROVINCE);
	await form.locator('input[type=file]').setInputFiles({ name: 'not-a-map.json', mimeType: 'application/json', buffer: Buffer.from('{"type":"Feature"}') });
	await form.locator('button').click();
	await expect(page.getByTestId('map-error')).toContainText('FeatureCollection');
	await form.locator('select[name=region]').selectOption(PROVINCE);
	await form.locator('input[type=file]').setInputFiles({ name: 'hunan-cities.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(provinceGeoJson()) });
	await form.locator('button').click();
	await expect(page.getByTestId('map-uploaded')).toContainText('对应 2 个下级区划');
	await expect(page.getByTestId('map-uploaded')).toContainText('江西省');
	await page.reload();
	await expect(page.getByTestId(`map-${PROVINCE}`)).toContainText('2/2 个下级区划');
	await expect(page.getByTestId(`map-${PROVINCE}`)).toContainText('hunan-cities.geojson');
	await page.screenshot({ path: `${SHOTS}/admin-maps-1440x900.png`, fullPage: true });
	expect(await mapStatus(PROVINCE)).toBe(200);
	// Scopes as for the wall's figures: an unknown region is 404, a center is no region.
	expect(await mapStatus('no-such-region')).toBe(404);
	expect((await fetch(`${server.url}/wall/map?center=HN-C&token=${encodeURIComponent(creds.token)}`)).status).toBe(400);

	// The province's wall: the map beside the tiles, inside the screen at every size.
	for (const [w, h] of [
		[1920, 1080],
		[3840, 2160],
		[5760, 1080]
	] as Array<[number, number]>) {
		await page.setViewportSize({ width: w, height: h });
		await openWall(page, PROVINCE);
		const map = page.getByTestId('panel-regionMap').first();
		await expect(map).toBeVisible();
		await expect(map.locator('canvas').first()).toBeVisible();
		const report = await inspectLayout(page);
		const shot = `${SHOTS}/wall-region-map-${PROVINCE}-${w}x${h}.png`;
		await page.screenshot({ path: shot });
		if (w / h >= 2.5) await page.screenshot({ path: shot.replace(/\.png$/, '-panel2.png'), clip: { x: w / 3, y: 0, width: w / 3, height: h } });
		expect.soft(report.problems, `map ${w}×${h}: layout problems`).toEqual([]);
		// The map shows the figure the ranking shows (the same clock): read both within one second.
		const [mapFigure, rankFigure] = await page.evaluate(() => [
			document.querySelector('[data-testid="panel-regionMap"] [data-figure]')?.getAttribute('data-figure'),
			document.querySelector('[data-testid="panel-centerRanking"] [data-testid="center-ranking"]')?.getAttribute('data-figure')
		]);
		expect.soft(mapFigure, `map ${w}×${h}: the ranking's figure`).toBe(rankFigure);
		await expect(page.getByTestId('chart-regionMap').first()).toHaveAttribute('data-count', '2');
	}

	// A city without a map: none.
	await page.setViewportSize({ width: 1920, height: 1080 });
	await openWall(page, CITY);
	await expect(page.getByTestId('panel-regionMap')).toHaveCount(0);

	// Deleted: the province's wall draws none again.
	await page.goto(`${server.url}/admin/maps`);
	await page.getByTestId(`map-${PROVINCE}`).getByRole('button').click();
	await expect(page.getByTestId(`map-${PROVINCE}`)).toContainText('未上传');
	expect(await mapStatus(PROVINCE)).toBe(204);
	await openWall(page, PROVINCE);
	await expect(page.getByTestId('panel-regionMap')).toHaveCount(0);
	expect(errors).toEqual([]);
});
