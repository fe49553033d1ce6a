/**
 * The monthly bulletin's figures (月通报 一、基本运行情况 and the regional indicators), built
 * from a month's counters (the rollups, or the live state's buckets), the live state's cards
 * and indicators, the org and the scoring rules. Pure. The result is plain JSON with every name
 * in it, so a published version (stored as is) never changes when data or names change later.
 */
import { sumCounters, type Counters } from './counters';
import { indicatorKeys, indicatorRanking, type IndicatorRanking, type Indicators } from './indicators';
import {
	caseCompletionRate,
	closureRate,
	evaluationSatisfactionRate,
	hotlineSatisfactionRate,
	immediateRate,
	onTimeRate,
	rate,
	type ScoringRules,
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
	type ThreeRateWeights
} from './metrics';
import type { OrgIndex } from './org';
import { homeKey, homeKeyOf } from './keys';
import type { CardState, ScopeKind } from './projection';
import { scoreDepartments, type DepartmentScore } from './scoring';
import { departmentsOf, homesOf, scopeLabel, type Scope } from './snapshot';
import { monthKey, monthOfDay } from './time';

/** A month's counters of one scope (`department|GSJ`, `center|PJ-001`, `region|XLT`, `window|W01`, `all|`). */
export type MonthCounters = (kind: ScopeKind, code: string) => Partial<Counters> | undefined;

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface BulletinInput {
	month: string;
	scope: Scope;
	org: OrgIndex;
	counters: MonthCounters;
	/** The live state's cards (those of the month are picked), or null when the month's cards are no longer kept. */
	cards: Iterable<[string, CardState]> | null;
	indicators: Indicators;
	scoring: ScoringRules;
	/** When the figures are taken (epoch ms), and the log seq they include. */
	now: number;
	seq: number;
	/** January to this month's counters added up (1–N月累计); absent: the hotline's year to date is left out. */
	yearCounters?: MonthCounters;
	/** Weights of the hotline's three-rate composite (default 30/35/35). */
	weights?: ThreeRateWeights;
}

export interface DepartmentVolume {
	departmentCode: string;
	name: string;
	ticketsIssued: number;
	servicesCompleted: number;
	casesAccepted: number;
	casesAcceptedOnline: number;
	casesCompleted: number;
	casesImmediate: number;
	casesEarly: number;
	casesOverdue: number;
	ratings: number;
	ratingsBad: number;
}

export interface RegionVolume {
	regionCode: string;
	name: string;
	/** The region's own level (本级: its own centers and region-level items), not its subregions. */
	own: boolean;
	casesAccepted: number;
	casesAcceptedOnline: number;
	casesCompleted: number;
	casesImmediate: number;
	ticketsIssued: number;
	hotlineReceived: number;
}

export interface CardTarget {
	kind: 'staff' | 'window' | 'department';
	code: string;
	name: string;
	departmentName: string | null;
	yellow: number;
	red: number;
	/** Reasons with their counts, most first. */
	reasons: Array<{ reason: string; n: number }>;
}

