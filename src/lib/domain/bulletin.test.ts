/**
 * The monthly bulletin's figures from a known event set, every number hand computed: scores
 * (with the bad-review rule card left out), volumes by department and by region, cases,
 * reviews and complaints, presence checks and cards (who, why, how many), the hotline, and
 * the regional indicators with their change against the previous period.
 */
import { describe, expect, it } from 'vitest';
import { buildBulletinFigures, cleanTexts, issuerOf, type BulletinFigures } from './bulletin';
import { DEFAULT_SCORING } from './metrics';
import { bucketKey } from './projection';
import type { Scope } from './snapshot';
import { october } from './testkit-bulletin';
import { Feed, ms } from './testkit';

function figures(f: Feed, scope: Scope, now = ms('2026-11-03T09:00:00+08:00')): BulletinFigures {
	return buildBulletinFigures({
		month: '2026-10',
		scope,
		org: f.org,
		counters: (kind, code) => f.state.buckets.get(bucketKey(kind, code, '2026-10')),
		cards: f.state.cards,
		indicators: f.state.indicators,
		scoring: DEFAULT_SCORING,
		now,
		seq: f.state.seq
	});
}

describe('bulletin figures, October 2026, the whole deployment', () => {
	const f = october();
	const b = figures(f, { kind: 'all' });

	it('is issued by the deployment, for the month, complete once November came', () => {
		expect(b).toMatchObject({ format: 1, month: '2026-10', scope: 'all', issuer: '政务服务', complete: true, seq: f.state.seq, generatedAt: '2026-11-03T01:00:00.000Z' });
		expect(figures(f, { kind: 'all' }, ms('2026-10-31T23:00:00+08:00')).complete).toBe(false);
		expect(b.scoring).toEqual(DEFAULT_SCORING);
	});

	it('scores: GSJ 100 − 2 − 1 − 1 − 0.5 = 95.5 (its bad-review rule card left out), SWJ 95.5, GAJ 100 − 5 = 95', () => {
		expect(b.scores).toMatchObject({ count: 3, average: 95.3, max: 95.5, min: 95 });
		expect(b.scores.items.map((s) => [s.departmentCode, s.name, s.score, s.rank])).toEqual([
			['GSJ', '市场监管局', 95.5, 1],
			['SWJ', '税务局', 95.5, 1],
			['GAJ', '公安局', 95, 3]
		]);
		const lines = (code: string) => Object.fromEntries(b.scores.items.find((s) => s.departmentCode === code)!.lines.filter((l) => l.count).map((l) => [l.item, [l.count, l.points]]));
		expect(lines('GSJ')).toEqual({ base: [1, 100], yellowCards: [1, -2], missedChecks: [1, -1], overdueCases: [1, -1], badReviews: [1, -0.5], casesOnTime: [3, 0], badReviewCards: [1, 0] });
		expect(lines('SWJ')).toEqual({ base: [1, 100], yellowCards: [1, -2], missedChecks: [1, -1], overdueCases: [1, -1], badReviews: [1, -0.5] });
		expect(lines('GAJ')).toEqual({ base: [1, 100], redCards: [1, -5], casesOnTime: [1, 0] });
	});

	it('cases: accepted 5 (2 online), completed 5 (p1 of September included), 2 immediate, 2 early, 4 on time, 2 overdue', () => {
		expect(b.totals).toEqual({
			ticketsIssued: 3,
			servicesCompleted: 2,
			casesAccepted: 5,
			casesAcceptedOnline: 2,
			casesCompleted: 5,
			casesImmediate: 2,
			casesEarly: 2,
			casesOnTime: 4,
			casesOverdue: 2,
			completionRate: 100,
			immediateRate: 40,
			onTimeRate: 80,
			ratings: 4,
			ratingsGood: 2,
			ratingsBad: 2,
			satisfactionRate: 50,
			complaints: 1
		});
	});

	it('volumes by department, busiest first', () => {
		expect(b.departments).toEqual([
			{ departmentCode: 'GSJ', name: '市场监管局', ticketsIssued: 1, servicesCompleted: 1, casesAccepted: 3, casesAcceptedOnline: 1, casesCompleted: 3, casesImmediate: 1, casesEarly: 2, casesOverdue: 1, ratings: 2, ratingsBad: 1 },
			{ departmentCode: 'GAJ', name: '公安局', ticketsIssued: 1, servicesCompleted: 1, casesAccepted: 1, casesAcceptedOnline: 0, casesCompleted: 1, casesImmediate: 1, casesEarly: 0, casesOverdue: 0, ratings: 1, ratingsBad: 0 },
			{ departmentCode: 'SWJ', name: '税务局', ticketsIssued: 1, servicesCompleted: 0, casesAccepted: 1, casesAcceptedOnline: 1, casesCompleted: 1, casesImmediate: 0, casesEarly: 0, casesOverdue: 1, ratings: 1, ratingsBad: 1 }
		]);
	});

	it('volumes by region: each root’s own level, then its subregions, busiest first', () => {
		const zero = { casesAccepted: 0, casesAcceptedOnline: 0, casesCompleted: 0, casesImmediate: 0, ticketsIssued: 0, hotlineReceived: 0 };
		expect(b.regions).toEqual([
			{ regionCode: 'CITY', name: '盘锦市', own: true, ...zero },
			{ regionCode: 'XLT', name: '兴隆台区', own: false, casesAccepted: 4, casesAcceptedOnline: 2, casesCompleted: 4, casesImmediate: 1, ticketsIssued: 2, hotlineReceived: 1 },
			{ regionCode: 'SHQ', name: '双台子区', own: false, casesAccepted: 1, casesAcceptedOnline: 0, casesCompleted: 1, casesImmediate: 1, ticketsIssued: 1, hotlineReceived: 1 },
			{ regionCode: 'OTHER', name: '外市', own: true, ...zero }
		]);
	});

	it('presence checks: 4, 2 confirmed, 2 missed (W01 张三, W02 李四)', () => {
		expect(b.presence).toEqual({
			checks: 4,
			confirmed: 2,
			missed: 2,
			lateConfirmed: 0,
			responseRate: 50,
			byDepartment: [
				{ departmentCode: 'GSJ', name: '市场监管局', checks: 2, confirmed: 1, missed: 1, responseRate: 50 },
				{ departmentCode: 'SWJ', name: '税务局', checks: 1, confirmed: 0, missed: 1, responseRate: 0 },
				{ departmentCode: 'GAJ', name: '公安局', checks: 1, confirmed: 1, missed: 0, responseRate: 100 }
			],
			byWindow: [
				{ windowCode: 'W01', name: '1号窗口', staff: '张三', departmentName: '市场监管局', missed: 1 },
				{ windowCode: 'W02', name: '2号窗口', staff: '李四', departmentName: '税务局', missed: 1 }
			]
		});
	});

	it('cards: 3 yellow and 1 red in force, 1 revoked; who, why, how many', () => {
		expect(b.cards).toEqual({
			yellow: 3,
			red: 1,
			kept: true,
			revoked: 1,
			byReason: [
				{ reason: 'absent', yellow: 1, red: 0 },
				{ reason: 'bad_review', yellow: 1, red: 0 },
				{ reason: 'complaint', yellow: 1, red: 0 },
				{ reason: 'misconduct', yellow: 0, red: 1 }
			],
			byDepartment: [
				{ departmentCode: 'GAJ', name: '公安局', yellow: 0, red: 1 },
				{ departmentCode: 'GSJ', name: '市场监管局', yellow: 2, red: 0 },
				{ departmentCode: 'SWJ', name: '税务局', yellow: 1, red: 0 }
			],
			byTarget: [
				{ kind: 'window', code: 'W03', name: '3号窗口', departmentName: '公安局', yellow: 0, red: 1, reasons: [{ reason: 'misconduct', n: 1 }] },
				{ kind: 'staff', code: 'S001', name: '张三', departmentName: '市场监管局', yellow: 2, red: 0, reasons: [{ reason: 'absent', n: 1 }, { reason: 'bad_review', n: 1 }] },
				{ kind: 'staff', code: 'S002', name: '李四', departmentName: '税务局', yellow: 1, red: 0, reasons: [{ reason: 'complaint', n: 1 }] }
			]
		});
	});

	it('hotline: 3 received, 1 closed (33.3%), satisfaction 100% of 1 reached, 1 supervised, 1 overdue', () => {
		// No 签收 limits, solved answers or calls in October's events: those rates are null; the
		// composite is the satisfaction alone (100); no year to date without the year's counters.
		expect(b.hotline).toMatchObject({ acknowledgedOnTimeRate: null, resolvedRate: null, compositeRate: 100, returned: 0, returnRate: 0, extended: 0, merged: 0, repeatRate: 0, callsOffered: 0, callAnswerRate: null, year: null });
		// 1 of the 3 received closed now: the cohort rate equals the closure rate here.
		expect(b.hotline.cohortClosureRate).toBe(33.3);
		expect(b.hotline.byDepartment.map((d) => [d.departmentCode, d.composite, d.compositeRank])).toEqual([
			['GAJ', null, null],
			['GSJ', 100, 1]
		]);
		const { cohortClosureRate: _a, acknowledgedOnTimeRate: _b, resolvedRate: _c, compositeRate: _d, weights: _e, returned: _f, returnRate: _g, extended: _h, extensionRate: _i, merged: _j, repeatRate: _k, callsOffered: _l, callAnswerRate: _m, answeredIn15sRate: _n, year: _o, ...v1 } = b.hotline;
		expect({ ...v1, byDepartment: v1.byDepartment.map(({ departmentCode, name, assigned, closed, closureRate, overdue }) => ({ departmentCode, name, assigned, closed, closureRate, overdue })) }).toEqual({
			received: 3,
			closed: 1,
			closureRate: 33.3,
			closedOnTime: 1,
			onTimeRate: 100,
			callbacks: 2,
			reached: 1,
			satisfied: 1,
			basic: 0,
			unsatisfied: 0,
			satisfactionRate: 100,
			supervised: 1,
			overdue: 1,
			reopened: 0,
			byDepartment: [
				{ departmentCode: 'GAJ', name: '公安局', assigned: 1, closed: 0, closureRate: 0, overdue: 1 },
				{ departmentCode: 'GSJ', name: '市场监管局', assigned: 1, closed: 1, closureRate: 100, overdue: 0 }
			]
		});
	});

	it('indicators: October’s 进一网 with a tie sharing rank 2, the change against September; the custom one from August; November’s not yet', () => {
		expect(b.indicators).toEqual([
			{
				indicator: 'online_entry_rate',
				period: '2026-10',
				previousPeriod: '2026-09',
				items: [
					{ regionCode: 'OTHER', name: '外市', value: 70, rank: 1, previousValue: null, previousRank: null, change: null },
					{ regionCode: 'SHQ', name: '双台子区', value: 62.5, rank: 2, previousValue: 50, previousRank: 2, change: 12.5 },
					{ regionCode: 'XLT', name: '兴隆台区', value: 62.5, rank: 2, previousValue: 60, previousRank: 1, change: 2.5 }
				]
			},
			{
				indicator: 'self_service_rate',
				period: '2026-08',
				previousPeriod: null,
				items: [{ regionCode: 'XLT', name: '兴隆台区', value: 30, rank: 1, previousValue: null, previousRank: null, change: null }]
			}
		]);
	});

	it('is plain JSON (a published version is stored as it is)', () => {
		expect(JSON.parse(JSON.stringify(b))).toEqual(b);
	});
});

