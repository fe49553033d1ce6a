/**
 * Region walls (issue #12): what a county's, city's, prefecture's or province's wall shows
 * instead of a window grid. Pure: the figures come in, lists and judgements go out.
 *
 * - `isRegionWall`: a region or deployment scope of several centers (a region of one center
 *   keeps its window grid, as small deployments do);
 * - `regionTiles`: one tile per direct child: the child regions (`snap.regions`) and the
 *   centers that sit directly in the region (its own hall, a county's township centers);
 * - `RANK_FIGURES` and `rankCenters`: the region's centers ranked on a figure of spec §2;
 * - `figureTone`: when a figure is bad enough to be coloured (red cards, a low presence
 *   response rate, overdue cases…);
 * - `wallHref`: the link to a child's wall, keeping the display token and the language.
 */
import type { CenterSummary, RegionTile, Snapshot } from '$lib/domain/snapshot';
import type { MessageKey } from '$lib/i18n/wall';
import { fmtInt, fmtRate } from './format';

export type Tone = 'good' | 'warn' | 'bad' | 'plain';

/** A region or deployment scope of more (or fewer) than one center: tiles and rankings instead of windows. */
export function isRegionWall(snap: Snapshot | null | undefined): boolean {
	if (!snap?.centers || snap.scope.startsWith('center:')) return false;
	const n = Object.keys(snap.centers).length;
	return !(n === 1 && (snap.windows?.length ?? 0) > 0);
}

/** The region's code from the snapshot's scope ("region:HN-01" → "HN-01"; the deployment: null). */
export function regionOfScope(scope: string | undefined): string | null {
	return scope?.startsWith('region:') ? scope.slice('region:'.length) : null;
}

/** The figures a tile can show: a child region's (RegionTile) or a center's, which also has its average wait. */
export type TileFigures = Omit<RegionTile, 'regionCode' | 'name' | 'centers' | 'hotlineClosureRate'> & { avgWaitSec?: number | null };

export interface Tile extends TileFigures {
	kind: 'region' | 'center';
	code: string;
	name: string;
	/** Centers in a child region (a center's tile: 1). */
	centers: number;
}

function centerTile(code: string, c: CenterSummary): Tile {
	return {
		kind: 'center',
		code,
		name: c.name,
		centers: 1,
		ticketsIssuedToday: c.ticketsIssuedToday,
		waitingNow: c.waitingNow,
		servedToday: c.servedToday,
		windowsOpen: c.windowsOpen,
		windowsTotal: c.windowsTotal,
		presenceResponseRate: c.presenceResponseRate,
		yellowMonth: c.yellowMonth,
		redMonth: c.redMonth,
		casesOverdueOpen: c.casesOverdueOpen,
		satisfactionRate: c.satisfactionRate,
		avgWaitSec: c.avgWaitSec
	};
}

function regionTile({ regionCode, hotlineClosureRate: _, ...r }: RegionTile): Tile {
	return { kind: 'region', code: regionCode, ...r };
}

/**
 * The direct children of the scope: its own centers first (the region's hall, a county's
 * township centers), then the child regions in the org's order. The deployment's are its root
 * regions (every center is in one of them; with no regions at all, its centers).
 */
export function regionTiles(snap: Snapshot | null | undefined): Tile[] {
	if (!snap) return [];
	const region = regionOfScope(snap.scope);
	const children = snap.regions ?? [];
	const own: Tile[] = [];
	if (region || children.length === 0)
		for (const [code, c] of Object.entries(snap.centers ?? {})) if (!region || c.regionCode === region) own.push(centerTile(code, c));
	return [...own, ...children.map(regionTile)];
}

// ── Ranking the centers ─────────────────────────────────────────────────────────

export type RankFigureKey = 'presenceResponseRate' | 'waitingNow' | 'avgWaitSec' | 'cardsMonth' | 'casesOverdueOpen' | 'satisfactionRate';

