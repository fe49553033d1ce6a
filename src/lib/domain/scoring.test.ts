/**
 * Department scores with configured rules, hand computed: the breakdown of every point, the
 * bad review punished once (its rule card left out by default), revoked cards counting nothing,
 * month by month from the projection's counters, and the stored rules / admin form checked.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING, departmentScore } from './metrics';
import { bucketKey, deserializeState, serializeState } from './projection';
import { applyScoringForm, parseScoringSettings, ruleOf, scoreDepartments, signedPoints } from './scoring';
import { buildSnapshot } from './snapshot';
import { Feed, ms } from './testkit';

const T = (d: string, hms: string) => `2026-11-${d}T${hms}+08:00`;
const NOW = T('23', '15:00:00');

/** November: GSJ gets 2 bad reviews naming S001, one carded by the bad-review rule; a hand card; a revoked card. */
function november(): Feed {
	const f = new Feed();
	const card = (cardId: string, color: 'yellow' | 'red', code: string, at: string, extra: Record<string, unknown> = {}) =>
		f.ev('card.issued', at, { cardId, color, target: { kind: 'staff', code }, reason: 'bad_review', ...extra });
	f.ev('evaluation.submitted', T('02', '10:00:00'), { rating: 1, staffCode: 'S001' });
	f.ev('evaluation.submitted', T('02', '11:00:00'), { rating: 2, staffCode: 'S001' });
	f.ev('evaluation.submitted', T('02', '11:30:00'), { rating: 3, staffCode: 'S001' }); // not bad
	card('r:bad_review:1', 'yellow', 'S001', T('02', '10:00:00'), { rule: 'bad_review' });
	card('hand-1', 'yellow', 'S001', T('03', '09:00:00')); // a supervisor's own card for a review: counts
	card('hand-2', 'red', 'S001', T('04', '09:00:00'), { reason: 'misconduct' });
	f.ev('card.revoked', T('05', '09:00:00'), { cardId: 'hand-2', reason: '经核实不属实' });
	// SWJ: one missed check, one overdue case, 230 cases on time.
	f.ev('presence.check_issued', T('06', '10:00:00'), { checkId: 'k1', staffCode: 'S002', respondWithinSec: 60 });
	f.ev('case.accepted', T('06', '09:00:00'), { caseId: 'late', departmentCode: 'SWJ', itemName: '事项', immediate: false, online: false, dueAt: T('07', '17:00:00') });
	for (let i = 0; i < 230; i++) {
		f.ev('case.accepted', T('10', '09:00:00'), { caseId: `ok${i}`, departmentCode: 'SWJ', itemName: '事项', immediate: i < 30, online: false, dueAt: T('20', '17:00:00') });
		f.ev('case.completed', T('12', '10:00:00'), { caseId: `ok${i}` });
	}
	f.derive(ms(T('08', '00:00:00'))); // the missed check k1 and the overdue case
	return f;
}

const month = (f: Feed, dept: string, m = '2026-11') => f.state.buckets.get(bucketKey('department', dept, m));

