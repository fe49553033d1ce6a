/**
 * The 12345 hotline console's pure core: one ticket as it stands (the `hotline_tickets` row)
 * folded from its `hotline.*` events, what each console action requires of the ticket, the
 * category time limits (working days) and the due time they give. No I/O, no clock.
 */
import type { WorkingCalendar } from './calendar';
import { DEFAULT_THREE_RATE_WEIGHTS, type ThreeRateWeights } from './metrics';
import type { EventPlace } from './org';

export type HotlineStatus = 'received' | 'assigned' | 'replied' | 'closed' | 'reopened';
export const HOTLINE_STATUSES: readonly HotlineStatus[] = ['received', 'assigned', 'replied', 'closed', 'reopened'];
export const HOTLINE_CHANNELS = ['phone', 'mailbox', 'web', 'wechat'] as const;
export type HotlineChannel = (typeof HOTLINE_CHANNELS)[number];
export const SATISFACTIONS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** Free-form per-ticket facts kept in the row's `detail` (jsonb). */
export interface TicketDetail {
	/** The center the ticket belongs to (its creation event's place), if any. */
	centerCode?: string | null;
	/** Who took it: the sender of `hotline.ticket_created` (`user:NAME` or an ingest key). */
	createdBy?: string;
	lastReply?: string;
	reopenReason?: string;
	supervisions?: number;
	supervisionNote?: string;
	callbacks?: number;
	callbackAt?: number;
	events?: number;
	/** The latest callback's answer to 是否解决 (reached callbacks that asked it). */
	solved?: boolean;
	/** The latest assignment's 签收: its limit, when taken (or returned), and whether in time. */
	ackBy?: number;
	acknowledgedAt?: number;
	ackOnTime?: boolean;
	/** 退单: how many, and the one waiting for the center's review. */
	returns?: number;
	returnPending?: { departmentCode: string; reason: string; at: number };
	lastReturnReason?: string;
	/** 延期: the request waiting for a decision, and approved ones. */
	extensionPending?: { requestedDueAt: number; reason: string; at: number };
	extensions?: number;
	/** 重复件: merged into this ticket (it counts nowhere any more). */
	mergedInto?: string;
}

/** One ticket as it stands: the typed columns of `hotline_tickets` plus `detail`. Times are epoch ms. */
export interface TicketSummary {
	ticketId: string;
	channel: string | null;
	category: string | null;
	summary: string | null;
	callerPhone: string | null;
	regionCode: string | null;
	departmentCode: string | null;
	status: HotlineStatus;
	/** Null until `hotline.ticket_created` is seen (a row is only written once it is). */
	createdAt: number | null;
	assignedAt: number | null;
	dueAt: number | null;
	repliedAt: number | null;
	closedAt: number | null;
	reopenedCount: number;
	supervisedLevel: number | null;
	/** Judged overdue at least once (`hotline.ticket_overdue`); stays set, like the projection's flag. */
	overdue: boolean;
	/** The latest callback since the latest closure: reached or not, and how satisfied. */
	callbackReached: boolean | null;
	satisfaction: Satisfaction | null;
	detail: TicketDetail;
	/** Seq of the last event folded in: replays and second writers change nothing at or below it. */
	lastSeq: number;
}

/** What the reducer reads of an event (a logged, placed event has all of it). */
export interface TicketEvent {
	seq: number;
	type: string;
	/** Epoch ms of occurredAt. */
	at: number;
	data: Record<string, unknown>;
	sender?: string;
	place?: Pick<EventPlace, 'centerCode' | 'regionCode'>;
}

