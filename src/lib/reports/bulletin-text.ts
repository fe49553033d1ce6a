/**
 * The bulletin's words: headings and the sentences of 一、基本运行情况 written from the figures,
 * in Chinese (the document's language, after the seed bulletins) or English. Pure; the page,
 * the print page, the PDF and the workbook all read these.
 */
import type { BulletinFigures } from '$lib/domain/bulletin';
import type { IndicatorRanking } from '$lib/domain/indicators';
import { DEFAULT_SCORING, type ScoringRules } from '$lib/domain/metrics';
import { indicatorKey, reasonKey, translator, type Lang } from '$lib/i18n';

const CN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
/** 前两名, 前三名 …: "two" is 两 before a measure word. */
const nth = (n: number) => (n === 2 ? '两' : CN[n]);
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2026年10月 / October 2026 */
export function monthLabel(month: string, lang: Lang): string {
	const [y, m] = month.split('-').map(Number);
	return lang === 'zh' ? `${y}年${m}月` : `${MONTHS_EN[m - 1]} ${y}`;
}

/** 2026年第十期 / No. 10, 2026 (one bulletin a month: the issue is the month). */
export function issueLabel(month: string, lang: Lang): string {
	const [y, m] = month.split('-').map(Number);
	return lang === 'zh' ? `${y}年第${CN[m]}期` : `No. ${m}, ${y}`;
}

export function bulletinTitle(f: Pick<BulletinFigures, 'issuer' | 'month'>, lang: Lang): { title: string; subtitle: string } {
	const [, m] = f.month.split('-').map(Number);
	return lang === 'zh'
		? { title: `${f.issuer}运行情况通报`, subtitle: `（${m}月份）` }
		: { title: `${f.issuer}: monthly operations bulletin`, subtitle: `(${monthLabel(f.month, 'en')})` };
}

