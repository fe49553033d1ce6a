/**
 * Department scores (部门绩效考核得分, spec §3) with the rules an admin edits: the stored rules
 * (settings `scoring`) read and checked, the admin form applied, and a month's scores of a list
 * of departments with the breakdown of every point. Pure; the counters come in.
 */
import type { Counters } from './counters';
import { departmentScore, rankBy, scoreInputsOf, DEFAULT_SCORING, type ScoreItem, type ScoreLine, type ScoringRules } from './metrics';
import type { Department } from './org';

export interface DepartmentScore {
	departmentCode: string;
	name: string;
	score: number;
	rank: number;
	lines: ScoreLine[];
}

/** Scores of `departments` from their month counters, best first; equal scores share a rank. */
export function scoreDepartments(departments: Department[], countersOf: (code: string) => Partial<Counters> | undefined, rules: ScoringRules): DepartmentScore[] {
	return rankBy(
		departments.map((d) => ({ departmentCode: d.code, name: d.name, ...departmentScore(scoreInputsOf(countersOf(d.code)), rules) })),
		(i) => i.score
	);
}

type NumberKey = Exclude<keyof ScoringRules, 'countBadReviewCards'>;

/** The numeric rules with their bounds (the admin form, validation, docs/reports.md). */
export const SCORING_FIELDS: Record<NumberKey, { min: number; max: number; step: number }> = {
	base: { min: 0, max: 1000, step: 0.1 },
	perYellowCard: { min: -100, max: 100, step: 0.1 },
	perRedCard: { min: -100, max: 100, step: 0.1 },
	perMissedCheck: { min: -100, max: 100, step: 0.1 },
	perOverdueCase: { min: -100, max: 100, step: 0.1 },
	perBadReview: { min: -100, max: 100, step: 0.1 },
	perOnTimeUnit: { min: -100, max: 100, step: 0.1 },
	onTimeCasesUnit: { min: 1, max: 100_000, step: 1 }
};
export const SCORING_NUMBER_KEYS = Object.keys(SCORING_FIELDS) as NumberKey[];

function numberProblem(key: NumberKey, value: unknown): string | null {
	const f = SCORING_FIELDS[key];
	if (typeof value !== 'number' || !Number.isFinite(value)) return `${key}: expected a number, found ${JSON.stringify(value)}`;
	if (value < f.min || value > f.max) return `${key}: must be between ${f.min} and ${f.max}, found ${value}`;
	if (f.step === 1 && !Number.isInteger(value)) return `${key}: expected a whole number, found ${value}`;
	if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) return `${key}: at most two decimals, found ${value}`;
	return null;
}

/** Read the stored `scoring` setting; what is missing or invalid falls back to the default (and is reported). */
export function parseScoringSettings(raw: unknown): { rules: ScoringRules; errors: string[] } {
	const rules: ScoringRules = { ...DEFAULT_SCORING };
	const errors: string[] = [];
	if (raw == null) return { rules, errors };
	const r = (raw as { rules?: unknown }).rules;
	if (r === null || typeof r !== 'object') return { rules, errors: ['rules: expected an object'] };
	const stored = r as Record<string, unknown>;
	for (const k of SCORING_NUMBER_KEYS) {
		if (stored[k] === undefined) continue;
		const p = numberProblem(k, stored[k]);
		if (p) errors.push(p);
		else rules[k] = stored[k] as number;
	}
	if (stored.countBadReviewCards !== undefined) {
		if (typeof stored.countBadReviewCards === 'boolean') rules.countBadReviewCards = stored.countBadReviewCards;
		else errors.push('countBadReviewCards: expected true or false');
	}
	return { rules, errors };
}

/** The admin form (every numeric field as typed, the checkbox `on` or absent) → rules, or the first problem naming its field. */
export function applyScoringForm(form: Record<string, string | undefined>): { ok: true; rules: ScoringRules } | { ok: false; field: string; error: string } {
	const rules: ScoringRules = { ...DEFAULT_SCORING, countBadReviewCards: form.countBadReviewCards === 'on' };
	for (const k of SCORING_NUMBER_KEYS) {
		const text = (form[k] ?? '').trim();
		if (text === '') return { ok: false, field: k, error: `${k}: required` };
		const value = Number(text);
		const p = numberProblem(k, Number.isNaN(value) ? text : value);
		if (p) return { ok: false, field: k, error: p };
		rules[k] = value;
	}
	return { ok: true, rules };
}

/** Names of the breakdown's items, and of the rules (for people: the admin page, reports, bulletins). */
export const SCORE_ITEM_NAMES: Record<ScoreItem, { zh: string; en: string; unit: { zh: string; en: string } }> = {
	base: { zh: '基准分', en: 'Base', unit: { zh: '', en: '' } },
	yellowCards: { zh: '黄牌', en: 'Yellow cards', unit: { zh: '张', en: '' } },
	redCards: { zh: '红牌', en: 'Red cards', unit: { zh: '张', en: '' } },
	missedChecks: { zh: '在岗抽查未确认', en: 'Missed presence checks', unit: { zh: '次', en: '' } },
	overdueCases: { zh: '超期办件', en: 'Overdue cases', unit: { zh: '件', en: '' } },
	badReviews: { zh: '差评（1–2 分）', en: 'Bad reviews (rated 1–2)', unit: { zh: '条', en: '' } },
	casesOnTime: { zh: '按时办结', en: 'Cases completed on time', unit: { zh: '件', en: '' } },
	badReviewCards: { zh: '差评规则出牌（不重复扣分）', en: 'Bad-review rule cards (not counted twice)', unit: { zh: '张', en: '' } }
};

/** The rule behind a line, as people read it: "−2 分/张", "+0.5 分/每 100 件". */
export function ruleOf(item: ScoreItem, rules: ScoringRules, lang: 'zh' | 'en'): string {
	const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
	const per: Partial<Record<ScoreItem, number>> = {
		yellowCards: rules.perYellowCard,
		redCards: rules.perRedCard,
		missedChecks: rules.perMissedCheck,
		overdueCases: rules.perOverdueCase,
		badReviews: rules.perBadReview
	};
	if (item === 'base') return lang === 'zh' ? `${rules.base} 分` : `${rules.base} points`;
	if (item === 'casesOnTime') return lang === 'zh' ? `每 ${rules.onTimeCasesUnit} 件 ${signed(rules.perOnTimeUnit)} 分` : `${signed(rules.perOnTimeUnit)} per ${rules.onTimeCasesUnit}`;
	if (item === 'badReviewCards') return lang === 'zh' ? '0 分（差评已扣分）' : '0 (the review counts)';
	const unit = SCORE_ITEM_NAMES[item].unit.zh;
	return lang === 'zh' ? `${signed(per[item]!)} 分/${unit}` : `${signed(per[item]!)} each`;
}

/** Signed points for display: "+1", "−6", "0". */
export function signedPoints(n: number): string {
	const r = Math.round(n * 100) / 100;
	return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : '0';
}