export function emptySummary(ticketId: string): TicketSummary {
	return {
		ticketId,
		channel: null,
		category: null,
		summary: null,
		callerPhone: null,
		regionCode: null,
		departmentCode: null,
		status: 'received',
		createdAt: null,
		assignedAt: null,
		dueAt: null,
		repliedAt: null,
		closedAt: null,
		reopenedCount: 0,
		supervisedLevel: null,
		overdue: false,
		callbackReached: null,
		satisfaction: null,
		detail: {},
		lastSeq: 0
	};
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Fold one event into the ticket (in place). Events at or below `lastSeq` are ignored, so a
 * replay or a second writer changes nothing. Follows the live projection where it decides
 * (a second `ticket_created` is ignored, closing twice counts once, reopening needs a closed
 * ticket) but also takes events that came before the ticket's creation (out of order).
 */
export function applyTicketEvent(s: TicketSummary, e: TicketEvent): TicketSummary {
	if (e.seq <= s.lastSeq) return s;
	const d = e.data;
	const open = s.status !== 'closed';
	const det = s.detail;
	const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : null);
	// A merged ticket takes nothing more (the projection ignores it too), but a merge into it counts.
	if (det.mergedInto && e.type !== 'hotline.ticket_created') {
		s.lastSeq = e.seq;
		return s;
	}
	switch (e.type) {
		case 'hotline.ticket_created':
			if (s.createdAt != null) break;
			s.createdAt = e.at;
			s.channel = str(d.channel);
			s.category = str(d.category);
			s.summary = str(d.summary);
			s.callerPhone = str(d.callerPhone);
			s.regionCode = e.place?.regionCode ?? str(d.regionCode);
			s.detail.centerCode = e.place?.centerCode ?? null;
			if (e.sender) s.detail.createdBy = e.sender;
			break;
		case 'hotline.ticket_assigned': {
			s.departmentCode = str(d.departmentCode);
			s.assignedAt = e.at;
			s.dueAt = time(d.dueAt);
			if (open) s.status = 'assigned';
			// 改派: a new assignment, its own 签收; a pending return or extension is settled by it.
			const by = time(d.acknowledgeBy);
			if (by != null) det.ackBy = by;
			else delete det.ackBy;
			delete det.acknowledgedAt;
			delete det.ackOnTime;
			delete det.returnPending;
			delete det.extensionPending;
			break;
		}
		case 'hotline.ticket_acknowledged':
			if (str(d.departmentCode) !== s.departmentCode || det.acknowledgedAt != null) break;
			det.acknowledgedAt = e.at;
			// Within the limit counts in time even when the timer's judgement was folded in first.
			if (det.ackBy != null && (det.ackOnTime === undefined || e.at <= det.ackBy)) det.ackOnTime = e.at <= det.ackBy;
			break;
		case 'hotline.acknowledge_overdue':
			if (det.acknowledgedAt == null && det.ackOnTime === undefined && det.ackBy === time(d.acknowledgeBy)) det.ackOnTime = false;
			break;
		case 'hotline.ticket_returned':
			if (str(d.departmentCode) !== s.departmentCode || det.returnPending || !open) break;
			det.returnPending = { departmentCode: s.departmentCode!, reason: str(d.reason) ?? '', at: e.at };
			det.returns = (det.returns ?? 0) + 1;
			det.lastReturnReason = str(d.reason) ?? undefined;
			if (det.ackBy != null && det.ackOnTime === undefined) det.ackOnTime = e.at <= det.ackBy;
			break;
		case 'hotline.return_decided':
			if (!det.returnPending) break;
			delete det.returnPending;
			break;
		case 'hotline.extension_requested': {
			const due = time(d.requestedDueAt);
			if (str(d.departmentCode) !== s.departmentCode || !open || due == null) break;
			det.extensionPending = { requestedDueAt: due, reason: str(d.reason) ?? '', at: e.at };
			break;
		}
		case 'hotline.extension_decided': {
			const pending = det.extensionPending;
			if (!pending) break;
			delete det.extensionPending;
			if (d.approved !== true) break;
			s.dueAt = time(d.dueAt) ?? pending.requestedDueAt;
			det.extensions = (det.extensions ?? 0) + 1;
			break;
		}
		case 'hotline.ticket_merged':
			if (str(d.intoTicketId) !== s.ticketId) det.mergedInto = str(d.intoTicketId) ?? undefined;
			break;
		case 'hotline.call_offered':
		case 'hotline.call_answered':
		case 'hotline.call_abandoned':
			return s;
		case 'hotline.ticket_replied':
			s.repliedAt = e.at;
			s.detail.lastReply = str(d.reply) ?? undefined;
			if (!s.departmentCode) s.departmentCode = str(d.departmentCode);
			if (open) s.status = 'replied';
			break;
		case 'hotline.ticket_closed':
			if (!open) break;
			s.status = 'closed';
			s.closedAt = e.at;
			break;
		case 'hotline.ticket_reopened':
			if (open) break;
			s.status = 'reopened';
			s.closedAt = null;
			s.reopenedCount++;
			s.detail.reopenReason = str(d.reason) ?? undefined;
			// The callback was about the closure just undone; the next closure gets its own.
			s.callbackReached = null;
			s.satisfaction = null;
			delete s.detail.solved;
			break;
		case 'hotline.callback_recorded': {
			const reached = d.reached === true;
			s.callbackReached = reached;
			const sat = str(d.satisfaction);
			s.satisfaction = reached && (SATISFACTIONS as readonly string[]).includes(sat ?? '') ? (sat as Satisfaction) : null;
			s.detail.callbacks = (s.detail.callbacks ?? 0) + 1;
			s.detail.callbackAt = e.at;
			if (reached && typeof d.solved === 'boolean') s.detail.solved = d.solved;
			else delete s.detail.solved;
			break;
		}
		case 'hotline.ticket_supervised': {
			const level = typeof d.level === 'number' && Number.isInteger(d.level) ? d.level : null;
			s.supervisedLevel = level ?? Math.max(s.supervisedLevel ?? 0, 1);
			s.detail.supervisions = (s.detail.supervisions ?? 0) + 1;
			s.detail.supervisionNote = str(d.note) ?? undefined;
			break;
		}
		case 'hotline.ticket_overdue':
			s.overdue = true;
			break;
		default:
			return s;
	}
	s.detail.events = (s.detail.events ?? 0) + 1;
	s.lastSeq = e.seq;
	return s;
}