export interface BulletinFigures {
	format: 1;
	month: string;
	scope: string;
	/** Who issues it (a center's name; a region's or the deployment's name). */
	issuer: string;
	generatedAt: string;
	seq: number;
	/** The month was over when the figures were taken. */
	complete: boolean;
	scoring: ScoringRules;
	scores: { count: number; average: number | null; max: number | null; min: number | null; items: DepartmentScore[] };
	totals: {
		ticketsIssued: number;
		servicesCompleted: number;
		casesAccepted: number;
		casesAcceptedOnline: number;
		casesCompleted: number;
		casesImmediate: number;
		casesEarly: number;
		casesOnTime: number;
		casesOverdue: number;
		completionRate: number | null;
		immediateRate: number | null;
		onTimeRate: number | null;
		ratings: number;
		ratingsGood: number;
		ratingsBad: number;
		satisfactionRate: number | null;
		/** 有效投诉: cards issued for a complaint (reason `complaint`), revoked ones left out. Null when the month's cards are no longer kept. */
		complaints: number | null;
	};
	departments: DepartmentVolume[];
	regions: RegionVolume[];
	presence: {
		checks: number;
		confirmed: number;
		missed: number;
		lateConfirmed: number;
		/** Confirmed in time ÷ checks judged (confirmed + missed). */
		responseRate: number | null;
		byDepartment: Array<{ departmentCode: string; name: string; checks: number; confirmed: number; missed: number; responseRate: number | null }>;
		/** Windows with missed checks, most first, with who sits there now. */
		byWindow: Array<{ windowCode: string; name: string; staff: string | null; departmentName: string | null; missed: number }>;
	};
	cards: {
		yellow: number;
		red: number;
		/** Details come from the live state's cards (kept 13 months); false for older months. */
		kept: boolean;
		revoked: number;
		byReason: Array<{ reason: string; yellow: number; red: number }>;
		byDepartment: Array<{ departmentCode: string; name: string; yellow: number; red: number }>;
		byTarget: CardTarget[];
	};
	hotline: {
		received: number;
		closed: number;
		closureRate: number | null;
		closedOnTime: number;
		onTimeRate: number | null;
		callbacks: number;
		reached: number;
		satisfied: number;
		basic: number;
		unsatisfied: number;
		satisfactionRate: number | null;
		supervised: number;
		overdue: number;
		reopened: number;
		byDepartment: Array<{
			departmentCode: string;
			name: string;
			assigned: number;
			closed: number;
			closureRate: number | null;
			overdue: number;
			/** v1.1 (absent in bulletins published before): the three rates, their composite and its rank. */
			responseRate?: number | null;
			resolvedRate?: number | null;
			satisfactionRate?: number | null;
			composite?: number | null;
			compositeRank?: number | null;
		}>;
		/** v1.1 (absent in bulletins published before): the assessment's figures and the year to date. */
		cohortClosureRate?: number | null;
		acknowledgedOnTimeRate?: number | null;
		resolvedRate?: number | null;
		compositeRate?: number | null;
		weights?: ThreeRateWeights;
		returned?: number;
		returnRate?: number | null;
		extended?: number;
		extensionRate?: number | null;
		merged?: number;
		repeatRate?: number | null;
		callsOffered?: number;
		callAnswerRate?: number | null;
		answeredIn15sRate?: number | null;
		year?: { received: number; closed: number; closureRate: number | null; cohortClosureRate: number | null } | null;
	};
	indicators: IndicatorRanking[];
}

/** The free-text sections a leader writes. */
export const TEXT_SECTIONS = ['intro', 'problems', 'plans'] as const;
export type TextSection = (typeof TEXT_SECTIONS)[number];
export type BulletinTexts = Record<TextSection, string>;
export const MAX_TEXT = 20_000;

export function emptyTexts(): BulletinTexts {
	return { intro: '', problems: '', plans: '' };
}

/** Stored or posted texts, trimmed of trailing space, each at most MAX_TEXT characters. */
export function cleanTexts(raw: unknown): BulletinTexts {
	const out = emptyTexts();
	const r = (raw ?? {}) as Record<string, unknown>;
	for (const k of TEXT_SECTIONS) if (typeof r[k] === 'string') out[k] = (r[k] as string).replace(/\r\n?/g, '\n').replace(/\s+$/, '').slice(0, MAX_TEXT);
	return out;
}

/** Who a scope's bulletin is issued by: a center's name, a region's, or the deployment's single center or root region. */
export function issuerOf(scope: Scope, org: OrgIndex): string {
	if (scope.kind === 'center') return org.centers.get(scope.code)?.name ?? scope.code;
	if (scope.kind === 'region') return `${org.regions.get(scope.code)?.name ?? scope.code}政务服务`;
	if (org.centers.size === 1) return [...org.centers.values()][0].name;
	const roots = [...org.regions.values()].filter((r) => !r.parentCode || !org.regions.has(r.parentCode));
	return roots.length === 1 ? `${roots[0].name}政务服务` : '政务服务';
}

/** The regions a scope's bulletin reports on: its root region(s) (a center: its region). */
function rootRegions(scope: Scope, org: OrgIndex): string[] {
	if (scope.kind === 'region') return org.regions.has(scope.code) ? [scope.code] : [];
	if (scope.kind === 'center') {
		const r = org.centers.get(scope.code)?.regionCode;
		return r && org.regions.has(r) ? [r] : [];
	}
	return [...org.regions.values()].filter((r) => !r.parentCode || !org.regions.has(r.parentCode)).map((r) => r.code);
}

/** Regions whose indicators a scope ranks (null: all), as the wall's rankings do. */
export function rankedRegions(scope: Scope, org: OrgIndex): Set<string> | null {
	if (scope.kind === 'all') return null;
	const roots = rootRegions(scope, org);
	return new Set(roots.flatMap((r) => [...org.subtree(r)]));
}

const z = (n: number | undefined) => n ?? 0;

