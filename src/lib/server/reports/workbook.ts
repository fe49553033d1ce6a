/**
 * The bulletin as an Excel workbook (exceljs): a cover sheet (title, month, version, the texts)
 * and one sheet per table of the bulletin, with the same figures the page and the PDF show.
 */
import ExcelJS from 'exceljs';
import type { BulletinFigures, BulletinTexts } from '../../domain/bulletin';
import { SCORE_ITEM_NAMES } from '../../domain/scoring';
import type { Lang } from '../../i18n';
import { bulletinTitle, columns, headings, indicatorLabel, issueLabel, monthLabel, reasonLabel, scoringNote } from '../../reports/bulletin-text';

type Cell = string | number | null;

const L = {
	zh: {
		cover: '通报',
		title: '标题',
		issue: '期号',
		month: '月份',
		version: '版本',
		draft: '草稿（未发布）',
		published: '第 {v} 版，{at} 由 {by} 发布',
		reason: '修订原因',
		generated: '数据截至',
		scores: '部门得分',
		volumes: '部门业务量',
		regions: '县区业务量',
		ownLevel: '（本级）',
		cases: '办件情况',
		item: '项目',
		value: '数值',
		presence: '在岗抽查',
		responseRate: '响应率（%）',
		windows: '未确认窗口',
		cards: '红黄牌',
		cardReasons: '红黄牌原因',
		reason2: '原因',
		hotline: '市长热线',
		hotlineDepts: '热线部门',
		closed: '办结',
		closureRate: '办结率（%）',
		indicatorValue: '数值（%）',
		previous: '上期（%）',
		change: '变化（百分点）',
		period: '期间',
		totals: {
			casesAccepted: '受理',
			casesAcceptedOnline: '其中网上受理',
			casesCompleted: '办结',
			casesImmediate: '即时办结',
			immediateRate: '即办率（%）',
			casesEarly: '提前办结',
			casesOnTime: '按时办结',
			onTimeRate: '按时办结率（%）',
			casesOverdue: '超期',
			completionRate: '办结率（%）',
			ticketsIssued: '排队取号',
			servicesCompleted: '窗口办理完成',
			complaints: '有效投诉',
			ratings: '群众评价',
			ratingsGood: '满意（4–5 分）',
			ratingsBad: '差评（1–2 分）',
			satisfactionRate: '满意率（%）'
		},
		hotlineTotals: {
			received: '受理',
			closed: '办结',
			closureRate: '办结率（%）',
			closedOnTime: '按时办结',
			onTimeRate: '按时办结率（%）',
			callbacks: '回访',
			reached: '回访成功',
			satisfied: '满意',
			basic: '基本满意',
			unsatisfied: '不满意',
			satisfactionRate: '满意率（%）',
			supervised: '督办',
			overdue: '超期',
			reopened: '退回重办',
			cohortClosureRate: '受理件办结率（%）',
			acknowledgedOnTimeRate: '响应率（签收及时率，%）',
			resolvedRate: '解决率（%）',
			compositeRate: '三率综合（%）',
			returned: '退单',
			returnRate: '退单率（%）',
			extended: '延期',
			extensionRate: '延期率（%）',
			merged: '重复件',
			repeatRate: '重复来电率（%）',
			callsOffered: '来电',
			callAnswerRate: '接通率（%）',
			answeredIn15sRate: '15秒接通率（%）'
		},
		yearTotals: { received: '1—本月累计受理', closed: '1—本月累计办结', closureRate: '累计办结率（%）', cohortClosureRate: '累计受理件办结率（%）' },
		threeRates: ['响应率（%）', '解决率（%）', '满意率（%）', '三率综合（%）', '三率排名']
	},
	en: {
		cover: 'Bulletin',
		title: 'Title',
		issue: 'Issue',
		month: 'Month',
		version: 'Version',
		draft: 'draft (not published)',
		published: 'version {v}, published {at} by {by}',
		reason: 'Reason for this version',
		generated: 'Figures as of',
		scores: 'Scores',
		volumes: 'Department volumes',
		regions: 'Region volumes',
		ownLevel: ' (own level)',
		cases: 'Cases',
		item: 'Item',
		value: 'Value',
		presence: 'Presence checks',
		responseRate: 'Response rate (%)',
		windows: 'Missed by window',
		cards: 'Cards',
		cardReasons: 'Card reasons',
		reason2: 'Reason',
		hotline: 'Hotline',
		hotlineDepts: 'Hotline departments',
		closed: 'Closed',
		closureRate: 'Closure rate (%)',
		indicatorValue: 'Value (%)',
		previous: 'Previous (%)',
		change: 'Change (pp)',
		period: 'Period',
		totals: {
			casesAccepted: 'Accepted',
			casesAcceptedOnline: 'of which online',
			casesCompleted: 'Completed',
			casesImmediate: 'Completed on the spot',
			immediateRate: 'Immediate rate (%)',
			casesEarly: 'Completed early',
			casesOnTime: 'Completed on time',
			onTimeRate: 'On-time rate (%)',
			casesOverdue: 'Overdue',
			completionRate: 'Completion rate (%)',
			ticketsIssued: 'Queue tickets',
			servicesCompleted: 'Services completed',
			complaints: 'Complaints',
			ratings: 'Reviews',
			ratingsGood: 'Satisfied (4–5)',
			ratingsBad: 'Bad (1–2)',
			satisfactionRate: 'Satisfaction (%)'
		},
		hotlineTotals: {
			received: 'Received',
			closed: 'Closed',
			closureRate: 'Closure rate (%)',
			closedOnTime: 'Closed on time',
			onTimeRate: 'On-time rate (%)',
			callbacks: 'Callbacks',
			reached: 'Reached',
			satisfied: 'Satisfied',
			basic: 'Basically satisfied',
			unsatisfied: 'Unsatisfied',
			satisfactionRate: 'Satisfaction (%)',
			supervised: 'Supervised',
			overdue: 'Overdue',
			reopened: 'Reopened',
			cohortClosureRate: 'Closed of received (%)',
			acknowledgedOnTimeRate: 'Response: taken in time (%)',
			resolvedRate: 'Solved (%)',
			compositeRate: 'Three-rate composite (%)',
			returned: 'Returned',
			returnRate: 'Return rate (%)',
			extended: 'Extended',
			extensionRate: 'Extension rate (%)',
			merged: 'Repeats',
			repeatRate: 'Repeat-call rate (%)',
			callsOffered: 'Calls',
			callAnswerRate: 'Answered (%)',
			answeredIn15sRate: 'Answered within 15 s (%)'
		},
		yearTotals: { received: 'Received, year to date', closed: 'Closed, year to date', closureRate: 'Closure rate YTD (%)', cohortClosureRate: 'Closed of received YTD (%)' },
		threeRates: ['Response (%)', 'Solved (%)', 'Satisfaction (%)', 'Composite (%)', 'Rank']
	}
} as const;

