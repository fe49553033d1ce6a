/**
 * ECharts options for the wall, built from snapshot figures and the palette. Pure functions:
 * the same figures give the same option (Chart.svelte skips identical ones). Animation is
 * off for the first draw and short on data changes.
 */
import type { ChartOption } from '$lib/components/echarts';
import { DEFAULT_TZ, hourOf } from '$lib/domain/time';
import type { T } from '$lib/i18n/wall';
import type { Palette } from './palette';
import type { MapArea } from './region';

const ANIMATION = {
	animation: true,
	animationDuration: 0,
	animationDurationUpdate: 300,
	animationEasingUpdate: 'cubicOut' as const
};

function base(p: Palette): ChartOption {
	return { ...ANIMATION, backgroundColor: 'transparent', textStyle: { fontFamily: p.font, color: p.textDim, fontSize: 18 } };
}

/**
 * The hour of day (0–23) at `now` in the scope's time zone (the snapshot's `timezone`, else
 * Asia/Shanghai): the hourly figures are counted in the center's own hours, so "now" on their
 * axis must be read in that zone too, not in the browser's or Beijing's.
 */
export function scopeHour(now: number, timezone: string | null | undefined): number {
	try {
		return hourOf(now, timezone || DEFAULT_TZ);
	} catch {
		return hourOf(now, DEFAULT_TZ); // an unknown zone (e.g. from an old cache): the default
	}
}

/** Tickets per hour, today (line, up to the current hour `hourNow`, see scopeHour) against yesterday (dashed). */
export function ticketsPerHourOption(today: number[], yesterday: number[], hourNow: number, p: Palette, t: T): ChartOption {
	// Show the working day, widened to any hour that had tickets.
	let from = 7;
	let to = 19;
	for (let h = 0; h < 24; h++)
		if ((today[h] ?? 0) > 0 || (yesterday[h] ?? 0) > 0) {
			from = Math.min(from, h);
			to = Math.max(to, h + 1);
		}
	const hours = Array.from({ length: to - from }, (_, i) => from + i);
	return {
		...base(p),
		grid: { left: 8, right: 24, top: 48, bottom: 8, containLabel: true },
		legend: {
			top: 0,
			right: 8,
			itemWidth: 28,
			itemHeight: 4,
			textStyle: { color: p.textDim, fontSize: 18, fontFamily: p.font },
			data: [t('hall.today'), t('hall.yesterday')]
		},
		xAxis: {
			type: 'category',
			boundaryGap: false,
			data: hours.map((h) => String(h)),
			axisLine: { lineStyle: { color: p.gridLine } },
			axisTick: { show: false },
			axisLabel: { color: p.textDim, fontSize: 18, fontFamily: p.font }
		},
		yAxis: {
			type: 'value',
			minInterval: 1,
			splitNumber: 4,
			splitLine: { lineStyle: { color: p.gridLine } },
			axisLabel: { color: p.textFaint, fontSize: 17, fontFamily: p.font }
		},
		series: [
			{
				name: t('hall.yesterday'),
				type: 'line',
				data: hours.map((h) => yesterday[h] ?? 0),
				smooth: true,
				symbol: 'none',
				lineStyle: { color: p.seriesYesterday, width: 3, type: 'dashed' },
				itemStyle: { color: p.seriesYesterday }
			},
			{
				name: t('hall.today'),
				type: 'line',
				// Hours still to come are empty, so the line stops at the current hour.
				data: hours.map((h) => (h <= hourNow ? (today[h] ?? 0) : null)),
				smooth: true,
				symbol: 'circle',
				symbolSize: 8,
				lineStyle: { color: p.seriesToday, width: 4 },
				itemStyle: { color: p.seriesToday },
				areaStyle: {
					color: {
						type: 'linear',
						x: 0,
						y: 0,
						x2: 0,
						y2: 1,
						colorStops: [
							{ offset: 0, color: withAlpha(p.seriesToday, 0.35) },
							{ offset: 1, color: withAlpha(p.seriesToday, 0) }
						]
					}
				}
			}
		]
	};
}

export interface BarItem {
	name: string;
	value: number | null;
}

/** A horizontal bar ranking (largest at the top), value labels at the bar ends. */
export function barRankingOption(items: BarItem[], p: Palette, opts: { color?: string; suffix?: string; max?: number; decimals?: number } = {}): ChartOption {
	const rows = [...items].reverse(); // ECharts draws categories bottom-up
	const color = opts.color ?? p.seriesBar;
	const suffix = opts.suffix ?? '';
	const decimals = opts.decimals ?? 0;
	return {
		...base(p),
		grid: { left: 8, right: 96, top: 4, bottom: 4, containLabel: true },
		xAxis: { type: 'value', max: opts.max, show: false, splitLine: { show: false } },
		yAxis: {
			type: 'category',
			data: rows.map((r) => r.name),
			axisLine: { show: false },
			axisTick: { show: false },
			axisLabel: { color: p.text, fontSize: 19, fontFamily: p.font, width: 190, overflow: 'truncate', interval: 0 }
		},
		series: [
			{
				type: 'bar',
				data: rows.map((r) => r.value),
				barMaxWidth: 22,
				barCategoryGap: '38%',
				showBackground: true,
				backgroundStyle: { color: withAlpha(p.gridLine, 0.55), borderRadius: 11 },
				itemStyle: {
					borderRadius: 11,
					color: {
						type: 'linear',
						x: 0,
						y: 0,
						x2: 1,
						y2: 0,
						colorStops: [
							{ offset: 0, color: withAlpha(color, 0.35) },
							{ offset: 1, color }
						]
					}
				},
				label: {
					show: true,
					position: 'right',
					distance: 10,
					color: p.text,
					fontSize: 20,
					fontWeight: 'bold',
					fontFamily: p.font,
					formatter: (x: { value: unknown }) => (x.value == null ? '—' : `${Number(x.value).toFixed(decimals)}${suffix}`)
				}
			}
		]
	};
}

