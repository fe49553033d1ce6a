import { describe, it, expect } from 'vitest';
import {
	average,
	caseCompletionRate,
	closureRate,
	DEFAULT_SCORING,
	departmentScore,
	evaluationSatisfactionRate,
	hotlineSatisfactionRate,
	immediateRate,
	onTimeRate,
	presenceResponseRate,
	rankBy,
	rate,
	type ScoreInputs
} from './metrics';

const noInputs: ScoreInputs = { yellowCards: 0, redCards: 0, missedChecks: 0, overdueCases: 0, badReviews: 0, casesOnTime: 0 };

describe('rate', () => {
	it('is a percentage rounded to 0.1', () => {
		expect(rate(1, 3)).toBe(33.3);
		expect(rate(2, 3)).toBe(66.7);
		expect(rate(1, 8)).toBe(12.5);
		expect(rate(1, 6)).toBe(16.7);
		expect(rate(3, 3)).toBe(100);
		expect(rate(0, 7)).toBe(0);
	});

	it('rounds half up at the 0.1 step', () => {
		// 1/16 = 6.25 % → 6.3 ; 1/80 = 1.25 % → 1.3 ; 1/2000 = 0.05 % → 0.1
		expect(rate(1, 16)).toBe(6.3);
		expect(rate(1, 80)).toBe(1.3);
		expect(rate(1, 2000)).toBe(0.1);
		expect(rate(1, 2001)).toBe(0);
	});

	it('is null where the denominator is 0', () => {
		expect(rate(0, 0)).toBeNull();
		expect(rate(5, 0)).toBeNull();
	});
});

describe('average', () => {
	it('is whole seconds, rounded', () => {
		expect(average(900, 2)).toBe(450);
		expect(average(1000, 3)).toBe(333);
		expect(average(1001, 2)).toBe(501); // 500.5 → 501
		expect(average(0, 4)).toBe(0);
	});
	it('is null when nothing was measured', () => {
		expect(average(0, 0)).toBeNull();
		expect(average(120, 0)).toBeNull();
	});
});

describe('spec §3 formulas', () => {
	it('hotline closure rate (办结率): 22586 closed of 23328 received → 96.8', () => {
		expect(closureRate(22586, 23328)).toBe(96.8);
		expect(closureRate(0, 0)).toBeNull();
		expect(closureRate(4, 5)).toBe(80);
	});

	it('hotline on-time rate: closed on time ÷ closed', () => {
		expect(onTimeRate(3, 5)).toBe(60);
		expect(onTimeRate(2, 3)).toBe(66.7);
		expect(onTimeRate(0, 0)).toBeNull();
	});

	it('hotline satisfaction rate: (satisfied + basic) ÷ reached', () => {
		expect(hotlineSatisfactionRate(2, 1, 4)).toBe(75);
		expect(hotlineSatisfactionRate(1, 1, 3)).toBe(66.7);
		expect(hotlineSatisfactionRate(0, 0, 2)).toBe(0);
		expect(hotlineSatisfactionRate(0, 0, 0)).toBeNull();
	});

	it('evaluation satisfaction rate: ratings 4–5 ÷ all ratings', () => {
		expect(evaluationSatisfactionRate(2, 5)).toBe(40);
		expect(evaluationSatisfactionRate(7, 9)).toBe(77.8);
		expect(evaluationSatisfactionRate(0, 0)).toBeNull();
	});

	it('presence response rate: confirmed ÷ checks due', () => {
		expect(presenceResponseRate(1, 3)).toBe(33.3);
		expect(presenceResponseRate(2, 3)).toBe(66.7);
		expect(presenceResponseRate(0, 0)).toBeNull();
	});

	it('case completion rate: completed ÷ accepted', () => {
		expect(caseCompletionRate(45, 60)).toBe(75);
		expect(caseCompletionRate(1, 7)).toBe(14.3);
		expect(caseCompletionRate(0, 0)).toBeNull();
	});

	it('case immediate rate (即办率): immediate completed ÷ completed', () => {
		expect(immediateRate(1, 3)).toBe(33.3);
		expect(immediateRate(1, 2)).toBe(50);
		expect(immediateRate(0, 1)).toBe(0);
		expect(immediateRate(0, 0)).toBeNull();
	});
});

