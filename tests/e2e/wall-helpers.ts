/**
 * Shared helpers for the wall display's browser tests (tests/e2e/wall-*.spec.ts, soak.spec.ts).
 *
 * Seeding: the built-in demo (SIMULATE=1) simulates the demo center PJ-001 in Asia/Shanghai, so
 * when the suite runs at night in China (CI runs at any hour) "today" is an empty, closed hall and
 * the wall has nothing to show. `seedBusyDemo` therefore uploads the same demo org (45 windows,
 * 24 departments, the Panjin counties) with the center's time zone pinned to a fixed-offset zone
 * in which it is mid-afternoon right now, and feeds the same deterministic demo simulator's
 * history (the last few days and today so far) through the public ingest API. Every event keeps
 * its real occurredAt (never in the future); browser and server share the real clock.
 * Side effect to know when reading screenshots: the wall shows its clock and times in
 * Asia/Shanghai, so they differ from the center's own (pinned) hours. The hourly chart reads
 * "now" in the center's zone (the snapshot's `timezone`), so today's line runs up to the
 * center's current hour whatever the hour in China.
 */
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import { cst, type TestServer } from '../integration/harness';
import { DEMO_CENTER_CODE, demoOrg } from '../../src/lib/server/sim/demo-org';
import { networkOrg, NetworkSimulator, type NetworkShape } from '../../src/lib/server/sim/network';
import { DaySimulator } from '../../src/lib/server/sim/simulator';
import type { OrgData } from '../../src/lib/domain/org';

export const CENTER = DEMO_CENTER_CODE;
export const SHOTS = 'tests/e2e/screenshots';
export const HOUR = 3_600_000;

/** A fixed-offset IANA zone ("Etc/GMT+3" is UTC−3) in which the local hour is about `hour` now. */
export function zoneWithLocalHour(hour: number, now = Date.now()): { tz: string; offsetHours: number } {
	const utcHour = new Date(now).getUTCHours() + new Date(now).getUTCMinutes() / 60;
	let off = Math.round(hour - utcHour);
	while (off > 14) off -= 24;
	while (off < -12) off += 24;
	const tz = off === 0 ? 'Etc/GMT' : off > 0 ? `Etc/GMT-${off}` : `Etc/GMT+${-off}`;
	return { tz, offsetHours: off };
}

/** Local midnight (epoch ms) of `now` in a fixed-offset zone. */
export function localMidnight(offsetHours: number, now = Date.now()): number {
	const shifted = now + offsetHours * HOUR;
	return shifted - (shifted % 86_400_000) - offsetHours * HOUR;
}

export interface Seeded {
	key: string;
	token: string;
	tz: string;
	offsetHours: number;
	events: number;
	ms: number;
}

/** An ingest key (every type + org) and a display token (all scopes), via the real CLI. */
export function credentials(server: TestServer): { key: string; token: string } {
	const k = server.cli('key', 'create', '--name', `e2e-${Date.now().toString(36)}`, '--types', '*,org');
	if (k.code !== 0) throw new Error(`key create failed: ${k.stderr}${k.stdout}`);
	const t = server.cli('token', 'create', '--name', `e2e-wall-${Date.now().toString(36)}`);
	if (t.code !== 0) throw new Error(`token create failed: ${t.stderr}${t.stdout}`);
	return { key: k.last, token: t.last };
}

/** The demo org with the center in zone `tz`. */
export function demoOrgIn(tz: string) {
	const org = demoOrg();
	return { ...org, centers: org.centers.map((c) => ({ ...c, timezone: tz })) };
}