export interface RankFigure {
	key: RankFigureKey;
	label: MessageKey;
	/** Which end ranks first. */
	better: 'high' | 'low';
	/** The value ranked (null: the center has no data for it today, and is left out). */
	value: (c: CenterSummary) => number | null;
	/** The number shown. */
	format: (v: number) => string;
	unit: MessageKey | null;
}

export const RANK_FIGURES: Record<RankFigureKey, RankFigure> = {
	presenceResponseRate: { key: 'presenceResponseRate', label: 'region.fig.presenceResponseRate', better: 'high', value: (c) => c.presenceResponseRate, format: fmtRate, unit: 'unit.percent' },
	waitingNow: { key: 'waitingNow', label: 'region.fig.waitingNow', better: 'low', value: (c) => c.waitingNow, format: fmtInt, unit: 'unit.people' },
	avgWaitSec: { key: 'avgWaitSec', label: 'region.fig.avgWait', better: 'low', value: (c) => (c.avgWaitSec == null ? null : c.avgWaitSec / 60), format: (v) => v.toFixed(1), unit: 'unit.minutes' },
	// A red card weighs more than any number of yellow ones.
	cardsMonth: { key: 'cardsMonth', label: 'region.fig.cardsMonth', better: 'low', value: (c) => c.redMonth * 10_000 + c.yellowMonth, format: fmtInt, unit: null },
	casesOverdueOpen: { key: 'casesOverdueOpen', label: 'region.fig.casesOverdueOpen', better: 'low', value: (c) => c.casesOverdueOpen, format: fmtInt, unit: 'unit.tickets' },
	satisfactionRate: { key: 'satisfactionRate', label: 'region.fig.satisfactionRate', better: 'high', value: (c) => c.satisfactionRate, format: fmtRate, unit: 'unit.percent' }
};

/** The overview's and rankings page's cycle: the bulletin's presence ranking first, then the live queue, cards, overdue cases, satisfaction. */
export const RANK_CYCLE: RankFigureKey[] = ['presenceResponseRate', 'waitingNow', 'cardsMonth', 'casesOverdueOpen', 'satisfactionRate'];
/** The hall page's: queues. */
export const HALL_RANK_CYCLE: RankFigureKey[] = ['waitingNow', 'avgWaitSec'];
/** How long each figure of a cycle stays (and each page of tiles that do not fit at once). */
export const CYCLE_MS = 15_000;

/** Which item of a cycle of `n` is in front at `now` (every wall and panel agrees: it follows the clock). */
export function cycleIndex(now: number, n: number, periodMs = CYCLE_MS, offset = 0): number {
	if (n <= 1) return 0;
	return (((Math.floor(now / periodMs) + offset) % n) + n) % n;
}

export interface RankedCenter {
	code: string;
	name: string;
	value: number;
	rank: number;
	red: number;
	yellow: number;
}

/**
 * The centers with a value for the figure, best first; ties share a rank (1, 1, 3) and keep
 * their names' order. Centers without a value (no checks today, no ratings) are left out.
 */
export function rankCenters(centers: Record<string, CenterSummary> | undefined, figure: RankFigure): RankedCenter[] {
	const rows: RankedCenter[] = [];
	for (const [code, c] of Object.entries(centers ?? {})) {
		const value = figure.value(c);
		if (value == null || !Number.isFinite(value)) continue;
		rows.push({ code, name: c.name, value, rank: 0, red: c.redMonth, yellow: c.yellowMonth });
	}
	const sign = figure.better === 'high' ? -1 : 1;
	rows.sort((a, b) => sign * (a.value - b.value) || a.name.localeCompare(b.name, 'zh-CN'));
	let rank = 0;
	rows.forEach((r, i) => {
		if (i === 0 || r.value !== rows[i - 1].value) rank = i + 1;
		r.rank = rank;
	});
	return rows;
}

/** Top and bottom of a ranking; the bottom never repeats a row of the top. */
export function topAndBottom<T>(rows: T[], top: number, bottom: number): { best: T[]; worst: T[] } {
	const best = rows.slice(0, top);
	const worst = rows.slice(Math.max(best.length, rows.length - bottom));
	return { best, worst };
}

