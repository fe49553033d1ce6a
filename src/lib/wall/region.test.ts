import { describe, expect, it } from 'vitest';
import type { CenterSummary, RegionTile, Snapshot } from '$lib/domain/snapshot';
import {
	cycleIndex,
	figureTone,
	isRegionWall,
	mapAreas,
	MIN_TILE_FIGURES,
	RANK_FIGURES,
	rankCenters,
	rankTone,
	regionTiles,
	shortCenterName,
	tileCapacity,
	tileGrid,
	tileTone,
	topAndBottom,
	wallHref
} from './region';

const summary = (name: string, regionCode: string, over: Partial<CenterSummary> = {}): CenterSummary => ({
	name,
	regionCode,
	ticketsIssuedToday: 100,
	waitingNow: 5,
	servedToday: 90,
	avgWaitSec: 300,
	windowsOpen: 8,
	windowsTotal: 8,
	windowsServing: 6,
	checksToday: 10,
	missedToday: 0,
	presenceResponseRate: 100,
	yellowMonth: 0,
	redMonth: 0,
	casesAcceptedToday: 10,
	casesCompletedToday: 9,
	casesOverdueOpen: 0,
	satisfactionRate: 98,
	...over
});
const tile = (regionCode: string, name: string): RegionTile => ({
	regionCode,
	name,
	centers: 3,
	ticketsIssuedToday: 300,
	waitingNow: 15,
	servedToday: 270,
	windowsOpen: 20,
	windowsTotal: 24,
	presenceResponseRate: 96,
	yellowMonth: 1,
	redMonth: 0,
	casesOverdueOpen: 0,
	hotlineClosureRate: 80,
	satisfactionRate: 97
});
const snap = (over: Partial<Snapshot>): Snapshot => ({ scope: 'region:HN', windows: [], centers: {}, regions: [], ...over }) as unknown as Snapshot;

