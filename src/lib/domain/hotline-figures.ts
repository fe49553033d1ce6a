/**
 * The hotline console's figures and list filters, pure: this month's counts turned into rates
 * (the formulas of metrics.ts), the department ranking, the ticket list's filter read from a
 * query string, its keyset cursor, and the filter each figure drills down to.
 *
 * Every figure counts tickets (rows of `hotline_tickets`), so it equals the length of the list
 * it links to:
 * - received: created this month;
 * - closed: closed this month and still closed (a reopened ticket counts once, on its latest closure);
 * - closure rate (办结率) = closed ÷ received;
 * - on-time rate = closed at or before the due time (or never given one) ÷ closed;
 * - callback rate (回访率) = closed tickets with a callback recorded ÷ closed;
 * - satisfaction (满意率) = closed tickets whose callback reached the caller and found them
 *   satisfied or basically satisfied ÷ closed tickets whose callback reached the caller;
 * - cohort rate (受理件办结率) = received this month and closed now ÷ received this month;
 * - 签收及时率 (响应率) = tickets whose latest assignment (this month) was taken or returned within
 *   its limit ÷ those whose taking was judged (taken, returned, or past the limit);
 * - 解决率 = closed tickets whose reached callback said solved ÷ those that said solved or not;
 * - 退单率 / 延期率 = tickets assigned this month returned at least once / with an approved
 *   extension ÷ tickets assigned this month (by their latest assignment);
 * - 重复来电率 = tickets received this month merged into another ÷ (received + merged);
 * - the three-rate composite of 响应率, 解决率, 满意率 with the admin's weights.
 * Merged tickets (重复件) count in 重复来电率 only.
 */
import { acknowledgedOnTimeRate, closureRate, cohortClosureRate, DEFAULT_THREE_RATE_WEIGHTS, extensionRate, hotlineSatisfactionRate, onTimeRate, rate, repeatRate, resolvedRate, returnRate, threeRateComposite, type ThreeRateWeights } from './metrics';
import { HOTLINE_STATUSES, type HotlineStatus } from './hotline';
import { isDayKey, localInstant, nextDay } from './calendar';

export interface HotlineCounts {
	/** Received in the period, not merged. */
	received: number;
	closed: number;
	closedOnTime: number;
	/** Closed tickets with a callback recorded (reached or not). */
	callbacks: number;
	/** … whose callback reached the caller. */
	reached: number;
	/** … who were satisfied or basically satisfied. */
	satisfied: number;
	/** … who were not. */
	unsatisfied: number;
	/** Received in the period and closed now. */
	cohortClosed: number;
	/** Latest assignment in the period; of those, 签收 judged and in time; returned; extended. */
	assigned: number;
	ackJudged: number;
	ackOnTime: number;
	returned: number;
	extended: number;
	/** Closed, reached, and said solved or not; solved. */
	solvedAsked: number;
	solved: number;
	/** Received in the period and merged into another ticket (重复件). */
	merged: number;
}

export interface HotlineFigures extends HotlineCounts {
	closureRate: number | null;
	cohortClosureRate: number | null;
	onTimeRate: number | null;
	callbackRate: number | null;
	satisfactionRate: number | null;
	acknowledgedOnTimeRate: number | null;
	resolvedRate: number | null;
	returnRate: number | null;
	extensionRate: number | null;
	repeatRate: number | null;
	composite: number | null;
}

export const emptyCounts = (): HotlineCounts => ({
	received: 0,
	closed: 0,
	closedOnTime: 0,
	callbacks: 0,
	reached: 0,
	satisfied: 0,
	unsatisfied: 0,
	cohortClosed: 0,
	assigned: 0,
	ackJudged: 0,
	ackOnTime: 0,
	returned: 0,
	extended: 0,
	solvedAsked: 0,
	solved: 0,
	merged: 0
});