describe('bulletin figures of one center', () => {
	const f = october();
	const b = figures(f, { kind: 'center', code: 'PJ-001' });

	it('its departments, its homes (its center and its region’s region-level items), its region’s indicators', () => {
		expect(b.issuer).toBe('兴隆台区政务服务中心');
		expect(b.scores.items.map((s) => [s.departmentCode, s.score, s.rank])).toEqual([
			['GSJ', 95.5, 1],
			['SWJ', 95.5, 1]
		]);
		expect(b.totals).toMatchObject({ casesAccepted: 4, casesCompleted: 4, ticketsIssued: 2, ratings: 3, ratingsBad: 2, complaints: 1 });
		expect(b.hotline).toMatchObject({ received: 1, closed: 1, closureRate: 100 });
		expect(b.regions.map((r) => [r.regionCode, r.own, r.casesAccepted])).toEqual([['XLT', true, 4]]);
		expect(b.cards).toMatchObject({ yellow: 3, red: 0, revoked: 1 });
		expect(b.cards.byTarget.map((t) => t.code)).toEqual(['S001', 'S002']);
		expect(b.presence.byWindow.map((w) => w.windowCode)).toEqual(['W01', 'W02']);
		expect(b.indicators[0].items).toEqual([{ regionCode: 'XLT', name: '兴隆台区', value: 62.5, rank: 1, previousValue: 60, previousRank: 1, change: 2.5 }]);
	});

	it('without the month’s cards (no longer kept): totals from the counters, no details', () => {
		const old = buildBulletinFigures({ ...{ month: '2026-10', scope: { kind: 'all' } as Scope, org: f.org, indicators: f.state.indicators, scoring: DEFAULT_SCORING, now: ms('2026-11-03T09:00:00+08:00'), seq: 1 }, counters: (k, c) => f.state.buckets.get(bucketKey(k, c, '2026-10')), cards: null });
		expect(old.cards).toMatchObject({ yellow: 3, red: 1, kept: false, revoked: 0, byReason: [], byTarget: [] });
		expect(old.totals.complaints).toBeNull();
	});
});

describe('bulletin helpers', () => {
	it('issuer: a center, a region, the single center of a deployment', () => {
		const f = new Feed();
		expect(issuerOf({ kind: 'region', code: 'XLT' }, f.org)).toBe('兴隆台区政务服务');
		f.org.centers.delete('PJ-002');
		expect(issuerOf({ kind: 'all' }, f.org)).toBe('兴隆台区政务服务中心');
	});

	it('texts: the three sections, strings only, trailing space trimmed, CRLF as LF', () => {
		expect(cleanTexts({ problems: '一是……\r\n二是……  \n', plans: 7, other: 'x' })).toEqual({ intro: '', problems: '一是……\n二是……', plans: '' });
	});
});
