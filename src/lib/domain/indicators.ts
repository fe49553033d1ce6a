/**
 * Regional indicators (进一网, 网上办, 进一门, 最多跑一次 and custom ones): rankings per period
 * with the change against the previous reported period, and the entries an admin sends as
 * `indicator.reported` events (one typed in, or a CSV with a preview). Pure: the live state's
 * indicators and the org come in.
 */
import { INDICATORS } from './catalog';
import { rankBy } from './metrics';
import type { OrgIndex } from './org';
import { records } from './org-csv';
import type { LiveState } from './projection';

export type Indicators = LiveState['indicators'];

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const INDICATOR_KEY = /^[a-z][a-z0-9_]{1,63}$/;
/** The catalog's indicators, in the order bulletins list them; custom keys follow, sorted. */
export const KNOWN_INDICATORS = Object.keys(INDICATORS) as Array<keyof typeof INDICATORS>;

export function indicatorKeys(indicators: Indicators): string[] {
	const custom = [...indicators.keys()].filter((k) => !(k in INDICATORS)).sort();
	return [...KNOWN_INDICATORS, ...custom];
}

/** Periods with a value for some region of `allowed` (null: any), newest first. */
export function indicatorPeriods(indicators: Indicators, key: string, allowed: Set<string> | null): string[] {
	const byPeriod = indicators.get(key);
	if (!byPeriod) return [];
	return [...byPeriod]
		.filter(([, regions]) => [...regions.keys()].some((r) => !allowed || allowed.has(r)))
		.map(([p]) => p)
		.sort()
		.reverse();
}

export interface IndicatorRankItem {
	regionCode: string;
	name: string;
	value: number;
	rank: number;
	/** The same region in the previous reported period (null: not reported then). */
	previousValue: number | null;
	previousRank: number | null;
	/** value − previousValue in percentage points, rounded to 0.01. */
	change: number | null;
}

export interface IndicatorRanking {
	indicator: string;
	period: string;
	previousPeriod: string | null;
	items: IndicatorRankItem[];
}

function ranked(byRegion: Map<string, number> | undefined, allowed: Set<string> | null, org: OrgIndex) {
	const items = [...(byRegion ?? [])].filter(([r]) => !allowed || allowed.has(r)).map(([regionCode, value]) => ({ regionCode, name: org.regions.get(regionCode)?.name ?? regionCode, value }));
	// Equal values share a rank; among equals, by code (stable, whatever order they were reported in).
	return rankBy(
		items.sort((a, b) => a.regionCode.localeCompare(b.regionCode)),
		(i) => i.value
	);
}

/**
 * One indicator's ranking for `period` (or, with `atMost`, the latest reported period not
 * after it), best first, equal values sharing a rank, each region with its change against the
 * previous reported period. Null when nothing was reported (for the scope's regions).
 */
export function indicatorRanking(indicators: Indicators, key: string, period: string, allowed: Set<string> | null, org: OrgIndex, atMost = false): IndicatorRanking | null {
	const periods = indicatorPeriods(indicators, key, allowed);
	const shown = atMost ? periods.find((p) => p <= period) : periods.find((p) => p === period);
	if (!shown) return null;
	const previousPeriod = periods.find((p) => p < shown) ?? null;
	const byPeriod = indicators.get(key)!;
	const before = previousPeriod ? new Map(ranked(byPeriod.get(previousPeriod), allowed, org).map((i) => [i.regionCode, i])) : new Map();
	return {
		indicator: key,
		period: shown,
		previousPeriod,
		items: ranked(byPeriod.get(shown), allowed, org).map((i) => {
			const prev = before.get(i.regionCode);
			return {
				...i,
				previousValue: prev?.value ?? null,
				previousRank: prev?.rank ?? null,
				change: prev ? Math.round((i.value - prev.value) * 100) / 100 : null
			};
		})
	};
}

// ── entries (a form or a CSV) ──────────────────────────────────────────────────

/** Header names accepted for the columns (field names, Chinese and English labels). */
const COLUMN_NAMES: Record<'regionCode' | 'period' | 'indicator' | 'value', string[]> = {
	regionCode: ['regioncode', 'region', '区划编码', '区划', '地区', '县区', '区域'],
	period: ['period', 'month', '期间', '月份', '统计期'],
	indicator: ['indicator', '指标'],
	value: ['value', '数值', '值', '占比', '比例']
};
/** A wide file's indicator columns may be named by their Chinese names (and 进一网占比 …). */
const INDICATOR_BY_NAME = new Map<string, string>(Object.entries(INDICATORS).flatMap(([k, zh]) => [[zh, k], [`${zh}占比`, k], [`“${zh}”占比`, k], [k, k]]));

export interface IndicatorEntry {
	regionCode: string;
	period: string;
	indicator: string;
	value: number;
}