export function buildBulletinFigures(input: BulletinInput): BulletinFigures {
	const { month, scope, org, counters } = input;
	const homes = homesOf(scope, org);
	const total = sumCounters(homes.map((h) => counters(h.kind, h.code)));
	const yearTotal = input.yearCounters ? sumCounters(homes.map((h) => input.yearCounters!(h.kind, h.code))) : null;
	const weights = input.weights ?? DEFAULT_THREE_RATE_WEIGHTS;
	const departments = departmentsOf(scope, org);
	const dept = (code: string) => counters('department', code);

	// Scores.
	const scored = scoreDepartments(departments, dept, input.scoring);
	const values = scored.map((s) => s.score);
	const scores: BulletinFigures['scores'] = {
		count: scored.length,
		average: values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null,
		max: values.length ? Math.max(...values) : null,
		min: values.length ? Math.min(...values) : null,
		items: scored
	};

	// Volumes by department, busiest first.
	const volumes: DepartmentVolume[] = departments
		.map((d) => {
			const c = dept(d.code);
			return {
				departmentCode: d.code,
				name: d.name,
				ticketsIssued: z(c?.ticketsIssued),
				servicesCompleted: z(c?.servicesCompleted),
				casesAccepted: z(c?.casesAccepted),
				casesAcceptedOnline: z(c?.casesAcceptedOnline),
				casesCompleted: z(c?.casesCompleted),
				casesImmediate: z(c?.casesCompletedImmediate),
				casesEarly: z(c?.casesCompletedEarly),
				casesOverdue: z(c?.casesOverdue),
				ratings: z(c?.ratings),
				ratingsBad: z(c?.ratingsBad)
			};
		})
		.sort((a, b) => b.casesAccepted - a.casesAccepted || b.ticketsIssued - a.ticketsIssued || a.departmentCode.localeCompare(b.departmentCode));

	// Volumes by region: each root's own level, then its subregions (their whole subtree), busiest first.
	const regionRow = (code: string, own: boolean): RegionVolume => {
		const set = own ? new Set([code]) : org.subtree(code);
		const list: Array<Partial<Counters> | undefined> = [];
		for (const c of org.centers.values()) if (set.has(c.regionCode)) list.push(counters('center', c.code));
		for (const r of set) list.push(counters('region', r));
		const s = sumCounters(list);
		return {
			regionCode: code,
			name: org.regions.get(code)?.name ?? code,
			own,
			casesAccepted: s.casesAccepted,
			casesAcceptedOnline: s.casesAcceptedOnline,
			casesCompleted: s.casesCompleted,
			casesImmediate: s.casesCompletedImmediate,
			ticketsIssued: s.ticketsIssued,
			hotlineReceived: s.hotlineReceived
		};
	};
	const regions: RegionVolume[] = rootRegions(scope, org).flatMap((root) => [
		regionRow(root, true),
		...[...org.regions.values()]
			.filter((r) => r.parentCode === root)
			.map((r) => regionRow(r.code, false))
			.sort((a, b) => b.casesAccepted - a.casesAccepted || a.regionCode.localeCompare(b.regionCode))
	]);

	// Presence checks.
	const centers = new Set(homes.filter((h) => h.kind === 'center').map((h) => h.code));
	const byWindow: BulletinFigures['presence']['byWindow'] = [];
	for (const w of org.windows.values()) {
		if (!centers.has(w.centerCode)) continue;
		const missed = z(counters('window', w.code)?.checksMissed);
		if (!missed) continue;
		const staff = [...org.staff.values()].filter((s) => s.windowCode === w.code).map((s) => s.name);
		byWindow.push({ windowCode: w.code, name: w.name, staff: staff.length ? staff.join('、') : null, departmentName: org.departments.get(w.departmentCode)?.name ?? null, missed });
	}
	byWindow.sort((a, b) => b.missed - a.missed || a.windowCode.localeCompare(b.windowCode, 'en', { numeric: true }));
	const presence: BulletinFigures['presence'] = {
		checks: total.checksIssued,
		confirmed: total.checksConfirmed,
		missed: total.checksMissed,
		lateConfirmed: total.checksLateConfirmed,
		responseRate: rate(total.checksConfirmed, total.checksConfirmed + total.checksMissed),
		byDepartment: departments
			.map((d) => {
				const c = dept(d.code);
				return { departmentCode: d.code, name: d.name, checks: z(c?.checksIssued), confirmed: z(c?.checksConfirmed), missed: z(c?.checksMissed), responseRate: rate(z(c?.checksConfirmed), z(c?.checksConfirmed) + z(c?.checksMissed)) };
			})
			.filter((r) => r.checks || r.missed)
			.sort((a, b) => b.missed - a.missed || b.checks - a.checks || a.departmentCode.localeCompare(b.departmentCode)),
		byWindow
	};

	const cards = cardFigures(input, new Set(homes.map((h) => homeKey(h.kind, h.code))), total);
	const complaint = cards.kept ? cards.byReason.find((r) => r.reason === 'complaint') : undefined;

	return {
		format: 1,
		month,
		scope: scopeLabel(scope),
		issuer: issuerOf(scope, org),
		generatedAt: new Date(input.now).toISOString(),
		seq: input.seq,
		complete: monthKey(input.now, org.timezoneOf(scope.kind === 'center' ? scope.code : null)) > month,
		scoring: { ...input.scoring },
		scores,
		totals: {
			ticketsIssued: total.ticketsIssued,
			servicesCompleted: total.servicesCompleted,
			casesAccepted: total.casesAccepted,
			casesAcceptedOnline: total.casesAcceptedOnline,
			casesCompleted: total.casesCompleted,
			casesImmediate: total.casesCompletedImmediate,
			casesEarly: total.casesCompletedEarly,
			casesOnTime: total.casesCompletedOnTime,
			casesOverdue: total.casesOverdue,
			completionRate: caseCompletionRate(total.casesCompleted, total.casesAccepted),
			immediateRate: immediateRate(total.casesCompletedImmediate, total.casesCompleted),
			onTimeRate: rate(total.casesCompletedOnTime, total.casesCompleted),
			ratings: total.ratings,
			ratingsGood: total.ratingsGood,
			ratingsBad: total.ratingsBad,
			satisfactionRate: evaluationSatisfactionRate(total.ratingsGood, total.ratings),
			complaints: cards.kept ? (complaint ? complaint.yellow + complaint.red : 0) : null
		},
		departments: volumes,
		regions,
		presence,
		cards,
		hotline: {
			received: total.hotlineReceived,
			closed: total.hotlineClosed,
			closureRate: closureRate(total.hotlineClosed, total.hotlineReceived),
			closedOnTime: total.hotlineClosedOnTime,
			onTimeRate: onTimeRate(total.hotlineClosedOnTime, total.hotlineClosed),
			callbacks: total.hotlineCallbacks,
			reached: total.hotlineReached,
			satisfied: total.hotlineSatisfied,
			basic: total.hotlineBasic,
			unsatisfied: total.hotlineUnsatisfied,
			satisfactionRate: hotlineSatisfactionRate(total.hotlineSatisfied, total.hotlineBasic, total.hotlineReached),
			supervised: total.hotlineSupervised,
			overdue: total.hotlineOverdue,
			reopened: total.hotlineReopened,
			byDepartment: rankedByComposite(
				departments
					.flatMap((d) => {
						const c = dept(d.code);
						if (!(c?.hotlineAssigned || c?.hotlineClosed || c?.hotlineOverdue)) return [];
						const three = threeRatesOf(c);
						return [
							{
								departmentCode: d.code,
								name: d.name,
								assigned: z(c.hotlineAssigned),
								closed: z(c.hotlineClosed),
								closureRate: closureRate(z(c.hotlineClosed), z(c.hotlineAssigned)),
								overdue: z(c.hotlineOverdue),
								responseRate: three.response,
								resolvedRate: three.resolved,
								satisfactionRate: three.satisfaction,
								composite: threeRateComposite(three, weights)
							}
						];
					})
					.sort((a, b) => b.assigned - a.assigned || a.departmentCode.localeCompare(b.departmentCode))
			),
			...hotlineAssessment(total, weights),
			year: yearTotal ? { received: yearTotal.hotlineReceived, closed: yearTotal.hotlineClosed, closureRate: closureRate(yearTotal.hotlineClosed, yearTotal.hotlineReceived), cohortClosureRate: cohortClosureRate(yearTotal.hotlineClosedOfReceived, yearTotal.hotlineReceived) } : null
		},
		indicators: indicatorKeys(input.indicators)
			.map((k) => indicatorRanking(input.indicators, k, month, rankedRegions(scope, org), org, true))
			.filter((r): r is IndicatorRanking => r !== null)
	};
}