// ── Judging figures ─────────────────────────────────────────────────────────────

/** Presence response rate: below 90 % is bad, below 95 % a warning. */
export const PRESENCE_BAD = 90;
export const PRESENCE_WARN = 95;
/** Satisfaction this month: below 80 % is bad, below 90 % a warning. */
export const SATISFACTION_BAD = 80;
export const SATISFACTION_WARN = 90;
/** A center's queue this long is a warning (as on the center's own wall). */
export const WAITING_WARN = 40;

export type TileFigureKey = 'presenceResponseRate' | 'cards' | 'casesOverdueOpen' | 'waitingNow' | 'servedToday' | 'satisfactionRate' | 'ticketsIssuedToday' | 'windowsOpen' | 'avgWaitSec';

/** The tone of one figure of a tile (the deployment's and regions' queues are not judged: they add up many halls). */
export function figureTone(key: TileFigureKey, t: TileFigures & { kind?: 'region' | 'center' }): Tone {
	switch (key) {
		case 'presenceResponseRate':
			return t.presenceResponseRate == null ? 'plain' : t.presenceResponseRate < PRESENCE_BAD ? 'bad' : t.presenceResponseRate < PRESENCE_WARN ? 'warn' : 'good';
		case 'cards':
			return t.redMonth > 0 ? 'bad' : t.yellowMonth > 0 ? 'warn' : 'good';
		case 'casesOverdueOpen':
			return t.casesOverdueOpen > 0 ? 'bad' : 'good';
		case 'satisfactionRate':
			return t.satisfactionRate == null ? 'plain' : t.satisfactionRate < SATISFACTION_BAD ? 'bad' : t.satisfactionRate < SATISFACTION_WARN ? 'warn' : 'good';
		case 'waitingNow':
			return t.kind === 'center' && t.waitingNow >= WAITING_WARN ? 'warn' : 'plain';
		case 'avgWaitSec':
			return t.avgWaitSec == null ? 'plain' : t.avgWaitSec >= 30 * 60 ? 'bad' : t.avgWaitSec >= 15 * 60 ? 'warn' : 'plain';
		default:
			return 'plain';
	}
}

const TONE_ORDER: Record<Tone, number> = { plain: 0, good: 0, warn: 1, bad: 2 };

/** The worst tone of a tile's judged figures (its edge): bad if any is bad, else warn if any warns. */
export function tileTone(t: Tile, keys: TileFigureKey[]): Tone {
	let worst: Tone = 'plain';
	for (const k of keys) {
		const tone = figureTone(k, t);
		if (TONE_ORDER[tone] > TONE_ORDER[worst]) worst = tone;
	}
	return worst;
}

/** The tone of a ranked value: the bad end's rows are coloured only when the figure itself is bad there. */
export function rankTone(figure: RankFigureKey, r: RankedCenter): Tone {
	switch (figure) {
		case 'presenceResponseRate':
			return r.value < PRESENCE_BAD ? 'bad' : r.value < PRESENCE_WARN ? 'warn' : 'good';
		case 'satisfactionRate':
			return r.value < SATISFACTION_BAD ? 'bad' : r.value < SATISFACTION_WARN ? 'warn' : 'good';
		case 'cardsMonth':
			return r.red > 0 ? 'bad' : r.yellow > 0 ? 'warn' : 'good';
		case 'casesOverdueOpen':
			return r.value > 0 ? 'bad' : 'good';
		case 'waitingNow':
			return r.value >= WAITING_WARN ? 'warn' : 'plain';
		case 'avgWaitSec':
			return r.value >= 30 ? 'bad' : r.value >= 15 ? 'warn' : 'plain';
	}
}

// ── The map ─────────────────────────────────────────────────────────────────────

export interface MapArea {
	/** The child region's code (the map's features carry it as properties.code). */
	code: string;
	name: string;
	/** The figure as shown ("93.1%", "1/2"), and how bad it is. */
	text: string;
	tone: Tone;
	/** 0–1 for figures not judged (a region's queue): how much of the largest. */
	share: number;
}