/** A rate as written in the text: 96.8% or —. */
/** A percent; an empty rate reads 无数据 (a dash reads as 一 in the bulletin's serif). */
export const pct = (v: number | null, lang: Lang = 'zh') => (v === null ? (lang === 'zh' ? '无数据' : 'n/a') : `${v}%`);
/** Percentage points with a sign: +1.61 / −0.5 / 0. */
export const pp = (v: number | null) => (v === null ? '—' : v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0');

export function reasonLabel(reason: string, lang: Lang): string {
	const k = reasonKey(reason);
	return k ? translator(lang)(k) : reason;
}

export function indicatorLabel(indicator: string, lang: Lang): string {
	const k = indicatorKey(indicator);
	return k ? translator(lang)(k) : indicator;
}

const HEADINGS = {
	zh: {
		basic: '一、基本运行情况',
		scores: '1.绩效考核得分情况。',
		cases: '2.审批业务办理情况。',
		complaints: '3.投诉举报和群众评价情况。',
		presence: '4.在岗抽查和红黄牌情况。',
		hotline: '5.市长热线办理情况。',
		indicators: '二、区域指标排名情况',
		problems: '三、存在问题',
		plans: '四、下步工作安排'
	},
	en: {
		basic: '1. Operations',
		scores: '1.1 Department scores. ',
		cases: '1.2 Cases. ',
		complaints: '1.3 Complaints and reviews. ',
		presence: '1.4 Presence checks and cards. ',
		hotline: '1.5 Mayor’s hotline. ',
		indicators: '2. Regional indicators',
		problems: '3. Problems',
		plans: '4. Next steps'
	}
} as const;

export function headings(lang: Lang) {
	return HEADINGS[lang];
}

/** Column names of the bulletin's tables, shared by the document and the workbook. */
const COLUMNS = {
	zh: {
		rank: '名次',
		dept: '部门',
		score: '得分',
		tickets: '取号',
		served: '办理完成',
		accepted: '受理',
		online: '网上受理',
		completed: '办结',
		immediate: '即时办结',
		early: '提前办结',
		overdue: '超期',
		ratings: '评价',
		bad: '差评',
		region: '区划',
		hotlineReceived: '热线受理',
		total: '合计',
		checks: '抽查',
		confirmed: '按时确认',
		missed: '未确认',
		yellow: '黄牌',
		red: '红牌',
		target: '对象',
		kind: '类别',
		reasons: '原因',
		assigned: '转办',
		previousRank: '上期名次',
		staff: '工作人员',
		window: '窗口',
		kinds: { staff: '人员', window: '窗口', department: '部门' }
	},
	en: {
		rank: 'Rank',
		dept: 'Department',
		score: 'Score',
		tickets: 'Tickets',
		served: 'Services done',
		accepted: 'Accepted',
		online: 'Online',
		completed: 'Completed',
		immediate: 'Immediate',
		early: 'Early',
		overdue: 'Overdue',
		ratings: 'Reviews',
		bad: 'Bad reviews',
		region: 'Region',
		hotlineReceived: 'Hotline',
		total: 'Total',
		checks: 'Checks',
		confirmed: 'Confirmed',
		missed: 'Missed',
		yellow: 'Yellow',
		red: 'Red',
		target: 'To',
		kind: 'Kind',
		reasons: 'Reasons',
		assigned: 'Assigned',
		previousRank: 'Prev. rank',
		staff: 'Staff',
		window: 'Window',
		kinds: { staff: 'Staff', window: 'Window', department: 'Department' }
	}
} as const;

export function columns(lang: Lang) {
	return COLUMNS[lang];
}

const join = (parts: string[], lang: Lang) => parts.join(lang === 'zh' ? '、' : ', ');

/** 1. scores: how many took part, average, highest, lowest; the top five and the bottom three with their scores. */
export function scoresText(f: BulletinFigures, lang: Lang): string {
	const s = f.scores;
	const month = monthLabel(f.month, lang);
	if (!s.count) return lang === 'zh' ? `${month}，没有驻厅部门参加考核。` : `${month}: no department was scored.`;
	const item = (i: { name: string; score: number }) => (lang === 'zh' ? `${i.name}（${i.score}分）` : `${i.name} (${i.score})`);
	const top = s.items.slice(0, 5);
	const bottom = s.count > 5 ? s.items.slice(Math.max(5, s.count - 3)) : [];
	if (lang === 'zh') {
		let text = `${month}，${s.count}个驻厅部门参加绩效考核，平均分${s.average}分，最高分${s.max}分，最低分${s.min}分。`;
		text += s.count > 5 ? `得分前五名：${join(top.map(item), lang)}` : `各部门得分：${join(top.map(item), lang)}`;
		if (bottom.length) text += `；得分后${nth(bottom.length)}名：${join(bottom.map(item), lang)}`;
		return text + '。';
	}
	let text = `In ${month}, ${s.count} departments were scored: average ${s.average}, highest ${s.max}, lowest ${s.min}. `;
	text += s.count > 5 ? `Top five: ${join(top.map(item), lang)}` : `Scores: ${join(top.map(item), lang)}`;
	if (bottom.length) text += `; bottom ${bottom.length}: ${join(bottom.map(item), lang)}`;
	return text + '.';
}

/** The rules behind the scores, as a note under the table. */
export function scoringNote(r: ScoringRules, lang: Lang): string {
	const n = (v: number) => (v < 0 ? `−${-v}` : `+${v}`);
	if (lang === 'zh')
		return `注：基准分${r.base}分；黄牌${n(r.perYellowCard)}分/张，红牌${n(r.perRedCard)}分/张，在岗抽查未确认${n(r.perMissedCheck)}分/次，超期办件${n(r.perOverdueCase)}分/件，差评（1–2分）${n(r.perBadReview)}分/条，按时办结每${r.onTimeCasesUnit}件${n(r.perOnTimeUnit)}分；已撤销的红黄牌不计${r.countBadReviewCards ? '' : '；差评规则所出黄牌不重复扣分'}。`;
	return `Note: base ${r.base}; yellow card ${n(r.perYellowCard)}, red card ${n(r.perRedCard)}, missed presence check ${n(r.perMissedCheck)}, overdue case ${n(r.perOverdueCase)}, bad review (1–2) ${n(r.perBadReview)}, ${n(r.perOnTimeUnit)} per ${r.onTimeCasesUnit} cases on time; revoked cards count nothing${r.countBadReviewCards ? '' : '; cards of the bad-review rule are not deducted again'}.`;
}

export const defaultScoringNote = (lang: Lang) => scoringNote(DEFAULT_SCORING, lang);

/** 2. cases: accepted, completed, immediate, early, overdue; queue; the busiest departments; the regions. */
export function casesText(f: BulletinFigures, lang: Lang): string {
	const t = f.totals;
	const busy = f.departments.filter((d) => d.casesAccepted > 0).slice(0, 5);
	const idle = f.departments.filter((d) => d.casesAccepted === 0).length;
	const item = (i: { name: string; casesAccepted: number }) => (lang === 'zh' ? `${i.name}（${i.casesAccepted}件）` : `${i.name} (${i.casesAccepted})`);
	let text =
		lang === 'zh'
			? `当月受理业务${t.casesAccepted}件（其中网上受理${t.casesAcceptedOnline}件），办结${t.casesCompleted}件，其中即时办结${t.casesImmediate}件，即办率${pct(t.immediateRate, lang)}；提前办结${t.casesEarly}件，按时办结率${pct(t.onTimeRate, lang)}；超期办件${t.casesOverdue}件。大厅排队取号${t.ticketsIssued}人次，窗口办理完成${t.servicesCompleted}人次。`
			: `${t.casesAccepted} cases were accepted (${t.casesAcceptedOnline} online) and ${t.casesCompleted} completed, ${t.casesImmediate} of them on the spot (immediate rate ${pct(t.immediateRate, lang)}); ${t.casesEarly} were completed early, ${pct(t.onTimeRate, lang)} on time; ${t.casesOverdue} went overdue. The hall issued ${t.ticketsIssued} queue tickets and windows completed ${t.servicesCompleted} services. `;
	if (busy.length) text += lang === 'zh' ? `受理业务前${nth(busy.length)}名：${join(busy.map(item), lang)}` : `Busiest departments: ${join(busy.map(item), lang)}`;
	if (busy.length && idle) text += lang === 'zh' ? `，另有${idle}个部门受理量为0。` : `; ${idle} departments accepted none. `;
	else if (busy.length) text += lang === 'zh' ? '。' : '. ';
	const own = f.regions.find((r) => r.own);
	const children = f.regions.filter((r) => !r.own);
	const busyChildren = children.filter((r) => r.casesAccepted > 0);
	if (own && children.length && !busyChildren.length)
		text += lang === 'zh' ? `${own.name}本级受理${own.casesAccepted}件；各县区本月无受理数据。` : `${own.name} itself accepted ${own.casesAccepted}; no subregion reported cases.`;
	else if (own && children.length) {
		const top = busyChildren.slice(0, 3);
		const last = children.length > 3 ? children[children.length - 1] : null;
		const rItem = (r: { name: string; casesAccepted: number }) => (lang === 'zh' ? `${r.name}（${r.casesAccepted}件）` : `${r.name} (${r.casesAccepted})`);
		text +=
			lang === 'zh'
				? `${own.name}本级受理${own.casesAccepted}件；${top.length > 1 ? `县区前${nth(top.length)}名分别为` : '县区中'}${join(top.map(rItem), lang)}${last ? `，最少的是${last.name}（${last.casesAccepted}件）` : ''}。`
				: `${own.name} itself accepted ${own.casesAccepted}; the leading subregions: ${join(top.map(rItem), lang)}${last ? `; the fewest: ${last.name} (${last.casesAccepted})` : ''}.`;
	}
	return text.trim();
}

/** 3. complaints and reviews. */
export function complaintsText(f: BulletinFigures, lang: Lang): string {
	const t = f.totals;
	if (lang === 'zh') {
		const c = t.complaints === null ? '本月有效投诉举报明细已超过保存期限。' : `本月发生有效投诉举报${t.complaints}件。`;
		return `${c}收到群众评价${t.ratings}条，其中满意（4–5分）${t.ratingsGood}条、差评（1–2分）${t.ratingsBad}条，满意率${pct(t.satisfactionRate, lang)}。`;
	}
	const c = t.complaints === null ? 'Complaint details are no longer kept for this month. ' : `${t.complaints} substantiated complaints. `;
	return `${c}${t.ratings} reviews: ${t.ratingsGood} satisfied (4–5), ${t.ratingsBad} bad (1–2); satisfaction ${pct(t.satisfactionRate, lang)}.`;
}

/** 4. presence checks (who missed most) and cards (how many, why). */
export function presenceText(f: BulletinFigures, lang: Lang): string {
	const p = f.presence;
	const c = f.cards;
	const windows = p.byWindow.slice(0, 5);
	const wItem = (w: BulletinFigures['presence']['byWindow'][number]) =>
		lang === 'zh' ? `${w.name}（${w.staff ? `${w.staff}，` : ''}${w.missed}次）` : `${w.name} (${w.staff ? `${w.staff}, ` : ''}${w.missed})`;
	const reasons = c.byReason.map((r) =>
		lang === 'zh'
			? `${reasonLabel(r.reason, lang)}${r.yellow ? `黄牌${r.yellow}张` : ''}${r.yellow && r.red ? '、' : ''}${r.red ? `红牌${r.red}张` : ''}`
			: `${reasonLabel(r.reason, lang).toLowerCase()}: ${[r.yellow ? `${r.yellow} yellow` : '', r.red ? `${r.red} red` : ''].filter(Boolean).join(', ')}`
	);
	if (lang === 'zh') {
		let text = `本月开展在岗抽查${p.checks}人次，按时确认${p.confirmed}人次，未确认${p.missed}人次，响应率${pct(p.responseRate, lang)}。`;
		if (windows.length) text += `未确认较多的窗口：${join(windows.map(wItem), lang)}。`;
		text += `共发出黄牌${c.yellow}张、红牌${c.red}张`;
		if (c.kept && c.revoked) text += `（另有${c.revoked}张经核实撤销，不计入）`;
		text += c.kept && reasons.length ? `，按原因：${reasons.join('；')}。` : '。';
		const reds = c.byTarget.filter((x) => x.red > 0).slice(0, 5);
		if (reds.length) text += `被出红牌的：${join(reds.map((x) => `${x.name}${x.departmentName && x.kind !== 'department' ? `（${x.departmentName}）` : ''}${x.red}张`), lang)}。`;
		return text;
	}
	let text = `${p.checks} presence checks: ${p.confirmed} confirmed in time, ${p.missed} missed; response rate ${pct(p.responseRate, lang)}. `;
	if (windows.length) text += `Most missed: ${join(windows.map(wItem), lang)}. `;
	text += `${c.yellow} yellow and ${c.red} red cards`;
	if (c.kept && c.revoked) text += ` (${c.revoked} more revoked, not counted)`;
	text += c.kept && reasons.length ? `; by reason: ${reasons.join('; ')}.` : '.';
	const reds = c.byTarget.filter((x) => x.red > 0).slice(0, 5);
	if (reds.length) text += ` Red cards: ${join(reds.map((x) => `${x.name}${x.departmentName && x.kind !== 'department' ? ` (${x.departmentName})` : ''} ${x.red}`), lang)}.`;
	return text;
}

/** 5. the hotline: received, closed, closure rate, callbacks and satisfaction, supervised. */
export function hotlineText(f: BulletinFigures, lang: Lang): string {
	const h = f.hotline;
	const base =
		lang === 'zh'
			? `本月受理市长热线工单${h.received}件，办结${h.closed}件，办结率${pct(h.closureRate, lang)}，按时办结率${pct(h.onTimeRate, lang)}；回访${h.callbacks}件，其中回访成功${h.reached}件（满意${h.satisfied}件、基本满意${h.basic}件、不满意${h.unsatisfied}件），满意率${pct(h.satisfactionRate, lang)}；督办${h.supervised}件，超期${h.overdue}件，退回重办${h.reopened}件。`
			: `The hotline received ${h.received} tickets and closed ${h.closed}: closure rate ${pct(h.closureRate, lang)}, on time ${pct(h.onTimeRate, lang)}. ${h.callbacks} callbacks, ${h.reached} reached (${h.satisfied} satisfied, ${h.basic} basically satisfied, ${h.unsatisfied} unsatisfied): satisfaction ${pct(h.satisfactionRate, lang)}. ${h.supervised} put under supervision, ${h.overdue} overdue, ${h.reopened} reopened.`;
	// Bulletins published before v1.1 have no three rates or year to date: their text stays as it was.
	if (h.acknowledgedOnTimeRate === undefined) return base;
	const w = h.weights ?? { response: 30, resolved: 35, satisfaction: 35 };
	const month = Number(f.month.slice(5));
	const y = h.year;
	return lang === 'zh'
		? base +
				`“三率”考核：响应率（签收及时率）${pct(h.acknowledgedOnTimeRate, lang)}、解决率${pct(h.resolvedRate ?? null, lang)}、满意率${pct(h.satisfactionRate, lang)}，按${w.response}/${w.resolved}/${w.satisfaction}加权综合${pct(h.compositeRate ?? null, lang)}；退单${h.returned ?? 0}件（退单率${pct(h.returnRate ?? null, lang)}），延期${h.extended ?? 0}件（延期率${pct(h.extensionRate ?? null, lang)}），重复来电${h.merged ?? 0}件（重复来电率${pct(h.repeatRate ?? null, lang)}）` +
				(h.callsOffered ? `；来电${h.callsOffered}个，接通率${pct(h.callAnswerRate ?? null, lang)}，15秒接通率${pct(h.answeredIn15sRate ?? null, lang)}` : '') +
				`。本月受理工单中已办结的占${pct(h.cohortClosureRate ?? null, lang)}。` +
				(y ? `1—${month}月累计受理${y.received}件，办结${y.closed}件，办结率${pct(y.closureRate, lang)}（受理件办结率${pct(y.cohortClosureRate, lang)}）。` : '')
		: base +
				` Three rates: response (taken in time) ${pct(h.acknowledgedOnTimeRate, lang)}, solved ${pct(h.resolvedRate ?? null, lang)}, satisfaction ${pct(h.satisfactionRate, lang)}; weighted ${w.response}/${w.resolved}/${w.satisfaction}: ${pct(h.compositeRate ?? null, lang)}. ${h.returned ?? 0} returned (${pct(h.returnRate ?? null, lang)}), ${h.extended ?? 0} extended (${pct(h.extensionRate ?? null, lang)}), ${h.merged ?? 0} repeat calls (${pct(h.repeatRate ?? null, lang)})` +
				(h.callsOffered ? `; ${h.callsOffered} calls, ${pct(h.callAnswerRate ?? null, lang)} answered, ${pct(h.answeredIn15sRate ?? null, lang)} within 15 s` : '') +
				`. Of this month's tickets, ${pct(h.cohortClosureRate ?? null, lang)} are closed.` +
				(y ? ` January–${month} to date: ${y.received} received, ${y.closed} closed, closure rate ${pct(y.closureRate, lang)} (closed of received ${pct(y.cohortClosureRate, lang)}).` : '');
}

/** One indicator: every region's value in ranking order, with the change against the previous period. */
export function indicatorText(r: IndicatorRanking, lang: Lang): string {
	const name = indicatorLabel(r.indicator, lang);
	const item = (i: IndicatorRanking['items'][number]) =>
		lang === 'zh'
			? `${i.name}“${name}”占比${i.value}%${i.change !== null ? `（较上期${i.change > 0 ? '上升' : i.change < 0 ? '下降' : '持平'}${i.change ? `${Math.abs(i.change)}个百分点` : ''}）` : ''}`
			: `${i.name} ${i.value}%${i.change !== null ? ` (${pp(i.change)} pp)` : ''}`;
	const period = monthLabel(r.period, lang);
	const prev = r.previousPeriod ? monthLabel(r.previousPeriod, lang) : null;
	return lang === 'zh'
		? `${period}${prev ? `（上期为${prev}）` : ''}：${r.items.map(item).join('；')}。`
		: `${period}${prev ? ` (previous: ${prev})` : ''}: ${r.items.map(item).join('; ')}.`;
}

/** A free text as paragraphs (one per line; blank lines dropped). */
export const paragraphs = (text: string) =>
	text
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