/** 响应率 (签收及时率), 解决率, 满意率 of a month's counters. */
function threeRatesOf(c: Partial<Counters>): { response: number | null; resolved: number | null; satisfaction: number | null } {
	return {
		response: acknowledgedOnTimeRate(z(c.hotlineAckOnTime), z(c.hotlineAckJudged)),
		resolved: resolvedRate(z(c.hotlineSolved), z(c.hotlineSolvedAsked)),
		satisfaction: hotlineSatisfactionRate(z(c.hotlineSatisfied), z(c.hotlineBasic), z(c.hotlineReached))
	};
}

/** The hotline's assessment figures of the month (spec §5.2's definitions, the snapshot's). */
function hotlineAssessment(t: Counters, weights: ThreeRateWeights) {
	const three = threeRatesOf(t);
	return {
		cohortClosureRate: cohortClosureRate(t.hotlineClosedOfReceived, t.hotlineReceived),
		acknowledgedOnTimeRate: three.response,
		resolvedRate: three.resolved,
		compositeRate: threeRateComposite(three, weights),
		weights: { ...weights },
		returned: t.hotlineReturned,
		returnRate: returnRate(t.hotlineReturned, t.hotlineAssigned),
		extended: t.hotlineExtended,
		extensionRate: extensionRate(t.hotlineExtended, t.hotlineAssigned),
		merged: t.hotlineMerged,
		repeatRate: repeatRate(t.hotlineMerged, t.hotlineReceived),
		callsOffered: t.callsOffered,
		callAnswerRate: callAnswerRate(t.callsAnswered, t.callsOffered),
		answeredIn15sRate: answeredIn15sRate(t.callsAnswered15, t.callsAnswered)
	};
}

