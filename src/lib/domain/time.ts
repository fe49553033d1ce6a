/**
 * Calendar keys in a center's time zone ("today" and "this month" of spec §2). Pure.
 * Intl formatters are cached per zone because they are costly to build and used per event.
 */
export const DEFAULT_TZ = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function fmt(tz: string): Intl.DateTimeFormat {
	let f = formatters.get(tz);
	if (!f) {
		f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
		formatters.set(tz, f);
	}
	return f;
}

/** Memo of the last instant's hour → day for each zone: events arrive in bursts of the same hour. */
const lastHour = new Map<string, { hourStart: number; day: string; hour: number }>();

function parts(ms: number, tz: string): { day: string; hour: number } {
	const hourStart = ms - (ms % 3_600_000);
	const memo = lastHour.get(tz);
	if (memo && memo.hourStart === hourStart) return memo;
	const p = fmt(tz).formatToParts(new Date(ms));
	const get = (t: string) => p.find((x) => x.type === t)!.value;
	const entry = { hourStart, day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
	lastHour.set(tz, entry);
	return entry;
}

/** `YYYY-MM-DD` of an instant in a zone. (Zones with non-hour offsets are not used in China.) */
export function dayKey(ms: number, tz = DEFAULT_TZ): string {
	return parts(ms, tz).day;
}

/** Hour of day 0–23 in a zone. */
export function hourOf(ms: number, tz = DEFAULT_TZ): number {
	return parts(ms, tz).hour;
}

/** `YYYY-MM` of an instant in a zone. */
export function monthKey(ms: number, tz = DEFAULT_TZ): string {
	return dayKey(ms, tz).slice(0, 7);
}

export function monthOfDay(day: string): string {
	return day.slice(0, 7);
}

/** The `YYYY-MM` before the given one. */
export function previousMonth(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The day before `YYYY-MM-DD`. */
export function previousDay(day: string): string {
	const d = new Date(`${day}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() - 1);
	return d.toISOString().slice(0, 10);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of a zone from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(ms: number, tz = DEFAULT_TZ): number {
	let f = offsetFormatters.get(tz);
	if (!f) {
		f = new Intl.DateTimeFormat('en-CA', {
			timeZone: tz,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		});
		offsetFormatters.set(tz, f);
	}
	const whole = Math.floor(ms / 1000) * 1000;
	const p = f.formatToParts(new Date(whole));
	const get = (t: string) => Number(p.find((x) => x.type === t)!.value);
	return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - whole;
}

/** Epoch ms of the last millisecond of the day `YYYY-MM-DD` in a zone (23:59:59.999 local). */
export function endOfDay(day: string, tz = DEFAULT_TZ): number {
	const nextMidnightUtc = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
	return nextMidnightUtc - zoneOffsetMs(nextMidnightUtc, tz) - 1;
}