/** Rates from counts: percents rounded to 0.1, null where the denominator is 0; the composite with `weights`. */
export function hotlineFigures(c: HotlineCounts, weights: ThreeRateWeights = DEFAULT_THREE_RATE_WEIGHTS): HotlineFigures {
	// (satisfied + basic) ÷ reached: `satisfied` already holds both.
	const satisfactionRate = hotlineSatisfactionRate(c.satisfied, 0, c.reached);
	const acknowledged = acknowledgedOnTimeRate(c.ackOnTime, c.ackJudged);
	const resolved = resolvedRate(c.solved, c.solvedAsked);
	return {
		...c,
		closureRate: closureRate(c.closed, c.received),
		cohortClosureRate: cohortClosureRate(c.cohortClosed, c.received),
		onTimeRate: onTimeRate(c.closedOnTime, c.closed),
		callbackRate: rate(c.callbacks, c.closed),
		satisfactionRate,
		acknowledgedOnTimeRate: acknowledged,
		resolvedRate: resolved,
		returnRate: returnRate(c.returned, c.assigned),
		extensionRate: extensionRate(c.extended, c.assigned),
		repeatRate: repeatRate(c.merged, c.received),
		composite: threeRateComposite({ response: acknowledged, resolved, satisfaction: satisfactionRate }, weights)
	};
}

/** Departments by the three-rate composite, best first; none last (rank null). Equal composites share a rank. */
export function rankByComposite<T extends { departmentCode: string; composite: number | null }>(items: T[]): Array<T & { compositeRank: number | null }> {
	const ranked = items.filter((x) => x.composite != null).sort((a, b) => b.composite! - a.composite! || (a.departmentCode < b.departmentCode ? -1 : 1));
	let rank = 0;
	const out = ranked.map((x, i) => {
		if (i === 0 || x.composite !== ranked[i - 1].composite) rank = i + 1;
		return { ...x, compositeRank: rank };
	});
	return [...out, ...items.filter((x) => x.composite == null).map((x) => ({ ...x, compositeRank: null }))];
}

/** First day of the year to the last day of `month` (YYYY-MM), and its instants [start, end), for 1–N月累计. */
export function yearToDate(month: string, tz: string): { from: string; to: string; start: number; end: number } {
	const first = monthRange(`${month.slice(0, 4)}-01`, tz);
	const last = monthRange(month, tz);
	return { from: first.from, to: last.to, start: first.start, end: last.end };
}

export interface DepartmentFigures extends HotlineFigures {
	departmentCode: string;
	name: string;
	rank: number;
}

/**
 * Departments best first: by closure rate, then on-time rate, then satisfaction (a missing rate
 * ranks below any), then more tickets received. Equal on all four share a rank ("1224").
 */
export function rankDepartments(items: Array<Omit<DepartmentFigures, 'rank'>>): DepartmentFigures[] {
	const key = (x: Omit<DepartmentFigures, 'rank'>) => [x.closureRate ?? -1, x.onTimeRate ?? -1, x.satisfactionRate ?? -1, x.received];
	const sorted = [...items].sort((a, b) => {
		const ka = key(a);
		const kb = key(b);
		for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
		return a.departmentCode < b.departmentCode ? -1 : 1;
	});
	let rank = 0;
	let prev = '';
	return sorted.map((x, i) => {
		const k = key(x).join('|');
		if (i === 0 || k !== prev) rank = i + 1;
		prev = k;
		return { ...x, rank };
	});
}

// ── month ─────────────────────────────────────────────────────────────────────