/** The child regions on the map, coloured by the figure the ranking shows. */
export function mapAreas(tiles: Tile[], figure: RankFigureKey): MapArea[] {
	const regions = tiles.filter((t) => t.kind === 'region');
	const max = Math.max(1, ...regions.map((t) => t.waitingNow));
	return regions.map((t) => {
		const base = { code: t.code, name: t.name, share: 0 };
		switch (figure) {
			case 'presenceResponseRate':
				return { ...base, text: t.presenceResponseRate == null ? '—' : `${fmtRate(t.presenceResponseRate)}%`, tone: figureTone('presenceResponseRate', t) };
			case 'satisfactionRate':
				return { ...base, text: t.satisfactionRate == null ? '—' : `${fmtRate(t.satisfactionRate)}%`, tone: figureTone('satisfactionRate', t) };
			case 'cardsMonth':
				return { ...base, text: `${t.redMonth}/${t.yellowMonth}`, tone: figureTone('cards', t) };
			case 'casesOverdueOpen':
				return { ...base, text: fmtInt(t.casesOverdueOpen), tone: figureTone('casesOverdueOpen', t) };
			case 'avgWaitSec':
			case 'waitingNow':
				return { ...base, text: fmtInt(t.waitingNow), tone: 'plain', share: t.waitingNow / max };
		}
	});
}

// ── Names and links ─────────────────────────────────────────────────────────────

/** An autonomous prefecture's, county's or banner's usual short form: 凉山彝族自治州 → 凉山州, 湘西土家族苗族自治州 → 湘西州. */
const AUTONOMOUS = /^(.{2,}?)(?:[^族]{1,3}族)+自治(州|县|旗)/;
const CENTER_SUFFIXES: Array<[RegExp, string]> = [
	[/政务服务中心$/, '政务中心'],
	[/便民服务中心$/, '便民中心'],
	[/政务服务大厅$/, '政务大厅']
];

/**
 * A center's name where space is short: the generic suffix in its short form ("西昌市政务服务中心"
 * → "西昌市政务中心"), so it still reads as a center and not as the region it is named after, and
 * an autonomous region's short form (凉山彝族自治州政务服务中心 → 凉山州政务中心); never a code.
 */
export function shortCenterName(name: string): string {
	let s = name.replace(AUTONOMOUS, '$1$2');
	for (const [suffix, short] of CENTER_SUFFIXES) if (suffix.test(s)) return s.replace(suffix, short);
	return s;
}

/**
 * The wall of a child region or of a center, on the overview page, keeping the display token
 * and the language of the wall it is opened from (and nothing else: rotation, name and title
 * belong to this wall).
 */
export function wallHref(current: URL, target: { region: string } | { center: string }): string {
	const q = new URLSearchParams();
	const token = current.searchParams.get('token');
	if (token) q.set('token', token);
	if ('region' in target) q.set('region', target.region);
	else q.set('center', target.center);
	const lang = current.searchParams.get('lang');
	if (lang) q.set('lang', lang);
	return `/wall?${q.toString()}`;
}

// ── Laying out tiles ────────────────────────────────────────────────────────────

/** A tile's type size by its room: large tiles (a few children) get larger type; short ones drop the line under the name. */
export type TileTier = 's' | 'm' | 'l' | 'xl';
export const TILE_TIERS: Record<TileTier, { name: number; value: number; cellW: number; cellH: number; head: number }> = {
	// name/value: font px; cellW/cellH: one figure's room (a 22 px label over its value); head: the name line (and, from m, the line under it).
	s: { name: 24, value: 28, cellW: 112, cellH: 64, head: 34 },
	m: { name: 26, value: 30, cellW: 120, cellH: 68, head: 66 },
	l: { name: 32, value: 40, cellW: 170, cellH: 84, head: 76 },
	xl: { name: 40, value: 56, cellW: 220, cellH: 106, head: 90 }
};
/** Padding of a tile (top + bottom, left + right, including its coloured edge) and the gap between its figures. */
export const TILE_PAD = { y: 26, x: 32, gap: 10 };
/** A tile shows at least this many figures (the judged ones: presence, cards, overdue cases), else tiles page. */
export const MIN_TILE_FIGURES = 3;