/** A ticket from its events (any order in; folded in seq order). */
export function summarize(ticketId: string, events: TicketEvent[]): TicketSummary {
	const s = emptySummary(ticketId);
	for (const e of [...events].sort((a, b) => a.seq - b.seq)) applyTicketEvent(s, e);
	return s;
}

/** Open (not closed), assigned a due time, and past it at `now`. */
export function isOverdueNow(s: Pick<TicketSummary, 'status' | 'dueAt'>, now: number): boolean {
	return s.status !== 'closed' && s.dueAt != null && now > s.dueAt;
}

// ── console actions: what each requires of the ticket ────────────────────────────

export type HotlineAction =
	| 'dispatch'
	| 'reply'
	| 'close'
	| 'reopen'
	| 'callback'
	| 'supervise'
	// the center's decisions on the department's requests, and 重复件
	| 'reviewReturn'
	| 'decideExtension'
	| 'merge'
	// the department's side (承办单位): 签收, 退单, 申请延期 (and reply)
	| 'acknowledge'
	| 'return'
	| 'requestExtension';
/** What the hotline center does (operators, admins). */
export const HOTLINE_ACTIONS: readonly HotlineAction[] = ['dispatch', 'reply', 'close', 'reopen', 'callback', 'supervise', 'reviewReturn', 'decideExtension', 'merge'];
/** What a department handler does on a ticket assigned to their department, and nothing else. */
export const DEPARTMENT_ACTIONS: readonly HotlineAction[] = ['acknowledge', 'return', 'requestExtension', 'reply'];

/** A refused input or action: the form field it concerns, a message code and its parameters. */
export interface HotlineProblem {
	field: string;
	code: string;
	params?: Record<string, string | number>;
}

/** Why `action` cannot be taken on the ticket as it stands (null: it can). */
export function actionProblem(s: TicketSummary | null, action: HotlineAction): HotlineProblem | null {
	if (!s || s.createdAt == null) return { field: 'ticketId', code: 'unknownTicket' };
	if (s.detail.mergedInto) return { field: 'ticketId', code: 'mergedAlready', params: { value: s.detail.mergedInto } };
	const closed = s.status === 'closed';
	const d = s.detail;
	switch (action) {
		case 'dispatch':
		case 'supervise':
			return closed ? { field: 'ticketId', code: 'closedAlready' } : null;
		case 'reply':
			if (closed) return { field: 'ticketId', code: 'closedAlready' };
			if (d.returnPending) return { field: 'ticketId', code: 'returnPending' };
			return s.departmentCode ? null : { field: 'ticketId', code: 'notDispatched' };
		case 'close':
			return closed ? { field: 'ticketId', code: 'closedAlready' } : null;
		case 'reopen':
		case 'callback':
			return closed ? null : { field: 'ticketId', code: 'notClosed' };
		case 'merge':
			return null;
		case 'reviewReturn':
			return d.returnPending ? null : { field: 'ticketId', code: 'noReturnPending' };
		case 'decideExtension':
			return d.extensionPending ? null : { field: 'ticketId', code: 'noExtensionPending' };
		case 'acknowledge':
		case 'return':
		case 'requestExtension':
			if (closed) return { field: 'ticketId', code: 'closedAlready' };
			if (!s.departmentCode) return { field: 'ticketId', code: 'notDispatched' };
			if (d.returnPending) return { field: 'ticketId', code: 'returnPending' };
			if (action === 'acknowledge' && d.acknowledgedAt != null) return { field: 'ticketId', code: 'acknowledgedAlready' };
			if (action === 'requestExtension' && d.extensionPending) return { field: 'ticketId', code: 'extensionPending' };
			return null;
	}
}

/** The actions the console offers on a ticket as it stands. */
export function availableActions(s: TicketSummary, actions: readonly HotlineAction[] = HOTLINE_ACTIONS): HotlineAction[] {
	return actions.filter((a) => !actionProblem(s, a));
}

