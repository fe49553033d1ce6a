/**
 * The working-day calendar (工作日历): weekends off, statutory holidays (法定节假日) off, and
 * make-up working days (调休上班, e.g. a Saturday that is worked) on. Configurable per year by
 * an admin; the default ships the State Council's 2026 arrangement (国办发明电, 2025-11-04).
 * Years without entries count weekends only. Pure: days are local calendar dates `YYYY-MM-DD`
 * in the zone the caller names (the center's, default Asia/Shanghai).
 */
import { dayKey, DEFAULT_TZ, zoneOffsetMs } from './time';

export type CalendarDayKind = 'holiday' | 'workday';

/** One configured date: a day off (`holiday`) or a make-up working day (`workday`). */
export interface CalendarDay {
	date: string;
	kind: CalendarDayKind;
	/** What it is for, e.g. 春节 or 春节调休. */
	name?: string;
}

export interface CalendarConfig {
	days: CalendarDay[];
}

const range = (from: string, to: string, name: string): CalendarDay[] => {
	const out: CalendarDay[] = [];
	for (let d = from; d <= to; d = nextDay(d)) out.push({ date: d, kind: 'holiday', name });
	return out;
};
const work = (date: string, name: string): CalendarDay => ({ date, kind: 'workday', name });

/**
 * 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): the days off of each holiday period
 * (weekends inside a period included) and the make-up working days.
 */
export const CALENDAR_2026: readonly CalendarDay[] = [
	...range('2026-01-01', '2026-01-03', '元旦'),
	work('2026-01-04', '元旦调休'),
	work('2026-02-14', '春节调休'),
	...range('2026-02-15', '2026-02-23', '春节'),
	work('2026-02-28', '春节调休'),
	...range('2026-04-04', '2026-04-06', '清明节'),
	...range('2026-05-01', '2026-05-05', '劳动节'),
	work('2026-05-09', '劳动节调休'),
	...range('2026-06-19', '2026-06-21', '端午节'),
	work('2026-09-20', '国庆节调休'),
	...range('2026-09-25', '2026-09-27', '中秋节'),
	...range('2026-10-01', '2026-10-07', '国庆节'),
	work('2026-10-10', '国庆节调休')
];

export const DEFAULT_CALENDAR: CalendarConfig = { days: [...CALENDAR_2026] };