/** Sheet names: at most 31 characters, none of []:*?/\ (Excel's rule), unique. */
function sheetName(wb: ExcelJS.Workbook, name: string): string {
	const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
	let n = base;
	for (let i = 2; wb.getWorksheet(n); i++) n = `${base.slice(0, 28)} ${i}`;
	return n;
}

function table(wb: ExcelJS.Workbook, name: string, header: string[], rows: Cell[][], widths: number[] = []): ExcelJS.Worksheet {
	const ws = wb.addWorksheet(sheetName(wb, name), { views: [{ state: 'frozen', ySplit: 1 }] });
	ws.addRow(header);
	for (const r of rows) ws.addRow(r);
	ws.getRow(1).font = { bold: true };
	ws.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
	header.forEach((h, i) => (ws.getColumn(i + 1).width = widths[i] ?? Math.max(10, Math.min(40, h.length * 2 + 4))));
	return ws;
}

export interface WorkbookMeta {
	version: { version: number; publishedAt: string; publishedBy: string; reason: string | null } | null;
}

export async function bulletinWorkbook(f: BulletinFigures, texts: BulletinTexts, meta: WorkbookMeta, lang: Lang): Promise<Buffer> {
	const l = { ...columns(lang), ...L[lang] };
	const h = headings(lang);
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Hallwatch';
	wb.created = new Date(f.generatedAt);
	const { title, subtitle } = bulletinTitle(f, lang);

	const cover = wb.addWorksheet(l.cover);
	const at = (iso: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false });
	const v = meta.version;
	const coverRows: Cell[][] = [
		[l.title, `${title}${subtitle}`],
		[l.issue, issueLabel(f.month, lang)],
		[l.month, monthLabel(f.month, lang)],
		[l.version, v ? l.published.replace('{v}', String(v.version)).replace('{at}', at(v.publishedAt)).replace('{by}', v.publishedBy) : l.draft],
		...(v?.reason ? [[l.reason, v.reason] as Cell[]] : []),
		[l.generated, at(f.generatedAt)],
		...(texts.intro ? [['', texts.intro] as Cell[]] : []),
		[h.problems, texts.problems],
		[h.plans, texts.plans]
	];
	for (const r of coverRows) cover.addRow(r);
	cover.getColumn(1).width = 18;
	cover.getColumn(2).width = 100;
	cover.getColumn(1).font = { bold: true };
	cover.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

	const itemName = (k: keyof typeof SCORE_ITEM_NAMES) => SCORE_ITEM_NAMES[k][lang];
	const items = ['yellowCards', 'redCards', 'missedChecks', 'overdueCases', 'badReviews', 'casesOnTime', 'badReviewCards'] as const;
	const scores = table(
		wb,
		l.scores,
		[l.rank, l.dept, l.score, ...items.flatMap((k) => [itemName(k), `${itemName(k)}${lang === 'zh' ? '（分）' : ' (points)'}`])],
		f.scores.items.map((s) => [s.rank, s.name, s.score, ...items.flatMap((k) => {
			const line = s.lines.find((x) => x.item === k);
			return [line?.count ?? 0, line?.points ?? 0];
		})]),
		[8, 22, 10]
	);
	scores.addRow([]);
	scores.addRow([scoringNote(f.scoring, lang)]);

	table(
		wb,
		l.volumes,
		[l.dept, l.tickets, l.served, l.accepted, l.online, l.completed, l.immediate, l.early, l.overdue, l.ratings, l.bad],
		f.departments.map((d) => [d.name, d.ticketsIssued, d.servicesCompleted, d.casesAccepted, d.casesAcceptedOnline, d.casesCompleted, d.casesImmediate, d.casesEarly, d.casesOverdue, d.ratings, d.ratingsBad]),
		[22]
	);
	table(
		wb,
		l.regions,
		[l.region, l.accepted, l.online, l.completed, l.immediate, l.tickets, l.hotlineReceived],
		f.regions.map((r) => [r.own ? `${r.name}${l.ownLevel}` : r.name, r.casesAccepted, r.casesAcceptedOnline, r.casesCompleted, r.casesImmediate, r.ticketsIssued, r.hotlineReceived]),
		[22]
	);
	table(wb, l.cases, [l.item, l.value], Object.entries(l.totals).map(([k, label]) => [label, f.totals[k as keyof typeof f.totals]]), [26, 14]);
	table(
		wb,
		l.presence,
		[l.dept, l.checks, l.confirmed, l.missed, l.responseRate],
		[...f.presence.byDepartment.map((d) => [d.name, d.checks, d.confirmed, d.missed, d.responseRate] as Cell[]), [lang === 'zh' ? '合计' : 'Total', f.presence.checks, f.presence.confirmed, f.presence.missed, f.presence.responseRate]],
		[22]
	);
	table(wb, l.windows, [l.window, l.staff, l.dept, l.missed], f.presence.byWindow.map((w) => [w.name, w.staff, w.departmentName, w.missed]), [16, 16, 22]);
	table(
		wb,
		l.cards,
		[l.target, l.kind, l.dept, l.yellow, l.red, l.reasons],
		f.cards.byTarget.map((t) => [t.name, l.kinds[t.kind], t.departmentName, t.yellow, t.red, t.reasons.map((r) => `${reasonLabel(r.reason, lang)} ${r.n}`).join(lang === 'zh' ? '、' : ', ')]),
		[16, 8, 22, 8, 8, 40]
	);
	table(wb, l.cardReasons, [l.reason2, l.yellow, l.red], f.cards.byReason.map((r) => [reasonLabel(r.reason, lang), r.yellow, r.red]), [16]);
	// Bulletins published before v1.1 lack the assessment's figures: those rows are left out.
	const hl = f.hotline as unknown as Record<string, unknown>;
	const totals: Array<[string, unknown]> = Object.entries(l.hotlineTotals)
		.filter(([k]) => hl[k] !== undefined)
		.map(([k, label]) => [label, hl[k]]);
	if (f.hotline.year) for (const [k, label] of Object.entries(l.yearTotals)) totals.push([label, f.hotline.year[k as keyof typeof l.yearTotals]]);
	table(wb, l.hotline, [l.item, l.value], totals as Array<Array<string | number | null>>, [28, 14]);
	const three = f.hotline.byDepartment.some((d) => d.responseRate !== undefined);
	table(
		wb,
		l.hotlineDepts,
		[l.dept, l.assigned, l.closed, l.closureRate, l.overdue, ...(three ? l.threeRates : [])],
		f.hotline.byDepartment.map((d) => [d.name, d.assigned, d.closed, d.closureRate, d.overdue, ...(three ? [d.responseRate ?? null, d.resolvedRate ?? null, d.satisfactionRate ?? null, d.composite ?? null, d.compositeRank ?? null] : [])]),
		[22]
	);
	for (const r of f.indicators) {
		const ws = table(
			wb,
			indicatorLabel(r.indicator, lang),
			[l.rank, l.region, l.indicatorValue, l.previous, l.change, l.previousRank],
			r.items.map((i) => [i.rank, i.name, i.value, i.previousValue, i.change, i.previousRank]),
			[8, 18, 12, 12, 14, 10]
		);
		ws.addRow([]);
		ws.addRow([l.period, monthLabel(r.period, lang), ...(r.previousPeriod ? [monthLabel(r.previousPeriod, lang)] : [])]);
	}
	return Buffer.from(await wb.xlsx.writeBuffer());
}