/** First and last local day of a month `YYYY-MM`, and the instants bounding it [start, end) in `tz`. */
export function monthRange(month: string, tz: string): { from: string; to: string; start: number; end: number } {
	const [y, m] = month.split('-').map(Number);
	const from = `${month}-01`;
	const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
	const last = new Date(Date.parse(`${next}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
	return { from, to: last, start: localInstant(from, 0, tz), end: localInstant(next, 0, tz) };
}

// ── the ticket list's filter ─────────────────────────────────────────────────────

/** `open` = not closed. */
export type StatusFilter = HotlineStatus | 'open';
/** Which date `from`/`to` bound: when received (default), closed, or (latest) assigned. */
export type DateField = 'created' | 'closed' | 'assigned';
export type CallbackFilter = 'any' | 'none' | 'reached' | 'unreached';
/** `good` = satisfied or basic. */
export type SatisfactionFilter = 'good' | 'satisfied' | 'basic' | 'unsatisfied';

export interface TicketFilter {
	status: StatusFilter | null;
	departmentCode: string | null;
	category: string | null;
	/** Open and past its due time now. */
	overdue: boolean;
	/** Local dates `YYYY-MM-DD`, inclusive. */
	from: string | null;
	to: string | null;
	on: DateField;
	/** Closed at or before the due time (true) or after it (false). */
	onTime: boolean | null;
	callback: CallbackFilter | null;
	satisfaction: SatisfactionFilter | null;
	/** Under supervision (督办). */
	supervised: boolean;
	q: string | null;
	/** 签收 of the latest assignment judged in time (true) or late (false). */
	ackOnTime: boolean | null;
	/** Returned at least once (退单); with an approved extension (延期). */
	returned: boolean;
	extended: boolean;
	/** Callback said solved (true) or not (false). */
	solved: boolean | null;
	/** Merged into another ticket (重复件): only these when set; otherwise merged ones are left out. */
	merged: boolean;
	/** Waiting for the center: a return to review or an extension to decide. */
	pending: 'return' | 'extension' | null;
}

export const NO_FILTER: TicketFilter = {
	status: null,
	departmentCode: null,
	category: null,
	overdue: false,
	from: null,
	to: null,
	on: 'created',
	onTime: null,
	callback: null,
	satisfaction: null,
	supervised: false,
	q: null,
	ackOnTime: null,
	returned: false,
	extended: false,
	solved: null,
	merged: false,
	pending: null
};

const oneOf = <T extends string>(v: string | null, values: readonly T[]): T | null => (v && (values as readonly string[]).includes(v) ? (v as T) : null);

/** The filter of a query string; values that make no sense are left out (never an error). */
export function parseTicketFilter(params: URLSearchParams): TicketFilter {
	const q = (k: string) => params.get(k)?.trim() || null;
	const day = (k: string) => {
		const v = q(k);
		return v && isDayKey(v) ? v : null;
	};
	const ontime = q('ontime');
	const flag = (k: string) => (q(k) === '1' ? true : q(k) === '0' ? false : null);
	return {
		status: oneOf<StatusFilter>(q('status'), [...HOTLINE_STATUSES, 'open']),
		departmentCode: q('department'),
		category: q('category'),
		overdue: q('overdue') === '1',
		from: day('from'),
		to: day('to'),
		on: q('on') === 'closed' ? 'closed' : q('on') === 'assigned' ? 'assigned' : 'created',
		onTime: ontime === '1' ? true : ontime === '0' ? false : null,
		callback: oneOf<CallbackFilter>(q('callback'), ['any', 'none', 'reached', 'unreached']),
		satisfaction: oneOf<SatisfactionFilter>(q('satisfaction'), ['good', 'satisfied', 'basic', 'unsatisfied']),
		supervised: q('supervised') === '1',
		q: q('q')?.slice(0, 100) ?? null,
		ackOnTime: flag('ack'),
		returned: q('returned') === '1',
		extended: q('extended') === '1',
		solved: flag('solved'),
		merged: q('merged') === '1',
		pending: oneOf<'return' | 'extension'>(q('pending'), ['return', 'extension'])
	};
}

/** The query string of a filter (only what differs from no filter), for links. */
export function filterQuery(f: Partial<TicketFilter>): string {
	const p = new URLSearchParams();
	const full = { ...NO_FILTER, ...f };
	if (full.status) p.set('status', full.status);
	if (full.departmentCode) p.set('department', full.departmentCode);
	if (full.category) p.set('category', full.category);
	if (full.overdue) p.set('overdue', '1');
	if (full.from) p.set('from', full.from);
	if (full.to) p.set('to', full.to);
	if (full.on !== 'created') p.set('on', full.on);
	if (full.onTime != null) p.set('ontime', full.onTime ? '1' : '0');
	if (full.callback) p.set('callback', full.callback);
	if (full.satisfaction) p.set('satisfaction', full.satisfaction);
	if (full.supervised) p.set('supervised', '1');
	if (full.q) p.set('q', full.q);
	if (full.ackOnTime != null) p.set('ack', full.ackOnTime ? '1' : '0');
	if (full.returned) p.set('returned', '1');
	if (full.extended) p.set('extended', '1');
	if (full.solved != null) p.set('solved', full.solved ? '1' : '0');
	if (full.merged) p.set('merged', '1');
	if (full.pending) p.set('pending', full.pending);
	return p.toString();
}

/** The instants a filter's dates bound, [start, end), in `tz`. */
export function dateBounds(f: Pick<TicketFilter, 'from' | 'to'>, tz: string): { start: number | null; end: number | null } {
	return { start: f.from ? localInstant(f.from, 0, tz) : null, end: f.to ? localInstant(nextDay(f.to), 0, tz) : null };
}

export type FigureKey =
	| 'received'
	| 'closed'
	| 'closureRate'
	| 'cohortClosureRate'
	| 'onTimeRate'
	| 'callbackRate'
	| 'satisfactionRate'
	| 'unsatisfied'
	| 'late'
	| 'acknowledgedOnTimeRate'
	| 'resolvedRate'
	| 'returnRate'
	| 'extensionRate'
	| 'repeatRate';

/** The tickets behind a figure of the month, optionally of one department: the list's filter. */
export function drillDown(figure: FigureKey, month: { from: string; to: string }, departmentCode?: string): Partial<TicketFilter> {
	const dept = departmentCode ? { departmentCode } : {};
	const received = { ...dept, from: month.from, to: month.to, on: 'created' as const };
	const closed = { ...dept, status: 'closed' as const, from: month.from, to: month.to, on: 'closed' as const };
	switch (figure) {
		case 'received':
			return received;
		case 'closed':
		case 'closureRate':
			return closed;
		case 'onTimeRate':
			return { ...closed, onTime: true };
		case 'late':
			return { ...closed, onTime: false };
		case 'callbackRate':
			return { ...closed, callback: 'any' };
		case 'satisfactionRate':
			return { ...closed, callback: 'reached', satisfaction: 'good' };
		case 'unsatisfied':
			return { ...closed, callback: 'reached', satisfaction: 'unsatisfied' };
		case 'cohortClosureRate':
			return { ...received, status: 'closed' };
		case 'acknowledgedOnTimeRate':
			return { ...dept, from: month.from, to: month.to, on: 'assigned', ackOnTime: true };
		case 'resolvedRate':
			return { ...closed, callback: 'reached', solved: true };
		case 'returnRate':
			return { ...dept, from: month.from, to: month.to, on: 'assigned', returned: true };
		case 'extensionRate':
			return { ...dept, from: month.from, to: month.to, on: 'assigned', extended: true };
		case 'repeatRate':
			return { ...received, merged: true };
	}
}

// ── keyset paging ────────────────────────────────────────────────────────────────

/** Position after the last row shown: newest first by (createdAt, ticketId). */
export interface Cursor {
	createdAt: number;
	ticketId: string;
}

export function encodeCursor(c: Cursor): string {
	return `${c.createdAt}~${encodeURIComponent(c.ticketId)}`;
}

export function decodeCursor(s: string | null | undefined): Cursor | null {
	const m = s ? /^(\d{1,15})~(.{1,400})$/.exec(s) : null;
	if (!m) return null;
	try {
		return { createdAt: Number(m[1]), ticketId: decodeURIComponent(m[2]) };
	} catch {
		return null;
	}
}