// ── plain date arithmetic on `YYYY-MM-DD` ───────────────────────────────────────

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written `YYYY-MM-DD`. */
export function isDayKey(s: string): boolean {
	const m = DAY_RE.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function nextDay(day: string): string {
	const d = new Date(`${day}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 1);
	return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
	return new Date(`${day}T12:00:00Z`).getUTCDay();
}

export const isWeekend = (day: string) => {
	const w = weekdayOf(day);
	return w === 0 || w === 6;
};

/**
 * The instant at local wall-clock time `wallMs` (ms since local midnight) on `day` in `tz`.
 * Exact in zones without daylight saving (all of China); elsewhere the offset of that moment is
 * used (a wall time skipped by a spring-forward lands an hour later).
 */
export function localInstant(day: string, wallMs: number, tz = DEFAULT_TZ): number {
	const naive = Date.parse(`${day}T00:00:00Z`) + wallMs;
	const first = naive - zoneOffsetMs(naive, tz);
	return naive - zoneOffsetMs(first, tz);
}

/** Local wall-clock time of an instant, in ms since local midnight. */
function wallTimeOf(ms: number, tz: string): number {
	const day = dayKey(ms, tz);
	return ms + zoneOffsetMs(ms, tz) - Date.parse(`${day}T00:00:00Z`);
}

const toMs = (d: number | Date) => (typeof d === 'number' ? d : d.getTime());

// ── the calendar ───────────────────────────────────────────────────────────────

/**
 * Working days by a configured calendar. A day is a working day when it is a make-up working
 * day, or when it is neither a weekend (Saturday, Sunday) nor a holiday.
 */
export class WorkingCalendar {
	private readonly kinds = new Map<string, CalendarDay>();

	constructor(config: CalendarConfig = DEFAULT_CALENDAR) {
		for (const d of config.days) this.kinds.set(d.date, d);
	}

	/** The configured entry of a date, if any. */
	entry(day: string): CalendarDay | undefined {
		return this.kinds.get(day);
	}

	/** Every configured date, sorted. */
	days(): CalendarDay[] {
		return [...this.kinds.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
	}

	/** Years that have configured dates, ascending. */
	years(): number[] {
		return [...new Set([...this.kinds.keys()].map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
	}

	/** Whether a date (`YYYY-MM-DD`, taken as is) or an instant (its local date in `tz`) is a working day. */
	isWorkingDay(date: string | number | Date, tz = DEFAULT_TZ): boolean {
		const day = typeof date === 'string' ? date : dayKey(toMs(date), tz);
		const e = this.kinds.get(day);
		if (e) return e.kind === 'workday';
		return !isWeekend(day);
	}

	/**
	 * The deadline `n` working days after `start`: the same local time of day on the n-th working
	 * day after the local date of `start` (that date itself never counts, whatever it is). So a
	 * ticket due Friday 17:00 is "3 working days past due" at Wednesday 17:00 of a normal week;
	 * from a Saturday, the first working day is the next Monday (or a make-up Sunday). `n = 0`
	 * gives `start`. `n` must be a whole number ≥ 0.
	 */
	addWorkingDays(start: number | Date, n: number, tz = DEFAULT_TZ): number {
		if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays: n must be a whole number ≥ 0, found ${n}`);
		const s = toMs(start);
		if (n === 0) return s;
		let day = dayKey(s, tz);
		for (let counted = 0; counted < n; ) {
			day = nextDay(day);
			if (this.isWorkingDay(day)) counted++;
		}
		return localInstant(day, wallTimeOf(s, tz), tz);
	}

	/**
	 * The instant `hours` working hours after `start`: time counts only on working days within
	 * the office hours `[from, to)` (ms after local midnight; default 09:00–17:00). A start
	 * outside them counts from the next opening. 2 working hours from Friday 16:00 is Monday
	 * 10:00; from Saturday 10:00, Monday 11:00; from 08:00 on a working day, 11:00.
	 */
	addWorkingHours(start: number | Date, hours: number, tz = DEFAULT_TZ, from = 9 * 3_600_000, to = 17 * 3_600_000): number {
		if (!(hours >= 0) || !(to > from)) throw new RangeError(`addWorkingHours: expected hours ≥ 0 and from < to, found ${hours}, ${from}, ${to}`);
		let left = Math.round(hours * 3_600_000);
		let day = dayKey(toMs(start), tz);
		let t = Math.max(toMs(start), localInstant(day, from, tz));
		for (let guard = 0; guard < 3700; guard++) {
			const close = localInstant(day, to, tz);
			if (this.isWorkingDay(day) && t < close) {
				if (t + left <= close) return t + left;
				left -= close - t;
			}
			day = nextDay(day);
			t = localInstant(day, from, tz);
		}
		throw new RangeError('addWorkingHours: no working day within ten years');
	}

	/**
	 * Working days after the local date of `a` up to and including the local date of `b`
	 * (negative when `b` is earlier). Times of day do not matter: Friday 17:00 → Monday 09:00 is
	 * 1. `workingDaysBetween(s, addWorkingDays(s, n)) === n`.
	 */
	workingDaysBetween(a: number | Date, b: number | Date, tz = DEFAULT_TZ): number {
		const da = dayKey(toMs(a), tz);
		const db = dayKey(toMs(b), tz);
		if (db < da) return -this.countAfter(db, da);
		return this.countAfter(da, db);
	}

	private countAfter(from: string, to: string): number {
		let n = 0;
		for (let d = nextDay(from); d <= to; d = nextDay(d)) if (this.isWorkingDay(d)) n++;
		return n;
	}
}

// ── settings: validation and CSV ────────────────────────────────────────────────

