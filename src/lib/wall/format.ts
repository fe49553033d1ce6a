/** Number, time and age formatting for the wall. Times are shown in the center's zone (Asia/Shanghai). */
import type { T } from '$lib/i18n/wall';

export const WALL_TZ = 'Asia/Shanghai';

const partsFormat = new Intl.DateTimeFormat('en-US', {
	timeZone: WALL_TZ,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	weekday: 'short',
	hourCycle: 'h23'
});
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface ClockParts {
	y: string;
	m: string;
	d: string;
	hh: string;
	mm: string;
	ss: string;
	/** 0 = Sunday. */
	weekday: number;
}

/** Wall-clock parts of an instant in Asia/Shanghai. */
export function clockParts(at: number | string | Date): ClockParts {
	const date = at instanceof Date ? at : new Date(at);
	const p: Record<string, string> = {};
	for (const part of partsFormat.formatToParts(date)) p[part.type] = part.value;
	return { y: p.year, m: p.month, d: p.day, hh: p.hour, mm: p.minute, ss: p.second, weekday: WEEKDAYS.indexOf(p.weekday) };
}

/** HH:MM:SS in Asia/Shanghai, or — */
export function timeOf(at: number | string | null | undefined): string {
	if (at == null || at === '') return '—';
	const ms = typeof at === 'number' ? at : Date.parse(at);
	if (!Number.isFinite(ms)) return '—';
	const c = clockParts(ms);
	return `${c.hh}:${c.mm}:${c.ss}`;
}

/**
 * The time figures were current, for the interruption banner and panel ages: HH:MM:SS, with
 * MM-DD in front when it is not today (a wall that restarts offline may show figures from days
 * ago: "数据截至 11-22 17:50:03", never a bare time that reads like today's).
 */
export function asOfTime(at: number | string | null | undefined, now: number): string {
	const time = timeOf(at);
	if (time === '—') return time;
	const c = clockParts(typeof at === 'number' ? at : Date.parse(at as string));
	const n = clockParts(now);
	return c.y === n.y && c.m === n.m && c.d === n.d ? time : `${c.m}-${c.d} ${time}`;
}

/** HH:MM, with MM-DD in front when not the same day as `now`. */
export function shortTime(at: number | string, now: number): string {
	const ms = typeof at === 'number' ? at : Date.parse(at);
	if (!Number.isFinite(ms)) return '—';
	const c = clockParts(ms);
	const n = clockParts(now);
	const hm = `${c.hh}:${c.mm}`;
	return c.y === n.y && c.m === n.m && c.d === n.d ? hm : `${c.m}-${c.d} ${hm}`;
}

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtInt(v: number | null | undefined): string {
	return v == null || !Number.isFinite(v) ? '—' : intFormat.format(Math.round(v));
}

/** A percent figure (already 0–100, rounded to 0.1 by the server). */
export function fmtRate(v: number | null | undefined): string {
	return v == null || !Number.isFinite(v) ? '—' : (Math.round(v * 10) / 10).toFixed(1);
}

/**
 * Elapsed time as m:ss or h:mm:ss; from a day on, whole days with `dayUnit` ("3天"): a window
 * left serving or paused over a weekend would otherwise read 62:14:09, wider than its tile.
 */
export function fmtElapsed(ms: number, dayUnit = 'd'): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s >= 86_400) return `${Math.floor(s / 86_400)}${dayUnit}`;
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const sec = String(s % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "12秒前" / "5分钟前" / "3小时前". */
export function fmtAge(ms: number | null, t: T): string {
	if (ms == null) return '—';
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 60) return t('status.ageSec', { n: s });
	if (s < 3600) return t('status.ageMin', { n: Math.floor(s / 60) });
	return t('status.ageHour', { n: Math.floor(s / 3600) });
}

/** Window number for a tile: the digits of its name ("01号窗口" → "01"), else its code. */
export function windowNumber(name: string, code: string): string {
	const digits = name.match(/\d+/)?.[0] ?? code.match(/\d+/)?.[0];
	return digits ?? code;
}

/** Shorter department names for small spaces: "市不动产登记中心" → "不动产登记中心" (names are data, in Chinese whatever the wall language). */
export function shortDepartment(name: string): string {
	return name.length > 3 && name.startsWith('市') ? name.slice(1) : name;
}