export interface EntryProblem {
	row: number | null;
	field: string | null;
	message: string;
	zh: string;
}

export interface IndicatorPreviewRow extends IndicatorEntry {
	row: number;
	regionName: string;
	/** The value in force for that region, period and indicator (null: none yet). */
	before: number | null;
	status: 'new' | 'changed' | 'unchanged';
}

export interface IndicatorPreview {
	fileErrors: EntryProblem[];
	rows: IndicatorPreviewRow[];
	invalid: Array<{ row: number; values: Record<string, string>; problems: EntryProblem[] }>;
	counts: { new: number; changed: number; unchanged: number; invalid: number };
}

/** A region by code, or by its name when exactly one region has it. */
function regionOf(text: string, org: OrgIndex): string | null {
	if (org.regions.has(text)) return text;
	const byName = [...org.regions.values()].filter((r) => r.name === text);
	return byName.length === 1 ? byName[0].code : null;
}

/** An indicator key, or a catalog indicator's Chinese name. */
export function indicatorOf(text: string): string | null {
	const t = text.trim();
	const known = INDICATOR_BY_NAME.get(t);
	if (known) return known;
	return INDICATOR_KEY.test(t) ? t : null;
}

/** Check one entry's texts (a CSV row's cells, a form's fields); problems name the field, in English and Chinese. */
export function checkEntry(values: { regionCode: string; period: string; indicator: string; value: string }, org: OrgIndex, row: number | null = null): { entry: IndicatorEntry | null; problems: EntryProblem[] } {
	const problems: EntryProblem[] = [];
	const p = (field: string, message: string, zh: string) => problems.push({ row, field, message: `${field}: ${message}`, zh });
	const regionText = values.regionCode.trim();
	const regionCode = regionText ? regionOf(regionText, org) : null;
	if (!regionText) p('regionCode', 'is required', '区划：必填');
	else if (!regionCode) p('regionCode', `unknown region "${regionText}" (give its code or its exact name)`, `区划：未知的区划“${regionText}”（填编码或完整名称）`);
	const period = values.period.trim().replace(/^(\d{4})[/.年](\d{1,2})月?$/, (_, y, m) => `${y}-${String(m).padStart(2, '0')}`);
	if (!period) p('period', 'is required', '期间：必填');
	else if (!PERIOD.test(period)) p('period', `expected a month YYYY-MM, found "${values.period.trim()}"`, `期间：应为年月 YYYY-MM，实际为“${values.period.trim()}”`);
	const indicatorText = values.indicator.trim();
	const indicator = indicatorText ? indicatorOf(indicatorText) : null;
	if (!indicatorText) p('indicator', 'is required', '指标：必填');
	else if (!indicator)
		p('indicator', `"${indicatorText}" is neither a known indicator (进一网, 网上办, 进一门, 最多跑一次) nor a key like my_rate`, `指标：“${indicatorText}”不是已知指标（进一网、网上办、进一门、最多跑一次），也不是形如 my_rate 的自定义编码`);
	const valueText = values.value.trim().replace(/%$/, '').trim();
	const value = valueText === '' ? NaN : Number(valueText);
	if (!values.value.trim()) p('value', 'is required', '数值：必填');
	else if (!Number.isFinite(value) || value < 0 || value > 100) p('value', `expected a percent from 0 to 100, found "${values.value.trim()}"`, `数值：应为 0–100 的百分比，实际为“${values.value.trim()}”`);
	if (problems.length) return { entry: null, problems };
	return { entry: { regionCode: regionCode!, period, indicator: indicator!, value }, problems };
}

const norm = (h: string) => h.trim().toLowerCase().replace(/\s+/g, '');

/**
 * Read a CSV of indicator values and compare it with what is in force. Two shapes:
 * long (`regionCode,period,indicator,value`) or wide (`regionCode,period` and one column per
 * indicator: its key or Chinese name, as a bulletin's table has them). Without a period column,
 * `defaultPeriod` applies. Values may end in `%`. Nothing is stored.
 */