export function tileTier(tw: number, th: number): TileTier {
	if (tw >= 800 && th >= 380) return 'xl';
	if (tw >= 480 && th >= 300) return 'l';
	const m = TILE_TIERS.m;
	return th >= TILE_PAD.y + m.head + TILE_PAD.gap + m.cellH ? 'm' : 's';
}

/** How many figures a tile of this size shows (its columns × rows of figures). */
export function tileCapacity(tw: number, th: number, tier: TileTier = tileTier(tw, th)): { cols: number; rows: number } {
	const s = TILE_TIERS[tier];
	const cols = Math.max(0, Math.floor((tw - TILE_PAD.x + TILE_PAD.gap) / (s.cellW + TILE_PAD.gap)));
	const rows = Math.max(0, Math.floor((th - TILE_PAD.y - s.head) / (s.cellH + TILE_PAD.gap)));
	return { cols, rows };
}

export interface TileGrid {
	cols: number;
	rows: number;
	/** Tiles per page (all of them when they fit). */
	perPage: number;
	pages: number;
	tileWidth: number;
	tileHeight: number;
}

/**
 * Columns and rows for n tiles in w × h (design px), each at least `minW` wide (a name) and
 * showing `want` figures if it can and at least MIN_TILE_FIGURES: the layout that shows the most
 * figures per tile, then the largest tiles near `aspect`. When not all n can show the minimum,
 * as few pages as can, their tiles shared out evenly (18 in pages of 12 and 6 → two of 9) and
 * laid out as above.
 */
export function tileGrid(n: number, w: number, h: number, opts: { gap: number; aspect: number; want: number; minW: number }): TileGrid {
	const { gap, aspect, minW } = opts;
	const need = Math.min(opts.want, MIN_TILE_FIGURES);
	const size = (cols: number, rows: number) => ({ tw: (w - (cols - 1) * gap) / cols, th: (h - (rows - 1) * gap) / rows });
	const figures = (tw: number, th: number) => {
		if (tw < minW) return 0; // room for a name
		const c = tileCapacity(tw, th);
		return Math.min(opts.want, c.cols * c.rows);
	};
	if (n <= 0 || w <= 0 || h <= 0) return { cols: 1, rows: 1, perPage: Math.max(n, 0), pages: 1, tileWidth: Math.max(w, 0), tileHeight: Math.max(h, 0) };
	let best: TileGrid | null = null;
	let bestKey = [-1, -1];
	for (let cols = 1; cols <= n; cols++) {
		const rows = Math.ceil(n / cols);
		const { tw, th } = size(cols, rows);
		const f = figures(tw, th);
		if (f < need) continue;
		const key = [f, Math.min(tw / aspect, th)];
		if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
			bestKey = key;
			best = { cols, rows, perPage: n, pages: 1, tileWidth: tw, tileHeight: th };
		}
	}
	if (best) return best;
	// Pages: as few as the minimum allows, then as many figures as the tiles of a page can show.
	let most = 0;
	for (let cols = 1; cols <= Math.min(n, 12); cols++)
		for (let rows = 1; rows <= Math.min(n, 12); rows++) {
			const { tw, th } = size(cols, rows);
			if (figures(tw, th) >= need) most = Math.max(most, cols * rows);
		}
	if (most === 0) {
		const { tw, th } = size(1, 1);
		return { cols: 1, rows: 1, perPage: 1, pages: n, tileWidth: tw, tileHeight: th };
	}
	const pages = Math.ceil(n / most);
	const perPage = Math.ceil(n / pages);
	return { ...tileGrid(perPage, w, h, opts), perPage, pages };
}
