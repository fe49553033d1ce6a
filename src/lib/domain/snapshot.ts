/**
 * Snapshot figures (spec §2) for a scope, from the live state and the org. Pure: `now` comes in.
 * Cost: proportional to the scope's size (its centers, windows, departments, today's checks),
 * never to the length of the log.
 */
import { INDICATORS } from './catalog';
import { sumCounters, type Counters } from './counters';
import {
	average,
	closureRate,
	evaluationSatisfactionRate,
	hotlineSatisfactionRate,
	immediateRate,
	onTimeRate,
	presenceResponseRate,
	rankBy,
	DEFAULT_SCORING,
	type ScoringRules
} from './metrics';
import type { Department, OrgIndex } from './org';
import { scoreDepartments } from './scoring';
import { bucketKey, centerOfHome, homeKey, hourlyKey } from './keys';
import type { CardState, CheckState, LiveState, ScopeKind, WindowStatus } from './projection';
import { dayKey, monthOfDay, previousDay } from './time';

export type Scope = { kind: 'all' } | { kind: 'center'; code: string } | { kind: 'region'; code: string };

export function scopeLabel(scope: Scope): string {
	return scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.code}`;
}

/** The homes (counter scopes) a scope sums, each with its time zone. */
export function homesOf(scope: Scope, org: OrgIndex): Array<{ kind: ScopeKind; code: string; tz: string }> {
	const homes: Array<{ kind: ScopeKind; code: string; tz: string }> = [];
	const centerHome = (code: string) => homes.push({ kind: 'center', code, tz: org.timezoneOf(code) });
	const regionHome = (code: string) => homes.push({ kind: 'region', code, tz: org.timezoneOf(null) });
	if (scope.kind === 'all') {
		for (const c of org.centers.keys()) centerHome(c);
		for (const r of org.regions.keys()) regionHome(r);
		homes.push({ kind: 'all', code: '', tz: org.timezoneOf(null) });
	} else if (scope.kind === 'center') {
		centerHome(scope.code);
		// A center's wall also shows what belongs to its region and the regions below it but to
		// no center (the city's hotline tickets from every county, region-level cases).
		const region = org.centers.get(scope.code)?.regionCode;
		if (region) for (const r of org.subtree(region)) regionHome(r);
	} else {
		const regions = org.subtree(scope.code);
		for (const c of org.centers.values()) if (regions.has(c.regionCode)) centerHome(c.code);
		for (const r of regions) regionHome(r);
	}
	return homes;
}

/** The zone a scope's clock reads in: its center's, or the one zone all its centers share; else the default. */
export function scopeTimezone(scope: Scope, org: OrgIndex): string {
	if (scope.kind === 'center') return org.timezoneOf(scope.code);
	const zones = new Set([...centersOf(scope, org)].map((c) => org.timezoneOf(c)));
	return zones.size === 1 ? [...zones][0] : org.timezoneOf(null);
}

export function centersOf(scope: Scope, org: OrgIndex): Set<string> {
	if (scope.kind === 'all') return new Set(org.centers.keys());
	if (scope.kind === 'center') return new Set(org.centers.has(scope.code) ? [scope.code] : []);
	const regions = org.subtree(scope.code);
	return new Set([...org.centers.values()].filter((c) => regions.has(c.regionCode)).map((c) => c.code));
}

/** Regions a scope ranks: its subtree (a center: its region's subtree). */
function regionsOf(scope: Scope, org: OrgIndex): Set<string> | null {
	if (scope.kind === 'all') return null;
	const root = scope.kind === 'region' ? scope.code : org.centers.get(scope.code)?.regionCode;
	return root ? org.subtree(root) : new Set();
}

export interface RegionRankItem {
	regionCode: string;
	name: string;
	value: number;
	rank: number;
}
export interface DepartmentRankItem {
	departmentCode: string;
	name: string;
	score: number;
	rank: number;
}

export interface Snapshot {
	seq: number;
	asOf: string;
	scope: string;
	/** The scope's display name and title (a center's `name`/`title`, a region's name; null for the deployment). */
	scopeName: string | null;
	scopeTitle: string | null;
	/** The scope's IANA time zone (a center's `timezone`; a region or the deployment: its centers' zone when they share one, else Asia/Shanghai): "today" and its hours on the wall. */
	timezone: string;
	hall: {
		ticketsIssuedToday: number;
		waitingNow: number;
		servedToday: number;
		avgWaitSec: number | null;
		avgServiceSec: number | null;
		windowsOpen: number;
		windowsTotal: number;
		windowsServing: number;
		windowsPaused: number;
		ticketsPerHour: number[];
		ticketsPerHourYesterday: number[];
		/** 各部门等候: people waiting now, by department, most first (at most 12). */
		waitingByDepartment: Array<{ departmentCode: string; name: string; waiting: number }>;
	};
	presence: {
		checksToday: number;
		confirmedToday: number;
		missedToday: number;
		pendingNow: number;
		responseRate: number | null;
		/** Rounds today (checks issued within 2 minutes of each other form a round). */
		roundsToday: number;
		/** The latest round: when, how many, and who missed it (names and windows). */
		latestRound: { at: string; checks: number; confirmed: number; missed: Array<{ staffCode: string; name: string; windowCode: string | null; windowName: string | null }> } | null;
	};
	cards: {
		yellowToday: number;
		redToday: number;
		yellowMonth: number;
		redMonth: number;
		/** This month's latest cards, newest first (at most 10). */
		latest: Array<{ cardId: string; color: 'yellow' | 'red'; at: string; targetKind: string; targetCode: string; targetName: string; departmentName: string | null; reason: string; rule: string | null; revoked: boolean }>;
		/** This month's tally by department (revoked cards left out), most first. */
		byDepartmentMonth: Array<{ departmentCode: string; name: string; yellow: number; red: number }>;
	};
	cases: { acceptedToday: number; completedToday: number; overdueOpen: number; immediateRate: number | null };
	evaluations: { satisfactionRate: number | null; ratingsMonth: number };
	hotline: {
		receivedMonth: number;
		closedMonth: number;
		closureRate: number | null;
		onTimeRate: number | null;
		satisfactionRate: number | null;
		overdueOpen: number;
		/** Closure rate by department this month (closed ÷ assigned), best first. */
		byDepartment: Array<{ departmentCode: string; name: string; assigned: number; closed: number; closureRate: number | null; rank: number }>;
		/** Open tickets past due, most overdue first (at most 10). Caller phones never appear. */
		overdue: Array<{ ticketId: string; category: string; departmentCode: string | null; departmentName: string | null; daysOverdue: number }>;
	};
	rankings: {
		regions: Record<string, { period: string; items: RegionRankItem[] }>;
		departments: DepartmentRankItem[];
	};
	windows: Array<{
		code: string;
		name: string;
		departmentCode: string;
		departmentName: string;
		status: WindowStatus | 'serving' | 'absent';
		reason: string | null;
		staffCode: string | null;
		staffName: string | null;
		ticketNo: string | null;
		since: number | null;
		/** The worst card the window or its staff got today. */
		card: 'yellow' | 'red' | null;
	}>;
	/** Names by code for the scope (labels for stream events). */
	names: { departments: Record<string, string>; windows: Record<string, string>; staff: Record<string, string> };
}

/** Sum one period's buckets over the homes; `period(tz)` picks each home's own today/month. */
function sumHomes(state: LiveState, homes: ReturnType<typeof homesOf>, period: (tz: string) => string): Counters {
	return sumCounters(homes.map((h) => state.buckets.get(bucketKey(h.kind, h.code, period(h.tz)))));
}

export interface SnapshotOptions {
	now: number;
	scoring?: ScoringRules;
	/** Include the per-window list (the wall's occupancy grid). */
	windows?: boolean;
}

export function buildSnapshot(state: LiveState, org: OrgIndex, scope: Scope, opts: SnapshotOptions): Snapshot {
	const { now } = opts;
	const homes = homesOf(scope, org);
	const today = (tz: string) => dayKey(now, tz);
	const month = (tz: string) => monthOfDay(dayKey(now, tz));
	const day = sumHomes(state, homes, today);
	const mon = sumHomes(state, homes, month);
	const centers = centersOf(scope, org);

	// Windows of the scope, with their live status.
	let windowsOpen = 0;
	let windowsServing = 0;
	let windowsPaused = 0;
	let windowsTotal = 0;
	const windowList: Snapshot['windows'] = [];
	for (const w of org.windows.values()) {
		if (!centers.has(w.centerCode)) continue;
		windowsTotal++;
		const s = state.windows.get(w.code);
		const status = s?.status ?? 'closed';
		const serving = status === 'open' && s?.ticketState === 'serving';
		if (status === 'open') windowsOpen++;
		if (status === 'paused') windowsPaused++;
		if (serving) windowsServing++;
		if (opts.windows) {
			const staff = s?.staffCode ?? null;
			const absent = status !== 'closed' && staff != null && state.onDuty.get(staff) === false;
			const wc = state.buckets.get(bucketKey('window', w.code, today(org.timezoneOf(w.centerCode))));
			windowList.push({
				code: w.code,
				name: w.name,
				departmentCode: w.departmentCode,
				departmentName: org.departments.get(w.departmentCode)?.name ?? w.departmentCode,
				status: absent ? 'absent' : serving ? 'serving' : status,
				reason: s?.reason ?? null,
				staffCode: staff,
				staffName: staff ? (org.staff.get(staff)?.name ?? null) : null,
				ticketNo: s?.ticketNo ?? null,
				since: s?.ticketSince ?? s?.changedAt ?? null,
				card: wc?.redCards ? 'red' : wc?.yellowCards ? 'yellow' : null
			});
		}
	}

	// Presence response rate: confirmed ÷ checks whose deadline has passed (today's checks).
	let due = 0;
	let confirmedDue = 0;
	let pendingNow = 0;
	const todaysChecks: CheckState[] = [];
	const homeKeys = new Set(homes.map((h) => homeKey(h.kind, h.code)));
	for (const c of state.checks.values()) {
		if (!homeKeys.has(c.home)) continue;
		const tz = org.timezoneOf(centerOfHome(c.home));
		if (c.day !== today(tz)) continue;
		todaysChecks.push(c);
		// "Passed" is strictly after: at the deadline itself a confirmation still counts (as in dueDerivedEvents).
		if (c.deadline < now) {
			due++;
			if (c.confirmedAt != null && c.confirmedAt <= c.deadline) confirmedDue++;
		} else if (c.confirmedAt == null) pendingNow++;
	}

	let casesOverdueOpen = 0;
	let hotlineOverdueOpen = 0;
	for (const h of homes) {
		const g = state.gauges.get(homeKey(h.kind, h.code));
		if (g) {
			casesOverdueOpen += g.casesOverdueOpen;
			hotlineOverdueOpen += g.hotlineOverdueOpen;
		}
	}

	const hoursOf = (dayFn: (tz: string) => string) => {
		const out = new Array(24).fill(0);
		for (const h of homes) {
			const hours = state.hourly.get(hourlyKey(homeKey(h.kind, h.code), dayFn(h.tz)));
			if (hours) for (let i = 0; i < 24; i++) out[i] += hours[i];
		}
		return out;
	};

	return {
		seq: state.seq,
		asOf: new Date(now).toISOString(),
		scope: scopeLabel(scope),
		scopeName: scope.kind === 'center' ? (org.centers.get(scope.code)?.name ?? null) : scope.kind === 'region' ? (org.regions.get(scope.code)?.name ?? null) : null,
		scopeTitle: scope.kind === 'center' ? (org.centers.get(scope.code)?.title ?? null) : null,
		timezone: scopeTimezone(scope, org),
		hall: {
			ticketsIssuedToday: day.ticketsIssued,
			waitingNow: Math.max(0, day.waiting),
			servedToday: day.servicesCompleted,
			avgWaitSec: average(day.waitSum, day.waitCount),
			avgServiceSec: average(day.serviceSum, day.serviceCount),
			windowsOpen,
			windowsTotal,
			windowsServing,
			windowsPaused,
			ticketsPerHour: hoursOf(today),
			ticketsPerHourYesterday: hoursOf((tz) => previousDay(today(tz))),
			waitingByDepartment: departmentsOf(scope, org)
				.flatMap((d) => {
					const c = state.buckets.get(bucketKey('department', d.code, today(org.timezoneOf(d.centerCode ?? null))));
					return c && c.waiting > 0 ? [{ departmentCode: d.code, name: d.name, waiting: c.waiting }] : [];
				})
				.sort((a, b) => b.waiting - a.waiting)
				.slice(0, 12)
		},
		presence: {
			checksToday: day.checksIssued,
			confirmedToday: day.checksConfirmed,
			missedToday: day.checksMissed,
			pendingNow,
			responseRate: presenceResponseRate(confirmedDue, due),
			...presenceRounds(todaysChecks, org, now)
		},
		cards: {
			yellowToday: day.yellowCards,
			redToday: day.redCards,
			yellowMonth: mon.yellowCards,
			redMonth: mon.redCards,
			latest: latestCards(state, org, centers, scope, month),
			byDepartmentMonth: departmentsOf(scope, org).flatMap((d) => {
				const c = state.buckets.get(bucketKey('department', d.code, month(org.timezoneOf(d.centerCode ?? null))));
				return c?.yellowCards || c?.redCards ? [{ departmentCode: d.code, name: d.name, yellow: c.yellowCards, red: c.redCards }] : [];
			}).sort((a, b) => b.red * 3 + b.yellow - (a.red * 3 + a.yellow))
		},
		cases: {
			acceptedToday: day.casesAccepted,
			completedToday: day.casesCompleted,
			overdueOpen: casesOverdueOpen,
			immediateRate: immediateRate(day.casesCompletedImmediate, day.casesCompleted)
		},
		evaluations: { satisfactionRate: evaluationSatisfactionRate(mon.ratingsGood, mon.ratings), ratingsMonth: mon.ratings },
		hotline: {
			receivedMonth: mon.hotlineReceived,
			closedMonth: mon.hotlineClosed,
			closureRate: closureRate(mon.hotlineClosed, mon.hotlineReceived),
			onTimeRate: onTimeRate(mon.hotlineClosedOnTime, mon.hotlineClosed),
			satisfactionRate: hotlineSatisfactionRate(mon.hotlineSatisfied, mon.hotlineBasic, mon.hotlineReached),
			overdueOpen: hotlineOverdueOpen,
			byDepartment: rankBy(
				departmentsOf(scope, org).flatMap((d) => {
					const c = state.buckets.get(bucketKey('department', d.code, month(org.timezoneOf(d.centerCode ?? null))));
					return c?.hotlineAssigned ? [{ departmentCode: d.code, name: d.name, assigned: c.hotlineAssigned, closed: c.hotlineClosed, closureRate: closureRate(c.hotlineClosed, c.hotlineAssigned) }] : [];
				}),
				(x) => x.closureRate ?? -1
			),
			overdue: overdueHotline(state, org, homeKeys, now)
		},
		rankings: {
			regions: regionRankings(state, org, scope),
			departments: departmentRankings(state, org, scope, month(org.timezoneOf(null)), opts.scoring ?? DEFAULT_SCORING)
		},
		windows: windowList,
		names: namesOf(scope, org, centers)
	};
}

/** Display names of the scope's departments, windows and staff, so clients can label events by code. */
function namesOf(scope: Scope, org: OrgIndex, centers: Set<string>): Snapshot['names'] {
	const departments: Record<string, string> = {};
	const windows: Record<string, string> = {};
	const staff: Record<string, string> = {};
	for (const d of departmentsOf(scope, org)) departments[d.code] = d.name;
	for (const w of org.windows.values()) if (centers.has(w.centerCode)) windows[w.code] = w.name;
	for (const s of org.staff.values()) if (departments[s.departmentCode]) staff[s.code] = s.name;
	return { departments, windows, staff };
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
		const items = [...byPeriod.get(latest)!]
			.filter(([r]) => !allowed || allowed.has(r))
			.map(([regionCode, value]) => ({ regionCode, name: org.regions.get(regionCode)?.name ?? regionCode, value }));
		out[ind] = { period: latest, items: rankBy(items, (i) => i.value) };
	}
	return out;
}

/** Departments of the scope by this month's score (spec §3, the configured rules), best first. */
export function departmentRankings(state: LiveState, org: OrgIndex, scope: Scope, month: string, rules: ScoringRules): DepartmentRankItem[] {
	return scoreDepartments(departmentsOf(scope, org), (code) => state.buckets.get(bucketKey('department', code, month)), rules).map(({ departmentCode, name, score, rank }) => ({
		departmentCode,
		name,
		score,
		rank
	}));
}

/** Departments a scope shows: those of its centers (all departments for the deployment or a region's departments without a center). */
export function departmentsOf(scope: Scope, org: OrgIndex): Department[] {
	if (scope.kind === 'all') return [...org.departments.values()];
	const centers = centersOf(scope, org);
	return [...org.departments.values()].filter((d) => (d.centerCode ? centers.has(d.centerCode) : scope.kind !== 'center'));
}

const ROUND_GAP_MS = 120_000;

/** Today's presence-check rounds: checks issued within 2 minutes of each other belong to one round. */
function presenceRounds(checks: CheckState[], org: OrgIndex, now: number): Pick<Snapshot['presence'], 'roundsToday' | 'latestRound'> {
	if (!checks.length) return { roundsToday: 0, latestRound: null };
	const sorted = [...checks].sort((a, b) => a.issuedAt - b.issuedAt);
	let rounds = 1;
	let start = 0;
	for (let i = 1; i < sorted.length; i++)
		if (sorted[i].issuedAt - sorted[i - 1].issuedAt > ROUND_GAP_MS) {
			rounds++;
			start = i;
		}
	const round = sorted.slice(start);
	const missed = round
		.filter((c) => c.missed || (c.confirmedAt == null && c.deadline < now) || (c.confirmedAt != null && c.confirmedAt > c.deadline))
		.map((c) => ({
			staffCode: c.staffCode,
			name: org.staff.get(c.staffCode)?.name ?? c.staffCode,
			windowCode: c.windowCode,
			windowName: c.windowCode ? (org.windows.get(c.windowCode)?.name ?? c.windowCode) : null
		}));
	return {
		roundsToday: rounds,
		latestRound: {
			at: new Date(round[0].issuedAt).toISOString(),
			checks: round.length,
			confirmed: round.filter((c) => c.confirmedAt != null && c.confirmedAt <= c.deadline).length,
			missed
		}
	};
}

function targetName(org: OrgIndex, kind: string | undefined, code: string | undefined): string {
	if (!kind || !code) return '';
	if (kind === 'staff') return org.staff.get(code)?.name ?? code;
	if (kind === 'window') return org.windows.get(code)?.name ?? code;
	return org.departments.get(code)?.name ?? code;
}

/**
 * The 10 latest cards of the scope this month (revoked ones shown as such). Bounded to this
 * month because prune (run by the writer at each checkpoint, never by readers) drops cards of
 * older months: an unbounded list would differ between instances and before/after a prune.
 */
function latestCards(state: LiveState, org: OrgIndex, centers: Set<string>, scope: Scope, month: (tz: string) => string): Snapshot['cards']['latest'] {
	const picked: Array<[string, CardState]> = [];
	for (const entry of state.cards) {
		const c = entry[1];
		if (c.at == null) continue;
		if (monthOfDay(c.day) !== month(org.timezoneOf(c.place.centerCode))) continue;
		if (scope.kind !== 'all' && !(c.place.centerCode ? centers.has(c.place.centerCode) : false)) continue;
		picked.push(entry);
	}
	picked.sort((a, b) => b[1].at! - a[1].at!);
	return picked.slice(0, 10).map(([cardId, c]) => ({
		cardId,
		color: c.color,
		at: new Date(c.at!).toISOString(),
		targetKind: c.targetKind ?? 'staff',
		targetCode: c.targetCode ?? '',
		targetName: targetName(org, c.targetKind, c.targetCode),
		departmentName: c.place.departmentCode ? (org.departments.get(c.place.departmentCode)?.name ?? null) : null,
		reason: c.reason ?? 'other',
		rule: c.rule ?? null,
		revoked: c.revoked
	}));
}

/** Open hotline tickets past due in the scope's homes, most overdue first (at most 10). */
function overdueHotline(state: LiveState, org: OrgIndex, homeKeys: Set<string>, now: number): Snapshot['hotline']['overdue'] {
	const out: Snapshot['hotline']['overdue'] = [];
	for (const [ticketId, t] of state.hotline) {
		if (!t.inOverdueGauge || t.dueAt == null || !homeKeys.has(t.home)) continue;
		out.push({
			ticketId,
			category: t.category,
			departmentCode: t.departmentCode,
			departmentName: t.departmentCode ? (org.departments.get(t.departmentCode)?.name ?? t.departmentCode) : null,
			daysOverdue: Math.max(0, Math.floor((now - t.dueAt) / 86_400_000))
		});
	}
	return out.sort((a, b) => b.daysOverdue - a.daysOverdue).slice(0, 10);
}
