/**
 * Regional indicators: rankings per period (ties share a rank; the change against the previous
 * reported period), one entry checked field by field, and CSV files (long and wide, regions by
 * name, percent signs, period from the form) previewed against what is in force.
 */
import { describe, expect, it } from 'vitest';
import { checkEntry, indicatorEvents, indicatorKeys, indicatorPeriods, indicatorRanking, previewIndicatorCsv } from './indicators';
import { Feed } from './testkit';

function reported(values: Array<[region: string, period: string, indicator: string, value: number]>): Feed {
	const f = new Feed();
	for (const [regionCode, period, indicator, value] of values) f.ev('indicator.reported', '2026-11-02T09:00:00+08:00', { regionCode, period, indicator, value });
	return f;
}

describe('indicator rankings', () => {
	const f = reported([
		['XLT', '2026-08', 'online_entry_rate', 50],
		['SHQ', '2026-08', 'online_entry_rate', 55],
		['XLT', '2026-10', 'online_entry_rate', 61],
		['SHQ', '2026-10', 'online_entry_rate', 61],
		['CITY', '2026-10', 'online_entry_rate', 66.96],
		['OTHER', '2026-10', 'online_entry_rate', 20],
		['XLT', '2026-10', 'my_rate', 10]
	]);
	const I = f.state.indicators;

	it('keys: the catalog’s four in order, then custom ones; periods newest first', () => {
		expect(indicatorKeys(I)).toEqual(['online_entry_rate', 'online_handling_rate', 'one_door_rate', 'max_one_trip_rate', 'my_rate']);
		expect(indicatorPeriods(I, 'online_entry_rate', null)).toEqual(['2026-10', '2026-08']);
		expect(indicatorPeriods(I, 'online_entry_rate', new Set(['OTHER']))).toEqual(['2026-10']);
	});

	it('ranks best first, equal values share a rank (1, 2, 2, 4), the previous period is the last one reported (August)', () => {
		expect(indicatorRanking(I, 'online_entry_rate', '2026-10', null, f.org)).toEqual({
			indicator: 'online_entry_rate',
			period: '2026-10',
			previousPeriod: '2026-08',
			items: [
				{ regionCode: 'CITY', name: '盘锦市', value: 66.96, rank: 1, previousValue: null, previousRank: null, change: null },
				{ regionCode: 'SHQ', name: '双台子区', value: 61, rank: 2, previousValue: 55, previousRank: 1, change: 6 },
				{ regionCode: 'XLT', name: '兴隆台区', value: 61, rank: 2, previousValue: 50, previousRank: 2, change: 11 },
				{ regionCode: 'OTHER', name: '外市', value: 20, rank: 4, previousValue: null, previousRank: null, change: null }
			]
		});
	});

	it('a scope ranks its own regions only; a period not reported is null (or the latest before, when asked)', () => {
		expect(indicatorRanking(I, 'online_entry_rate', '2026-10', new Set(['CITY', 'XLT', 'SHQ']), f.org)!.items.map((i) => [i.regionCode, i.rank])).toEqual([
			['CITY', 1],
			['SHQ', 2],
			['XLT', 2]
		]);
		expect(indicatorRanking(I, 'online_entry_rate', '2026-09', null, f.org)).toBeNull();
		expect(indicatorRanking(I, 'online_entry_rate', '2026-09', null, f.org, true)!.period).toBe('2026-08');
		expect(indicatorRanking(I, 'one_door_rate', '2026-10', null, f.org)).toBeNull();
	});

	it('a correction replaces the value in force', () => {
		const g = reported([
			['XLT', '2026-10', 'online_entry_rate', 61],
			['XLT', '2026-10', 'online_entry_rate', 62.93]
		]);
		expect(indicatorRanking(g.state.indicators, 'online_entry_rate', '2026-10', null, g.org)!.items[0].value).toBe(62.93);
	});
});

describe('an entry, field by field', () => {
	const org = new Feed().org;
	it('accepts codes or names, 2026/7 or 2026年7月, Chinese indicator names, a percent sign', () => {
		expect(checkEntry({ regionCode: '兴隆台区', period: '2026年7月', indicator: '进一网', value: '62.93%' }, org)).toEqual({ entry: { regionCode: 'XLT', period: '2026-07', indicator: 'online_entry_rate', value: 62.93 }, problems: [] });
		expect(checkEntry({ regionCode: 'SHQ', period: '2026/10', indicator: 'self_service_rate', value: '0' }, org).entry).toEqual({ regionCode: 'SHQ', period: '2026-10', indicator: 'self_service_rate', value: 0 });
	});
	it('names every bad field in English and Chinese', () => {
		const { entry, problems } = checkEntry({ regionCode: 'NOPE', period: '2026-13', indicator: 'Bad Key', value: '101' }, org, 4);
		expect(entry).toBeNull();
		expect(problems.map((p) => [p.row, p.field, p.message])).toEqual([
			[4, 'regionCode', 'regionCode: unknown region "NOPE" (give its code or its exact name)'],
			[4, 'period', 'period: expected a month YYYY-MM, found "2026-13"'],
			[4, 'indicator', 'indicator: "Bad Key" is neither a known indicator (进一网, 网上办, 进一门, 最多跑一次) nor a key like my_rate'],
			[4, 'value', 'value: expected a percent from 0 to 100, found "101"']
		]);
		expect(problems[0].zh).toBe('区划：未知的区划“NOPE”（填编码或完整名称）');
		expect(checkEntry({ regionCode: '', period: '', indicator: '', value: '' }, org).problems.map((p) => p.message)).toEqual(['regionCode: is required', 'period: is required', 'indicator: is required', 'value: is required']);
	});
	it('becomes indicator.reported events with ids of the upload', () => {
		expect(indicatorEvents([{ regionCode: 'XLT', period: '2026-10', indicator: 'online_entry_rate', value: 61 }], 'abc123abc123', '2026-11-02T01:00:00.000Z')).toEqual([
			{ id: 'ind:abc123abc123:1', type: 'indicator.reported', occurredAt: '2026-11-02T01:00:00.000Z', source: 'hallwatch-reports', data: { regionCode: 'XLT', period: '2026-10', indicator: 'online_entry_rate', value: 61 } }
		]);
	});
});