/** Departments by composite, best first as ranks (ties share one); the list keeps its order. */
function rankedByComposite<T extends { composite: number | null }>(rows: T[]): Array<T & { compositeRank: number | null }> {
	const values = rows.map((r) => r.composite).filter((v): v is number => v != null);
	return rows.map((r) => ({ ...r, compositeRank: r.composite == null ? null : 1 + values.filter((v) => v > r.composite!).length }));
}

/** The month's cards of the scope: totals from the counters; who, why and how many from the live state's cards. */
function cardFigures(input: BulletinInput, homeKeys: Set<string>, total: Counters): BulletinFigures['cards'] {
	const { org, month } = input;
	const byDepartment = departmentsOf(input.scope, org)
		.flatMap((d) => {
			const c = input.counters('department', d.code);
			return c?.yellowCards || c?.redCards ? [{ departmentCode: d.code, name: d.name, yellow: z(c.yellowCards), red: z(c.redCards) }] : [];
		})
		.sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.departmentCode.localeCompare(b.departmentCode));
	const out: BulletinFigures['cards'] = { yellow: total.yellowCards, red: total.redCards, kept: input.cards !== null, revoked: 0, byReason: [], byDepartment, byTarget: [] };
	if (!input.cards) return out;
	const reasons = new Map<string, { reason: string; yellow: number; red: number }>();
	const targets = new Map<string, CardTarget & { reasonCounts: Map<string, number> }>();
	for (const [, c] of input.cards) {
		if (c.at == null || !c.targetKind || !c.targetCode) continue;
		if (monthOfDay(c.day) !== month) continue;
		if (!homeKeys.has(homeKeyOf(c.place))) continue;
		if (c.revoked) {
			out.revoked++;
			continue;
		}
		const reason = c.reason ?? 'other';
		const r = reasons.get(reason) ?? { reason, yellow: 0, red: 0 };
		r[c.color]++;
		reasons.set(reason, r);
		const key = `${c.targetKind}|${c.targetCode}`;
		let t = targets.get(key);
		if (!t) {
			const name = c.targetKind === 'staff' ? org.staff.get(c.targetCode)?.name : c.targetKind === 'window' ? org.windows.get(c.targetCode)?.name : org.departments.get(c.targetCode)?.name;
			const d = c.place.departmentCode;
			targets.set(
				key,
				(t = { kind: c.targetKind, code: c.targetCode, name: name ?? c.targetCode, departmentName: d ? (org.departments.get(d)?.name ?? d) : null, yellow: 0, red: 0, reasons: [], reasonCounts: new Map() })
			);
		}
		t[c.color]++;
		t.reasonCounts.set(reason, (t.reasonCounts.get(reason) ?? 0) + 1);
	}
	out.byReason = [...reasons.values()].sort((a, b) => b.red + b.yellow - (a.red + a.yellow) || a.reason.localeCompare(b.reason));
	out.byTarget = [...targets.values()]
		.map(({ reasonCounts, ...t }) => ({ ...t, reasons: [...reasonCounts].map(([reason, n]) => ({ reason, n })).sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason)) }))
		.sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code, 'en', { numeric: true }));
	return out;
}
