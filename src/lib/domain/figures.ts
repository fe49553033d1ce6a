/**
 * The snapshot figures of every scope, kept incrementally (issue #12: work proportional to what
 * changed, not to the size of the org times the number of scopes). Pure: no I/O, time comes in.
 *
 * - A **part** is what one *home* contributes: a center (its counters, windows, presence checks,
 *   cards, overdue tickets, departments and a one-line summary), a region's own items (those of
 *   no center: the city's hotline tickets, region-level cases), the deployment's own, and the
 *   bureaus of no center. A part is computed from the live state once and kept until an event
 *   touches its home (`LiveState.touched`, recorded by the reducer) or time alone changes it
 *   (`validUntil`: a presence check's deadline, midnight, an overdue ticket's next whole day).
 * - A region's **aggregate** is combined from its children's: the centers directly in it, its
 *   own items, and the aggregates of the regions below. A change in one center recombines its
 *   region and their ancestors only, each from its direct children.
 * - A scope's snapshot is one aggregate (a center's part with its region's items; a region's
 *   aggregate; the roots' for the deployment) finished into spec §2's shape.
 *
 * `buildSnapshot` (snapshot.ts) runs the same code on a fresh cache: from scratch. Region and
 * deployment snapshots list their centers (one summary each) and their child regions, never
 * every window, and keep the department lists to the best `REGION_LIST` (a center lists all).
 */
import { cardTargetName } from './cards';
import { INDICATORS } from './catalog';
import { COUNTER_KEYS, type CounterKey, type Counters } from './counters';
import { alertInScope, type AlertState } from './evolve/alerts';
import type { CardState, CheckState, LiveState } from './projection';
import { bucketKey, centerOfHome, homeKey, homeKeyOf, hourlyKey, type HomeKey } from './keys';
import {
	average,
	closureRate,
	departmentScore,
	scoreInputsOf,
	evaluationSatisfactionRate,
	hotlineSatisfactionRate,
	immediateRate,
	onTimeRate,
	presenceResponseRate,
	rankBy,
	rankSorted,
	DEFAULT_SCORING,
	DEFAULT_THREE_RATE_WEIGHTS,
	acknowledgedOnTimeRate,
	answeredIn15sRate,
	callAnswerRate,
	cohortClosureRate,
	extensionRate,
	repeatRate,
	resolvedRate,
	returnRate,
	threeRateComposite,
	type ScoringRules,
	type ThreeRateWeights
} from './metrics';
import type { Department, OrgIndex } from './org';
import type { RegionRankItem, Scope, Snapshot } from './snapshot';
import { dayKey, endOfDay, monthOfDay, previousDay } from './time';

const DAY = 86_400_000;
/** The most departments a region's or the deployment's lists carry (a center lists all of its own). */
export const REGION_LIST = 50;
/** Checks issued within this gap of each other belong to one presence round. */
const ROUND_GAP_MS = 120_000;
/** The pseudo home of the departments that work in no center (a region's or the deployment's lists show them). */
export const NO_CENTER_DEPARTMENTS = 'departments|';

type CardItem = Snapshot['cards']['latest'][number];
type OverdueItem = Snapshot['hotline']['overdue'][number];
type LatestRound = NonNullable<Snapshot['presence']['latestRound']>;

/** One center as its region's wall lists it. */
export interface CenterSummary {
	name: string;
	regionCode: string;
	ticketsIssuedToday: number;
	waitingNow: number;
	servedToday: number;
	avgWaitSec: number | null;
	windowsOpen: number;
	windowsTotal: number;
	windowsServing: number;
	checksToday: number;
	missedToday: number;
	presenceResponseRate: number | null;
	yellowMonth: number;
	redMonth: number;
	casesAcceptedToday: number;
	casesCompletedToday: number;
	casesOverdueOpen: number;
	satisfactionRate: number | null;
}

/** A child region as a tile of its parent's wall. */
export interface RegionTile {
	regionCode: string;
	name: string;
	centers: number;
	ticketsIssuedToday: number;
	waitingNow: number;
	servedToday: number;
	windowsOpen: number;
	windowsTotal: number;
	presenceResponseRate: number | null;
	yellowMonth: number;
	redMonth: number;
	casesOverdueOpen: number;
	hotlineClosureRate: number | null;
	satisfactionRate: number | null;
}

interface DeptRow {
	code: string;
	name: string;
	/** Position in the org (ties keep the org's order). */
	ord: number;
	waiting: number;
	yellow: number;
	red: number;
	assigned: number;
	closed: number;
	closureRate: number | null;
	score: number;
	/** This month's three rates (响应率 = 签收及时率, 解决率, 满意率) and their composite. */
	responseRate: number | null;
	resolvedRate: number | null;
	satisfactionRate: number | null;
	composite: number | null;
	returned: number;
	extended: number;
}

/** What a home, or a region of homes, adds up to. Aggregates are combinations of these. */
interface Agg {
	/** Today's and this month's counters, by COUNTER_KEYS index (added up fast, in one allocation each). */
	day: Float64Array;
	month: Float64Array;
	/** This year's months up to this one (year to date, 1–N月累计). */
	year: Float64Array;
	hours: number[];
	hoursYesterday: number[];
	windows: { open: number; serving: number; paused: number; total: number };
	due: number;
	confirmedDue: number;
	pendingNow: number;
	rounds: number;
	latestRound: LatestRound | null;
	casesOverdueOpen: number;
	hotlineOverdueOpen: number;
	cards: CardItem[];
	overdue: OverdueItem[];
	/** Open tickets past due by department (all of them, not only the 10 listed). */
	overdueByDept: Map<string, number>;
	/** Department rows, each list sorted best first: waiting now, cards this month, hotline closure, score. */
	waiting: DeptRow[];
	carded: DeptRow[];
	hotline: DeptRow[];
	scores: DeptRow[];
	/** A center's part: its summary by its code (shared while the part stands: unchanged ones compare equal). */
	centers: Record<string, CenterSummary>;
	centerCount: number;
	/** A center's part: its center, whose window list is made when a snapshot first shows it (then kept on the part). */
	windowCenter: string | null;
	windowList: Snapshot['windows'] | null;
	/** An aggregate of one center: that center's part (its windows are the scope's). */
	windowSource: Agg | null;
	/** When time alone changes the part. */
	validUntil: number;
	/** A region aggregate's tile on its parent's wall, made when first asked for. */
	tile?: RegionTile;
}

// ── one home ─────────────────────────────────────────────────────────────────────

