/**
 * Demo simulator: a deterministic, realistic day of a government service center (政务服务中心),
 * produced through the event catalog like any external sender would.
 *
 * - Everything is derived from (seed, local day, stream) with a seeded PRNG (mulberry32): the same
 *   seed and org give the same events, ids included, however the time line is sliced.
 * - Time passes by the real clock: `eventsBetween(from, to)` returns the events planned in
 *   (from, to]. A whole local day is planned lazily when first needed; only that day's plan is
 *   kept in memory.
 * - Items that live for days (办件 cases, 12345 hotline tickets) are planned on the day they are
 *   created, with their whole life; a day's plan re-derives the earlier days' streams (cheap) and
 *   keeps the events that fall on it. `since` leaves out follow-ups of items the receiver never saw.
 * - Never emits system (derived) types: missed presence checks, overdue cases and hotline tickets
 *   are left for the server to derive (some items are planned so that they do go overdue).
 *
 * Clock model: opening hours 08:30–12:00 and 13:30–17:30 in the center's zone; the 12345 hotline
 * runs 24 hours. Every day is a working day (a demo at the weekend still shows a working hall).
 * Local times are computed as day start + offset, i.e. assuming no DST change inside a day
 * (true for China).
 */
import { INDICATORS, isSystemType, type DataOf, type EventType, type HallEvent } from '../../domain/catalog';
import type { Department, OrgData, Region, Staff, Window } from '../../domain/org';
import { dayKey, DEFAULT_TZ, previousMonth } from '../../domain/time';
import { WorkingCalendar } from '../../domain/calendar';

// ── options and defaults ───────────────────────────────────────────────────────

export interface SimOptions {
	org: OrgData;
	/** PRNG seed (default 1). */
	seed?: number;
	/** The center to simulate (default: the first center that has windows). */
	centerCode?: string;
	/** events per simulated hour multiplier: scales tickets, cases and hotline volumes (default DEMO_INTENSITY). */
	intensity?: number;
	/**
	 * Share of the demo's 12345 hotline this center receives (default 1). In a network the hotline
	 * is the city's: its center takes the calls, township centers none (0).
	 */
	hotlineShare?: number;
	/** Report the regional indicators (指标) of the center's counties (default true; in a network, one center per region does). */
	indicators?: boolean;
	/** Keep the day's plan between calls (default true). A network of thousands of centers drops it: memory over speed. */
	keepPlan?: boolean;
	/** Prefix of event ids and of the ids inside data (cases, hotline tickets, cards, checks); default `sim`. */
	idPrefix?: string;
	/**
	 * On the first `eventsBetween` call, start from the beginning of today (local midnight)
	 * instead of `from`, so a server started mid-day gets the day so far at once. Unless `since`
	 * is given, it also sets `since` to that midnight (a fresh start: nothing earlier was sent).
	 */
	catchUp?: boolean;
	/**
	 * Epoch ms from which the simulator's events were (or are being) delivered: the follow-ups
	 * (calls, completions, replies, closures, callbacks …) of items created at or before it are
	 * left out, since the receiver never saw those items. Pass the time the demo first started;
	 * a restart then still completes the items fed before it. Default: none (every follow-up is
	 * emitted; with `catchUp`, the catch-up start).
	 */
	since?: number;
}

/** Default `intensity`. */
export const DEMO_INTENSITY = 1;

/** Volumes of a simulated day at intensity 1 (the center-wide totals are approximate). */
export const DEMO_DAILY_VOLUMES = {
	/** 取号 queue tickets per staffed window: ~1900 a day for the 45-window demo center (1500–2500). */
	ticketsPerWindow: 42,
	/** 办件 accepted by the approval system, per department: ~360 a day for the demo center. */
	casesPerDepartment: 15,
	/** 12345 hotline tickets (24 hours). */
	hotlinePerDay: 160,
	/** 在岗抽查 rounds to all on-duty staff. */
	presenceRounds: 4,
	/** 红黄牌 issued per day: min and max. */
	cardsPerDay: [2, 4] as const
};

/** Longest life of a case or hotline ticket, in days: the earlier streams re-derived per plan. */
const HORIZON_DAYS = 18;

// ── PRNG ───────────────────────────────────────────────────────────────────────