describe('region walls', () => {
	it('are the scopes of several centers; a region of one center keeps its window grid', () => {
		const two = { A: summary('甲', 'HN'), B: summary('乙', 'HN') };
		expect(isRegionWall(snap({ centers: two }))).toBe(true);
		expect(isRegionWall(snap({ centers: {} }))).toBe(true);
		expect(isRegionWall(snap({ centers: { A: summary('甲', 'HN') }, windows: [{}] as Snapshot['windows'] }))).toBe(false);
		expect(isRegionWall(snap({ scope: 'center:A', centers: undefined }))).toBe(false);
		expect(isRegionWall(null)).toBe(false);
		// A cache from before region walls has no centers: the center layout.
		expect(isRegionWall(snap({ centers: undefined }))).toBe(false);
	});

	it('tile the region’s own centers, then its child regions; the deployment its root regions', () => {
		const s = snap({ centers: { 'HN-C': summary('湖南省政务服务中心', 'HN'), 'HN-01-C': summary('长沙市政务服务中心', 'HN-01') }, regions: [tile('HN-01', '长沙市'), tile('HN-02', '株洲市')] });
		expect(regionTiles(s).map((x) => `${x.kind}:${x.code}`)).toEqual(['center:HN-C', 'region:HN-01', 'region:HN-02']);
		expect(regionTiles({ ...s, scope: 'all' }).map((x) => x.code)).toEqual(['HN-01', 'HN-02']);
		expect(regionTiles({ ...s, scope: 'all', regions: [] }).map((x) => x.code)).toEqual(['HN-C', 'HN-01-C']);
	});

	it('rank centers best first on a figure, ties sharing a rank, centers without data left out', () => {
		const centers = {
			A: summary('甲中心', 'X', { presenceResponseRate: 90, redMonth: 0, yellowMonth: 5 }),
			B: summary('乙中心', 'X', { presenceResponseRate: 100, redMonth: 1, yellowMonth: 0 }),
			C: summary('丙中心', 'X', { presenceResponseRate: 90, redMonth: 0, yellowMonth: 0 }),
			D: summary('丁中心', 'X', { presenceResponseRate: null })
		};
		const presence = rankCenters(centers, RANK_FIGURES.presenceResponseRate);
		expect(presence.map((r) => [r.code, r.rank])).toEqual([
			['B', 1],
			['C', 2],
			['A', 2]
		]);
		// Cards: fewest first; one red card is worse than five yellow ones.
		expect(rankCenters(centers, RANK_FIGURES.cardsMonth).map((r) => r.code)).toEqual(['C', 'D', 'A', 'B']);
		expect(rankTone('cardsMonth', rankCenters(centers, RANK_FIGURES.cardsMonth).at(-1)!)).toBe('bad');
		expect(topAndBottom([1, 2, 3, 4, 5, 6], 3, 2)).toEqual({ best: [1, 2, 3], worst: [5, 6] });
		expect(topAndBottom([1, 2, 3], 3, 2)).toEqual({ best: [1, 2, 3], worst: [] });
	});

	it('rotate the ranking figure on the clock', () => {
		expect(cycleIndex(0, 5)).toBe(0);
		expect(cycleIndex(15_000, 5)).toBe(1);
		expect(cycleIndex(75_000, 5)).toBe(0);
		expect(cycleIndex(15_000, 5, 15_000, 2)).toBe(3);
		expect(cycleIndex(123_456, 1)).toBe(0);
	});

	it('colour red cards, a low presence response rate and overdue cases', () => {
		const t = { ...tile('A', 'a'), kind: 'region' as const, code: 'A', centers: 1 };
		expect(figureTone('presenceResponseRate', { ...t, presenceResponseRate: 85 })).toBe('bad');
		expect(figureTone('presenceResponseRate', { ...t, presenceResponseRate: 93 })).toBe('warn');
		expect(figureTone('cards', { ...t, redMonth: 1 })).toBe('bad');
		expect(figureTone('cards', t)).toBe('warn');
		expect(figureTone('casesOverdueOpen', { ...t, casesOverdueOpen: 2 })).toBe('bad');
		// A region's queue adds up many halls: not judged; a center's long queue is.
		expect(figureTone('waitingNow', { ...t, waitingNow: 400 })).toBe('plain');
		expect(figureTone('waitingNow', { ...t, kind: 'center', waitingNow: 40 })).toBe('warn');
		expect(tileTone({ ...t, casesOverdueOpen: 1 }, ['presenceResponseRate', 'cards', 'casesOverdueOpen'])).toBe('bad');
		expect(tileTone(t, ['waitingNow', 'servedToday'])).toBe('plain');
	});

	it('lay tiles out to show their figures, paging when too many', () => {
		const opts = { gap: 12, aspect: 2.2, want: 6, minW: 260 };
		const few = tileGrid(3, 1270, 664, opts);
		expect(few.pages).toBe(1);
		expect(few.cols * few.rows).toBeGreaterThanOrEqual(3);
		const seven = tileGrid(7, 1270, 664, opts);
		const c7 = tileCapacity(seven.tileWidth, seven.tileHeight);
		expect(c7.cols * c7.rows).toBeGreaterThanOrEqual(MIN_TILE_FIGURES);
		expect(seven.tileWidth).toBeGreaterThanOrEqual(260);
		expect([seven.cols, seven.rows]).toEqual([4, 2]);
		const many = tileGrid(40, 1270, 664, opts);
		expect(many.pages).toBeGreaterThan(1);
		expect(many.perPage * many.pages).toBeGreaterThanOrEqual(40);
		const cm = tileCapacity(many.tileWidth, many.tileHeight);
		expect(cm.cols * cm.rows).toBeGreaterThanOrEqual(MIN_TILE_FIGURES);
		// 18 children (a prefecture's counties and its own hall): two even pages, not 12 and 6.
		const pref = tileGrid(18, 1270, 664, opts);
		expect([pref.pages, pref.perPage]).toEqual([2, 9]);
		expect(pref.cols * pref.rows).toBeGreaterThanOrEqual(9);
	});

	it('colour the map’s child regions by the ranking’s figure', () => {
		const tiles = regionTiles(snap({ centers: { 'HN-C': summary('湖南省政务服务中心', 'HN') }, regions: [{ ...tile('HN-01', '长沙市'), redMonth: 2, waitingNow: 30 }, tile('HN-02', '株洲市')] }));
		expect(mapAreas(tiles, 'cardsMonth')).toEqual([
			{ code: 'HN-01', name: '长沙市', text: '2/1', tone: 'bad', share: 0 },
			{ code: 'HN-02', name: '株洲市', text: '0/1', tone: 'warn', share: 0 }
		]);
		expect(mapAreas(tiles, 'presenceResponseRate').map((a) => a.text)).toEqual(['96.0%', '96.0%']);
		expect(mapAreas(tiles, 'waitingNow').map((a) => [a.tone, a.share])).toEqual([
			['plain', 1],
			['plain', 0.5]
		]);
	});

	it('shorten center names without making them read as regions, and link keeping token and language only', () => {
		expect(shortCenterName('西昌市政务服务中心')).toBe('西昌市政务中心');
		expect(shortCenterName('岭西顺和乡便民服务中心')).toBe('岭西顺和乡便民中心');
		expect(shortCenterName('盘锦市行政审批局')).toBe('盘锦市行政审批局');
		expect(shortCenterName('凉山彝族自治州政务服务中心')).toBe('凉山州政务中心');
		expect(shortCenterName('湘西土家族苗族自治州政务服务中心')).toBe('湘西州政务中心');
		expect(shortCenterName('木里藏族自治县政务服务中心')).toBe('木里县政务中心');
		expect(shortCenterName('木里藏族安宁乡便民服务中心')).toBe('木里藏族安宁乡便民中心');
		const here = new URL('http://x/wall/hall?token=hwd_a%2Bb&region=HN&lang=en&rotate=hall&name=X');
		expect(wallHref(here, { region: 'HN-01' })).toBe('/wall?token=hwd_a%2Bb&region=HN-01&lang=en');
		expect(wallHref(new URL('http://x/wall?region=HN'), { center: 'HN-C' })).toBe('/wall?center=HN-C');
	});
});