interface Ctx {
	state: LiveState;
	org: OrgIndex;
	now: number;
	scoring: ScoringRules;
	weights: ThreeRateWeights;
	ord: Map<string, number>;
	index: HomeIndex;
}

const byWaiting = (a: DeptRow, b: DeptRow) => b.waiting - a.waiting || a.ord - b.ord;
const byCards = (a: DeptRow, b: DeptRow) => b.red * 3 + b.yellow - (a.red * 3 + a.yellow) || a.ord - b.ord;
const byClosure = (a: DeptRow, b: DeptRow) => (b.closureRate ?? -1) - (a.closureRate ?? -1) || a.ord - b.ord;
const byScore = (a: DeptRow, b: DeptRow) => b.score - a.score || a.ord - b.ord;
const byCardTime = (a: CardItem, b: CardItem) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.cardId < b.cardId ? -1 : 1);
const byDaysOverdue = (a: OverdueItem, b: OverdueItem) => b.daysOverdue - a.daysOverdue || (a.ticketId < b.ticketId ? -1 : 1);

const N = COUNTER_KEYS.length;
const INDEX = Object.fromEntries(COUNTER_KEYS.map((k, i) => [k, i])) as Record<CounterKey, number>;

/** Add a bucket's counters into a vector. */
function addCounters(into: Float64Array, c: Partial<Counters>): void {
	for (const k in c) {
		const i = INDEX[k as CounterKey];
		if (i !== undefined) into[i] += c[k as CounterKey] ?? 0;
	}
}

/** The counters of a vector, by name. */
function countersOf(v: Float64Array): Counters {
	const c = {} as Counters;
	for (let i = 0; i < N; i++) c[COUNTER_KEYS[i]] = v[i];
	return c;
}

function emptyAgg(): Agg {
	return {
		day: new Float64Array(N),
		month: new Float64Array(N),
		year: new Float64Array(N),
		hours: new Array(24).fill(0),
		hoursYesterday: new Array(24).fill(0),
		windows: { open: 0, serving: 0, paused: 0, total: 0 },
		due: 0,
		confirmedDue: 0,
		pendingNow: 0,
		rounds: 0,
		latestRound: null,
		casesOverdueOpen: 0,
		hotlineOverdueOpen: 0,
		cards: [],
		overdue: [],
		overdueByDept: new Map(),
		waiting: [],
		carded: [],
		hotline: [],
		scores: [],
		centers: {},
		centerCount: 0,
		windowCenter: null,
		windowList: null,
		windowSource: null,
		validUntil: Infinity
	};
}

/** The part of one home: `center|C`, `region|R`, `all|`, or the bureaus of no center. */
function homePart(home: HomeKey, c: Ctx): Agg {
	const { state, org, now } = c;
	const p = emptyAgg();
	const center = centerOfHome(home);
	const tz = org.timezoneOf(center);
	const today = dayKey(now, tz);
	const month = monthOfDay(today);
	p.validUntil = endOfDay(today, tz) + 1;
	if (home === NO_CENTER_DEPARTMENTS) {
		departmentRows(org.departmentsOfNoCenter(), p, c);
		return p;
	}
	const dayB = state.buckets.get(`${home}|${today}`);
	const monB = state.buckets.get(`${home}|${month}`);
	if (dayB) addCounters(p.day, dayB);
	if (monB) addCounters(p.month, monB);
	const year = month.slice(0, 4);
	for (let m = 1, last = Number(month.slice(5)); m <= last; m++) {
		const b = state.buckets.get(`${home}|${year}-${String(m).padStart(2, '0')}`);
		if (b) addCounters(p.year, b);
	}
	const h = state.hourly.get(hourlyKey(home, today));
	const y = state.hourly.get(hourlyKey(home, previousDay(today)));
	if (h) for (let i = 0; i < 24; i++) p.hours[i] += h[i];
	if (y) for (let i = 0; i < 24; i++) p.hoursYesterday[i] += y[i];
	const g = state.gauges.get(home);
	if (g) {
		p.casesOverdueOpen = g.casesOverdueOpen;
		p.hotlineOverdueOpen = g.hotlineOverdueOpen;
	}

	// Cards of this month (by the card's center's zone), newest first.
	for (const id of c.index.ids('cards', home)) {
		const k = state.cards.get(id);
		if (!k) {
			c.index.forget('cards', home, id);
			continue;
		}
		if (k.at == null || monthOfDay(k.day) !== monthOfDay(dayKey(now, org.timezoneOf(k.place.centerCode)))) continue;
		p.cards.push(cardItem(id, k, org));
	}
	p.cards.sort(byCardTime);
	p.cards.length = Math.min(p.cards.length, 10);

	// Open hotline tickets past due; each moves on a day at its own hour.
	for (const id of c.index.ids('hotline', home)) {
		const t = state.hotline.get(id);
		if (!t?.inOverdueGauge) {
			c.index.forget('hotline', home, id);
			continue;
		}
		if (t.dueAt == null) continue;
		const days = Math.max(0, Math.floor((now - t.dueAt) / DAY));
		p.validUntil = Math.min(p.validUntil, t.dueAt + (days + 1) * DAY);
		if (t.departmentCode) p.overdueByDept.set(t.departmentCode, (p.overdueByDept.get(t.departmentCode) ?? 0) + 1);
		p.overdue.push({ ticketId: id, category: t.category, departmentCode: t.departmentCode, departmentName: t.departmentCode ? (org.departments.get(t.departmentCode)?.name ?? t.departmentCode) : null, daysOverdue: days });
	}
	p.overdue.sort(byDaysOverdue);
	p.overdue.length = Math.min(p.overdue.length, 10);

	if (!center) return p;
	if (!org.centers.has(center)) return p;
	centerPart(center, today, p, c);
	return p;
}

function cardItem(cardId: string, k: CardState, org: OrgIndex): CardItem {
	return {
		cardId,
		color: k.color,
		at: new Date(k.at!).toISOString(),
		targetKind: k.targetKind ?? 'staff',
		targetCode: k.targetCode ?? '',
		targetName: cardTargetName(org, k.targetKind, k.targetCode),
		departmentName: k.place.departmentCode ? (org.departments.get(k.place.departmentCode)?.name ?? null) : null,
		reason: k.reason ?? 'other',
		note: k.note ?? null,
		rule: k.rule ?? null,
		revoked: k.revoked
	};
}