/** This month's cards by department: stacked red and yellow bars. */
export function cardsByDepartmentOption(items: Array<{ name: string; yellow: number; red: number }>, p: Palette, t: T): ChartOption {
	const rows = [...items].reverse();
	const bar = (name: string, data: number[], color: string) => ({
		name,
		type: 'bar' as const,
		stack: 'cards',
		data,
		barMaxWidth: 22,
		barCategoryGap: '38%',
		itemStyle: { color },
		label: {
			show: true,
			color: '#0b1220',
			fontSize: 17,
			fontWeight: 'bold' as const,
			fontFamily: p.font,
			formatter: (x: { value: unknown }) => (Number(x.value) > 0 ? String(x.value) : '')
		}
	});
	return {
		...base(p),
		grid: { left: 8, right: 24, top: 44, bottom: 4, containLabel: true },
		legend: {
			top: 0,
			right: 8,
			itemWidth: 18,
			itemHeight: 18,
			textStyle: { color: p.textDim, fontSize: 18, fontFamily: p.font },
			data: [t('cards.red'), t('cards.yellow')]
		},
		xAxis: { type: 'value', minInterval: 1, show: false },
		yAxis: {
			type: 'category',
			data: rows.map((r) => r.name),
			axisLine: { show: false },
			axisTick: { show: false },
			axisLabel: { color: p.text, fontSize: 19, fontFamily: p.font, width: 190, overflow: 'truncate', interval: 0 }
		},
		series: [bar(t('cards.red'), rows.map((r) => r.red), p.cardRed), bar(t('cards.yellow'), rows.map((r) => r.yellow), p.cardYellow)]
	};
}

/** A ring gauge for a percent; the figure itself is real text on top of it (GaugePanel). */
export function gaugeOption(value: number | null, p: Palette): ChartOption {
	const v = value ?? 0;
	const color = v >= 90 ? p.good : v >= 70 ? p.accent : v >= 50 ? p.warn : p.bad;
	return {
		...base(p),
		series: [
			{
				type: 'gauge',
				startAngle: 225,
				endAngle: -45,
				min: 0,
				max: 100,
				radius: '96%',
				center: ['50%', '54%'],
				// Always shown (ECharts cannot switch the progress on later); no value: transparent.
				progress: { show: true, width: 22, roundCap: true, itemStyle: { color: v > 0 ? color : 'transparent' } },
				axisLine: { roundCap: true, lineStyle: { width: 22, color: [[1, withAlpha(p.gridLine, 0.9)]] } },
				splitLine: { show: true, distance: -38, length: 8, lineStyle: { color: p.textFaint, width: 2 } },
				splitNumber: 5,
				axisTick: { show: false },
				axisLabel: { show: false },
				pointer: { show: false },
				anchor: { show: false },
				title: { show: false },
				detail: { show: false },
				data: [{ value: v }]
			}
		]
	};
}

/** `#rrggbb` with an alpha, as rgba(). Other color forms pass through. */
export function withAlpha(color: string, alpha: number): string {
	const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
	if (!m) return color;
	const n = parseInt(m[1], 16);
	return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * A region wall's map: its child regions (features of the map `mapName`, by properties.code),
 * each filled by how bad the figure is (good / warn / bad; a figure not judged, by its share of
 * the largest) and labelled with its name and the figure. No pointer interaction.
 */
export function regionMapOption(mapName: string, areas: MapArea[], p: Palette): ChartOption {
	const rich = (s: string) => s.replace(/[{}|]/g, '');
	const fill = (a: MapArea) =>
		a.tone === 'bad' ? withAlpha(p.bad, 0.55) : a.tone === 'warn' ? withAlpha(p.warn, 0.45) : a.tone === 'good' ? withAlpha(p.good, 0.35) : withAlpha(p.accent, 0.12 + 0.5 * a.share);
	return {
		...base(p),
		series: [
			{
				type: 'map',
				map: mapName,
				nameProperty: 'code',
				roam: false,
				silent: true,
				layoutCenter: ['50%', '50%'],
				layoutSize: '96%',
				itemStyle: { areaColor: withAlpha(p.gridLine, 0.6), borderColor: p.accent, borderWidth: 1.5 },
				label: {
					show: true,
					color: p.text,
					fontFamily: p.font,
					textBorderColor: 'rgba(3, 10, 24, 0.85)',
					textBorderWidth: 3,
					rich: { n: { fontSize: 24, fontWeight: 'bold', lineHeight: 32, fontFamily: p.font }, v: { fontSize: 22, lineHeight: 28, fontFamily: p.font } }
				},
				emphasis: { disabled: true },
				select: { disabled: true },
				data: areas.map((a) => ({ name: a.code, value: a.share, itemStyle: { areaColor: fill(a) }, label: { formatter: `{n|${rich(a.name)}}\n{v|${rich(a.text)}}` } }))
			}
		]
	};
}
