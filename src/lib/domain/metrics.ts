/**
 * Metric formulas of spec §3. Pure; every snapshot figure is computed here and nowhere else.
 */

/** A percentage 0–100 rounded to 0.1, or null where the denominator is 0 (spec §2). */
export function rate(numerator: number, denominator: number): number | null {
	if (!denominator) return null;
	return Math.round((numerator / denominator) * 1000) / 10;
}

/** Average in whole seconds, or null where nothing was measured. */
export function average(sum: number, count: number): number | null {
	if (!count) return null;
	return Math.round(sum / count);
}

/** 办结率: closed ÷ received in the period (22586 ÷ 23328 = 96.8). */
export const closureRate = (closed: number, received: number) => rate(closed, received);
/** Hotline on-time rate: closed at or before dueAt ÷ closed. */
export const onTimeRate = (closedOnTime: number, closed: number) => rate(closedOnTime, closed);
/** 满意率: (satisfied + basic) ÷ reached callbacks. */
export const hotlineSatisfactionRate = (satisfied: number, basic: number, reached: number) => rate(satisfied + basic, reached);
/** Evaluation satisfaction: ratings 4–5 ÷ all ratings. */
export const evaluationSatisfactionRate = (good: number, all: number) => rate(good, all);
/** Presence response rate: confirmed ÷ checks whose deadline has passed. */
export const presenceResponseRate = (confirmed: number, due: number) => rate(confirmed, due);
/** Case completion rate: completed ÷ accepted (same period). */
export const caseCompletionRate = (completed: number, accepted: number) => rate(completed, accepted);
/** 即办率: completed cases marked immediate ÷ completed cases. */
export const immediateRate = (completedImmediate: number, completed: number) => rate(completedImmediate, completed);

/** Scoring rules of a department (spec §3 defaults); admins edit them at /admin/scoring (settings `scoring`). */
export interface ScoringRules {
	base: number;
	perYellowCard: number;
	perRedCard: number;
	perMissedCheck: number;
	perOverdueCase: number;
	/** Per review rated ≤ 2 (好差评 差评). */
	perBadReview: number;
	/** Points per `onTimeCasesUnit` cases completed on time. */
	perOnTimeUnit: number;
	onTimeCasesUnit: number;
	/**
	 * Whether the cards the bad-review rule issues (`rule: bad_review`) count as cards. Off by
	 * default: the review itself already costs `perBadReview`, so one bad review is punished once.
	 */
	countBadReviewCards: boolean;
}

export const DEFAULT_SCORING: ScoringRules = {
	base: 100,
	perYellowCard: -2,
	perRedCard: -5,
	perMissedCheck: -1,
	perOverdueCase: -1,
	perBadReview: -0.5,
	perOnTimeUnit: 0.5,
	onTimeCasesUnit: 100,
	countBadReviewCards: false
};

export interface ScoreInputs {
	/** Cards in force (revoked ones are not in the inputs), bad-review rule cards included. */
	yellowCards: number;
	redCards: number;
	missedChecks: number;
	overdueCases: number;
	badReviews: number;
	casesOnTime: number;
	/** Of the cards, those the bad-review rule issued. */
	badReviewCardsYellow?: number;
	badReviewCardsRed?: number;
}

export const SCORE_ITEMS = ['base', 'yellowCards', 'redCards', 'missedChecks', 'overdueCases', 'badReviews', 'casesOnTime', 'badReviewCards'] as const;
export type ScoreItem = (typeof SCORE_ITEMS)[number];

/** One line of a score's breakdown: how many, and the points they make (`badReviewCards`: cards left out, 0 points). */
export interface ScoreLine {
	item: ScoreItem;
	count: number;
	points: number;
}

/** Department score with the breakdown of every point; rounded to 0.1. Revoked cards are not in the inputs. */
export function departmentScore(inputs: ScoreInputs, rules: ScoringRules = DEFAULT_SCORING): { score: number; lines: ScoreLine[] } {
	const leftOut = rules.countBadReviewCards ? { yellow: 0, red: 0 } : { yellow: inputs.badReviewCardsYellow ?? 0, red: inputs.badReviewCardsRed ?? 0 };
	const yellow = inputs.yellowCards - leftOut.yellow;
	const red = inputs.redCards - leftOut.red;
	const round2 = (n: number) => Math.round(n * 100) / 100 || 0;
	const lines: ScoreLine[] = [
		{ item: 'base', count: 1, points: rules.base },
		{ item: 'yellowCards', count: yellow, points: round2(yellow * rules.perYellowCard) },
		{ item: 'redCards', count: red, points: round2(red * rules.perRedCard) },
		{ item: 'missedChecks', count: inputs.missedChecks, points: round2(inputs.missedChecks * rules.perMissedCheck) },
		{ item: 'overdueCases', count: inputs.overdueCases, points: round2(inputs.overdueCases * rules.perOverdueCase) },
		{ item: 'badReviews', count: inputs.badReviews, points: round2(inputs.badReviews * rules.perBadReview) },
		{
			item: 'casesOnTime',
			count: inputs.casesOnTime,
			points: round2(Math.floor(inputs.casesOnTime / rules.onTimeCasesUnit) * rules.perOnTimeUnit)
		},
		{ item: 'badReviewCards', count: leftOut.yellow + leftOut.red, points: 0 }
	];
	const total = lines.reduce((s, l) => s + l.points, 0);
	return { score: Math.round(total * 10) / 10, lines };
}

