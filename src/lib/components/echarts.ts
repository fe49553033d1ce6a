/**
 * Tree-shaken ECharts for the wall: only the charts and components it uses, canvas renderer.
 * No tooltips (nobody points at a wall).
 */
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, LineChart, type BarSeriesOption, type GaugeSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, type GridComponentOption, type LegendComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GaugeChart, GridComponent, LegendComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | GaugeSeriesOption | GridComponentOption | LegendComponentOption>;
export type ChartInstance = echarts.ECharts;
export { echarts };