describe('department scores with the breakdown of every point', () => {
	it('counts the bad-review rule cards apart from the other cards, and takes them back on revoke', () => {
		const f = november();
		expect(month(f, 'GSJ')).toMatchObject({ yellowCards: 2, redCards: 0, ruleBadReviewYellow: 1, ruleBadReviewRed: 0, ratingsBad: 2 });
		f.ev('card.revoked', T('06', '09:00:00'), { cardId: 'r:bad_review:1', reason: '撤销' });
		expect(month(f, 'GSJ')).toMatchObject({ yellowCards: 1, ruleBadReviewYellow: 0 });
	});

	it('GSJ: 100 − 2·1 (the hand card) − 0.5·2 (the reviews) = 97; the rule card is listed, for 0 points', () => {
		const f = november();
		const [gsj] = scoreDepartments([f.org.departments.get('GSJ')!], (c) => month(f, c), DEFAULT_SCORING);
		expect(gsj.score).toBe(97);
		expect(gsj.lines).toEqual([
			{ item: 'base', count: 1, points: 100 },
			{ item: 'yellowCards', count: 1, points: -2 },
			{ item: 'redCards', count: 0, points: 0 },
			{ item: 'missedChecks', count: 0, points: 0 },
			{ item: 'overdueCases', count: 0, points: 0 },
			{ item: 'badReviews', count: 2, points: -1 },
			{ item: 'casesOnTime', count: 0, points: 0 },
			{ item: 'badReviewCards', count: 1, points: 0 }
		]);
	});

	it('with countBadReviewCards on, the rule card costs its 2 points as well: 95', () => {
		const f = november();
		const [gsj] = scoreDepartments([f.org.departments.get('GSJ')!], (c) => month(f, c), { ...DEFAULT_SCORING, countBadReviewCards: true });
		expect(gsj.score).toBe(95);
		expect(gsj.lines.find((l) => l.item === 'yellowCards')).toEqual({ item: 'yellowCards', count: 2, points: -4 });
		expect(gsj.lines.find((l) => l.item === 'badReviewCards')).toEqual({ item: 'badReviewCards', count: 0, points: 0 });
	});

	it('SWJ: 100 − 1 (missed check) − 1 (overdue case) + 0.5·2 (230 on time) = 99; ranking with GAJ (100) first', () => {
		const f = november();
		const scores = scoreDepartments([...f.org.departments.values()], (c) => month(f, c), DEFAULT_SCORING);
		expect(scores.map((s) => [s.departmentCode, s.score, s.rank])).toEqual([
			['GAJ', 100, 1],
			['SWJ', 99, 2],
			['GSJ', 97, 3]
		]);
		const swj = scores.find((s) => s.departmentCode === 'SWJ')!;
		expect(swj.lines.filter((l) => l.count && l.item !== 'base')).toEqual([
			{ item: 'missedChecks', count: 1, points: -1 },
			{ item: 'overdueCases', count: 1, points: -1 },
			{ item: 'casesOnTime', count: 230, points: 1 }
		]);
		// Every line sums to the score.
		for (const s of scores) expect(s.lines.reduce((a, l) => a + l.points, 0)).toBeCloseTo(s.score, 10);
	});

	it('month by month: October has nothing, so every department has the base', () => {
		const f = november();
		expect(scoreDepartments([...f.org.departments.values()], (c) => month(f, c, '2026-10'), DEFAULT_SCORING).map((s) => [s.departmentCode, s.score, s.rank])).toEqual([
			['GSJ', 100, 1],
			['SWJ', 100, 1],
			['GAJ', 100, 1]
		]);
	});

	it('the snapshot ranks with the same rules (the wall)', () => {
		const f = november();
		const snap = buildSnapshot(f.state, f.org, { kind: 'all' }, { now: ms(NOW), scoring: { ...DEFAULT_SCORING, perBadReview: -3 } });
		// GSJ 100 − 2 − 6 = 92
		expect(snap.rankings.departments.map((d) => [d.departmentCode, d.score, d.rank])).toEqual([
			['GAJ', 100, 1],
			['SWJ', 99, 2],
			['GSJ', 92, 3]
		]);
	});

	it('a checkpoint from before the rule-card counters counts the rule cards it holds (once)', () => {
		const f = november();
		const raw = JSON.parse(serializeState(f.state));
		raw.v = 1; // as the versions before numbering were written
		delete raw.ruleCardCounters;
		// As an older version wrote it: the buckets without the new counters.
		raw.buckets = raw.buckets.map(([k, c]: [string, Record<string, number>]) => {
			const { ruleBadReviewYellow: _y, ruleBadReviewRed: _r, ...rest } = c;
			return [k, rest];
		});
		const restored = deserializeState(JSON.stringify(raw));
		expect(restored.buckets.get(bucketKey('department', 'GSJ', '2026-11'))).toMatchObject({ yellowCards: 2, ruleBadReviewYellow: 1 });
		expect(restored.buckets.get(bucketKey('center', 'PJ-001', '2026-11-02'))).toMatchObject({ ruleBadReviewYellow: 1 });
		// The writer's deltas take them to the rollups.
		expect(restored.dirty!.get(bucketKey('department', 'GSJ', '2026-11'))).toEqual({ ruleBadReviewYellow: 1 });
		// A current checkpoint is not counted again.
		expect(deserializeState(serializeState(restored)).buckets.get(bucketKey('department', 'GSJ', '2026-11'))!.ruleBadReviewYellow).toBe(1);
	});
});