/** A department's score inputs from its month counters (the card counters already leave revoked cards out). */
export function scoreInputsOf(c: Partial<Record<'yellowCards' | 'redCards' | 'ruleBadReviewYellow' | 'ruleBadReviewRed' | 'checksMissed' | 'casesOverdue' | 'ratingsBad' | 'casesCompletedOnTime', number>> | undefined): ScoreInputs {
	return {
		yellowCards: c?.yellowCards ?? 0,
		redCards: c?.redCards ?? 0,
		missedChecks: c?.checksMissed ?? 0,
		overdueCases: c?.casesOverdue ?? 0,
		badReviews: c?.ratingsBad ?? 0,
		casesOnTime: c?.casesCompletedOnTime ?? 0,
		badReviewCardsYellow: c?.ruleBadReviewYellow ?? 0,
		badReviewCardsRed: c?.ruleBadReviewRed ?? 0
	};
}

/** Competition ranking ("1224"): equal values share a rank; `better` says which sorts first. */
export function rankBy<T>(items: T[], value: (t: T) => number, higherIsBetter = true): Array<T & { rank: number }> {
	const sorted = [...items].sort((a, b) => (higherIsBetter ? value(b) - value(a) : value(a) - value(b)));
	const ranks = rankSorted(sorted, value);
	return sorted.map((item, i) => ({ ...item, rank: ranks[i] }));
}

/** The competition ranks of items already in rank order (each item's rank, in the same order). */
export function rankSorted<T>(sorted: T[], value: (t: T) => number): number[] {
	const ranks = new Array<number>(sorted.length);
	let prev: number | undefined;
	for (let i = 0; i < sorted.length; i++) {
		const v = value(sorted[i]);
		ranks[i] = prev === undefined || v !== prev ? i + 1 : ranks[i - 1];
		prev = v;
	}
	return ranks;
}

// ── the hotline as the national assessment measures it (spec §5.2, docs/hotline.md) ──────────

/** 办结率 by cohort: of the tickets received in the period, those closed (now) ÷ those received. Never above 100. */
export const cohortClosureRate = (closedOfReceived: number, received: number) => rate(closedOfReceived, received);
/** 签收及时率 (响应率): acknowledged (or returned) within the limit ÷ assignments judged (acknowledged, returned, or past the limit). */
export const acknowledgedOnTimeRate = (onTime: number, judged: number) => rate(onTime, judged);
/** 解决率: callbacks with solved ÷ reached callbacks that say whether it was solved. */
export const resolvedRate = (solved: number, asked: number) => rate(solved, asked);
/** 接通率: answered ÷ offered calls. */
export const callAnswerRate = (answered: number, offered: number) => rate(answered, offered);
/** 15秒接通率: answered within 15 s ÷ answered. */
export const answeredIn15sRate = (within15: number, answered: number) => rate(within15, answered);
/** 退单率: returns ÷ assignments. */
export const returnRate = (returned: number, assigned: number) => rate(returned, assigned);
/** 延期率: approved extensions ÷ assignments. */
export const extensionRate = (extended: number, assigned: number) => rate(extended, assigned);
/** 重复来电率: tickets merged as repeats ÷ all tickets taken (the received ones and the merged ones). */
export const repeatRate = (merged: number, received: number) => rate(merged, received + merged);

/** Weights of the three-rate composite (三率: 响应率 / 解决率 / 满意率), in points; an admin sets them. */
export interface ThreeRateWeights {
	response: number;
	resolved: number;
	satisfaction: number;
}
export const DEFAULT_THREE_RATE_WEIGHTS: ThreeRateWeights = { response: 30, resolved: 35, satisfaction: 35 };

/**
 * The composite of the three rates: Σ weight × rate ÷ Σ weight, over the rates that exist (a rate
 * with no denominator leaves its weight out), rounded to 0.1; null when none exists or all
 * weights of those that do are 0. 30/35/35 of 98 / 90 / 95 = (2940 + 3150 + 3325) ÷ 100 = 94.2.
 */
export function threeRateComposite(rates: { response: number | null; resolved: number | null; satisfaction: number | null }, w: ThreeRateWeights = DEFAULT_THREE_RATE_WEIGHTS): number | null {
	let sum = 0;
	let weight = 0;
	for (const k of ['response', 'resolved', 'satisfaction'] as const) {
		const v = rates[k];
		if (v == null) continue;
		sum += v * w[k];
		weight += w[k];
	}
	return weight > 0 ? Math.round((sum / weight) * 10) / 10 : null;
}
