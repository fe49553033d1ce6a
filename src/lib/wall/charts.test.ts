import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n/wall';
import { barRankingOption, gaugeOption, regionMapOption, scopeHour, ticketsPerHourOption, withAlpha } from './charts';
import type { Palette } from './palette';

const p = new Proxy({} as Palette, { get: (_, k) => (k === 'font' ? 'sans-serif' : '#112233') });
const t = translator('zh');

describe('chart options', () => {
	it('fills a region map’s child regions by how bad the figure is and labels them with name and figure', () => {
		const o = regionMapOption('region:HN', [
			{ code: 'HN-01', name: '长沙市', text: '2/1', tone: 'bad', share: 0 },
			{ code: 'HN-02', name: '株洲{市}', text: '96.0%', tone: 'good', share: 0 }
		], p) as { series: Array<{ type: string; map: string; nameProperty: string; data: Array<{ name: string; itemStyle: { areaColor: string }; label: { formatter: string } }> }> };
		const s = o.series[0];
		expect([s.type, s.map, s.nameProperty]).toEqual(['map', 'region:HN', 'code']);
		expect(s.data.map((d) => d.name)).toEqual(['HN-01', 'HN-02']);
		expect(s.data[0].itemStyle.areaColor).toBe(withAlpha('#112233', 0.55));
		expect(s.data[1].label.formatter).toBe('{n|株洲市}\n{v|96.0%}');
	});

	it('shows the working day widened to hours with tickets, today only up to now', () => {
		const today = new Array(24).fill(0);
		const yesterday = new Array(24).fill(0);
		today[9] = 10;
		yesterday[20] = 3;
		const o = ticketsPerHourOption(today, yesterday, 10, p, t) as { xAxis: { data: string[] }; series: Array<{ data: Array<number | null> }> };
		expect(o.xAxis.data[0]).toBe('7');
		expect(o.xAxis.data.at(-1)).toBe('20');
		expect(o.series[1].data[2]).toBe(10); // 9 h
		expect(o.series[1].data[4]).toBeNull(); // 11 h is still to come
	});

	it('cuts today’s line at the current hour in the center’s zone, not in Beijing’s', () => {
		// 10:30 in Beijing is 08:30 in Urumqi (UTC+6) and 23:30 the day before in Etc/GMT+3.
		const now = Date.parse('2026-11-23T10:30:00+08:00');
		expect(scopeHour(now, 'Asia/Urumqi')).toBe(8);
		expect(scopeHour(now, 'Etc/GMT+3')).toBe(23);
		expect(scopeHour(now, 'Asia/Shanghai')).toBe(10);
		// No zone (an old cached snapshot) or an unknown one: Asia/Shanghai.
		expect(scopeHour(now, undefined)).toBe(10);
		expect(scopeHour(now, 'Nowhere/Atlantis')).toBe(10);
		const today = new Array(24).fill(0);
		today[8] = 5;
		today[9] = 7; // would be drawn if "now" were read in Beijing
		const o = ticketsPerHourOption(today, new Array(24).fill(0), scopeHour(now, 'Asia/Urumqi'), p, t) as { xAxis: { data: string[] }; series: Array<{ data: Array<number | null> }> };
		const at = (h: number) => o.series[1].data[o.xAxis.data.indexOf(String(h))];
		expect(at(8)).toBe(5);
		expect(at(9)).toBeNull();
	});

	it('draws rankings top-down and gauges without a figure of their own', () => {
		const o = barRankingOption([{ name: 'A', value: 3 }, { name: 'B', value: 1 }], p) as { yAxis: { data: string[] } };
		expect(o.yAxis.data).toEqual(['B', 'A']);
		const g = gaugeOption(null, p) as { series: Array<{ detail: { show: boolean }; progress: { itemStyle: { color: string } } }> };
		expect(g.series[0].detail.show).toBe(false);
		expect(g.series[0].progress.itemStyle.color).toBe('transparent');
		expect(withAlpha('#ff0080', 0.5)).toBe('rgba(255, 0, 128, 0.5)');
	});
});