/** POST events in batches of ≤ 1000, retrying 429/503; throws on anything rejected. */
export async function postAll(server: TestServer, key: string, events: unknown[], deadline = Date.now() + 180_000): Promise<void> {
	for (let i = 0; i < events.length; i += 1000) {
		const batch = events.slice(i, i + 1000);
		for (;;) {
			if (Date.now() > deadline) throw new Error(`ingest did not finish in time (${i}/${events.length})`);
			const r = await server.post('/api/v1/events', { events: batch }, key);
			if (r.status === 429 || r.status === 503) {
				await new Promise((res) => setTimeout(res, 200));
				continue;
			}
			if (r.status !== 200) throw new Error(`ingest ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
			if (r.body.rejected) throw new Error(`ingest rejected ${r.body.rejected}: ${JSON.stringify(r.body.results.find((x: any) => x.status === 'rejected'))}`);
			break;
		}
	}
}

/**
 * Upload the demo org (center PJ-001 in a zone where it is about `localHour` now) and feed the
 * demo simulator's history from `days` local midnights ago up to now.
 */
export async function seedBusyDemo(server: TestServer, opts: { localHour?: number; days?: number; intensity?: number } = {}): Promise<Seeded> {
	const t0 = Date.now();
	const { key, token } = credentials(server);
	const { tz, offsetHours } = zoneWithLocalHour(opts.localHour ?? 15);
	const org = demoOrgIn(tz);
	const r = await server.post('/api/v1/org', org, key);
	if (r.status !== 200) throw new Error(`org upload failed: ${r.status} ${JSON.stringify(r.body)}`);
	const now = Date.now() - 1000;
	const from = localMidnight(offsetHours, now) - (opts.days ?? 1) * 86_400_000;
	const sim = new DaySimulator({ org, seed: 20181, idPrefix: 'e2e', since: from, intensity: opts.intensity ?? 1 });
	const events = sim.eventsBetween(from, now);
	await postAll(server, key, events);
	return { key, token, tz, offsetHours, events: events.length, ms: Date.now() - t0 };
}

/** The region walls' network: a province of 40 centers in 2 cities and 6 counties (8 windows each). */
export const NETWORK: NetworkShape = { centers: 40, windowsPerCenter: 8, cities: 2, counties: 6 };
/** Its province, a city and a county of that city (codes as networkOrg gives them). */
export const PROVINCE = 'HN';
export const CITY = 'HN-01';
export const COUNTY = 'HN-01-01';

export interface SeededNetwork {
	org: OrgData;
	events: number;
	ms: number;
}

/**
 * Upload a network org (`networkOrg`, beside whatever the server holds: org data is upserted by
 * code) with every center in a zone where it is about `localHour` now, and feed today so far
 * from `NetworkSimulator` (one demo day per center, the region halls' hotline and indicators)
 * through the ingest API.
 */
export async function seedNetwork(server: TestServer, key: string, opts: { localHour?: number; shape?: NetworkShape } = {}): Promise<SeededNetwork> {
	const t0 = Date.now();
	const { tz, offsetHours } = zoneWithLocalHour(opts.localHour ?? 15);
	const base = networkOrg(opts.shape ?? NETWORK);
	const org = { ...base, centers: base.centers.map((c) => ({ ...c, timezone: tz })) };
	const r = await server.post('/api/v1/org', org, key);
	if (r.status !== 200) throw new Error(`network org upload failed: ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
	const now = Date.now() - 1000;
	const from = localMidnight(offsetHours, now);
	const sim = new NetworkSimulator({ org, seed: 12, idPrefix: 'e2e-net', since: from });
	const events = sim.eventsBetween(from, now);
	await postAll(server, key, events, Date.now() + 300_000);
	return { org, events: events.length, ms: Date.now() - t0 };
}

const networks = new WeakMap<TestServer, Promise<SeededNetwork>>();
/** The network on this server, seeded by the first caller (a spec's first region test). */
export function networkOn(server: TestServer, key: string): Promise<SeededNetwork> {
	let p = networks.get(server);
	if (!p) {
		p = seedNetwork(server, key).then((n) => {
			console.log(`[network] ${n.org.centers.length} centers seeded: ${n.events} events in ${n.ms} ms`);
			return n;
		});
		networks.set(server, p);
	}
	return p;
}

/** A region's wall URL. */
export function regionWallUrl(server: TestServer, token: string, region: string, page = '', extra = ''): string {
	return `${server.url}/wall${page ? `/${page}` : ''}?token=${encodeURIComponent(token)}&region=${encodeURIComponent(region)}${extra}`;
}

/** The wall URL for the demo center. */
export function wallUrl(server: TestServer, token: string, page = '', extra = ''): string {
	return `${server.url}/wall${page ? `/${page}` : ''}?token=${encodeURIComponent(token)}&center=${CENTER}${extra}`;
}

/** Collects console errors and page errors of a page. */
export function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
	return errors;
}

/** Parse a displayed figure ("1,234", "92.5", "—"). */
export function parseFigure(s: string | null): number | null {
	if (s == null) return null;
	const t = s.replace(/[,\s%]/g, '');
	if (t === '' || t === '—') return null;
	const n = Number(t);
	return Number.isFinite(n) ? n : null;
}

/** One ticket-issued event for the demo center. */
let n = 0;
export function ticket(at = Date.now() - 500, dept = 'GAJ'): any {
	n++;
	return {
		id: `e2e-t-${process.pid}-${Date.now().toString(36)}-${n}`,
		type: 'queue.ticket_issued',
		occurredAt: cst(at),
		data: { centerCode: CENTER, ticketNo: `Z${String(n).padStart(3, '0')}`, departmentCode: dept }
	};
}

/** A card issued to a staff member of the demo center. */
export function card(color: 'red' | 'yellow', target = 'S001', at = Date.now() - 500): any {
	n++;
	const id = `e2e-card-${process.pid}-${Date.now().toString(36)}-${n}`;
	return {
		id,
		type: 'card.issued',
		occurredAt: cst(at),
		data: { centerCode: CENTER, cardId: id, color, target: { kind: 'staff', code: target }, reason: 'misconduct', note: 'e2e' }
	};
}

export function ensureShotsDir(): void {
	fs.mkdirSync(SHOTS, { recursive: true });
}

// ── Layout inspection ────────────────────────────────────────────────────────────────────

export interface LayoutReport {
	/** Everything wrong: overlaps, boxes outside the canvas or viewport, clipped or truncated text, empty figures. */
	problems: string[];
	layout: string;
	scale: number;
	canvas: { x: number; y: number; width: number; height: number };
	panels: number;
	texts: number;
	canvases: Array<{ testid: string; width: number; height: number; cssWidth: number; ratio: number }>;
	tiles: number[];
	emptyFigures: string[];
}

/**
 * Geometry checks in the page (after fonts are loaded):
 * - the wall canvas and every panel ([data-testid^=panel-], ranking-*, hall-kpis, view-*, ticker,
 *   status, clock, page-title) lies inside the viewport and the canvas;
 * - panels that are not nested do not intersect; on the three-panel canvas no panel crosses
 *   a physical seam (x = 1920, 3840 design px);
 * - every element with its own text: not truncated (scrollWidth ≤ clientWidth) and not clipped
 *   by any ancestor that clips (overflow ≠ visible), except the ticker, which scrolls by design;
 * - every figure ([data-testid^=kpi-|hotline-|presence-|cases-|cards-]) shows a number, not '—';
 * - every canvas is non-empty, drawn at devicePixelRatio × canvas scale.
 */
export async function inspectLayout(page: Page): Promise<LayoutReport> {
	await page.evaluate(() => document.fonts.ready.then(() => undefined));
	return page.evaluate(() => {
		const TOL = 1.01;
		const problems: string[] = [];
		const wall = document.querySelector<HTMLElement>('[data-testid="wall"]');
		if (!wall) return { problems: ['no [data-testid=wall]'], layout: '', scale: 0, canvas: { x: 0, y: 0, width: 0, height: 0 }, panels: 0, texts: 0, canvases: [], tiles: [], emptyFigures: [] };
		const vw = window.innerWidth;
		const vh = window.innerHeight;
		const c = wall.getBoundingClientRect();
		const scale = c.width / wall.offsetWidth;
		const layout = wall.dataset.layout ?? '';
		const name = (el: Element): string => {
			const id = el.getAttribute('data-testid');
			if (id) return `[${id}]`;
			const owner = el.closest('[data-testid]');
			const txt = (el.textContent ?? '').trim().slice(0, 24);
			return `${el.tagName.toLowerCase()}.${[...el.classList].filter((k) => !k.startsWith('svelte-')).join('.')} "${txt}" in [${owner?.getAttribute('data-testid') ?? '?'}]`;
		};
		const inside = (r: DOMRect, o: { left: number; top: number; right: number; bottom: number }, tol = TOL) =>
			r.left >= o.left - tol && r.top >= o.top - tol && r.right <= o.right + tol && r.bottom <= o.bottom + tol;
		const visible = (el: Element) => {
			const r = el.getBoundingClientRect();
			if (r.width <= 0 || r.height <= 0) return false;
			const s = getComputedStyle(el);
			return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
		};
		const view = { left: 0, top: 0, right: vw, bottom: vh };
		if (!inside(c, view)) problems.push(`canvas ${Math.round(c.left)},${Math.round(c.top)} ${Math.round(c.width)}×${Math.round(c.height)} not inside the ${vw}×${vh} viewport`);
		if (document.documentElement.scrollWidth > vw + 1 || document.documentElement.scrollHeight > vh + 1)
			problems.push(`document scrolls: ${document.documentElement.scrollWidth}×${document.documentElement.scrollHeight} in ${vw}×${vh}`);

		// Panels
		const PANEL = '[data-testid^="panel-"], [data-testid^="ranking-"], [data-testid="hall-kpis"], [data-testid^="view-"], [data-testid="ticker"], [data-testid="status"], [data-testid="clock"], [data-testid="page-title"], [data-testid="banner-stale"]';
		const panels = [...wall.querySelectorAll(PANEL)].filter(visible);
		for (const p of panels) {
			const r = p.getBoundingClientRect();
			if (!inside(r, c)) problems.push(`${name(p)} ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} sticks out of the canvas ${Math.round(c.left)},${Math.round(c.top)}–${Math.round(c.right)},${Math.round(c.bottom)}`);
			if (!inside(r, view)) problems.push(`${name(p)} not inside the viewport`);
		}
		for (let i = 0; i < panels.length; i++)
			for (let j = i + 1; j < panels.length; j++) {
				const a = panels[i];
				const b = panels[j];
				if (a.contains(b) || b.contains(a)) continue;
				const ra = a.getBoundingClientRect();
				const rb = b.getBoundingClientRect();
				const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
				const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
				if (w > TOL && h > TOL) problems.push(`${name(a)} and ${name(b)} overlap by ${Math.round(w)}×${Math.round(h)} px`);
			}
		// Three-panel wall: a panel either sits on one physical screen or spans whole screens (the
		// hall's window grid takes two); no tile and no text straddles a bezel.
		const seams = layout === 'wide' ? [1920, 3840] : [];
		const crossed = (r: DOMRect) => seams.filter((seam) => r.left < c.left + seam * scale - TOL && r.right > c.left + seam * scale + TOL);
		const MARGIN = 64; // design px between a screen's edge and a panel that fills it
		for (const p of panels) {
			if (!seams.length || p.matches('[data-testid="ticker"], [data-testid^="view-"]')) continue;
			const r = p.getBoundingClientRect();
			if (!crossed(r).length) continue;
			const left = (r.left - c.left) / scale;
			const right = (r.right - c.left) / scale;
			const edges = [0, 1920, 3840, 5760];
			const whole = edges.some((e) => left >= e - 1 && left <= e + MARGIN) && edges.some((e) => right <= e + 1 && right >= e - MARGIN);
			if (!whole) problems.push(`${name(p)} (design x ${Math.round(left)}–${Math.round(right)}) crosses a panel seam without spanning whole screens`);
		}
		if (seams.length)
			for (const el of wall.querySelectorAll('[data-testid^="window-W"], [data-testid="hall-kpis"] > *')) {
				const hit = crossed(el.getBoundingClientRect());
				if (hit.length) problems.push(`${name(el)} straddles the bezel at x=${hit.join(',')} (design px)`);
			}

		// Text: truncated or clipped
		let texts = 0;
		const all = [...wall.querySelectorAll<HTMLElement>('*')];
		for (const el of all) {
			const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
			if (!own || !visible(el)) continue;
			if (el.closest('[data-testid="ticker"] .viewport')) continue; // the marquee scrolls by design
			texts++;
			if (seams.length && crossed(el.getBoundingClientRect()).length) problems.push(`${name(el)} straddles a bezel at x=${crossed(el.getBoundingClientRect()).join(',')}`);
			if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} truncated: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
			const r = el.getBoundingClientRect();
			// Text nodes' own extent (an inline box can be narrower than its text on overflow).
			const range = document.createRange();
			range.selectNodeContents(el);
			const tr = range.getBoundingClientRect();
			// A text's content area is taller than its glyphs (CJK fonts: about 1.45 em for 1 em of
			// ink), so vertically allow a quarter em on each side before calling it clipped.
			const vtol = 0.25 * parseFloat(getComputedStyle(el).fontSize) * scale + 1;
			for (let a = el.parentElement; a && a !== wall.parentElement; a = a.parentElement) {
				const s = getComputedStyle(a);
				if (s.overflowX === 'visible' && s.overflowY === 'visible' && s.contain !== 'paint') continue;
				const ar = a.getBoundingClientRect();
				const box = tr.width > 0 ? tr : r;
				const clipped = box.left < ar.left - 1.5 || box.right > ar.right + 1.5 || box.top < ar.top - vtol || box.bottom > ar.bottom + vtol;
				if (clipped) {
					problems.push(`${name(el)} cut off by ${name(a)}: text ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)} vs ${Math.round(ar.left)},${Math.round(ar.top)}–${Math.round(ar.right)},${Math.round(ar.bottom)}`);
					break;
				}
			}
		}

		// Figures
		const emptyFigures: string[] = [];
		for (const el of wall.querySelectorAll<HTMLElement>('[data-testid^="kpi-"], [data-testid^="hotline-"], [data-testid^="presence-"], [data-testid^="cases-"], [data-testid^="cards-"]')) {
			if (el.children.length > 0 && !el.matches('[data-testid^="kpi-"], [data-testid$="Rate"]')) continue; // containers (lists)
			const text = (el.textContent ?? '').trim();
			if (text === '' || text === '—' || !/\d/.test(text)) emptyFigures.push(`${el.getAttribute('data-testid')}="${text}"`);
		}

		// Canvases (charts)
		const canvases = [...wall.querySelectorAll('canvas')].map((cv) => {
			const owner = cv.closest('[data-testid]');
			const cssWidth = cv.offsetWidth;
			return { testid: owner?.getAttribute('data-testid') ?? '?', width: cv.width, height: cv.height, cssWidth, ratio: cssWidth ? cv.width / cssWidth : 0 };
		});
		const want = Math.max(1, window.devicePixelRatio * scale);
		for (const cv of canvases) {
			if (cv.width === 0 || cv.height === 0) problems.push(`canvas in [${cv.testid}] is empty (${cv.width}×${cv.height})`);
			else if (Math.abs(cv.ratio - want) > 0.05 * want) problems.push(`canvas in [${cv.testid}] drawn at ${cv.ratio.toFixed(2)}× instead of ${want.toFixed(2)}×`);
		}
		for (const chart of wall.querySelectorAll('[data-testid^="chart-"]')) {
			const count = chart.getAttribute('data-count');
			if (count !== '0' && !chart.querySelector('canvas')) problems.push(`[${chart.getAttribute('data-testid')}] has no canvas`);
		}
		const tiles = [...wall.querySelectorAll('[data-testid="window-grid"]')].map((g) => g.querySelectorAll('[data-testid^="window-"]').length);
		return { problems, layout, scale, canvas: { x: c.left, y: c.top, width: c.width, height: c.height }, panels: panels.length, texts, canvases, tiles, emptyFigures };
	});
}

// ── Figures on screen against the snapshot ─────────────────────────────────────────────

/** Every figure the overview shows, by test id: KPI data-values and the panels' numbers. */
export async function shownFigures(page: Page): Promise<Record<string, string>> {
	return page.evaluate(() => {
		const out: Record<string, string> = {};
		for (const el of document.querySelectorAll<HTMLElement>('[data-testid^="kpi-"]')) out[el.dataset.testid!] = el.dataset.value ?? '';
		for (const el of document.querySelectorAll<HTMLElement>('[data-testid^="cards-"], [data-testid^="cases-"], [data-testid^="presence-"], [data-testid^="hotline-"]')) {
			if (el.children.length && !el.dataset.value) continue;
			out[el.dataset.testid!] = el.dataset.value ?? (el.textContent ?? '').trim();
		}
		return out;
	});
}

/** The same figures, as the snapshot says they should be. */
export function expectedFigures(snap: any): Record<string, number | null> {
	return {
		'kpi-ticketsIssuedToday': snap.hall.ticketsIssuedToday,
		'kpi-waitingNow': snap.hall.waitingNow,
		'kpi-servedToday': snap.hall.servedToday,
		'kpi-windowsOpen': snap.hall.windowsOpen,
		'kpi-windowsServing': snap.hall.windowsServing,
		'kpi-satisfactionRate': snap.evaluations.satisfactionRate,
		'cards-yellowToday': snap.cards.yellowToday,
		'cards-redToday': snap.cards.redToday,
		'cards-yellowMonth': snap.cards.yellowMonth,
		'cards-redMonth': snap.cards.redMonth,
		'cases-acceptedToday': snap.cases.acceptedToday,
		'cases-completedToday': snap.cases.completedToday,
		'cases-overdueOpen': snap.cases.overdueOpen,
		'cases-immediateRate': snap.cases.immediateRate,
		'hotline-receivedMonth': snap.hotline.receivedMonth,
		'hotline-closedMonth': snap.hotline.closedMonth,
		'hotline-overdueOpen': snap.hotline.overdueOpen,
		'hotline-closureRate': snap.hotline.closureRate,
		'presence-checks': snap.presence.checksToday,
		'presence-confirmed': snap.presence.confirmedToday,
		'presence-missed': snap.presence.missedToday,
		'presence-responseRate': snap.presence.responseRate
	};
}

/** Compare the page's figures to the snapshot; the server derives some figures by itself (overdue, missed checks), so retry until two snapshots around the read agree. */
export async function figuresMatchSnapshot(page: Page, server: TestServer, token: string, label: string): Promise<void> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const before = expectedFigures(await server.snapshot(token, `&center=${CENTER}`));
		await page.waitForTimeout(400); // a delta in flight lands (stream flush 100 ms + a frame)
		const shown = await shownFigures(page);
		const after = expectedFigures(await server.snapshot(token, `&center=${CENTER}`));
		const problems: string[] = [];
		for (const [k, want] of Object.entries(after)) {
			if (!(k in shown)) {
				problems.push(`${k} not on the page`);
				continue;
			}
			const got = parseFigure(shown[k]);
			// Rates are shown with one decimal; counts exactly.
			const same = want == null ? got == null : got != null && Math.abs(got - want) <= (Number.isInteger(want) ? 0 : 0.051);
			if (!same) problems.push(`${k}: shown ${shown[k]}, snapshot ${want}`);
		}
		if (JSON.stringify(before) === JSON.stringify(after) && problems.length === 0) return;
		if (Date.now() > deadline) throw new Error(`${label}: figures differ from GET /api/v1/snapshot: ${problems.join('; ')}`);
		await page.waitForTimeout(500);
	}
}