describe('indicator CSV', () => {
	const f = reported([['XLT', '2026-10', 'online_entry_rate', 61]]);
	const preview = (csv: string, period: string | null = null) => previewIndicatorCsv(csv, f.org, f.state.indicators, period);

	it('long: one value a line; new, changed and unchanged against what is in force; bad rows with their line', () => {
		const p = preview(['regionCode,period,indicator,value', 'XLT,2026-10,online_entry_rate,61', 'SHQ,2026-10,进一网,55.5%', 'XLT,2026-10,网上办,40', 'XLT,2026-10,进一网,62', 'NOPE,2026-10,进一网,1', 'SHQ,2026-10,进一网,56'].join('\n'));
		expect(p.fileErrors).toEqual([]);
		expect(p.rows.map((r) => [r.row, r.regionCode, r.indicator, r.value, r.before, r.status])).toEqual([
			[2, 'XLT', 'online_entry_rate', 61, 61, 'unchanged'],
			[3, 'SHQ', 'online_entry_rate', 55.5, null, 'new'],
			[4, 'XLT', 'online_handling_rate', 40, null, 'new']
		]);
		expect(p.invalid.map((r) => [r.row, r.problems.map((x) => x.message)])).toEqual([
			[5, ['repeats line 2: XLT, 2026-10, online_entry_rate']],
			[6, ['regionCode: unknown region "NOPE" (give its code or its exact name)']],
			[7, ['repeats line 3: SHQ, 2026-10, online_entry_rate']]
		]);
		expect(p.counts).toEqual({ new: 2, changed: 0, unchanged: 1, invalid: 3 });
	});

	it('wide: one region a line, one column per indicator (Chinese names), the period from the form; blank cells skipped', () => {
		const p = preview(['区划编码,区划名称,进一网,网上办,进一门,最多跑一次,self_service_rate', 'XLT,兴隆台区,62.93,58.85,,3.17,12', '双台子区,,27.70,13.80,27.70,7.14,'].join('\r\n'), '2026-10');
		expect(p.fileErrors).toEqual([]);
		expect(p.rows.map((r) => `${r.row} ${r.regionCode} ${r.indicator} ${r.value} ${r.status}`)).toEqual([
			'2 XLT online_entry_rate 62.93 changed',
			'2 XLT online_handling_rate 58.85 new',
			'2 XLT max_one_trip_rate 3.17 new',
			'2 XLT self_service_rate 12 new',
			'3 SHQ online_entry_rate 27.7 new',
			'3 SHQ online_handling_rate 13.8 new',
			'3 SHQ one_door_rate 27.7 new',
			'3 SHQ max_one_trip_rate 7.14 new'
		]);
	});

	it('a wide row with an unknown region is one row with one problem (not one per indicator)', () => {
		const p = preview(['regionCode,进一网,网上办,进一门', 'NOPE,1,2,300'].join('\n'), '2026-10');
		expect(p.invalid.map((r) => [r.row, r.problems.map((x) => x.field)])).toEqual([[2, ['regionCode', 'value']]]);
		expect(p.counts.invalid).toBe(1);
	});

	it('refuses a file it cannot read, naming the problem', () => {
		expect(preview('').fileErrors[0].message).toBe('the file is empty: expected a header line such as regionCode,period,indicator,value');
		expect(preview('period,indicator,value\n2026-10,进一网,1').fileErrors.map((e) => e.message)).toEqual(['the header has no region column (regionCode or 区划编码)']);
		expect(preview('regionCode,进一网\nXLT,1').fileErrors.map((e) => e.message)).toEqual(['the header has no period column (period or 期间): add one, or choose the period above']);
		expect(preview('regionCode,period,总分\nXLT,2026-10,1').fileErrors.map((e) => e.zh)).toEqual(['列“总分”既不是指标（进一网、online_entry_rate、my_rate 等），也不是区划或期间']);
		expect(preview('regionCode,period,indicator,value').fileErrors.map((e) => e.message)).toEqual(['the file has a header but no rows']);
	});
});
