/**
 * Snapshot figures (spec §2) for a scope: their shape, and which homes and centers a scope
 * covers. Computed by figures.ts (incrementally, per home, regions from their children), never
 * from the log.
 */
import { LiveFigures, type CenterSummary, type RegionTile } from './figures';
import { DEFAULT_SCORING, type ScoringRules, type ThreeRateWeights } from './metrics';
import type { Department, OrgIndex } from './org';
import type { LiveState, ScopeKind, WindowStatus } from './projection';

export { regionRankings, type CenterSummary, type RegionTile } from './figures';

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
		latest: Array<{ cardId: string; color: 'yellow' | 'red'; at: string; targetKind: string; targetCode: string; targetName: string; departmentName: string | null; reason: string; note: string | null; rule: string | null; revoked: boolean }>;
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
		/** Of the tickets received this month, those closed now ÷ those received (never above 100; `closureRate` is the contract's closed-in ÷ received-in). */
		cohortClosureRate: number | null;
		/** 签收及时率 (响应率): acknowledged or returned within the limit ÷ assignments judged, this month. */
		acknowledgedOnTimeRate: number | null;
		/** 解决率: callbacks with `solved: true` ÷ reached callbacks that say `solved`, this month. */
		resolvedRate: number | null;
		/** The three-rate composite (响应率 / 解决率 / 满意率 with the admin's weights, default 30/35/35). */
		compositeRate: number | null;
		returnedMonth: number;
		/** 退单率: returns ÷ assignments this month. */
		returnRate: number | null;
		/** Approved extensions this month, and ÷ assignments (延期率). */
		extendedMonth: number;
		extensionRate: number | null;
		/** 重复件 merged this month (by the day received), and 重复来电率 = merged ÷ (received + merged). */
		mergedMonth: number;
		repeatRate: number | null;
		callsOfferedToday: number;
		callsAnsweredToday: number;
		callsAbandonedToday: number;
		/** 接通率: answered ÷ offered calls, today; answered within 15 s ÷ answered, today. */
		callAnswerRate: number | null;
		answeredIn15sRate: number | null;
		/** Year to date (1–N月累计): received, closed, the contract's closure rate, the cohort rate. */
		receivedYear: number;
		closedYear: number;
		closureRateYear: number | null;
		cohortClosureRateYear: number | null;
		/** Departments by the three-rate composite this month, best first (none: last, rank null), with their open tickets past due. */
		threeRates: Array<{ departmentCode: string; name: string; responseRate: number | null; resolvedRate: number | null; satisfactionRate: number | null; composite: number | null; rank: number | null; assigned: number; returned: number; extended: number; overdueOpen: number }>;
		/** Open tickets past due by department (all of them), most first. */
		overdueByDepartment: Array<{ departmentCode: string; name: string; overdueOpen: number }>;
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
		/** `calling`: a ticket called, its service not started yet (呼叫中). */
		status: WindowStatus | 'serving' | 'calling' | 'absent';
		reason: string | null;
		staffCode: string | null;
		staffName: string | null;
		ticketNo: string | null;
		since: number | null;
		/** The worst card the window or its staff got today. */
		card: 'yellow' | 'red' | null;
	}>;
	/** Names by code for the scope (labels for stream events); a region's or the deployment's: those of its one center, if it has one. */
	names: { departments: Record<string, string>; windows: Record<string, string>; staff: Record<string, string> };
	/** Open alerts of the scope (spec §5.2): all of them, and the red ones. */
	alerts: { open: number; openRed: number };
	/** Every sender that has ever sent for the scope, with how long it has been silent as of the current whole minute (spec §5.2). */
	sources: Array<{ name: string; lastEventAt: string; silentSec: number; status: 'ok' | 'silent' }>;
	/** A region's or the deployment's centers, one summary each, by code (never every window). */
	centers?: Record<string, CenterSummary>;
	/** A region's child regions (the deployment's root regions), one tile each. */
	regions?: RegionTile[];
}

export interface SnapshotOptions {
	now: number;
	scoring?: ScoringRules;
	weights?: ThreeRateWeights;
}

/**
 * The figures of a scope from scratch (figures.ts without its cache): what the live cache must
 * always equal. The stream hub and the snapshot endpoint keep one `LiveFigures` instead.
 */
export function buildSnapshot(state: LiveState, org: OrgIndex, scope: Scope, opts: SnapshotOptions): Snapshot {
	return new LiveFigures({ state: () => state, org: () => org, scoring: () => opts.scoring ?? DEFAULT_SCORING, weights: opts.weights ? () => opts.weights! : undefined, incremental: false }).snapshot(scope, opts.now);
}

/** Departments a scope shows: those of its centers (all departments for the deployment or a region's departments without a center). */
export function departmentsOf(scope: Scope, org: OrgIndex): Department[] {
	if (scope.kind === 'all') return [...org.departments.values()];
	const centers = centersOf(scope, org);
	return [...org.departments.values()].filter((d) => (d.centerCode ? centers.has(d.centerCode) : scope.kind !== 'center'));
}
