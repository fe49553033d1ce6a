/**
 * The bulletin's sentences from the October fixture, word for word (Chinese, as printed), and
 * the English ones in part.
 */
import { describe, expect, it } from 'vitest';
import { buildBulletinFigures } from '$lib/domain/bulletin';
import { DEFAULT_SCORING } from '$lib/domain/metrics';
import { bucketKey } from '$lib/domain/projection';
import { ms } from '$lib/domain/testkit';
import { october } from '$lib/domain/testkit-bulletin';
import { bulletinTitle, casesText, complaintsText, hotlineText, indicatorText, issueLabel, monthLabel, paragraphs, presenceText, scoresText, scoringNote } from './bulletin-text';

const f = october();
const INPUT: Parameters<typeof buildBulletinFigures>[0] = {
	month: '2026-10',
	scope: { kind: 'all' },
	org: f.org,
	counters: (kind, code) => f.state.buckets.get(bucketKey(kind, code, '2026-10')),
	cards: f.state.cards,
	indicators: f.state.indicators,
	scoring: DEFAULT_SCORING,
	now: ms('2026-11-03T09:00:00+08:00'),
	seq: 1
};
const b = buildBulletinFigures(INPUT);

describe('bulletin sentences (zh)', () => {
	it('title, issue, month', () => {
		expect(bulletinTitle(b, 'zh')).toEqual({ title: '政务服务运行情况通报', subtitle: '（10月份）' });
		expect(issueLabel('2026-10', 'zh')).toBe('2026年第十期');
		expect(issueLabel('2026-01', 'zh')).toBe('2026年第一期');
		expect(monthLabel('2026-10', 'zh')).toBe('2026年10月');
		expect(monthLabel('2026-10', 'en')).toBe('October 2026');
	});

	it('1. scores', () => {
		expect(scoresText(b, 'zh')).toBe('2026年10月，3个驻厅部门参加绩效考核，平均分95.3分，最高分95.5分，最低分95分。各部门得分：市场监管局（95.5分）、税务局（95.5分）、公安局（95分）。');
		expect(scoringNote(DEFAULT_SCORING, 'zh')).toBe(
			'注：基准分100分；黄牌−2分/张，红牌−5分/张，在岗抽查未确认−1分/次，超期办件−1分/件，差评（1–2分）−0.5分/条，按时办结每100件+0.5分；已撤销的红黄牌不计；差评规则所出黄牌不重复扣分。'
		);
	});

	it('1. scores of more than five departments: the top five and the bottom three', () => {
		const items = Array.from({ length: 8 }, (_, i) => ({ departmentCode: `D${i}`, name: `部门${i + 1}`, score: 100 - i, rank: i + 1, lines: [] }));
		const many = { ...b, scores: { count: 8, average: 96.5, max: 100, min: 93, items } };
		expect(scoresText(many, 'zh')).toBe(
			'2026年10月，8个驻厅部门参加绩效考核，平均分96.5分，最高分100分，最低分93分。得分前五名：部门1（100分）、部门2（99分）、部门3（98分）、部门4（97分）、部门5（96分）；得分后三名：部门6（95分）、部门7（94分）、部门8（93分）。'
		);
		expect(scoresText({ ...many, scores: { ...many.scores, count: 7, items: items.slice(0, 7) } }, 'zh')).toContain('；得分后两名：部门6（95分）、部门7（94分）。');
	});

	it('2. cases, with the regions', () => {
		expect(casesText(b, 'zh')).toBe(
			'当月受理业务5件（其中网上受理2件），办结5件，其中即时办结2件，即办率40%；提前办结2件，按时办结率80%；超期办件2件。大厅排队取号3人次，窗口办理完成2人次。受理业务前三名：市场监管局（3件）、公安局（1件）、税务局（1件）。盘锦市本级受理0件；县区前两名分别为兴隆台区（4件）、双台子区（1件）。'
		);
	});

	it('3. complaints and reviews; 4. presence and cards; 5. hotline', () => {
		expect(complaintsText(b, 'zh')).toBe('本月发生有效投诉举报1件。收到群众评价4条，其中满意（4–5分）2条、差评（1–2分）2条，满意率50%。');
		expect(presenceText(b, 'zh')).toBe(
			'本月开展在岗抽查4人次，按时确认2人次，未确认2人次，响应率50%。未确认较多的窗口：1号窗口（张三，1次）、2号窗口（李四，1次）。共发出黄牌3张、红牌1张（另有1张经核实撤销，不计入），按原因：离岗黄牌1张；差评黄牌1张；投诉黄牌1张；违规红牌1张。被出红牌的：3号窗口（公安局）1张。'
		);
		expect(hotlineText(b, 'zh')).toBe(
			'本月受理市长热线工单3件，办结1件，办结率33.3%，按时办结率100%；回访2件，其中回访成功1件（满意1件、基本满意0件、不满意0件），满意率100%；督办1件，超期1件，退回重办0件。' +
				'“三率”考核：响应率（签收及时率）无数据、解决率无数据、满意率100%，按30/35/35加权综合100%；退单0件（退单率0%），延期0件（延期率0%），重复来电0件（重复来电率0%）。本月受理工单中已办结的占33.3%。'
		);
		// With the year's counters (October alone here) the year to date follows; a bulletin published before v1.1 keeps its text.
		const withYear = buildBulletinFigures({ ...INPUT, yearCounters: INPUT.counters });
		expect(hotlineText(withYear, 'zh')).toMatch(/1—10月累计受理3件，办结1件，办结率33\.3%（受理件办结率33\.3%）。$/);
		const { acknowledgedOnTimeRate: _, ...old } = b.hotline;
		expect(hotlineText({ ...b, hotline: old as typeof b.hotline }, 'zh')).toBe('本月受理市长热线工单3件，办结1件，办结率33.3%，按时办结率100%；回访2件，其中回访成功1件（满意1件、基本满意0件、不满意0件），满意率100%；督办1件，超期1件，退回重办0件。');
	});

	it('二. an indicator: every region in ranking order, the change against the previous period', () => {
		expect(indicatorText(b.indicators[0], 'zh')).toBe(
			'2026年10月（上期为2026年9月）：外市“进一网”占比70%；双台子区“进一网”占比62.5%（较上期上升12.5个百分点）；兴隆台区“进一网”占比62.5%（较上期上升2.5个百分点）。'
		);
		expect(indicatorText(b.indicators[1], 'zh')).toBe('2026年8月：兴隆台区“self_service_rate”占比30%。');
	});

	it('an empty rate reads 无数据, never a dash (it reads as 一 in the serif)', () => {
		const empty = buildBulletinFigures({ month: '2026-09', scope: { kind: 'all' }, org: f.org, counters: () => undefined, cards: new Map(), indicators: new Map(), scoring: DEFAULT_SCORING, now: ms('2026-11-03T09:00:00+08:00'), seq: 1 });
		for (const text of [casesText(empty, 'zh'), presenceText(empty, 'zh'), hotlineText(empty, 'zh')]) {
			expect(text).toContain('无数据');
			expect(text).not.toContain('—');
		}
		expect(presenceText(empty, 'zh')).toContain('响应率无数据');
		expect(presenceText(empty, 'en')).toContain('response rate n/a');
	});

	it('free text as paragraphs', () => {
		expect(paragraphs('一是……\n\n  二是……  \n')).toEqual(['一是……', '二是……']);
	});
});

describe('bulletin sentences (en)', () => {
	it('reads in English', () => {
		expect(hotlineText(b, 'en')).toBe(
			'The hotline received 3 tickets and closed 1: closure rate 33.3%, on time 100%. 2 callbacks, 1 reached (1 satisfied, 0 basically satisfied, 0 unsatisfied): satisfaction 100%. 1 put under supervision, 1 overdue, 0 reopened.' +
				" Three rates: response (taken in time) n/a, solved n/a, satisfaction 100%; weighted 30/35/35: 100%. 0 returned (0%), 0 extended (0%), 0 repeat calls (0%). Of this month's tickets, 33.3% are closed."
		);
		expect(indicatorText(b.indicators[0], 'en')).toBe('October 2026 (previous: September 2026): 外市 70%; 双台子区 62.5% (+12.5 pp); 兴隆台区 62.5% (+2.5 pp).');
	});
});