/** Why a ticket cannot be merged into `into` (null: it can): both known, not the same, `into` not merged itself. */
export function mergeProblem(s: TicketSummary, into: TicketSummary | null): HotlineProblem | null {
	if (!into || into.createdAt == null) return { field: 'intoTicketId', code: 'unknownTicket' };
	if (into.ticketId === s.ticketId) return { field: 'intoTicketId', code: 'mergeSelf' };
	if (into.detail.mergedInto) return { field: 'intoTicketId', code: 'mergedAlready', params: { value: into.detail.mergedInto } };
	return null;
}

// ── intake ────────────────────────────────────────────────────────────────────

export interface IntakeInput {
	callerPhone: string;
	channel: string;
	category: string;
	summary: string;
	regionCode: string;
}

const PHONE = /^[0-9+\-() ]{3,32}$/;

/** The first problem of an intake form, naming its field (null: fine). Known categories/regions are the caller's. */
export function intakeProblem(input: IntakeInput, known: { categories: readonly string[]; regions: ReadonlySet<string> }): HotlineProblem | null {
	const phone = input.callerPhone.trim();
	if (phone && !PHONE.test(phone)) return { field: 'callerPhone', code: 'badPhone' };
	if (!(HOTLINE_CHANNELS as readonly string[]).includes(input.channel)) return { field: 'channel', code: 'chooseOne' };
	if ((input.channel === 'phone' || input.channel === 'wechat') && !phone) return { field: 'callerPhone', code: 'phoneRequired' };
	const category = input.category.trim();
	if (!category) return { field: 'category', code: 'required' };
	if (!known.categories.includes(category)) return { field: 'category', code: 'unknownCategory', params: { value: category } };
	const summary = input.summary.trim();
	if (!summary) return { field: 'summary', code: 'required' };
	if (summary.length > 2000) return { field: 'summary', code: 'tooLong', params: { max: 2000 } };
	if (input.regionCode && !known.regions.has(input.regionCode)) return { field: 'regionCode', code: 'unknownRegion', params: { value: input.regionCode } };
	return null;
}

/** Free text of an action (reply, reason, note): trimmed, required, at most `max` characters. */
export function textProblem(field: string, value: string, max: number): HotlineProblem | null {
	const v = value.trim();
	if (!v) return { field, code: 'required' };
	if (v.length > max) return { field, code: 'tooLong', params: { max } };
	return null;
}

// ── category time limits (working days) ──────────────────────────────────────────

/**
 * Time limits per category in working days (办理时限), in the order the console offers the
 * categories, and the limit of categories not listed (e.g. sent by another system).
 */
export interface HotlineSettings {
	categories: Array<{ name: string; days: number }>;
	defaultDays: number;
	/** 签收时限: working hours a department has to take a ticket (default 2). */
	ackHours: number;
	/** Weights of the three-rate composite (响应率 / 解决率 / 满意率), default 30/35/35. */
	weights: ThreeRateWeights;
}

export const MAX_ACK_HOURS = 72;

export const MAX_LIMIT_DAYS = 60;

/** Defaults for the usual 12345 categories; admins change them (`/hotline/limits`). */
export const DEFAULT_HOTLINE_SETTINGS: HotlineSettings = {
	categories: [
		{ name: '咨询', days: 1 },
		{ name: '城市管理', days: 5 },
		{ name: '交通出行', days: 5 },
		{ name: '住房保障', days: 10 },
		{ name: '劳动社保', days: 10 },
		{ name: '市场监管', days: 7 },
		{ name: '医疗卫生', days: 5 },
		{ name: '环境保护', days: 5 },
		{ name: '其他', days: 5 }
	],
	defaultDays: 5,
	ackHours: 2,
	weights: { ...DEFAULT_THREE_RATE_WEIGHTS }
};

const validHours = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= MAX_ACK_HOURS && Math.round(n * 2) === n * 2;
const validWeight = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 100;

const validDays = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT_DAYS;
const validName = (s: unknown): s is string => typeof s === 'string' && s.trim() === s && s.length >= 1 && s.length <= 100;