/** A center's window grid as its wall shows it (made only for a scope that shows it). */
function windowList(center: string, c: Ctx): Snapshot['windows'] {
	const { state, org, now } = c;
	const today = dayKey(now, org.timezoneOf(center));
	const list: Snapshot['windows'] = [];
	for (const w of org.windowsOf(center)) {
		const s = state.windows.get(w.code);
		const status = s?.status ?? 'closed';
		const serving = status === 'open' && s?.ticketState === 'serving';
		// Called a ticket, not yet serving it: 呼叫中 with its number (not idle).
		const calling = status === 'open' && s?.ticketState === 'called';
		const staff = s?.staffCode ?? null;
		const absent = status !== 'closed' && staff != null && state.onDuty.get(staff) === false;
		const wc = state.buckets.get(bucketKey('window', w.code, today));
		list.push({
			code: w.code,
			name: w.name,
			departmentCode: w.departmentCode,
			departmentName: org.departments.get(w.departmentCode)?.name ?? w.departmentCode,
			status: absent ? 'absent' : serving ? 'serving' : calling ? 'calling' : status,
			reason: s?.reason ?? null,
			staffCode: staff,
			staffName: staff ? (org.staff.get(staff)?.name ?? null) : null,
			ticketNo: s?.ticketNo ?? null,
			since: s?.ticketSince ?? s?.changedAt ?? null,
			card: wc?.redCards ? 'red' : wc?.yellowCards ? 'yellow' : null
		});
	}
	return list;
}

/** The window list of an aggregate's one center (none when it has several), kept on that center's part. */
function windowsOfAgg(a: Agg, c: Ctx): Snapshot['windows'] {
	const src = a.windowSource ?? a;
	if (src.windowCenter === null) return [];
	return (src.windowList ??= windowList(src.windowCenter, c));
}

/** What only a center has: windows, presence checks, departments, its summary. */
function centerPart(center: string, today: string, p: Agg, c: Ctx): void {
	const { state, org, now } = c;
	for (const w of org.windowsOf(center)) {
		p.windows.total++;
		const status = state.windows.get(w.code)?.status ?? 'closed';
		if (status === 'open') p.windows.open++;
		else if (status === 'paused') p.windows.paused++;
		if (status === 'open' && state.windows.get(w.code)?.ticketState === 'serving') p.windows.serving++;
	}
	p.windowCenter = center;

	// Presence: confirmed ÷ checks whose deadline has passed; a pending one changes the part at its deadline.
	const home = homeKey('center', center);
	const todays: CheckState[] = [];
	for (const id of c.index.ids('checks', home)) {
		const k = state.checks.get(id);
		if (!k) {
			c.index.forget('checks', home, id);
			continue;
		}
		if (k.day !== today) continue;
		todays.push(k);
		// "Passed" is strictly after: at the deadline itself a confirmation still counts (as in dueDerivedEvents).
		if (k.deadline < now) {
			p.due++;
			if (k.confirmedAt != null && k.confirmedAt <= k.deadline) p.confirmedDue++;
		} else {
			if (k.confirmedAt == null) p.pendingNow++;
			p.validUntil = Math.min(p.validUntil, k.deadline + 1);
		}
	}
	rounds(todays, p, org, now);
	departmentRows(org.departmentsOf(center), p, c);

	const day = countersOf(p.day);
	const mon = countersOf(p.month);
	p.centerCount = 1;
	p.centers = {
		[center]: {
			name: org.centers.get(center)!.name,
			regionCode: org.centers.get(center)!.regionCode,
			ticketsIssuedToday: day.ticketsIssued,
			waitingNow: Math.max(0, day.waiting),
			servedToday: day.servicesCompleted,
			avgWaitSec: average(day.waitSum, day.waitCount),
			windowsOpen: p.windows.open,
			windowsTotal: p.windows.total,
			windowsServing: p.windows.serving,
			checksToday: day.checksIssued,
			missedToday: day.checksMissed,
			presenceResponseRate: presenceResponseRate(p.confirmedDue, p.due),
			yellowMonth: mon.yellowCards,
			redMonth: mon.redCards,
			casesAcceptedToday: day.casesAccepted,
			casesCompletedToday: day.casesCompleted,
			casesOverdueOpen: p.casesOverdueOpen,
			satisfactionRate: evaluationSatisfactionRate(mon.ratingsGood, mon.ratings)
		}
	};
}

/**
 * A center's rounds today: checks that name their round (roundId) by it, however close in time;
 * checks without one issued within 2 minutes of each other form one. The latest, with who missed it.
 */
function rounds(checks: CheckState[], p: Agg, org: OrgIndex, now: number): void {
	if (!checks.length) return;
	const sorted = [...checks].sort((a, b) => a.issuedAt - b.issuedAt);
	const groups = new Map<string, CheckState[]>();
	let unnamed = 0;
	let lastUnnamed = -Infinity;
	for (const k of sorted) {
		let key: string;
		if (k.roundId) key = `r:${k.roundId}`;
		else {
			if (k.issuedAt - lastUnnamed > ROUND_GAP_MS) unnamed++;
			lastUnnamed = k.issuedAt;
			key = `t:${unnamed}`;
		}
		const g = groups.get(key);
		if (g) g.push(k);
		else groups.set(key, [k]);
	}
	p.rounds = groups.size;
	// The latest round: the one whose first check was issued last (Map order is by first check).
	const round = [...groups.values()].at(-1)!;
	p.latestRound = {
		at: new Date(round[0].issuedAt).toISOString(),
		checks: round.length,
		confirmed: round.filter((k) => k.confirmedAt != null && k.confirmedAt <= k.deadline).length,
		missed: round
			.filter((k) => k.missed || (k.confirmedAt == null && k.deadline < now) || (k.confirmedAt != null && k.confirmedAt > k.deadline))
			.map((k) => ({ staffCode: k.staffCode, name: org.staff.get(k.staffCode)?.name ?? k.staffCode, windowCode: k.windowCode, windowName: k.windowCode ? (org.windows.get(k.windowCode)?.name ?? k.windowCode) : null }))
	};
}

