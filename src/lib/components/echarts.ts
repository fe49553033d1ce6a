/**
 * Tree-shaken ECharts for the wall: only the charts and components it uses, canvas renderer.
 * No tooltips (nobody points at a wall).
 */
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, LineChart, MapChart, type BarSeriesOption, type GaugeSeriesOption, type LineSeriesOption, type MapSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, type GridComponentOption, type LegendComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// MapChart: a region wall's map of its child regions (GeoJSON from /admin/maps, registered by RegionMap.svelte).
echarts.use([BarChart, LineChart, GaugeChart, MapChart, GridComponent, LegendComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | GaugeSeriesOption | MapSeriesOption | GridComponentOption | LegendComponentOption>;
export type ChartInstance = echarts.ECharts;
export { echarts };