const KIND_WORDS: Record<string, CalendarDayKind> = {
	holiday: 'holiday',
	off: 'holiday',
	休: 'holiday',
	放假: 'holiday',
	假: 'holiday',
	workday: 'workday',
	work: 'workday',
	班: 'workday',
	上班: 'workday',
	调休上班: 'workday'
};

/** `holiday`/`workday`, or their Chinese words (休, 放假 / 班, 上班). */
export function parseDayKind(s: string): CalendarDayKind | null {
	return KIND_WORDS[s.trim().toLowerCase()] ?? null;
}

/** Problems with one entry, as `field: what is wrong`; null when it is fine. */
export function calendarDayProblem(d: { date: string; kind: string; name?: string }, field = 'date'): string | null {
	if (!isDayKey(d.date)) return `${field}: expected a date YYYY-MM-DD, found "${d.date}"`;
	if (d.kind !== 'holiday' && d.kind !== 'workday') return `kind: expected holiday or workday, found "${d.kind}"`;
	if (d.kind === 'workday' && !isWeekend(d.date)) return `${field}: ${d.date} is a weekday, already a working day; a make-up working day (调休上班) is a Saturday or Sunday`;
	if (d.name !== undefined && d.name.length > 40) return `name: at most 40 characters, found ${d.name.length}`;
	return null;
}

/**
 * Read a stored calendar (the `calendar` setting). Entries that are not valid are dropped (and
 * reported), so a bad row never stops the deadline judge. Absent → the default calendar.
 */
export function parseCalendarConfig(raw: unknown): { config: CalendarConfig; errors: string[] } {
	if (raw == null) return { config: { days: [...DEFAULT_CALENDAR.days] }, errors: [] };
	const errors: string[] = [];
	const list = (raw as { days?: unknown }).days;
	if (!Array.isArray(list)) return { config: { days: [...DEFAULT_CALENDAR.days] }, errors: ['days: expected a list'] };
	const byDate = new Map<string, CalendarDay>();
	list.forEach((item, i) => {
		const d = item as Partial<CalendarDay>;
		const day: CalendarDay = { date: String(d?.date ?? ''), kind: d?.kind as CalendarDayKind, ...(typeof d?.name === 'string' && d.name.trim() ? { name: d.name.trim() } : {}) };
		const p = calendarDayProblem(day);
		if (p) errors.push(`days[${i}].${p}`);
		else byDate.set(day.date, day);
	});
	return { config: { days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)) }, errors };
}

/**
 * Parse pasted CSV: one date a line, `date,kind[,name]` (kind: holiday/workday or 休/班), with
 * commas, tabs or semicolons; a header line and blank lines are skipped. Errors name the line.
 */
export function parseCalendarCsv(text: string): { days: CalendarDay[]; errors: string[] } {
	const days: CalendarDay[] = [];
	const errors: string[] = [];
	text.split(/\r?\n/).forEach((line, i) => {
		const cells = line.split(/[,\t;，]/).map((c) => c.trim());
		if (!cells[0] || cells[0].startsWith('#')) return;
		if (i === 0 && !/^\d/.test(cells[0])) return; // header
		const kind = parseDayKind(cells[1] ?? '');
		if (!kind) {
			errors.push(`line ${i + 1}: kind: expected holiday or workday (休 / 班), found "${cells[1] ?? ''}"`);
			return;
		}
		const day: CalendarDay = { date: cells[0], kind, ...(cells[2] ? { name: cells.slice(2).join(' ').trim() } : {}) };
		const p = calendarDayProblem(day);
		if (p) errors.push(`line ${i + 1}: ${p}`);
		else days.push(day);
	});
	return { days, errors };
}

/** The calendar with `days` put in (a date already there is replaced). */
export function mergeCalendarDays(config: CalendarConfig, days: CalendarDay[]): CalendarConfig {
	const byDate = new Map(config.days.map((d) => [d.date, d]));
	for (const d of days) byDate.set(d.date, d);
	return { days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)) };
}