/** Department rows of a center (or of no center): today's waiting in their zone, this month's cards and hotline, the score. */
function departmentRows(departments: readonly Department[], p: Agg, c: Ctx): void {
	const { state, org, now, scoring, weights } = c;
	const scoreMonth = monthOfDay(dayKey(now, org.timezoneOf(null)));
	for (const d of departments) {
		const dtz = org.timezoneOf(d.centerCode ?? null);
		const dday = dayKey(now, dtz);
		const today = state.buckets.get(bucketKey('department', d.code, dday));
		const mon = state.buckets.get(bucketKey('department', d.code, monthOfDay(dday)));
		const scored = state.buckets.get(bucketKey('department', d.code, scoreMonth));
		const assigned = mon?.hotlineAssigned ?? 0;
		const closed = mon?.hotlineClosed ?? 0;
		const three = {
			response: acknowledgedOnTimeRate(mon?.hotlineAckOnTime ?? 0, mon?.hotlineAckJudged ?? 0),
			resolved: resolvedRate(mon?.hotlineSolved ?? 0, mon?.hotlineSolvedAsked ?? 0),
			satisfaction: hotlineSatisfactionRate(mon?.hotlineSatisfied ?? 0, mon?.hotlineBasic ?? 0, mon?.hotlineReached ?? 0)
		};
		const row: DeptRow = {
			code: d.code,
			name: d.name,
			ord: c.ord.get(d.code) ?? 0,
			waiting: today?.waiting ?? 0,
			yellow: mon?.yellowCards ?? 0,
			red: mon?.redCards ?? 0,
			assigned,
			closed,
			closureRate: closureRate(closed, assigned),
			score: departmentScore(scoreInputsOf(scored), scoring).score,
			responseRate: three.response,
			resolvedRate: three.resolved,
			satisfactionRate: three.satisfaction,
			composite: threeRateComposite(three, weights),
			returned: mon?.hotlineReturned ?? 0,
			extended: mon?.hotlineExtended ?? 0
		};
		if (row.waiting > 0) p.waiting.push(row);
		if (row.yellow || row.red) p.carded.push(row);
		if (assigned) p.hotline.push(row);
		p.scores.push(row);
	}
	p.waiting.sort(byWaiting);
	p.waiting.length = Math.min(p.waiting.length, 12);
	p.carded.sort(byCards);
	p.hotline.sort(byClosure);
	p.scores.sort(byScore);
}

// ── combining ────────────────────────────────────────────────────────────────────

/**
 * The best `cap` items of lists each already sorted by `cmp` (a total order: every comparator
 * here ends on a unique key), as sorting them all would give: a k-way merge that stops at `cap`,
 * so a county's 25 centers' department lists cost 50 picks, not a sort of 500.
 */
export function mergeTop<T>(lists: T[][], cmp: (a: T, b: T) => number, cap: number): T[] {
	const out: T[] = [];
	const heads = new Array<number>(lists.length).fill(0);
	while (out.length < cap) {
		let best = -1;
		for (let i = 0; i < lists.length; i++) {
			if (heads[i] >= lists[i].length) continue;
			if (best < 0 || cmp(lists[i][heads[i]], lists[best][heads[best]]) < 0) best = i;
		}
		if (best < 0) break;
		out.push(lists[best][heads[best]++]);
	}
	return out;
}

/** Add up parts and aggregates; lists keep their best `cap` (all when Infinity). */
function combine(items: Agg[], cap: number): Agg {
	if (items.length === 1 && cap === Infinity) return items[0];
	const a = emptyAgg();
	for (const x of items) {
		for (let i = 0; i < N; i++) {
			a.day[i] += x.day[i];
			a.month[i] += x.month[i];
			a.year[i] += x.year[i];
		}
		for (const [k, n] of x.overdueByDept) a.overdueByDept.set(k, (a.overdueByDept.get(k) ?? 0) + n);
		for (let i = 0; i < 24; i++) {
			a.hours[i] += x.hours[i];
			a.hoursYesterday[i] += x.hoursYesterday[i];
		}
		a.windows.open += x.windows.open;
		a.windows.serving += x.windows.serving;
		a.windows.paused += x.windows.paused;
		a.windows.total += x.windows.total;
		a.due += x.due;
		a.confirmedDue += x.confirmedDue;
		a.pendingNow += x.pendingNow;
		a.rounds += x.rounds;
		if (x.latestRound && (!a.latestRound || x.latestRound.at > a.latestRound.at)) a.latestRound = x.latestRound;
		a.casesOverdueOpen += x.casesOverdueOpen;
		a.hotlineOverdueOpen += x.hotlineOverdueOpen;
		a.centerCount += x.centerCount;
		a.validUntil = Math.min(a.validUntil, x.validUntil);
	}
	a.cards = mergeTop(items.map((x) => x.cards), byCardTime, 10);
	a.overdue = mergeTop(items.map((x) => x.overdue), byDaysOverdue, 10);
	a.waiting = mergeTop(items.map((x) => x.waiting), byWaiting, 12);
	a.carded = mergeTop(items.map((x) => x.carded), byCards, cap);
	a.hotline = mergeTop(items.map((x) => x.hotline), byClosure, cap);
	a.scores = mergeTop(items.map((x) => x.scores), byScore, cap);
	// One center under it: its windows are the scope's (a one-center deployment keeps its grid).
	if (a.centerCount === 1) {
		const one = items.find((x) => x.centerCount === 1)!;
		a.windowSource = one.windowSource ?? one;
	}
	return a;
}

// ── the snapshot of a scope ──────────────────────────────────────────────────────