describe('departmentScore (defaults of spec §3)', () => {
	const sumLines = (lines: { points: number }[]) => lines.reduce((s, l) => s + l.points, 0);

	it('the defaults are base 100, −2 yellow, −5 red, −1 missed check, −1 overdue case, −0.5 bad review, +0.5 per 100 on time; bad-review rule cards left out', () => {
		expect(DEFAULT_SCORING).toEqual({
			base: 100,
			perYellowCard: -2,
			perRedCard: -5,
			perMissedCheck: -1,
			perOverdueCase: -1,
			perBadReview: -0.5,
			perOnTimeUnit: 0.5,
			onTimeCasesUnit: 100,
			countBadReviewCards: false
		});
	});

	it('starts at 100 with nothing against it', () => {
		const r = departmentScore(noInputs);
		expect(r.score).toBe(100);
		expect(r.lines.find((l) => l.item === 'base')).toEqual({ item: 'base', count: 1, points: 100 });
	});

	it('each item costs its points', () => {
		expect(departmentScore({ ...noInputs, yellowCards: 1 }).score).toBe(98);
		expect(departmentScore({ ...noInputs, redCards: 1 }).score).toBe(95);
		expect(departmentScore({ ...noInputs, missedChecks: 1 }).score).toBe(99);
		expect(departmentScore({ ...noInputs, overdueCases: 1 }).score).toBe(99);
		expect(departmentScore({ ...noInputs, badReviews: 1 }).score).toBe(99.5);
	});

	it('+0.5 per full 100 cases on time (99 earns nothing, 250 earns 1)', () => {
		expect(departmentScore({ ...noInputs, casesOnTime: 99 }).score).toBe(100);
		expect(departmentScore({ ...noInputs, casesOnTime: 100 }).score).toBe(100.5);
		expect(departmentScore({ ...noInputs, casesOnTime: 250 }).score).toBe(101);
	});

	it('a mixed case, hand computed', () => {
		// 100 − 2·3 − 5·1 − 1·4 − 1·2 − 0.5·3 + 0.5·2 = 100 − 6 − 5 − 4 − 2 − 1.5 + 1 = 82.5
		const r = departmentScore({ yellowCards: 3, redCards: 1, missedChecks: 4, overdueCases: 2, badReviews: 3, casesOnTime: 230 });
		expect(r.score).toBe(82.5);
		const byItem = Object.fromEntries(r.lines.map((l) => [l.item, l]));
		expect(byItem.yellowCards).toEqual({ item: 'yellowCards', count: 3, points: -6 });
		expect(byItem.redCards).toEqual({ item: 'redCards', count: 1, points: -5 });
		expect(byItem.missedChecks).toEqual({ item: 'missedChecks', count: 4, points: -4 });
		expect(byItem.overdueCases).toEqual({ item: 'overdueCases', count: 2, points: -2 });
		expect(byItem.badReviews).toEqual({ item: 'badReviews', count: 3, points: -1.5 });
		expect(byItem.casesOnTime).toEqual({ item: 'casesOnTime', count: 230, points: 1 });
	});

	it('breakdown lines sum to the score', () => {
		const cases: ScoreInputs[] = [
			noInputs,
			{ yellowCards: 3, redCards: 1, missedChecks: 4, overdueCases: 2, badReviews: 3, casesOnTime: 230 },
			{ yellowCards: 0, redCards: 0, missedChecks: 0, overdueCases: 0, badReviews: 7, casesOnTime: 1000 },
			{ yellowCards: 20, redCards: 10, missedChecks: 9, overdueCases: 11, badReviews: 1, casesOnTime: 0 }
		];
		for (const c of cases) {
			const r = departmentScore(c);
			expect(sumLines(r.lines)).toBeCloseTo(r.score, 10);
		}
		// 100 − 40 − 50 − 9 − 11 − 0.5 = −10.5 (scores may go below zero)
		expect(departmentScore(cases[3]).score).toBe(-10.5);
		// 100 − 3.5 + 5 = 101.5
		expect(departmentScore(cases[2]).score).toBe(101.5);
	});

	it('admins may configure other rules', () => {
		const rules = { ...DEFAULT_SCORING, base: 60, perYellowCard: -3, perOnTimeUnit: 1, onTimeCasesUnit: 10 };
		// 60 − 3·2 + 1·floor(25/10) = 60 − 6 + 2 = 56
		const r = departmentScore({ ...noInputs, yellowCards: 2, casesOnTime: 25 }, rules);
		expect(r.score).toBe(56);
		expect(sumLines(r.lines)).toBe(56);
	});
});

describe('rankBy (competition ranking)', () => {
	it('ties share a rank: "1,2,2,4"', () => {
		const items = [
			{ k: 'a', v: 90 },
			{ k: 'b', v: 80 },
			{ k: 'c', v: 70 },
			{ k: 'd', v: 80 }
		];
		const r = rankBy(items, (i) => i.v);
		expect(r.map((i) => i.rank)).toEqual([1, 2, 2, 4]);
		expect(r.map((i) => i.k)).toEqual(['a', 'b', 'd', 'c']);
	});

	it('a tie at the top: "1,1,3"', () => {
		const r = rankBy([{ v: 5 }, { v: 7 }, { v: 7 }], (i) => i.v);
		expect(r.map((i) => [i.v, i.rank])).toEqual([
			[7, 1],
			[7, 1],
			[5, 3]
		]);
	});

	it('lower is better when asked', () => {
		const r = rankBy([{ v: 30 }, { v: 10 }, { v: 20 }, { v: 10 }], (i) => i.v, false);
		expect(r.map((i) => [i.v, i.rank])).toEqual([
			[10, 1],
			[10, 1],
			[20, 3],
			[30, 4]
		]);
	});

	it('does not reorder or mutate the input, and copes with empty lists', () => {
		const items = [{ v: 1 }, { v: 2 }];
		rankBy(items, (i) => i.v);
		expect(items).toEqual([{ v: 1 }, { v: 2 }]);
		expect(rankBy([], (i: { v: number }) => i.v)).toEqual([]);
	});
});