/** FNV-1a of a string: seeds a stream from (seed, day, stream name). */
function hashSeed(s: string): number {
	let h = 2166136261 >>> 0;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

/** mulberry32 with a few sampling helpers. */
class Rng {
	private a: number;
	constructor(seed: number) {
		this.a = seed >>> 0;
	}
	next(): number {
		let t = (this.a = (this.a + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	/** Integer in [a, b]. */
	int(a: number, b: number): number {
		return a + Math.floor(this.next() * (b - a + 1));
	}
	range(a: number, b: number): number {
		return a + this.next() * (b - a);
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(xs: readonly T[]): T {
		return xs[Math.floor(this.next() * xs.length)];
	}
	weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): T {
		let total = 0;
		for (const [, w] of pairs) total += w;
		let r = this.next() * total;
		for (const [v, w] of pairs) if ((r -= w) < 0) return v;
		return pairs[pairs.length - 1][0];
	}
	/** Standard normal (Box–Muller). */
	normal(): number {
		const u = 1 - this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
	}
	poisson(lambda: number): number {
		if (lambda <= 0) return 0;
		if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
		const l = Math.exp(-lambda);
		let k = 0;
		let p = 1;
		do {
			k++;
			p *= this.next();
		} while (p > l);
		return k - 1;
	}
}

// ── time in the center's zone ──────────────────────────────────────────────────

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** `tz|hourStart` → offset. Bounded: cleared when it grows large. */
const offsetMemo = new Map<string, number>();

/** UTC offset of a zone at an instant, in ms (memoized per hour). */
function zoneOffsetMs(ms: number, tz: string): number {
	const hourStart = ms - (((ms % HOUR) + HOUR) % HOUR);
	const key = `${tz}|${hourStart}`;
	const memo = offsetMemo.get(key);
	if (memo !== undefined) return memo;
	let f = offsetFormatters.get(tz);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: tz,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		offsetFormatters.set(tz, f);
	}
	const p: Record<string, number> = {};
	for (const x of f.formatToParts(new Date(hourStart))) if (x.type !== 'literal') p[x.type] = Number(x.value);
	const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hourStart;
	if (offsetMemo.size > 20_000) offsetMemo.clear();
	offsetMemo.set(key, offset);
	return offset;
}

/** RFC 3339 in the zone with its offset, whole seconds: `2026-11-22T09:15:02+08:00`. */
function isoIn(ms: number, tz: string): string {
	const off = zoneOffsetMs(ms, tz);
	const local = new Date(ms + off).toISOString().slice(0, 19);
	const a = Math.abs(off) / MIN;
	return `${local}${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The event of a plan entry (with a copy of its data when the plan is kept). */
function eventOf(p: Planned, tz: string, copy: boolean): HallEvent {
	return {
		id: p.id ?? `${p.idBase}${String(p.n).padStart(5, '0')}`,
		type: p.type,
		occurredAt: isoIn(p.at, tz),
		source: p.source,
		data: copy ? structuredClone(p.data) : p.data
	} as HallEvent;
}

/** Epoch ms of local midnight starting `YYYY-MM-DD`. */
function dayStartMs(day: string, tz: string): number {
	const [y, m, d] = day.split('-').map(Number);
	const utc = Date.UTC(y, m - 1, d);
	let t = utc - zoneOffsetMs(utc, tz);
	t = utc - zoneOffsetMs(t, tz);
	return t;
}

function addDays(day: string, n: number): string {
	const d = new Date(`${day}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/** Local clock time `h:m` as ms after midnight. */
const hm = (h: number, m = 0) => (h * 60 + m) * MIN;

/** Round to whole seconds: every planned instant is whole seconds, so occurredAt is exact. */
const whole = (ms: number) => Math.round(ms / 1000) * 1000;

// Opening hours (办公时间) and the queue machine's hours, as ms after local midnight.
const CLOCK = {
	morningOpen: hm(8, 30),
	morningClose: hm(12, 0),
	afternoonOpen: hm(13, 30),
	afternoonClose: hm(17, 30),
	issueStart: hm(8, 0),
	issueEnd: hm(17, 15),
	/** Backlog is still called after 17:30 (延时服务), until this time at most. */
	lastCall: hm(18, 0)
};

/**
 * Ticket arrival curve: relative weight per 15-minute slot from 08:00 to 17:15 — a morning peak
 * around 09:30–10:30, the lunch dip (the machine still issues a few), a smaller afternoon peak.
 */
const ARRIVAL_SLOTS: number[] = [
	0.6, 0.8, 1.2, 1.5, 1.8, 2.0, 2.2, 2.3, 2.3, 2.1, 1.9, 1.7, 1.4, 1.1, 0.8, 0.5, // 08:00–11:45
	0.25, 0.15, 0.1, 0.15, 0.3, 0.6, // 12:00–13:15 lunch
	1.0, 1.3, 1.5, 1.7, 1.8, 1.8, 1.7, 1.5, 1.3, 1.1, 0.9, 0.7, 0.5, 0.35, 0.2 // 13:30–17:00
];

/** Weight of working-hours slots for case acceptance (08:30–12:00, 13:30–17:30). */
const WORK_SLOTS: Array<[start: number, weight: number]> = ARRIVAL_SLOTS.map((w, i): [number, number] => [CLOCK.issueStart + i * 15 * MIN, w]).filter(
	([s]) => (s >= CLOCK.morningOpen && s < CLOCK.morningClose) || (s >= CLOCK.afternoonOpen && s < CLOCK.afternoonClose)
);

/** Hotline calls per hour of the day (relative): a night trickle, day-time peaks. */
/** The simulator's working calendar (the 2026 holidays) and 签收 limit in working hours. */
const SIM_CALENDAR = new WorkingCalendar();
const ACK_HOURS = 2;
const RETURN_REASONS = ['不属于本单位职责范围，建议转属地街道办理', '诉求涉及多个部门，建议由牵头单位办理', '该地址不在本辖区，请改派', '属于企业自主经营行为，非行政职能'];
const EXTENSION_REASONS = ['需协调多个部门联合现场核查', '涉及历史遗留问题，需调阅档案', '需等待第三方检测结果', '施工需待天气条件允许'];
const HOTLINE_HOURS = [0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.4, 0.8, 1.3, 1.6, 1.6, 1.4, 1.0, 1.0, 1.4, 1.5, 1.4, 1.2, 0.9, 0.8, 0.7, 0.5, 0.35, 0.2];

// ── domain vocabularies ────────────────────────────────────────────────────────

/** Keyword of a department name → typical 事项 (service items). */
const ITEMS: Array<[keyword: string, items: string[]]> = [
	['公安', ['居民身份证申领', '户口迁移', '出入境证件办理', '机动车登记', '居住证办理']],
	['不动产', ['不动产转移登记', '不动产抵押登记', '不动产首次登记', '不动产权证书补发', '查封登记查询']],
	['工商', ['企业设立登记', '企业变更登记', '企业注销登记', '个体工商户登记', '营业执照补领']],
	['国税', ['增值税发票领购', '税务登记', '纳税申报', '增值税专用发票代开']],
	['地税', ['个人所得税完税证明', '契税申报', '房产税申报']],
	['人社', ['社会保障卡办理', '养老保险关系转移', '失业保险金申领', '就业创业证办理']],
	['交通', ['道路运输经营许可', '道路运输证年审', '出租汽车驾驶员从业资格', '营运车辆转籍']],
	['公积金', ['住房公积金提取', '住房公积金贷款', '公积金缴存登记']],
	['市场监管', ['食品经营许可', '特种设备使用登记', '计量器具检定']],
	['住建', ['建筑工程施工许可', '商品房预售许可', '建筑业企业资质']],
	['烟草', ['烟草专卖零售许可证新办', '烟草专卖零售许可证延续']],
	['财政', ['政府采购备案', '行政事业单位资产处置']],
	['商务', ['对外贸易经营者备案登记', '酒类流通备案']],
	['卫计', ['医疗机构执业登记', '医师执业注册', '生育服务登记']],
	['民政', ['社会团体登记', '民办非企业单位登记', '养老机构设立许可']],
	['教育', ['民办学校设立审批', '教师资格认定']],
	['环保', ['建设项目环境影响评价审批', '排污许可证核发']],
	['国土', ['建设用地审批', '土地使用权出让']],
	['规划', ['建设工程规划许可证', '建设用地规划许可证']],
	['质监', ['特种设备作业人员资格', '工业产品生产许可']],
	['食药', ['药品经营许可', '食品生产许可']],
	['安监', ['危险化学品经营许可', '安全生产许可']],
	['旅游', ['旅行社设立许可', '导游证办理']],
	['城管', ['城市道路占用挖掘许可', '户外广告设置许可']]
];

/** Keyword → mean service minutes at the window. */
const SERVICE_MINUTES: Array<[string, number]> = [
	['公安', 4],
	['不动产', 9],
	['工商', 8],
	['国税', 5],
	['地税', 5],
	['人社', 5],
	['公积金', 6],
	['烟草', 5]
];
const DEFAULT_SERVICE_MINUTES = 6;

/** 12345 categories, the departments they go to (name keywords) and what callers say. */
const HOTLINE_CATEGORIES: Array<{ category: string; weight: number; depts: string[]; summaries: string[] }> = [
	{
		category: '城市管理',
		weight: 3,
		depts: ['城管'],
		summaries: ['{p}路灯损坏，夜间出行不便', '{p}垃圾清运不及时，异味较大', '{p}占道经营，影响通行', '{p}井盖缺失，存在安全隐患', '{p}夜间施工噪音扰民']
	},
	{
		category: '交通出行',
		weight: 2,
		depts: ['交通'],
		summaries: ['{p}公交车班次少，候车时间长', '{p}路口信号灯故障', '{p}道路破损坑洼严重', '反映出租车拒载、绕路问题', '{p}车辆乱停乱放，出行困难']
	},
	{
		category: '住房保障',
		weight: 2,
		depts: ['住建', '不动产', '公积金'],
		summaries: ['{p}小区供暖温度不达标', '咨询公租房申请条件及流程', '{p}小区物业服务不到位', '反映商品房逾期未办理不动产权证', '咨询住房公积金提取办理流程']
	},
	{
		category: '劳动社保',
		weight: 2,
		depts: ['人社'],
		summaries: ['反映{p}某企业拖欠农民工工资', '咨询养老保险转移接续办理流程', '咨询灵活就业人员社保缴费标准', '反映用人单位未依法缴纳社会保险', '咨询失业保险金申领条件']
	},
	{
		category: '市场监管',
		weight: 2,
		depts: ['市场监管', '工商', '食药'],
		summaries: ['反映{p}某超市销售过期食品', '反映{p}某餐馆卫生条件差', '投诉网购商品质量问题，商家拒绝退换', '反映{p}某加油站计量不准', '咨询个体工商户营业执照办理流程']
	},
	{
		category: '医疗卫生',
		weight: 1,
		depts: ['卫计'],
		summaries: ['反映{p}社区卫生服务中心服务态度差', '咨询城乡居民医保报销比例及流程', '反映医院挂号难、排队时间长', '咨询流感疫苗接种地点', '反映{p}某诊所无证行医']
	},
	{
		category: '环境保护',
		weight: 1,
		depts: ['环保'],
		summaries: ['{p}附近企业夜间排放异味', '{p}河道有污水直排', '反映{p}某工地扬尘严重']
	}
];

const PLACES = ['幸福家园小区', '石油大街', '中兴路', '建设街', '渤海路与泰山路交叉口', '和谐家园小区', '市府大街', '双兴路', '兴隆大街', '惠宾街道', '创新路', '友谊路'];

const REPLIES = [
	'经核实，已安排人员于今日处理完毕',
	'已联系相关单位现场处理，问题已解决',
	'已向来电人解释相关政策，来电人表示认可',
	'已责令相关商户限期整改，并将跟踪复查',
	'已立案调查，将依法依规处理并反馈',
	'已告知办理流程及所需材料，来电人表示满意'
];

const PAUSE_REASONS: Array<[string, number]> = [
	['业务咨询', 0.5],
	['临时离岗', 0.4],
	['系统故障', 0.1]
];

type CardReason = DataOf<'card.issued'>['reason'];
const CARD_NOTES: Record<CardReason, string[]> = {
	absent: ['在岗抽查未确认，经核实擅自离岗', '工作时间无故缺岗'],
	late_or_early_leave: ['上班迟到', '未到下班时间提前离岗'],
	overdue_case: ['办件超过承诺时限未办结', '承诺件逾期未办结'],
	complaint: ['群众投诉服务态度生硬，经核实属实', '群众投诉推诿扯皮，经核实属实'],
	bad_review: ['近期差评较多', '群众评价不满意，经核实属实'],
	misconduct: ['工作时间玩手机', '未佩戴工作牌、着装不规范'],
	other: ['窗口台面物品摆放不整齐', '未执行一次性告知制']
};

const GOOD_COMMENTS = ['服务热情，办事效率高', '工作人员很耐心', '一次就办好了，点赞'];
const BAD_COMMENTS = ['等待时间太长', '材料要求没有一次性告知清楚', '工作人员态度不好'];

/** Panjin's July 2018 bulletin: 进一网 / 网上办 / 进一门 / 最多跑一次 by county, in percent. */
const BULLETIN_INDICATORS: Record<string, Record<keyof typeof INDICATORS, number>> = {
	XLT: { online_entry_rate: 62.93, online_handling_rate: 58.85, one_door_rate: 57.84, max_one_trip_rate: 3.17 },
	PS: { online_entry_rate: 61.94, online_handling_rate: 31.78, one_door_rate: 60.12, max_one_trip_rate: 3.37 },
	LHK: { online_entry_rate: 50.19, online_handling_rate: 10.93, one_door_rate: 50.19, max_one_trip_rate: 2.33 },
	LDW: { online_entry_rate: 34.12, online_handling_rate: 15.61, one_door_rate: 51.9, max_one_trip_rate: 2.8 },
	STZ: { online_entry_rate: 27.7, online_handling_rate: 13.8, one_door_rate: 27.7, max_one_trip_rate: 7.14 },
	DW: { online_entry_rate: 13.73, online_handling_rate: 7.05, one_door_rate: 20.96, max_one_trip_rate: 7.08 }
};
/** Ranges of the same bulletin, for regions it does not name. */
const INDICATOR_RANGES: Record<keyof typeof INDICATORS, [number, number]> = {
	online_entry_rate: [13, 67],
	online_handling_rate: [7, 59],
	one_door_rate: [20, 67],
	max_one_trip_rate: [2, 26]
};

function byKeyword<T>(name: string, table: Array<[string, T]>): T | undefined {
	return table.find(([k]) => name.includes(k))?.[1];
}

// ── planning ───────────────────────────────────────────────────────────────────

/** One planned event: `origin` is when the item it belongs to was created (for `since`). */
/**
 * A planned event. Its id and occurredAt are only formatted when it is emitted (`eventOf`): a
 * day's plan re-derives the cases and hotline tickets of 18 earlier days, most of which never
 * leave the plan, and formatting them all was most of the planning time.
 */
interface Planned {
	at: number;
	origin: number;
	type: EventType;
	data: unknown;
	source: string;
	/** The id: `idBase` and the stream's counter `n`, or `id` when set. */
	idBase: string;
	n: number;
	id?: string;
	/** Set on `indicator.reported`: its period (skipped if already reported at start). */
	period?: string;
}

interface DayPlan {
	day: string;
	start: number;
	end: number;
	events: Planned[];
}

/** A window as the day's queue simulation sees it. */
interface WinSim {
	win: Window;
	staff: Staff;
	/** Call-allowed sessions: [open, close) in epoch ms. */
	sessions: Array<{ open: number; close: number; pauseLimit: number }>;
	freeAt: number;
	pauses: Array<{ start: number; dur: number; reason: string }>;
	pi: number;
	realized: Array<{ start: number; end: number; reason: string }>;
	/** Last activity end per session (0 morning, 1 afternoon). */
	lastEnd: [number, number];
}

/** Roster of the day: who clocked in when, and who paused (for presence checks and cards). */
interface Roster {
	/** staffCode → [clock in, clock out] */
	onDuty: Map<string, [number, number]>;
	/** staffCode → pauses with reason */
	pauses: Map<string, Array<{ start: number; end: number; reason: string }>>;
	late: Staff[];
	absent: Staff[];
}

/** Center-scoped view of the org, computed once. */
interface Scope {
	centerCode: string;
	tz: string;
	departments: Department[];
	/** Departments with windows, with their ticket letter and windows. */
	queues: Array<{ dept: Department; letter: string; windows: Window[]; serviceMin: number; items: string[] }>;
	staffByWindow: Map<string, Staff>;
	backOffice: Staff[];
	allStaff: Staff[];
	counties: Region[];
	windows: Window[];
}

export class DaySimulator {
	private readonly seed: number;
	private readonly intensity: number;
	private readonly prefix: string;
	private readonly catchUp: boolean;
	private readonly scope: Scope;
	private readonly hotlineShare: number;
	private readonly indicators: boolean;
	private readonly keepPlan: boolean;
	private plan: DayPlan | null = null;
	/** Events of items created at or before this instant are not emitted (see SimOptions.since). */
	private since: number | null;
	private started = false;
	/** Period of the indicators reported at start. */
	private startPeriod: string | null = null;

	constructor(opts: SimOptions) {
		this.seed = opts.seed ?? 1;
		this.intensity = opts.intensity ?? DEMO_INTENSITY;
		this.hotlineShare = opts.hotlineShare ?? 1;
		this.indicators = opts.indicators ?? true;
		this.keepPlan = opts.keepPlan ?? true;
		this.prefix = (opts.idPrefix ?? 'sim').replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 24) || 'sim';
		this.catchUp = !!opts.catchUp;
		this.since = opts.since ?? null;
		this.scope = buildScope(opts.org, opts.centerCode);
	}

	/**
	 * All events whose occurredAt is in (from, to], in occurredAt order (fresh objects; from/to:
	 * epoch ms, looked back a month at most). Events only name codes that exist in the org.
	 */
	eventsBetween(from: number, to: number): HallEvent[] {
		let first = false;
		from = Math.max(from, to - 31 * DAY); // a month back at most
		if (!this.started) {
			this.started = true;
			first = true;
			if (this.catchUp) {
				const dayStart = dayStartMs(dayKey(to, this.scope.tz), this.scope.tz) - 1;
				from = Math.min(from, dayStart);
				this.since ??= dayStart;
			}
		}
		const out: HallEvent[] = [];
		if (first) this.startPeriod = previousMonth(dayKey(to, this.scope.tz).slice(0, 7));
		let day = dayKey(from + 1, this.scope.tz);
		while (to > from) {
			const plan = this.planFor(day);
			const evs = plan.events;
			// first index with at > from
			let lo = 0;
			let hi = evs.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (evs[mid].at > from) hi = mid;
				else lo = mid + 1;
			}
			for (let i = lo; i < evs.length && evs[i].at <= to; i++) {
				const p = evs[i];
				if (this.since !== null && p.origin <= this.since) continue;
				if (p.period && p.period === this.startPeriod) continue;
				out.push(eventOf(p, this.scope.tz, true));
			}
			if (plan.end > to) break;
			day = addDays(day, 1);
		}
		if (!this.keepPlan) this.plan = null;
		// 指标 of the previous month, reported once at start (at `to`, so still in time order).
		if (first) for (const p of this.indicatorEvents(this.startPeriod!, Math.floor(to / 1000) * 1000)) out.push(eventOf(p, this.scope.tz, false));
		return out;
	}

	// ── the day's plan ─────────────────────────────────────────────────────────

	private planFor(day: string): DayPlan {
		if (this.plan?.day === day) return this.plan;
		const { tz } = this.scope;
		const start = dayStartMs(day, tz);
		const end = dayStartMs(addDays(day, 1), tz);
		const all: Planned[] = [];
		const roster = this.planQueue(day, start, all);
		this.planPresence(day, start, roster, all);
		this.planCards(day, start, roster, all);
		// Streams of multi-day items: today's and those of the earlier days still alive.
		for (let k = HORIZON_DAYS; k >= 0; k--) {
			const d = addDays(day, -k);
			const s = dayStartMs(d, tz);
			const part: Planned[] = [];
			this.planCases(d, s, part);
			this.planHotline(d, s, part);
			for (const p of part) if (p.at >= start && p.at < end) all.push(p);
		}
		if (day.endsWith('-01')) all.push(...this.indicatorEvents(previousMonth(day.slice(0, 7)), start + hm(9, 0)));
		all.sort((a, b) => a.at - b.at); // stable: equal instants keep generation order
		this.plan = { day, start, end, events: all };
		return this.plan;
	}

	private rng(day: string, stream: string): Rng {
		return new Rng(hashSeed(`${this.seed}|${day}|${stream}`));
	}

	/** An emitter for one stream of one origin day: ids `${prefix}-${yyyymmdd}-${tag}${n}`. */
	private emitter(day: string, tag: string, source: string, out: Planned[]) {
		const ymd = day.replaceAll('-', '');
		const idBase = `${this.prefix}-${ymd}-${tag}`;
		const src = `${this.prefix}:${source}`;
		let n = 0;
		return <T extends EventType>(type: T, at: number, data: DataOf<T>, origin: number = at): void => {
			if (isSystemType(type)) throw new Error(`simulator: ${type} is a system type`);
			at = whole(at);
			out.push({ at, origin, type, data, source: src, idBase, n: ++n });
		};
	}

	/** Scale a daily volume by intensity. */
	private volume(base: number): number {
		return base * this.intensity;
	}

	// ── queue, windows, attendance (排队叫号 / 窗口 / 考勤) ──────────────────────────

	private planQueue(day: string, start: number, out: Planned[]): Roster {
		const { centerCode, queues, staffByWindow, backOffice } = this.scope;
		const rng = this.rng(day, 'queue');
		const emit = this.emitter(day, 'q', 'queue', out);
		const emitW = this.emitter(day, 'w', 'window', out);
		const emitA = this.emitter(day, 'a', 'attendance', out);
		const roster: Roster = { onDuty: new Map(), pauses: new Map(), late: [], absent: [] };
		const T = (ms: number) => start + ms;
		const clockIns = new Map<string, number>();
		const method = () => rng.weighted([['face', 0.8], ['card', 0.15], ['manual', 0.05]] as const);

		// Who is absent today (请假): at most one, only where the department keeps two more windows.
		const multi = queues.filter((q) => q.windows.filter((w) => staffByWindow.has(w.code)).length >= 3);
		const absentWindow = multi.length && rng.chance(0.5) ? rng.pick(rng.pick(multi).windows.filter((w) => staffByWindow.has(w.code))).code : null;

		// Tickets arrive per department, in proportion to its serving capacity; departments with a
		// single window are the quiet ones (旅游, 安监 …) and get proportionally fewer.
		const capacity = queues.map((q) => {
			const staffed = q.windows.filter((w) => staffByWindow.has(w.code)).length;
			return (staffed * (staffed >= 2 ? 1 : 0.5)) / q.serviceMin;
		});
		const capTotal = capacity.reduce((a, b) => a + b, 0);
		const slotTotal = ARRIVAL_SLOTS.reduce((a, b) => a + b, 0);
		const staffedWindows = queues.reduce((n, q) => n + q.windows.filter((w) => staffByWindow.has(w.code)).length, 0);
		const perDay = this.volume(DEMO_DAILY_VOLUMES.ticketsPerWindow * staffedWindows);

		queues.forEach((q, qi) => {
			// Windows of this department that are staffed today.
			const wins: WinSim[] = [];
			for (const win of q.windows) {
				const staff = staffByWindow.get(win.code);
				if (!staff) continue; // nobody to open it
				if (win.code === absentWindow) {
					roster.absent.push(staff);
					continue;
				}
				const late = rng.chance(0.04);
				const clockIn = T(late ? rng.int(hm(8, 31), hm(8, 50)) : rng.int(hm(7, 45), hm(8, 28)));
				if (late) roster.late.push(staff);
				const morningOpen = Math.max(T(CLOCK.morningOpen), clockIn + rng.int(60, 150) * 1000);
				const afternoonOpen = T(CLOCK.afternoonOpen) + (rng.chance(0.03) ? rng.int(300, 900) : rng.int(0, 150)) * 1000;
				const sessions = [
					{ open: whole(morningOpen), close: T(CLOCK.morningClose), pauseLimit: T(CLOCK.morningClose) - MIN },
					{ open: afternoonOpen, close: T(CLOCK.lastCall), pauseLimit: T(CLOCK.afternoonClose) - MIN }
				];
				// Pauses (暂停) the staff will want today, realized when the window is free.
				const pauses: WinSim['pauses'] = [];
				const nPauses = rng.weighted([[0, 0.2], [1, 0.4], [2, 0.3], [3, 0.1]] as const);
				for (let k = 0; k < nPauses; k++) {
					const reason = rng.weighted(PAUSE_REASONS);
					const s = rng.chance(0.5) ? rng.int(hm(9, 0), hm(11, 30)) : rng.int(hm(14, 0), hm(17, 0));
					const dur = (reason === '系统故障' ? rng.int(8, 25) : rng.int(3, 15)) * MIN + rng.int(0, 59) * 1000;
					pauses.push({ start: T(s), dur, reason });
				}
				pauses.sort((a, b) => a.start - b.start);
				wins.push({ win, staff, sessions, freeAt: sessions[0].open, pauses, pi: 0, realized: [], lastEnd: [0, 0] });
				emitA('attendance.clock_in', clockIn, { staffCode: staff.code, method: method() });
				clockIns.set(staff.code, whole(clockIn));
			}

			// Arrivals (取号): Poisson per 15-minute slot.
			const share = capTotal ? capacity[qi] / capTotal : 0;
			const issued: number[] = [];
			ARRIVAL_SLOTS.forEach((w, si) => {
				const n = rng.poisson((perDay * share * w) / slotTotal);
				const slotStart = CLOCK.issueStart + si * 15 * MIN;
				for (let k = 0; k < n; k++) issued.push(T(slotStart) + rng.int(0, 899) * 1000);
			});
			issued.sort((a, b) => a - b);

			issued.forEach((issuedAt, ti) => {
				const ticketNo = `${q.letter}${String(ti + 1).padStart(3, '0')}`;
				const channel = rng.chance(0.2) ? 'appointment' : 'walk_in';
				emit('queue.ticket_issued', issuedAt, { centerCode, ticketNo, departmentCode: q.dept.code, serviceName: rng.pick(q.items), channel });
				const readyAt = issuedAt + rng.int(10, 40) * 1000;

				// FIFO: the staffed window that can call it earliest calls it.
				let best: { w: WinSim; c: Candidate } | null = null;
				for (const w of wins) {
					const c = candidate(w, readyAt);
					if (c.t !== Infinity && (!best || c.t < best.c.t)) best = { w, c };
				}
				if (!best) {
					// Nobody could call it today: the ticket lapses at the end of the day (过号).
					emit('queue.ticket_no_show', T(CLOCK.lastCall) + rng.int(60, 600) * 1000, { centerCode, ticketNo }, issuedAt);
					return;
				}
				const { w, c } = best;
				w.pi = c.pi;
				w.realized.push(...c.pauses);
				const calledAt = whole(c.t);
				const session = calledAt < w.sessions[0].close ? 0 : 1;
				const staffCode = w.staff.code;
				const windowCode = w.win.code;
				emit('queue.ticket_called', calledAt, { centerCode, ticketNo, windowCode, staffCode }, issuedAt);
				// Morning tickets called after lunch often have left.
				const noShow = rng.chance(session === 1 && issuedAt < T(CLOCK.morningClose) ? 0.25 : 0.035);
				let end: number;
				if (noShow) {
					end = calledAt + rng.int(60, 150) * 1000;
					emit('queue.ticket_no_show', end, { centerCode, ticketNo, windowCode }, issuedAt);
				} else {
					const startedAt = calledAt + rng.int(15, 75) * 1000;
					const minutes = Math.min(45, Math.max(1, q.serviceMin * Math.exp(0.5 * rng.normal() - 0.125)));
					end = startedAt + Math.round(minutes * 60) * 1000;
					const result = rng.weighted([['done', 0.91], ['transferred', 0.05], ['incomplete', 0.04]] as const);
					emit('queue.service_started', startedAt, { centerCode, ticketNo, windowCode, staffCode }, issuedAt);
					emit('queue.service_completed', end, { centerCode, ticketNo, windowCode, staffCode, result }, issuedAt);
					// 好差评 on the window's rating pad.
					if (rng.chance(result === 'done' ? 0.65 : 0.4)) {
						const rating = rng.weighted(
							result === 'done'
								? ([[5, 0.79], [4, 0.16], [3, 0.03], [2, 0.012], [1, 0.008]] as const)
								: ([[5, 0.45], [4, 0.25], [3, 0.15], [2, 0.1], [1, 0.05]] as const)
						);
						const comment = rating <= 2 ? rng.pick(BAD_COMMENTS) : rating === 5 && rng.chance(0.15) ? rng.pick(GOOD_COMMENTS) : undefined;
						emit(
							'evaluation.submitted',
							end + rng.int(5, 40) * 1000,
							{ rating, windowCode, staffCode, departmentCode: q.dept.code, ticketNo, ...(comment ? { comment } : {}) },
							issuedAt
						);
					}
				}
				w.lastEnd[session] = Math.max(w.lastEnd[session], end);
				w.freeAt = end + rng.int(5, 25) * 1000;
			});

			// Window status and clock-out, per window in time order.
			for (const w of wins) {
				// Pauses wanted while the window stood idle.
				for (; w.pi < w.pauses.length; w.pi++) {
					const r = realizePause(w, w.pauses[w.pi], w.freeAt);
					if (r) {
						w.realized.push(r);
						w.freeAt = r.end;
					}
				}
				const staffCode = w.staff.code;
				const windowCode = w.win.code;
				const closeAt = [
					Math.max(T(CLOCK.morningClose), w.lastEnd[0]) + rng.int(10, 90) * 1000,
					Math.max(T(CLOCK.afternoonClose), w.lastEnd[1]) + rng.int(10, 120) * 1000
				];
				const status: Array<[number, 'open' | 'paused' | 'closed', string?]> = [
					[w.sessions[0].open, 'open'],
					[closeAt[0], 'closed'],
					[w.sessions[1].open, 'open'],
					[closeAt[1], 'closed']
				];
				for (const p of w.realized) status.push([p.start, 'paused', p.reason], [p.end, 'open']);
				status.sort((a, b) => a[0] - b[0]);
				for (const [at, st, reason] of status) emitW('window.status_changed', at, { windowCode, status: st, staffCode, ...(reason ? { reason } : {}) });
				const clockOut = closeAt[1] + rng.int(60, 480) * 1000;
				emitA('attendance.clock_out', clockOut, { staffCode, method: method() });
				roster.onDuty.set(staffCode, [clockIns.get(staffCode)!, whole(clockOut)]);
				roster.pauses.set(staffCode, w.realized);
			}
		});

		// Back-office staff (后台): a plain office day.
		for (const s of backOffice) {
			const clockIn = T(rng.int(hm(7, 50), hm(8, 29)));
			const clockOut = T(rng.int(hm(17, 31), hm(18, 10)));
			emitA('attendance.clock_in', clockIn, { staffCode: s.code, method: method() });
			emitA('attendance.clock_out', clockOut, { staffCode: s.code, method: method() });
			roster.onDuty.set(s.code, [whole(clockIn), whole(clockOut)]);
		}
		return roster;
	}

	// ── presence checks (在岗抽查) ───────────────────────────────────────────────

	private planPresence(day: string, start: number, roster: Roster, out: Planned[]): void {
		const rng = this.rng(day, 'presence');
		const emit = this.emitter(day, 'p', 'presence', out);
		const ymd = day.replaceAll('-', '');
		const ranges: Array<[number, number]> = [
			[hm(9, 5), hm(10, 5)],
			[hm(10, 40), hm(11, 40)],
			[hm(14, 5), hm(15, 5)],
			[hm(15, 40), hm(16, 50)]
		];
		const rounds = ranges.slice(0, DEMO_DAILY_VOLUMES.presenceRounds).map(([a, b]) => start + rng.int(a / 1000, b / 1000) * 1000);
		const windowOf = this.scope.staffByWindow;
		const staffWindow = new Map([...windowOf].map(([w, s]) => [s.code, w]));
		for (const r of rounds) {
			const local = new Date(r + zoneOffsetMs(r, this.scope.tz)).toISOString();
			const hhmm = local.slice(11, 13) + local.slice(14, 16);
			for (const [staffCode, [inAt, outAt]] of roster.onDuty) {
				if (!(inAt < r && r < outAt)) continue;
				const at = r + rng.int(0, 20) * 1000;
				const checkId = `${this.prefix}-chk-${ymd}-${hhmm}-${staffCode}`.slice(0, 96);
				const windowCode = staffWindow.get(staffCode);
				emit('presence.check_issued', at, { checkId, staffCode, ...(windowCode ? { windowCode } : {}), respondWithinSec: 60 });
				// Staff away from the window (临时离岗) often miss it; ~5% miss otherwise.
				const away = (roster.pauses.get(staffCode) ?? []).some((p) => p.reason === '临时离岗' && p.start <= at && at < p.end);
				const u = rng.next();
				if (away ? u < 0.6 : u < 0.045) continue; // never confirmed: the server derives check_missed
				const delay = !away && u > 0.99 ? rng.int(70, 180) : rng.int(5, 50); // a few confirm late
				emit('presence.check_confirmed', at + delay * 1000, { checkId, staffCode }, at);
			}
		}
	}

	// ── red/yellow cards (红黄牌) ────────────────────────────────────────────────

	private planCards(day: string, start: number, roster: Roster, out: Planned[]): void {
		const { allStaff, windows, departments } = this.scope;
		if (!allStaff.length && !departments.length) return;
		const rng = this.rng(day, 'cards');
		const emit = this.emitter(day, 'k', 'supervision', out);
		const ymd = day.replaceAll('-', '');
		const [lo, hi] = DEMO_DAILY_VOLUMES.cardsPerDay;
		const n = rng.int(lo, hi);
		const issued: Array<{ cardId: string; at: number }> = [];
		for (let i = 0; i < n; i++) {
			let target: DataOf<'card.issued'>['target'];
			let reason: CardReason;
			// The day's late and absent staff are the first to get cards.
			if (i === 0 && roster.late.length) {
				target = { kind: 'staff', code: rng.pick(roster.late).code };
				reason = 'late_or_early_leave';
			} else if (i === 1 && roster.absent.length) {
				target = { kind: 'staff', code: rng.pick(roster.absent).code };
				reason = 'absent';
			} else {
				const kind = rng.weighted([['staff', 0.55], ['window', 0.2], ['department', 0.25]] as const);
				const pool = kind === 'staff' ? allStaff : kind === 'window' ? windows : departments;
				if (!pool.length) continue;
				target = { kind, code: rng.pick(pool).code };
				reason =
					kind === 'department'
						? rng.weighted([['overdue_case', 0.5], ['complaint', 0.2], ['bad_review', 0.2], ['other', 0.1]] as const)
						: rng.weighted([['absent', 0.15], ['late_or_early_leave', 0.15], ['complaint', 0.2], ['bad_review', 0.2], ['misconduct', 0.2], ['other', 0.1]] as const);
			}
			const color = rng.chance(0.2) ? 'red' : 'yellow';
			const at = start + rng.int(hm(9, 30) / 1000, hm(15, 0) / 1000) * 1000;
			const cardId = `${this.prefix}-card-${ymd}-${String(i + 1).padStart(2, '0')}`;
			emit('card.issued', at, { cardId, color, target, reason, note: rng.pick(CARD_NOTES[reason]) });
			issued.push({ cardId, at });
		}
		// 撤销: about one card a day is revoked after review (复核), rarely more.
		issued.forEach((c, i) => {
			if (i === 0 || rng.chance(0.05)) {
				const reason = rng.pick(['经核实系系统故障，予以撤销', '经复核情况不属实，予以撤销', '当事人提供请假手续，予以撤销']);
				emit('card.revoked', c.at + rng.int(60, 150) * MIN, { cardId: c.cardId, reason }, c.at);
			}
		});
	}

	// ── cases from the approval system (办件) ─────────────────────────────────────

	private planCases(day: string, start: number, out: Planned[]): void {
		const { departments, centerCode, tz, queues } = this.scope;
		if (!departments.length) return;
		const rng = this.rng(day, 'cases');
		const emit = this.emitter(day, 'c', 'approval', out);
		const ymd = day.replaceAll('-', '');
		const windowsOf = new Map(queues.map((q) => [q.dept.code, q.windows.length]));
		const deptWeights = departments.map((d): [Department, number] => [d, (windowsOf.get(d.code) ?? 0) + 0.5]);
		const work = (ms: number) => workTime(ms, tz, rng);
		const slotTotal = WORK_SLOTS.reduce((a, [, w]) => a + w, 0);
		const perDay = this.volume(DEMO_DAILY_VOLUMES.casesPerDepartment * departments.length);
		const times: number[] = [];
		for (const [slot, w] of WORK_SLOTS) {
			const n = rng.poisson((perDay * w) / slotTotal);
			for (let k = 0; k < n; k++) times.push(start + slot + rng.int(0, 899) * 1000);
		}
		times.sort((a, b) => a - b);
		times.forEach((acceptedAt, i) => {
			const dept = rng.weighted(deptWeights);
			const caseId = `${this.prefix}-${dept.code.slice(0, 16)}-${ymd}-${String(i + 1).padStart(4, '0')}`;
			const itemName = rng.pick(itemsOf(dept));
			const online = rng.chance(0.4);
			const kind = rng.weighted([['near', 0.02], ['past', 0.01], ['normal', 0.97]] as const);
			const base = { caseId, departmentCode: dept.code, itemName, online, centerCode };
			let completedAt: number;
			if (kind === 'near') {
				// Little time left (e.g. a case handed on late): the server warns, half go overdue.
				const dueAt = acceptedAt + rng.int(40, 150) * MIN;
				emit('case.accepted', acceptedAt, { ...base, immediate: false, dueAt: isoIn(dueAt, tz) });
				completedAt = rng.chance(0.5) ? acceptedAt + Math.round((dueAt - acceptedAt) * rng.range(0.5, 0.9)) : work(dueAt + rng.int(30, 1440) * MIN);
			} else if (kind === 'past') {
				// 补录: registered after its due time already passed.
				const dueAt = dayStartMs(addDays(day, -rng.int(1, 3)), tz) + CLOCK.afternoonClose;
				emit('case.accepted', acceptedAt, { ...base, immediate: false, dueAt: isoIn(dueAt, tz) });
				completedAt = work(acceptedAt + rng.int(1, 3) * DAY);
			} else {
				const immediate = rng.chance(online ? 0.4 : 0.75); // 即办件
				if (immediate) {
					emit('case.accepted', acceptedAt, { ...base, immediate, promisedDays: 0 });
					completedAt = acceptedAt + rng.int(2, 25) * MIN;
				} else {
					const promisedDays = rng.weighted([[1, 0.15], [3, 0.25], [5, 0.25], [7, 0.2], [10, 0.15]] as const);
					emit('case.accepted', acceptedAt, { ...base, immediate, promisedDays });
					const dueAt = dayStartMs(addDays(day, promisedDays), tz) + DAY - 1000;
					const u = rng.next();
					completedAt =
						u < 0.01
							? work(dueAt + rng.int(3, 5) * DAY) // 中止 then resumed: very late
							: u < 0.05
								? work(dueAt + rng.int(120, 4320) * MIN) // late
								: work(acceptedAt + Math.round((dueAt - acceptedAt) * rng.range(0.05, 0.85)));
				}
			}
			completedAt = Math.max(whole(completedAt), acceptedAt + 1000);
			emit('case.completed', completedAt, { caseId }, acceptedAt);
			// Online 好差评 for some cases.
			if (rng.chance(0.08)) {
				const rating = rng.weighted([[5, 0.8], [4, 0.14], [3, 0.03], [2, 0.02], [1, 0.01]] as const);
				emit('evaluation.submitted', completedAt + rng.int(10, 120) * MIN, { rating, departmentCode: dept.code, caseId }, acceptedAt);
			}
		});
	}

	// ── 12345 hotline (市长热线) ───────────────────────────────────────────────────

	private planHotline(day: string, start: number, out: Planned[]): void {
		const { departments, counties, tz } = this.scope;
		const rng = this.rng(day, 'hotline');
		const emit = this.emitter(day, 'h', 'hotline', out);
		const ymd = day.replaceAll('-', '');
		const work = (ms: number) => workTime(ms, tz, rng);
		const hourTotal = HOTLINE_HOURS.reduce((a, b) => a + b, 0);
		const perDay = this.volume(DEMO_DAILY_VOLUMES.hotlinePerDay) * this.hotlineShare;
		if (perDay <= 0) return;
		const times: number[] = [];
		HOTLINE_HOURS.forEach((w, h) => {
			const n = rng.poisson((perDay * w) / hourTotal);
			for (let k = 0; k < n; k++) times.push(start + h * HOUR + rng.int(0, 3599) * 1000);
		});
		times.sort((a, b) => a - b);
		// One showcase ticket a day goes through supervision, reopening and a second round.
		const showcase = times.findIndex((t) => t >= start + hm(8, 40) && t < start + hm(10, 30));
		const endOfWorkday = (ms: number, days: number) => dayStartMs(addDays(dayKey(ms, tz), days), tz) + CLOCK.afternoonClose;

		// The department's side (签收, 退单, 延期), repeats and solved-at-callback draw from a stream of
		// their own, so the tickets' own course stays what it was before they existed.
		const side = this.rng(day, 'hotline-department');
		const ackBy = (at: number) => isoIn(SIM_CALENDAR.addWorkingHours(at, ACK_HOURS, tz), tz);
		let previous: string | null = null;
		this.planCalls(day, start, out);

		times.forEach((createdAt, i) => {
			const ticketId = `${this.prefix}-RX-${ymd}-${String(i + 1).padStart(4, '0')}`;
			const cat = rng.weighted(HOTLINE_CATEGORIES.map((c) => [c, c.weight] as const));
			const region = counties.length ? rng.pick(counties) : null;
			const place = (region?.name ?? '') + rng.pick(PLACES);
			const channel = rng.weighted([['phone', 0.7], ['wechat', 0.15], ['web', 0.1], ['mailbox', 0.05]] as const);
			const callerPhone = rng.chance(0.85) ? `1${rng.pick(['3', '5', '8', '7'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}` : `0427-${rng.int(2_000_000, 8_999_999)}`;
			emit('hotline.ticket_created', createdAt, {
				ticketId,
				channel,
				category: cat.category,
				summary: rng.pick(cat.summaries).replace('{p}', place),
				...(channel === 'phone' || channel === 'wechat' ? { callerPhone } : {}),
				...(region ? { regionCode: region.code } : {})
			});
			if (!departments.length) return;
			const candidates = departments.filter((d) => cat.depts.some((k) => d.name.includes(k)));
			const dept = rng.pick(candidates.length ? candidates : departments);
			let departmentCode = dept.code;
			// 重复件: about 4% are the same matter as an earlier ticket of the day, merged into it within minutes.
			const repeatOf = previous;
			previous = ticketId;
			if (repeatOf && i !== showcase && side.chance(0.04)) {
				emit('hotline.ticket_merged', createdAt + side.int(2, 20) * MIN, { ticketId, intoTicketId: repeatOf }, createdAt);
				return;
			}
			// Each step strictly after the previous one.
			let t = createdAt;
			const step = (at: number) => (t = Math.max(whole(at), t + 1000));
			const reply = () => rng.pick(REPLIES);
			const callback = (forceOutcome?: 'satisfied' | 'basic' | 'unsatisfied'): 'satisfied' | 'basic' | 'unsatisfied' | null => {
				const reached = forceOutcome !== undefined || rng.chance(0.9);
				const satisfaction = forceOutcome ?? (reached ? rng.weighted([['satisfied', 0.86], ['basic', 0.11], ['unsatisfied', 0.03]] as const) : undefined);
				// 是否解决: mostly yes when satisfied, mostly no when not.
				const solved = satisfaction ? side.chance(satisfaction === 'unsatisfied' ? 0.15 : satisfaction === 'basic' ? 0.8 : 0.97) : undefined;
				emit('hotline.callback_recorded', step(work(t + rng.int(60, 1440) * MIN)), { ticketId, reached, ...(satisfaction ? { satisfaction, solved } : {}) }, createdAt);
				return satisfaction ?? null;
			};

			if (i === showcase) {
				emit('hotline.ticket_assigned', step(t + rng.int(5, 15) * MIN), { ticketId, departmentCode, dueAt: isoIn(endOfWorkday(t, 1), tz) }, createdAt);
				emit('hotline.ticket_supervised', step(t + rng.int(10, 20) * MIN), { ticketId, note: '群众反映强烈，请重点督办', level: 2 }, createdAt);
				emit('hotline.ticket_replied', step(t + rng.int(40, 70) * MIN), { ticketId, departmentCode, reply: reply() }, createdAt);
				emit('hotline.ticket_closed', step(t + rng.int(5, 15) * MIN), { ticketId }, createdAt);
				emit('hotline.callback_recorded', step(t + rng.int(30, 60) * MIN), { ticketId, reached: true, satisfaction: 'unsatisfied' }, createdAt);
				emit('hotline.ticket_reopened', step(t + rng.int(10, 20) * MIN), { ticketId, reason: '市民反映问题仍未解决' }, createdAt);
				emit('hotline.ticket_replied', step(t + rng.int(60, 120) * MIN), { ticketId, departmentCode, reply: '已再次现场核查并彻底整改' }, createdAt);
				emit('hotline.ticket_closed', step(t + rng.int(5, 15) * MIN), { ticketId }, createdAt);
				emit('hotline.callback_recorded', step(t + rng.int(30, 90) * MIN), { ticketId, reached: true, satisfaction: 'satisfied' }, createdAt);
				return;
			}

			const kind = rng.weighted([['quick', 0.4], ['normal', 0.53], ['late', 0.035], ['urgent', 0.02], ['pastDue', 0.015]] as const);
			const assignedAt = step(work(t + rng.int(5, kind === 'quick' ? 30 : 90) * MIN));
			let dueAt: number;
			if (kind === 'quick') dueAt = endOfWorkday(assignedAt, 1);
			else if (kind === 'urgent') dueAt = assignedAt + rng.int(30, 120) * MIN; // 紧急件: hours
			else if (kind === 'pastDue') dueAt = assignedAt + rng.int(20, 60) * MIN; // 限时转办: due within the hour, answered late
			else dueAt = endOfWorkday(assignedAt, rng.weighted([[3, 0.4], [5, 0.4], [7, 0.2]] as const));
			emit('hotline.ticket_assigned', assignedAt, { ticketId, departmentCode, dueAt: isoIn(dueAt, tz), acknowledgeBy: ackBy(assignedAt) }, createdAt);
			// 退单 (about 3%): the department says it is not theirs; the center mostly agrees and 改派.
			if (kind !== 'pastDue' && side.chance(0.03)) {
				emit('hotline.ticket_returned', step(work(t + side.int(10, 90) * MIN)), { ticketId, departmentCode, reason: side.pick(RETURN_REASONS) }, createdAt);
				const accepted = side.chance(0.8);
				const other = accepted ? departments.filter((d) => d.code !== departmentCode) : [];
				emit('hotline.return_decided', step(work(t + side.int(10, 60) * MIN)), { ticketId, approved: accepted && other.length > 0, ...(accepted && other.length ? {} : { note: '经核实属本单位职责，请继续办理' }) }, createdAt);
				if (accepted && other.length) {
					departmentCode = side.pick(other).code;
					dueAt = Math.max(dueAt, t) + (dueAt - assignedAt);
					emit('hotline.ticket_assigned', step(t + side.int(2, 20) * MIN), { ticketId, departmentCode, dueAt: isoIn(dueAt, tz), acknowledgeBy: ackBy(t) }, createdAt);
				}
			}
			// 签收: most within the limit, a few late (the deadline timer judges the rest).
			const ackLimit = Date.parse(ackBy(t));
			const ackAt = side.chance(0.95) ? Math.min(work(t + side.int(3, 90) * MIN), ackLimit - 60_000) : ackLimit + side.int(10, 600) * MIN;
			emit('hotline.ticket_acknowledged', step(ackAt), { ticketId, departmentCode }, createdAt);
			// 延期 (about 4% of the longer ones): asked before the due time, mostly approved (the due time moves 3 working days).
			if (kind === 'normal' && side.chance(0.06) && t < dueAt) {
				const requested = SIM_CALENDAR.addWorkingDays(dueAt, 3, tz);
				emit('hotline.extension_requested', step(t + side.int(30, 240) * MIN), { ticketId, departmentCode, requestedDueAt: isoIn(requested, tz), reason: side.pick(EXTENSION_REASONS) }, createdAt);
				const approved = side.chance(0.85);
				emit('hotline.extension_decided', step(t + side.int(20, 180) * MIN), { ticketId, approved, ...(approved ? { dueAt: isoIn(requested, tz) } : { note: '理由不充分，请按期办结' }) }, createdAt);
				if (approved) dueAt = requested;
			}

			let replyAt: number;
			if (kind === 'quick') replyAt = work(t + rng.int(20, 240) * MIN);
			else if (kind === 'normal') replyAt = work(t + Math.round((dueAt - t) * rng.range(0.1, 0.85)));
			else replyAt = work(Math.max(dueAt, t) + rng.int(30, kind === 'late' ? 4320 : 360) * MIN); // after the due time
			// 督办: late tickets once they are overdue, and a few others on the way.
			if (kind === 'late' || kind === 'pastDue') {
				const at = work(Math.max(dueAt, t) + rng.int(10, 120) * MIN);
				if (at < replyAt) emit('hotline.ticket_supervised', step(at), { ticketId, note: '超期未办结，请加快办理', level: rng.int(1, 2) }, createdAt);
			} else if (rng.chance(0.02)) {
				emit('hotline.ticket_supervised', step(t + Math.round((replyAt - t) / 2)), { ticketId, note: '请加快办理并及时反馈', level: 1 }, createdAt);
			}
			emit('hotline.ticket_replied', step(replyAt), { ticketId, departmentCode, reply: reply() }, createdAt);
			emit('hotline.ticket_closed', step(work(t + rng.int(5, kind === 'quick' ? 60 : 720) * MIN)), { ticketId }, createdAt);
			// 回访; an unsatisfied caller sometimes gets the ticket reopened (退回重办).
			if (callback() === 'unsatisfied' && rng.chance(0.5)) {
				emit('hotline.ticket_reopened', step(t + rng.int(10, 60) * MIN), { ticketId, reason: '市民对处理结果不满意，退回重办' }, createdAt);
				emit('hotline.ticket_replied', step(work(t + rng.int(60, 1440) * MIN)), { ticketId, departmentCode, reply: reply() }, createdAt);
				emit('hotline.ticket_closed', step(t + rng.int(10, 60) * MIN), { ticketId }, createdAt);
				callback(rng.chance(0.7) ? 'satisfied' : 'basic');
			}
		});
	}

	/**
	 * Calls to the 12345 line (from the telephony system): about 1.6 per ticket (many are answered
	 * on the phone without a ticket), by the hotline's hours; about 93% answered, most within 15 s
	 * (GB/T 33358), the rest abandoned after a wait.
	 */
	private planCalls(day: string, start: number, out: Planned[]): void {
		const perDay = this.volume(DEMO_DAILY_VOLUMES.hotlinePerDay) * this.hotlineShare * 1.6;
		if (perDay <= 0) return;
		const rng = this.rng(day, 'calls');
		const emit = this.emitter(day, 't', 'telephony', out);
		const ymd = day.replaceAll('-', '');
		const hourTotal = HOTLINE_HOURS.reduce((a, b) => a + b, 0);
		const place = this.scope.centerCode ? { centerCode: this.scope.centerCode } : {};
		let n = 0;
		HOTLINE_HOURS.forEach((w, h) => {
			const k = rng.poisson((perDay * w) / hourTotal);
			for (let j = 0; j < k; j++) {
				const at = start + h * HOUR + rng.int(0, 3599) * 1000;
				const callId = `${this.prefix}-C-${ymd}-${String(++n).padStart(5, '0')}`;
				const line = `12345-${rng.int(1, 8)}`;
				emit('hotline.call_offered', at, { callId, line, ...place });
				// Busier hours wait longer.
				const busy = w >= 1.3;
				if (rng.chance(busy ? 0.9 : 0.96)) {
					const waitSec = rng.chance(busy ? 0.82 : 0.93) ? rng.int(2, 15) : rng.int(16, 120);
					emit('hotline.call_answered', at + waitSec * 1000, { callId, waitSec, ...place }, at);
				} else {
					const waitSec = rng.int(5, 150);
					emit('hotline.call_abandoned', at + waitSec * 1000, { callId, waitSec, ...place }, at);
				}
			}
		});
	}

	// ── regional indicators (指标) ────────────────────────────────────────────────

	private indicatorEvents(period: string, at: number): Planned[] {
		const out: Planned[] = [];
		if (!this.indicators) return out;
		const emit = this.emitter(period.replace('-', '') + '00', 'i', 'province', out);
		const rng = this.rng(period, 'indicators');
		for (const region of this.scope.counties) {
			const known = BULLETIN_INDICATORS[region.code];
			for (const indicator of Object.keys(INDICATORS) as Array<keyof typeof INDICATORS>) {
				const [lo, hi] = INDICATOR_RANGES[indicator];
				const base = known ? known[indicator] : rng.range(lo, hi);
				// Month-to-month drift around the bulletin's figures.
				const value = Math.round(Math.min(100, Math.max(0, base + rng.range(-2.5, 2.5) * (hi - lo) / 50)) * 100) / 100;
				emit('indicator.reported', at, { regionCode: region.code, period, indicator, value });
			}
		}
		// Ids name the period, so re-reporting the same period is a duplicate, not a new fact.
		for (const p of out) {
			const d = p.data as DataOf<'indicator.reported'>;
			p.id = `${this.prefix}-ind-${period}-${d.regionCode}-${d.indicator}`;
			p.period = period;
		}
		return out;
	}
}

// ── helpers ────────────────────────────────────────────────────────────────────

interface Candidate {
	/** When the window can call the ticket (Infinity: not today). */
	t: number;
	/** Pause index after the pauses taken before the call. */
	pi: number;
	pauses: Array<{ start: number; end: number; reason: string }>;
}

/** Seconds between a window (re)opening and its first call, so the call comes after the status event. */
const SETTLE = 10_000;

/** The earliest call time t ≥ `at` within a call-allowed session, or Infinity. */
function adjust(w: WinSim, at: number): number {
	for (const s of w.sessions) if (at < s.close) return Math.max(at, s.open + SETTLE);
	return Infinity;
}

const sessionOf = (w: WinSim, at: number) => (at < w.sessions[0].close ? 0 : 1);

/** A wanted pause taken when the window is free at `free`, if it fits in its session. */
function realizePause(w: WinSim, p: WinSim['pauses'][number], free: number): { start: number; end: number; reason: string } | null {
	// A minute after the last service or pause at the earliest.
	const ps = whole(adjust(w, Math.max(p.start, free + MIN)));
	if (!Number.isFinite(ps) || sessionOf(w, ps) !== sessionOf(w, p.start)) return null;
	if (ps + p.dur > w.sessions[sessionOf(w, ps)].pauseLimit) return null;
	return { start: ps, end: whole(ps + p.dur), reason: p.reason };
}

/** When window `w` could call a ticket ready at `readyAt`, taking the pauses due before. Pure. */
function candidate(w: WinSim, readyAt: number): Candidate {
	let free = w.freeAt;
	let pi = w.pi;
	const pauses: Candidate['pauses'] = [];
	let t = adjust(w, Math.max(readyAt, free));
	while (pi < w.pauses.length && t !== Infinity && w.pauses[pi].start <= t) {
		const r = realizePause(w, w.pauses[pi++], free);
		if (!r) continue;
		pauses.push(r);
		free = r.end + SETTLE;
		t = adjust(w, Math.max(readyAt, free));
	}
	return { t, pi, pauses };
}

/**
 * Move an instant into office hours (08:30–17:30, same or next day), for the back-office work
 * of departments (replies, completions, callbacks). Keeps whole seconds.
 */
function workTime(ms: number, tz: string, rng: Rng): number {
	const off = zoneOffsetMs(ms, tz);
	const tod = (((ms + off) % DAY) + DAY) % DAY;
	const midnight = ms - tod;
	if (tod < CLOCK.morningOpen) return midnight + CLOCK.morningOpen + rng.int(0, 3600) * 1000;
	if (tod >= CLOCK.afternoonClose) return midnight + DAY + CLOCK.morningOpen + rng.int(0, 3600) * 1000;
	return ms;
}

function itemsOf(dept: Department): string[] {
	return byKeyword(dept.name, ITEMS) ?? [`${dept.shortName || dept.name}业务办理`];
}

function buildScope(org: OrgData, centerCode?: string): Scope {
	const center =
		(centerCode ? org.centers.find((c) => c.code === centerCode) : org.centers.find((c) => org.windows.some((w) => w.centerCode === c.code))) ??
		org.centers[0];
	if (!center) throw new Error(centerCode ? `simulator: unknown center "${centerCode}"` : 'simulator: the org has no center');
	const windows = org.windows.filter((w) => w.centerCode === center.code).sort((a, b) => a.code.localeCompare(b.code));
	const deptCodes = new Set(windows.map((w) => w.departmentCode));
	const departments = org.departments.filter((d) => d.centerCode === center.code || deptCodes.has(d.code));
	const inCenter = new Set(departments.map((d) => d.code));
	const allStaff = org.staff.filter((s) => inCenter.has(s.departmentCode));
	const staffByWindow = new Map<string, Staff>();
	for (const s of allStaff) if (s.windowCode && !staffByWindow.has(s.windowCode) && windows.some((w) => w.code === s.windowCode)) staffByWindow.set(s.windowCode, s);
	const seated = new Set([...staffByWindow.values()].map((s) => s.code));
	const backOffice = allStaff.filter((s) => !s.windowCode && !seated.has(s.code));

	// Departments with windows, in hall order, get ticket letters A, B, … (AA, AB … past Z).
	const order: string[] = [];
	for (const w of windows) if (!order.includes(w.departmentCode)) order.push(w.departmentCode);
	const letter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(65 + Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));
	const queues = order
		.map((code) => org.departments.find((d) => d.code === code))
		.filter((d): d is Department => !!d)
		.map((dept, i) => ({
			dept,
			letter: letter(i),
			windows: windows.filter((w) => w.departmentCode === dept.code),
			serviceMin: byKeyword(dept.name, SERVICE_MINUTES) ?? DEFAULT_SERVICE_MINUTES,
			items: itemsOf(dept)
		}));
	const children = org.regions.filter((r) => r.parentCode === center.regionCode);
	const own = org.regions.find((r) => r.code === center.regionCode);
	return {
		centerCode: center.code,
		tz: center.timezone || DEFAULT_TZ,
		departments,
		queues,
		staffByWindow,
		backOffice,
		allStaff,
		counties: children.length ? children : own ? [own] : [],
		windows
	};
}