function finish(a: Agg, scope: Scope, c: Ctx, tiles: RegionTile[] | null, tz: string, names: Snapshot['names'] | null, regionRanks: Snapshot['rankings']['regions']): Snapshot {
	const { state, org, now } = c;
	const day = countersOf(a.day);
	const mon = countersOf(a.month);
	const yr = countersOf(a.year);
	// The rows come sorted by the same value (best first, ties in org order), as rankBy would sort them.
	const rank = <T extends { rank?: number }>(rows: DeptRow[], value: (r: DeptRow) => number, map: (r: DeptRow) => Omit<T, 'rank'>) =>
		rankSorted(rows, value).map((r, i) => ({ ...map(rows[i]), rank: r }) as T);
	return {
		seq: state.seq,
		asOf: new Date(now).toISOString(),
		scope: scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.code}`,
		scopeName: scope.kind === 'center' ? (org.centers.get(scope.code)?.name ?? null) : scope.kind === 'region' ? (org.regions.get(scope.code)?.name ?? null) : null,
		scopeTitle: scope.kind === 'center' ? (org.centers.get(scope.code)?.title ?? null) : null,
		timezone: tz,
		hall: {
			ticketsIssuedToday: day.ticketsIssued,
			waitingNow: Math.max(0, day.waiting),
			servedToday: day.servicesCompleted,
			avgWaitSec: average(day.waitSum, day.waitCount),
			avgServiceSec: average(day.serviceSum, day.serviceCount),
			windowsOpen: a.windows.open,
			windowsTotal: a.windows.total,
			windowsServing: a.windows.serving,
			windowsPaused: a.windows.paused,
			ticketsPerHour: a.hours.slice(),
			ticketsPerHourYesterday: a.hoursYesterday.slice(),
			waitingByDepartment: a.waiting.map((r) => ({ departmentCode: r.code, name: r.name, waiting: r.waiting }))
		},
		presence: {
			checksToday: day.checksIssued,
			confirmedToday: day.checksConfirmed,
			missedToday: day.checksMissed,
			pendingNow: a.pendingNow,
			responseRate: presenceResponseRate(a.confirmedDue, a.due),
			roundsToday: a.rounds,
			latestRound: a.latestRound
		},
		cards: {
			yellowToday: day.yellowCards,
			redToday: day.redCards,
			yellowMonth: mon.yellowCards,
			redMonth: mon.redCards,
			latest: a.cards,
			byDepartmentMonth: a.carded.map((r) => ({ departmentCode: r.code, name: r.name, yellow: r.yellow, red: r.red }))
		},
		cases: { acceptedToday: day.casesAccepted, completedToday: day.casesCompleted, overdueOpen: a.casesOverdueOpen, immediateRate: immediateRate(day.casesCompletedImmediate, day.casesCompleted) },
		evaluations: { satisfactionRate: evaluationSatisfactionRate(mon.ratingsGood, mon.ratings), ratingsMonth: mon.ratings },
		hotline: {
			receivedMonth: mon.hotlineReceived,
			closedMonth: mon.hotlineClosed,
			closureRate: closureRate(mon.hotlineClosed, mon.hotlineReceived),
			onTimeRate: onTimeRate(mon.hotlineClosedOnTime, mon.hotlineClosed),
			satisfactionRate: hotlineSatisfactionRate(mon.hotlineSatisfied, mon.hotlineBasic, mon.hotlineReached),
			overdueOpen: a.hotlineOverdueOpen,
			byDepartment: rank(a.hotline, (r) => r.closureRate ?? -1, (r) => ({ departmentCode: r.code, name: r.name, assigned: r.assigned, closed: r.closed, closureRate: r.closureRate })),
			overdue: a.overdue,
			cohortClosureRate: cohortClosureRate(mon.hotlineClosedOfReceived, mon.hotlineReceived),
			acknowledgedOnTimeRate: acknowledgedOnTimeRate(mon.hotlineAckOnTime, mon.hotlineAckJudged),
			resolvedRate: resolvedRate(mon.hotlineSolved, mon.hotlineSolvedAsked),
			compositeRate: threeRateComposite(
				{
					response: acknowledgedOnTimeRate(mon.hotlineAckOnTime, mon.hotlineAckJudged),
					resolved: resolvedRate(mon.hotlineSolved, mon.hotlineSolvedAsked),
					satisfaction: hotlineSatisfactionRate(mon.hotlineSatisfied, mon.hotlineBasic, mon.hotlineReached)
				},
				c.weights
			),
			returnedMonth: mon.hotlineReturned,
			returnRate: returnRate(mon.hotlineReturned, mon.hotlineAssigned),
			extendedMonth: mon.hotlineExtended,
			extensionRate: extensionRate(mon.hotlineExtended, mon.hotlineAssigned),
			mergedMonth: mon.hotlineMerged,
			repeatRate: repeatRate(mon.hotlineMerged, mon.hotlineReceived),
			callsOfferedToday: day.callsOffered,
			callsAnsweredToday: day.callsAnswered,
			callsAbandonedToday: day.callsAbandoned,
			callAnswerRate: callAnswerRate(day.callsAnswered, day.callsOffered),
			answeredIn15sRate: answeredIn15sRate(day.callsAnswered15, day.callsAnswered),
			receivedYear: yr.hotlineReceived,
			closedYear: yr.hotlineClosed,
			closureRateYear: closureRate(yr.hotlineClosed, yr.hotlineReceived),
			cohortClosureRateYear: cohortClosureRate(yr.hotlineClosedOfReceived, yr.hotlineReceived),
			threeRates: rankThreeRates(a.hotline).map((r) => ({
				departmentCode: r.code,
				name: r.name,
				responseRate: r.responseRate,
				resolvedRate: r.resolvedRate,
				satisfactionRate: r.satisfactionRate,
				composite: r.composite,
				rank: r.rank,
				assigned: r.assigned,
				returned: r.returned,
				extended: r.extended,
				overdueOpen: a.overdueByDept.get(r.code) ?? 0
			})),
			overdueByDepartment: [...a.overdueByDept]
				.map(([code, n]) => ({ departmentCode: code, name: org.departments.get(code)?.name ?? code, overdueOpen: n }))
				.sort((x, y) => y.overdueOpen - x.overdueOpen || (x.departmentCode < y.departmentCode ? -1 : 1))
		},
		rankings: {
			regions: regionRanks,
			departments: rank(a.scores, (r) => r.score, (r) => ({ departmentCode: r.code, name: r.name, score: r.score }))
		},
		windows: windowsOfAgg(a, c),
		names: names ?? { departments: {}, windows: {}, staff: {} },
		...alertFigures(state, org, scope, now),
		...(scope.kind === 'center' ? {} : { centers: a.centers, regions: tiles ?? [] })
	};
}

/** Departments by their three-rate composite, best first; a department without one comes last (no rank shared with those ranked). */
function rankThreeRates(rows: DeptRow[]): Array<DeptRow & { rank: number | null }> {
	const ranked = rankBy(
		rows.filter((r) => r.composite != null),
		(r) => r.composite!
	);
	return [...ranked, ...rows.filter((r) => r.composite == null).map((r) => ({ ...r, rank: null }))];
}

/** A sender silent longer than this shows as `silent` (the `source_silent` rule's default) — or sooner, with its alert open. */
export const SOURCE_SILENT_SEC = 30 * 60;

/** What every scope's alert figures read, listed once per state and seq (a flush's groups share it). */
interface AlertLists {
	state: LiveState;
	seq: number;
	open: AlertState[];
	silentAlert: Set<string>;
}
let alertLists: AlertLists | null = null;

function alertListsOf(state: LiveState): AlertLists {
	if (alertLists && alertLists.state === state && alertLists.seq === state.seq) return alertLists;
	const open: AlertState[] = [];
	const silentAlert = new Set<string>();
	for (const a of state.alerts.values())
		if (a.resolvedAt == null) {
			open.push(a);
			if (a.kind === 'source_silent' && a.key.startsWith('source_silent|source:')) silentAlert.add(a.key.slice(21));
		}
	return (alertLists = { state, seq: state.seq, open, silentAlert });
}

const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/** The home whose figures show a sender: its latest event's center, else its region, else the deployment. */
function sourceHome(s: LiveState['sources'] extends Map<string, infer V> ? V : never): HomeKey {
	return s.centerCode ? homeKey('center', s.centerCode) : s.regionCode ? homeKey('region', s.regionCode) : 'all|';
}

/** `alerts.open`, `alerts.openRed` and `sources` of a scope (spec §5.2). */
function alertFigures(state: LiveState, org: OrgIndex, scope: Scope, now: number): Pick<Snapshot, 'alerts' | 'sources'> {
	const lists = alertListsOf(state);
	let open = 0;
	let openRed = 0;
	for (const a of lists.open)
		if (alertInScope(a, scope, org)) {
			open++;
			if (a.level === 'red') openRed++;
		}
	const sources: Snapshot['sources'] = [];
	for (const [name, s] of state.sources) {
		if (!alertInScope({ place: { centerCode: s.centerCode, regionCode: s.regionCode, departmentCode: null, windowCode: null, staffCode: null } }, scope, org)) continue;
		// As of the minute: the figure changes at whole minutes only, when the cache marks the senders' homes changed.
		const silentSec = Math.max(0, Math.floor((minuteOf(now) - s.lastEventAt) / 1000));
		sources.push({ name, lastEventAt: new Date(s.lastEventAt).toISOString(), silentSec, status: silentSec > SOURCE_SILENT_SEC || lists.silentAlert.has(name) ? 'silent' : 'ok' });
	}
	sources.sort((a, b) => (a.name < b.name ? -1 : 1));
	return { alerts: { open, openRed }, sources };
}

/** Names of a center's departments, windows and staff (labels for its stream events). */
function namesOf(center: string, org: OrgIndex): Snapshot['names'] {
	const departments: Record<string, string> = {};
	const windows: Record<string, string> = {};
	const staff: Record<string, string> = {};
	for (const d of org.departmentsOf(center)) departments[d.code] = d.name;
	for (const w of org.windowsOf(center)) windows[w.code] = w.name;
	for (const s of org.staffOf(center)) staff[s.code] = s.name;
	return { departments, windows, staff };
}

/** Regions a scope ranks: its subtree (a center: its region's subtree). */
function regionsOf(scope: Scope, org: OrgIndex): Set<string> | null {
	if (scope.kind === 'all') return null;
	const root = scope.kind === 'region' ? scope.code : org.centers.get(scope.code)?.regionCode;
	return root ? org.subtree(root) : new Set();
}

/** Latest reported period of each indicator, regions of the scope ranked best first (ties share a rank). */
export function regionRankings(state: LiveState, org: OrgIndex, scope: Scope): Snapshot['rankings']['regions'] {
	const allowed = regionsOf(scope, org);
	const out: Snapshot['rankings']['regions'] = {};
	const keys = new Set([...Object.keys(INDICATORS), ...state.indicators.keys()]);
	for (const ind of keys) {
		const byPeriod = state.indicators.get(ind);
		if (!byPeriod) continue;
		let latest: string | null = null;
		for (const [period, regions] of byPeriod) {
			if (latest !== null && period <= latest) continue;
			for (const r of regions.keys())
				if (!allowed || allowed.has(r)) {
					latest = period;
					break;
				}
		}
		if (!latest) continue;
		const items: Array<Omit<RegionRankItem, 'rank'>> = [...byPeriod.get(latest)!]
			.filter(([r]) => !allowed || allowed.has(r))
			.map(([regionCode, value]) => ({ regionCode, name: org.regions.get(regionCode)?.name ?? regionCode, value }));
		out[ind] = { period: latest, items: rankBy(items, (i) => i.value) };
	}
	return out;
}

function tileOf(code: string, a: Agg, org: OrgIndex): RegionTile {
	const day = countersOf(a.day);
	const month = countersOf(a.month);
	return {
		regionCode: code,
		name: org.regions.get(code)?.name ?? code,
		centers: a.centerCount,
		ticketsIssuedToday: day.ticketsIssued,
		waitingNow: Math.max(0, day.waiting),
		servedToday: day.servicesCompleted,
		windowsOpen: a.windows.open,
		windowsTotal: a.windows.total,
		presenceResponseRate: presenceResponseRate(a.confirmedDue, a.due),
		yellowMonth: month.yellowCards,
		redMonth: month.redCards,
		casesOverdueOpen: a.casesOverdueOpen,
		hotlineClosureRate: closureRate(month.hotlineClosed, month.hotlineReceived),
		satisfactionRate: evaluationSatisfactionRate(month.ratingsGood, month.ratings)
	};
}

// ── the per-home index of checks, cards and hotline tickets ────────────────────────

type Indexed = 'checks' | 'cards' | 'hotline';

/** Which ids of the state's checks, cards and hotline tickets belong to each home (kept as events are applied). */
class HomeIndex {
	private maps: Record<Indexed, Map<HomeKey, Set<string>>> = { checks: new Map(), cards: new Map(), hotline: new Map() };

	static of(state: LiveState): HomeIndex {
		const ix = new HomeIndex();
		for (const [id, k] of state.checks) ix.add('checks', k.home, id);
		for (const [id, k] of state.cards) ix.add('cards', homeKeyOf(k.place), id);
		for (const [id, t] of state.hotline) if (t.inOverdueGauge) ix.add('hotline', t.home, id);
		return ix;
	}

	add(kind: Indexed, home: HomeKey, id: string): void {
		let s = this.maps[kind].get(home);
		if (!s) this.maps[kind].set(home, (s = new Set()));
		s.add(id);
	}

	ids(kind: Indexed, home: HomeKey): Iterable<string> {
		return this.maps[kind].get(home) ?? [];
	}

	/** An id the state no longer has (pruned): dropped when met. */
	forget(kind: Indexed, home: HomeKey, id: string): void {
		this.maps[kind].get(home)?.delete(id);
	}
}

// ── the cache ────────────────────────────────────────────────────────────────────

export interface FiguresSource {
	state: () => LiveState;
	org: () => OrgIndex;
	scoring?: () => ScoringRules;
	/** Weights of the hotline's three-rate composite (default 30/35/35). */
	weights?: () => ThreeRateWeights;
	/**
	 * Keep parts between calls, updated from the state's `touched` (default true). One cache per
	 * state may do so (it takes what the reducer recorded); a one-off computation passes false
	 * and recomputes everything each time.
	 */
	incremental?: boolean;
}

/** The events the index learns new ids from (the rest only touch homes). */
interface IndexedEvent {
	type: string;
	data: unknown;
	place: Parameters<typeof homeKeyOf>[0];
}

export class LiveFigures {
	private parts = new Map<HomeKey, Agg>();
	/** region → its aggregate (centers and own items of its subtree); and its own items only, for its centers' walls. */
	private regionAggs = new Map<string, Agg>();
	private regionItems = new Map<string, Agg>();
	/**
	 * region → the summaries of every center under it, built from its children's (dropped with its
	 * aggregate); `null` key: the deployment's. A summary object is shared while its part stands,
	 * so the hub's diff of two of these compares unchanged centers by identity.
	 */
	private centerLists = new Map<string | null, Record<string, CenterSummary>>();
	/** code → home key (reset with the org, so bounded by it). */
	private centerHomes = new Map<string, HomeKey>();
	private regionHomes = new Map<string, HomeKey>();
	/** What changes only with the org (reset with it) or with reported indicators. */
	private zones = new Map<string | null, string>();
	private names = new Map<string, Snapshot['names']>();
	private rankings = new Map<string, Snapshot['rankings']['regions']>();
	private allAgg: Agg | null = null;
	private index: HomeIndex | null = null;
	private seen: { state: LiveState | null; org: OrgIndex | null; scoring: ScoringRules | null; weights: ThreeRateWeights | null } = { state: null, org: null, scoring: null, weights: null };
	private ord = new Map<string, number>();
	/** Homes changed since `takeChanged` last ran (events, or time). */
	private changed = new Set<HomeKey>();
	/** The earliest `validUntil` of the parts kept: time changes nothing before it. */
	private nextExpiry = Infinity;
	private everything = true;
	/** The minute the senders' `silentSec` were last marked changed at. */
	private sourcesMinute = 0;

	constructor(private src: FiguresSource) {}

	/** Learn the ids of new checks, cards and tickets from events just applied (their homes come from the state's `touched`). */
	applied(events: Iterable<IndexedEvent>): void {
		if (!this.index) return;
		for (const e of events) {
			const d = e.data as Record<string, unknown>;
			if (e.type === 'presence.check_issued') this.index.add('checks', homeKeyOf(e.place), String(d.checkId));
			else if (e.type === 'card.issued') this.index.add('cards', homeKeyOf(e.place), String(d.cardId));
			else if (e.type === 'hotline.ticket_overdue' || e.type === 'hotline.ticket_reopened') {
				// Only tickets past due and open are listed: the index holds those (the rest are forgotten when met).
				const t = this.src.state().hotline.get(String(d.ticketId));
				if (t?.inOverdueGauge) this.index.add('hotline', t.home, String(d.ticketId));
			}
			else if (e.type === 'indicator.reported') this.rankings.clear();
		}
	}

	/**
	 * Bring the cache up to date at `now`: parts touched by events (the state's `touched`) or
	 * expired by time are dropped with their regions' aggregates. A new state object (restored),
	 * org or scoring rules drop everything.
	 */
	sync(now: number): void {
		const state = this.src.state();
		const org = this.src.org();
		const scoring = this.src.scoring?.() ?? DEFAULT_SCORING;
		const weights = this.src.weights?.() ?? DEFAULT_THREE_RATE_WEIGHTS;
		const incremental = this.src.incremental !== false;
		if (!incremental || state !== this.seen.state || org !== this.seen.org || scoring !== this.seen.scoring || weights !== this.seen.weights || !state.touched) {
			this.seen = { state, org, scoring, weights };
			this.reset(state, org, incremental);
			return;
		}
		const touched = state.touched;
		if (touched.size) {
			state.touched = new Set();
			for (const h of touched) this.drop(this.homeOfTouch(h, org), org);
		}
		// Every sender's silence moves on at each whole minute: its home's figures change.
		const minute = minuteOf(now);
		if (minute !== this.sourcesMinute) {
			this.sourcesMinute = minute;
			for (const src of state.sources.values()) this.changed.add(sourceHome(src));
		}
		if (now >= this.nextExpiry) {
			this.nextExpiry = Infinity;
			for (const [h, p] of this.parts) {
				if (p.validUntil <= now) this.drop(h, org);
				else if (p.validUntil < this.nextExpiry) this.nextExpiry = p.validUntil;
			}
		}
	}

	/** What the reducer touched, as a home: a department's or window's bucket belongs to its center's part. */
	private homeOfTouch(key: string, org: OrgIndex): HomeKey {
		if (key.startsWith('department|')) {
			const center = org.departments.get(key.slice(11))?.centerCode;
			return center ? this.home('center', center) : NO_CENTER_DEPARTMENTS;
		}
		if (key.startsWith('window|')) {
			const center = org.windows.get(key.slice(7))?.centerCode;
			return center ? this.home('center', center) : 'all|';
		}
		return key;
	}

	/**
	 * A center's or region's home key, made once per code: a part is looked up thousands of times
	 * a flush at network size, and a key made anew is hashed anew.
	 */
	private home(kind: 'center' | 'region', code: string): HomeKey {
		const keys = kind === 'center' ? this.centerHomes : this.regionHomes;
		let k = keys.get(code);
		if (k === undefined) keys.set(code, (k = homeKey(kind, code)));
		return k;
	}

	private reset(state: LiveState, org: OrgIndex, incremental: boolean): void {
		if (incremental) state.touched = new Set();
		this.centerHomes.clear();
		this.regionHomes.clear();
		this.parts.clear();
		this.regionAggs.clear();
		this.regionItems.clear();
		this.centerLists.clear();
		this.zones.clear();
		this.names.clear();
		this.rankings.clear();
		this.allAgg = null;
		this.index = HomeIndex.of(state);
		this.ord = new Map([...org.departments.keys()].map((k, i) => [k, i]));
		this.everything = true;
		this.nextExpiry = Infinity;
	}

	private drop(home: HomeKey, org: OrgIndex): void {
		this.changed.add(home);
		this.parts.delete(home);
		this.allAgg = null;
		this.centerLists.delete(null);
		const center = centerOfHome(home);
		// A center changes its region's aggregates; a region's own items also show on the walls of
		// every center below it, through the item aggregates of it and its ancestors.
		const items = home.startsWith('region|');
		let region = center ? org.centers.get(center)?.regionCode : items ? home.slice(7) : null;
		while (region) {
			this.regionAggs.delete(region);
			this.centerLists.delete(region);
			if (items) this.regionItems.delete(region);
			region = org.regions.get(region)?.parentCode ?? null;
		}
	}

	/** The homes changed since the last call (`'all'`: everything, after a reset); empties the list. */
	takeChanged(now: number): Set<HomeKey> | 'all' {
		this.sync(now);
		if (this.everything) {
			this.everything = false;
			this.changed.clear();
			return 'all';
		}
		const out = this.changed;
		this.changed = new Set();
		return out;
	}

	/** The figures of a scope at `now`. */
	snapshot(scope: Scope, now: number): Snapshot {
		this.sync(now);
		const state = this.seen.state!;
		const org = this.seen.org!;
		const c: Ctx = { state, org, now, scoring: this.seen.scoring!, weights: this.seen.weights!, ord: this.ord, index: this.index! };
		if (scope.kind === 'center') {
			const region = org.centers.get(scope.code)?.regionCode;
			const own = this.part(this.home('center', scope.code), c);
			const items = region && org.regions.has(region) ? this.regionItemsOf(region, c) : null;
			const agg = items ? combine([own, items], Infinity) : own;
			return finish(agg, scope, c, null, org.timezoneOf(scope.code), org.centers.has(scope.code) ? this.namesOf(scope.code, org) : null, this.rankingsOf(scope, c));
		}
		const known = scope.kind === 'all' || org.regions.has(scope.code);
		const region = scope.kind === 'region' ? scope.code : null;
		const agg = known ? (region === null ? this.all(c) : this.regionAgg(region, c)) : emptyAgg();
		const withBureaus = combine([agg, this.part(NO_CENTER_DEPARTMENTS, c)], REGION_LIST);
		withBureaus.centers = known ? this.centersUnder(region, c) : {};
		const childRegions = region === null ? org.rootRegions() : known ? org.childrenOf(region) : [];
		const tiles = childRegions.map((r) => this.tileOf(r.code, c));
		const only = agg.centerCount === 1 ? Object.keys(withBureaus.centers)[0] : null;
		return finish(withBureaus, scope, c, tiles, this.zoneOf(region, withBureaus, org), only ? this.namesOf(only, org) : null, this.rankingsOf(scope, c));
	}

	/** A child region's tile: from its aggregate, kept on it while it stands. */
	private tileOf(code: string, c: Ctx): RegionTile {
		const a = this.regionAgg(code, c);
		return (a.tile ??= tileOf(code, a, c.org));
	}

	private zoneOf(region: string | null, a: Agg, org: OrgIndex): string {
		let z = this.zones.get(region);
		if (z === undefined) this.zones.set(region, (z = scopeZone(a, org)));
		return z;
	}

	private namesOf(center: string, org: OrgIndex): Snapshot['names'] {
		let n = this.names.get(center);
		if (!n) this.names.set(center, (n = namesOf(center, org)));
		return n;
	}

	private rankingsOf(scope: Scope, c: Ctx): Snapshot['rankings']['regions'] {
		const key = scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.code}`;
		let r = this.rankings.get(key);
		if (!r) this.rankings.set(key, (r = regionRankings(c.state, c.org, scope)));
		return r;
	}

	private part(home: HomeKey, c: Ctx): Agg {
		let p = this.parts.get(home);
		if (!p) {
			this.parts.set(home, (p = homePart(home, c)));
			if (p.validUntil < this.nextExpiry) this.nextExpiry = p.validUntil;
		}
		return p;
	}

	/**
	 * Every center's summary under a region (all of them for the deployment), by code: its own
	 * centers' and its child regions' lists, kept until one of them changes.
	 */
	private centersUnder(region: string | null, c: Ctx): Record<string, CenterSummary> {
		let out = this.centerLists.get(region);
		if (out) return out;
		out = {};
		const own = (code: string) => {
			const centers = this.part(this.home('center', code), c).centers;
			for (const k in centers) out![k] = centers[k];
		};
		const below = (r: string) => {
			const list = this.centersUnder(r, c);
			for (const k in list) out![k] = list[k];
		};
		if (region === null) {
			for (const r of c.org.rootRegions()) below(r.code);
			for (const center of c.org.centers.values()) if (!c.org.regions.has(center.regionCode)) own(center.code);
		} else {
			for (const center of c.org.centersIn(region)) own(center.code);
			for (const child of c.org.childrenOf(region)) below(child.code);
		}
		this.centerLists.set(region, out);
		return out;
	}

	/** A region's aggregate, from its direct children: its centers, its own items, the regions below. */
	private regionAgg(code: string, c: Ctx): Agg {
		let a = this.regionAggs.get(code);
		if (a) return a;
		const items: Agg[] = [this.part(this.home('region', code), c)];
		for (const center of c.org.centersIn(code)) items.push(this.part(this.home('center', center.code), c));
		for (const child of c.org.childrenOf(code)) items.push(this.regionAgg(child.code, c));
		a = combine(items, REGION_LIST);
		this.regionAggs.set(code, a);
		return a;
	}

	/** A region's own items and those of the regions below (no center's): what its centers' walls add to their own. */
	private regionItemsOf(code: string, c: Ctx): Agg {
		let a = this.regionItems.get(code);
		if (a) return a;
		const items: Agg[] = [this.part(this.home('region', code), c)];
		for (const child of c.org.childrenOf(code)) items.push(this.regionItemsOf(child.code, c));
		a = items.length === 1 ? items[0] : combine(items, REGION_LIST);
		this.regionItems.set(code, a);
		return a;
	}

	/** The deployment: the root regions' aggregates, the centers of unknown regions, the deployment's own items. */
	private all(c: Ctx): Agg {
		if (this.allAgg) return this.allAgg;
		const items: Agg[] = [this.part('all|', c)];
		for (const r of c.org.rootRegions()) items.push(this.regionAgg(r.code, c));
		for (const center of c.org.centers.values()) if (!c.org.regions.has(center.regionCode)) items.push(this.part(this.home('center', center.code), c));
		return (this.allAgg = combine(items, REGION_LIST));
	}
}

/** The zone a region's clock reads in: the one its centers share, else the default. */
function scopeZone(a: Agg, org: OrgIndex): string {
	let zone: string | null = null;
	for (const code in a.centers) {
		const tz = org.timezoneOf(code);
		if (zone === null) zone = tz;
		else if (zone !== tz) return org.timezoneOf(null);
	}
	return zone ?? org.timezoneOf(null);
}