describe('scoring rules: stored and edited', () => {
	const form = (over: Record<string, string> = {}) => ({
		base: '100',
		perYellowCard: '-2',
		perRedCard: '-5',
		perMissedCheck: '-1',
		perOverdueCase: '-1',
		perBadReview: '-0.5',
		perOnTimeUnit: '0.5',
		onTimeCasesUnit: '100',
		...over
	});

	it('the form with the defaults gives the defaults; the checkbox turns rule cards on', () => {
		expect(applyScoringForm(form())).toEqual({ ok: true, rules: DEFAULT_SCORING });
		expect(applyScoringForm(form({ countBadReviewCards: 'on', perYellowCard: '-3.5' }))).toEqual({ ok: true, rules: { ...DEFAULT_SCORING, countBadReviewCards: true, perYellowCard: -3.5 } });
	});

	it('refuses a bad field, naming it', () => {
		expect(applyScoringForm(form({ perRedCard: 'x' }))).toEqual({ ok: false, field: 'perRedCard', error: 'perRedCard: expected a number, found "x"' });
		expect(applyScoringForm(form({ onTimeCasesUnit: '0' }))).toEqual({ ok: false, field: 'onTimeCasesUnit', error: 'onTimeCasesUnit: must be between 1 and 100000, found 0' });
		expect(applyScoringForm(form({ onTimeCasesUnit: '2.5' }))).toMatchObject({ ok: false, field: 'onTimeCasesUnit' });
		expect(applyScoringForm(form({ perBadReview: '-0.125' }))).toEqual({ ok: false, field: 'perBadReview', error: 'perBadReview: at most two decimals, found -0.125' });
		expect(applyScoringForm(form({ base: ' ' }))).toEqual({ ok: false, field: 'base', error: 'base: required' });
	});

	it('stored rules: missing means default, invalid parts fall back and are reported', () => {
		expect(parseScoringSettings(null)).toEqual({ rules: DEFAULT_SCORING, errors: [] });
		expect(parseScoringSettings({ rules: { perYellowCard: -3, countBadReviewCards: true } }).rules).toEqual({ ...DEFAULT_SCORING, perYellowCard: -3, countBadReviewCards: true });
		expect(parseScoringSettings({ rules: { perRedCard: 'a', base: 2000, countBadReviewCards: 1 } })).toEqual({
			rules: DEFAULT_SCORING,
			errors: ['base: must be between 0 and 1000, found 2000', 'perRedCard: expected a number, found "a"', 'countBadReviewCards: expected true or false']
		});
	});

	it('reads for people', () => {
		expect(ruleOf('yellowCards', DEFAULT_SCORING, 'zh')).toBe('−2 分/张');
		expect(ruleOf('casesOnTime', DEFAULT_SCORING, 'zh')).toBe('每 100 件 +0.5 分');
		expect(ruleOf('badReviews', DEFAULT_SCORING, 'en')).toBe('−0.5 each');
		expect([signedPoints(1), signedPoints(-6), signedPoints(0), signedPoints(-0.1 - 0.2)]).toEqual(['+1', '−6', '0', '−0.3']);
		expect(departmentScore({ yellowCards: 0, redCards: 0, missedChecks: 0, overdueCases: 0, badReviews: 3, casesOnTime: 0 }).lines.find((l) => l.item === 'badReviews')!.points).toBe(-1.5);
	});
});
