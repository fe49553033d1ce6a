/** The theme's colors for ECharts, read from the CSS variables in theme.css (defined once there). */
export interface Palette {
	text: string;
	textDim: string;
	textFaint: string;
	gridLine: string;
	accent: string;
	good: string;
	warn: string;
	bad: string;
	cardYellow: string;
	cardRed: string;
	seriesToday: string;
	seriesYesterday: string;
	seriesBar: string;
	panelBorder: string;
	font: string;
}

const VARS: Record<keyof Palette, string> = {
	text: '--text',
	textDim: '--text-dim',
	textFaint: '--text-faint',
	gridLine: '--grid-line',
	accent: '--accent',
	good: '--good',
	warn: '--warn',
	bad: '--bad',
	cardYellow: '--card-yellow',
	cardRed: '--card-red',
	seriesToday: '--series-today',
	seriesYesterday: '--series-yesterday',
	seriesBar: '--series-bar',
	panelBorder: '--panel-border',
	font: '--font'
};

/** Read the palette from the element carrying the `.wall` class. */
export function readPalette(el: Element): Palette {
	const style = getComputedStyle(el);
	const out = {} as Palette;
	for (const [k, v] of Object.entries(VARS) as Array<[keyof Palette, string]>) out[k] = style.getPropertyValue(v).trim();
	return out;
}