export function previewIndicatorCsv(text: string, org: OrgIndex, indicators: Indicators, defaultPeriod: string | null): IndicatorPreview {
	const out: IndicatorPreview = { fileErrors: [], rows: [], invalid: [], counts: { new: 0, changed: 0, unchanged: 0, invalid: 0 } };
	const fileError = (message: string, zh: string) => out.fileErrors.push({ row: null, field: null, message, zh });
	let recs: Array<{ line: number; cells: string[] }>;
	try {
		recs = records(text).filter((r) => r.cells.some((c) => c !== ''));
	} catch (err) {
		fileError(`the file is not valid CSV: ${(err as Error).message}`, `文件不是有效的 CSV：${(err as Error).message}`);
		return out;
	}
	if (!recs.length) {
		fileError('the file is empty: expected a header line such as regionCode,period,indicator,value', '文件为空：第一行应为表头，如 区划编码,期间,指标,数值');
		return out;
	}
	const [header, ...body] = recs;
	const col = (field: keyof typeof COLUMN_NAMES) => header.cells.findIndex((h) => COLUMN_NAMES[field].includes(norm(h)));
	const regionCol = col('regionCode');
	const periodCol = col('period');
	const indicatorCol = col('indicator');
	const valueCol = col('value');
	if (regionCol < 0) fileError('the header has no region column (regionCode or 区划编码)', '表头缺少区划列（regionCode 或 区划编码）');
	if (periodCol < 0 && !defaultPeriod) fileError('the header has no period column (period or 期间): add one, or choose the period above', '表头缺少期间列（period 或 期间）：请添加，或在上方选择期间');
	if (periodCol < 0 && defaultPeriod && !PERIOD.test(defaultPeriod)) fileError(`period: expected YYYY-MM, found "${defaultPeriod}"`, `期间：应为 YYYY-MM，实际为“${defaultPeriod}”`);
	// Long when it has indicator and value columns; wide otherwise (the other columns are indicators).
	const long = indicatorCol >= 0 && valueCol >= 0;
	const wideCols: Array<{ index: number; indicator: string }> = [];
	if (!long) {
		header.cells.forEach((h, index) => {
			if (index === regionCol || index === periodCol || !h.trim()) return;
			if (['name', '名称', '区划名称'].includes(norm(h))) return;
			const key = indicatorOf(h);
			if (key) wideCols.push({ index, indicator: key });
			else fileError(`column "${h}" is neither an indicator (进一网, online_entry_rate, my_rate …) nor regionCode/period`, `列“${h}”既不是指标（进一网、online_entry_rate、my_rate 等），也不是区划或期间`);
		});
		if (!wideCols.length && !out.fileErrors.length) fileError('no indicator columns: give indicator and value columns, or one column per indicator', '没有指标列：请给出“指标”和“数值”两列，或每个指标一列');
	}
	if (out.fileErrors.length) return out;
	if (!body.length) {
		fileError('the file has a header but no rows', '文件只有表头，没有数据行');
		return out;
	}
	const seen = new Map<string, number>();
	for (const { line, cells } of body) {
		const cell = (i: number) => (i >= 0 ? (cells[i] ?? '') : '');
		const base = { regionCode: cell(regionCol), period: periodCol >= 0 ? cell(periodCol) : (defaultPeriod ?? '') };
		const entries = long ? [{ ...base, indicator: cell(indicatorCol), value: cell(valueCol) }] : wideCols.filter((c) => cell(c.index).trim() !== '').map((c) => ({ ...base, indicator: c.indicator, value: cell(c.index) }));
		for (const values of entries) {
			const { entry, problems } = checkEntry(values, org, line);
			if (entry) {
				const k = `${entry.regionCode}|${entry.period}|${entry.indicator}`;
				const first = seen.get(k);
				if (first !== undefined)
					problems.push({
						row: line,
						field: 'regionCode',
						message: `repeats line ${first}: ${entry.regionCode}, ${entry.period}, ${entry.indicator}`,
						zh: `与第 ${first} 行重复：${entry.regionCode}、${entry.period}、${entry.indicator}`
					});
				else seen.set(k, line);
			}
			if (!entry || problems.length) {
				// A wide row repeats its region's problem for every indicator cell: list it once.
				const last = out.invalid[out.invalid.length - 1];
				const fresh = last?.row === line ? problems.filter((p) => !last.problems.some((q) => q.message === p.message)) : problems;
				if (last?.row === line) last.problems.push(...fresh);
				else out.invalid.push({ row: line, values, problems });
				continue;
			}
			const before = indicators.get(entry.indicator)?.get(entry.period)?.get(entry.regionCode) ?? null;
			out.rows.push({ ...entry, row: line, regionName: org.regions.get(entry.regionCode)?.name ?? entry.regionCode, before, status: before === null ? 'new' : before === entry.value ? 'unchanged' : 'changed' });
		}
	}
	for (const r of out.rows) out.counts[r.status]++;
	out.counts.invalid = out.invalid.length;
	return out;
}

/** The events an entry list sends (sender `user:NAME`): ids from a nonce of the upload, so a retried apply is a duplicate. */
export function indicatorEvents(entries: IndicatorEntry[], nonce: string, occurredAt: string) {
	return entries.map((e, i) => ({
		id: `ind:${nonce}:${i + 1}`,
		type: 'indicator.reported' as const,
		occurredAt,
		source: 'hallwatch-reports',
		data: { regionCode: e.regionCode, period: e.period, indicator: e.indicator, value: e.value }
	}));
}