/** Problems of a settings value, each naming its field (`limits.城市管理`, `defaultDays`). */
export function hotlineSettingsProblems(v: HotlineSettings): HotlineProblem[] {
	const out: HotlineProblem[] = [];
	if (!validDays(v.defaultDays)) out.push({ field: 'defaultDays', code: 'badDays', params: { max: MAX_LIMIT_DAYS } });
	if (!v.categories.length) out.push({ field: 'limits', code: 'noCategory' });
	if (!validHours(v.ackHours)) out.push({ field: 'ackHours', code: 'badHours', params: { max: MAX_ACK_HOURS } });
	const wField = { response: 'wResponse', resolved: 'wResolved', satisfaction: 'wSatisfaction' } as const;
	for (const k of ['response', 'resolved', 'satisfaction'] as const) if (!validWeight(v.weights[k])) out.push({ field: wField[k], code: 'badWeight' });
	if (!out.some((p) => p.code === 'badWeight') && v.weights.response + v.weights.resolved + v.weights.satisfaction <= 0) out.push({ field: 'wResponse', code: 'noWeight' });
	const seen = new Set<string>();
	for (const c of v.categories) {
		if (!validName(c.name)) out.push({ field: `limits.${c.name}`, code: 'badCategory', params: { value: c.name } });
		else if (seen.has(c.name)) out.push({ field: `limits.${c.name}`, code: 'duplicateCategory', params: { value: c.name } });
		else if (!validDays(c.days)) out.push({ field: `limits.${c.name}`, code: 'badDays', params: { max: MAX_LIMIT_DAYS } });
		seen.add(c.name);
	}
	return out;
}

/** A stored value read back: anything wrong falls back to the defaults for that part. */
export function parseHotlineSettings(raw: unknown): { settings: HotlineSettings; errors: string[] } {
	const errors: string[] = [];
	if (raw == null) return { settings: structuredClone(DEFAULT_HOTLINE_SETTINGS), errors };
	const r = raw as Partial<HotlineSettings>;
	const defaultDays = validDays(r.defaultDays) ? r.defaultDays : DEFAULT_HOTLINE_SETTINGS.defaultDays;
	if (!validDays(r.defaultDays)) errors.push('defaultDays: expected whole days 1–60; the default is used');
	const categories: HotlineSettings['categories'] = [];
	for (const c of Array.isArray(r.categories) ? (r.categories as unknown[]) : []) {
		const x = c as { name?: unknown; days?: unknown } | null;
		if (x && validName(x.name) && validDays(x.days) && !categories.some((k) => k.name === x.name)) categories.push({ name: x.name, days: x.days });
		else errors.push(`categories: ${JSON.stringify(c)} left out (expected a unique name and whole days 1–60)`);
	}
	if (!categories.length) {
		errors.push('categories: none valid; the defaults are used');
		categories.push(...structuredClone(DEFAULT_HOTLINE_SETTINGS.categories));
	}
	const ackHours = validHours(r.ackHours) ? r.ackHours : DEFAULT_HOTLINE_SETTINGS.ackHours;
	if (r.ackHours !== undefined && !validHours(r.ackHours)) errors.push('ackHours: expected hours 0.5–72 in halves; the default is used');
	const w = (r.weights ?? {}) as Partial<ThreeRateWeights>;
	const weights = { ...DEFAULT_THREE_RATE_WEIGHTS };
	for (const k of ['response', 'resolved', 'satisfaction'] as const)
		if (validWeight(w[k])) weights[k] = w[k];
		else if (r.weights !== undefined) errors.push(`weights.${k}: expected a whole number 0–100; the default is used`);
	if (weights.response + weights.resolved + weights.satisfaction <= 0) Object.assign(weights, DEFAULT_THREE_RATE_WEIGHTS);
	return { settings: { categories, defaultDays, ackHours, weights }, errors };
}

/** Working days a category's tickets have (the default for a category not listed). */
export function limitDaysFor(settings: HotlineSettings, category: string | null): number {
	return settings.categories.find((c) => c.name === category)?.days ?? settings.defaultDays;
}

/** Categories offered at intake, in the order the settings list them. */
export const categoriesOf = (settings: HotlineSettings): string[] => settings.categories.map((c) => c.name);

/**
 * Due time of a ticket dispatched at `assignedAt`: `days` working days later by the calendar
 * (the same local time of day; see WorkingCalendar.addWorkingDays), `days` defaulting to the
 * category's limit.
 */
export function dueAtFor(assignedAt: number, category: string | null, settings: HotlineSettings, calendar: WorkingCalendar, tz: string, days?: number): { dueAt: number; days: number } {
	const n = days ?? limitDaysFor(settings, category);
	return { dueAt: calendar.addWorkingDays(assignedAt, n, tz), days: n };
}

/** 签收时限 of a dispatch at `assignedAt`: the settings' working hours later by the calendar (office hours 09:00–17:00). */
export function acknowledgeByFor(assignedAt: number, settings: Pick<HotlineSettings, 'ackHours'>, calendar: WorkingCalendar, tz: string): number {
	return calendar.addWorkingHours(assignedAt, settings.ackHours, tz);
}
