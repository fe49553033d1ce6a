/**
 * Card rules (红黄牌规则): red and yellow cards the system issues by itself, each rule switched
 * on or off with its parameters by an admin. Pure: the rules read the live state (open items
 * only, never the log) at a given `now` and return `card.issued` events to append as sender
 * `system`. Each card names its rule (`rule`) and links the events behind it (`causes`: their
 * seq, type and, where known, id), and its id is built from (rule, cause), so the same cause
 * never yields two cards, whether derived twice, after a restart or by another instance.
 */
import type { WorkingCalendar } from './calendar';
import type { DataOf } from './catalog';
import type { OrgIndex } from './org';
import { hash53 } from './hash';
import { centerOfHome, type HomeKey } from './keys';
import { derivedId, type CheckState, type DerivedEvent, type LiveState } from './projection';
import { dayKey, DEFAULT_TZ } from './time';

export const RULE_IDS = ['presence_missed', 'case_deadline', 'hotline_overdue', 'window_idle', 'bad_review'] as const;
export type RuleId = (typeof RULE_IDS)[number];

interface ParamDef {
	default: number;
	min: number;
	max: number;
}

/** Each rule's parameters: whole numbers within bounds (validation, the admin form and docs/rules.md). */
export const RULE_PARAMS = {
	/** The n-th missed presence check of a staff member's day gets a red card (earlier ones yellow). */
	presence_missed: { redFromMiss: { default: 2, min: 2, max: 10 } },
	/** Yellow warning (预警) when this share (%) of a case's time limit or less is left; 0: no warning. Past due: red. */
	case_deadline: { warnPercent: { default: 20, min: 0, max: 99 } },
	/** Past due: yellow; past due by more than this many working days: red. */
	hotline_overdue: { redAfterWorkingDays: { default: 3, min: 1, max: 60 } },
	/** Open and idle while people wait for the window's department for more than this many minutes: yellow. */
	window_idle: { idleMinutes: { default: 10, min: 1, max: 240 } },
	/** A review rated this or lower, naming a staff member: yellow (a warning) to them. */
	bad_review: { maxRating: { default: 2, min: 1, max: 3 } }
} as const satisfies Record<RuleId, Record<string, ParamDef>>;

export type RuleParams<R extends RuleId> = { -readonly [K in keyof (typeof RULE_PARAMS)[R]]: number };

export interface RuleSetting<R extends RuleId = RuleId> {
	enabled: boolean;
	/** Causes before this instant (epoch ms) are not judged: when the rule was last switched on. null: all. */
	since: number | null;
	params: RuleParams<R>;
}

export type RuleSettings = { [R in RuleId]: RuleSetting<R> };

/** Names for people (admin page, docs; the wall shows the id). */
export const RULE_NAMES: Record<RuleId, { zh: string; en: string }> = {
	presence_missed: { zh: '在岗抽查未确认', en: 'Missed presence check' },
	case_deadline: { zh: '办件临期与超期', en: 'Case near or past its time limit' },
	hotline_overdue: { zh: '热线工单超期', en: 'Hotline ticket overdue' },
	window_idle: { zh: '窗口空闲而群众等候', en: 'Window idle while people wait' },
	bad_review: { zh: '差评', en: 'Bad review' }
};

export const RULES_DERIVED_BY = 'card-rules';

export function paramKeys<R extends RuleId>(rule: R): Array<keyof RuleParams<R> & string> {
	return Object.keys(RULE_PARAMS[rule]) as Array<keyof RuleParams<R> & string>;
}

/** Every rule on, with its default parameters, judging causes from `since` on. */
export function defaultRuleSettings(since: number | null = null): RuleSettings {
	const out = {} as Record<RuleId, RuleSetting>;
	for (const r of RULE_IDS) {
		const params: Record<string, number> = {};
		for (const [k, def] of Object.entries(RULE_PARAMS[r] as Record<string, ParamDef>)) params[k] = def.default;
		out[r] = { enabled: true, since, params: params as never };
	}
	return out as RuleSettings;
}

const paramDef = (rule: RuleId, key: string): ParamDef | undefined => (RULE_PARAMS[rule] as Record<string, ParamDef>)[key];

function paramProblem(rule: RuleId, key: string, value: unknown): string | null {
	const def = paramDef(rule, key)!;
	if (typeof value !== 'number' || !Number.isInteger(value)) return `${rule}.${key}: expected a whole number, found ${JSON.stringify(value)}`;
	if (value < def.min || value > def.max) return `${rule}.${key}: must be between ${def.min} and ${def.max}, found ${value}`;
	return null;
}

/**
 * Read the stored `rules` setting. Whatever is missing or invalid falls back to the default (and
 * is reported), so a bad row never stops the judge; a rule missing from the row (one added in a
 * later version) is on from `fallbackSince`.
 */
export function parseRuleSettings(raw: unknown, fallbackSince: number | null = null): { settings: RuleSettings; errors: string[] } {
	const settings = defaultRuleSettings(fallbackSince);
	const errors: string[] = [];
	const rules = (raw as { rules?: unknown } | null)?.rules;
	if (raw != null && (rules === null || typeof rules !== 'object')) errors.push('rules: expected an object');
	for (const r of RULE_IDS) {
		const s = (rules as Record<string, unknown> | undefined)?.[r] as Partial<RuleSetting> | undefined;
		if (!s || typeof s !== 'object') continue;
		const target = settings[r] as RuleSetting;
		if (typeof s.enabled === 'boolean') target.enabled = s.enabled;
		else errors.push(`${r}.enabled: expected true or false`);
		if (s.since === null || (typeof s.since === 'number' && Number.isFinite(s.since))) target.since = s.since;
		for (const k of paramKeys(r)) {
			const v = (s.params as Record<string, unknown> | undefined)?.[k];
			if (v === undefined) continue;
			const p = paramProblem(r, k, v);
			if (p) errors.push(p);
			else (target.params as Record<string, number>)[k] = v as number;
		}
	}
	return { settings, errors };
}

/** The form of the admin page: per rule, on/off and each parameter as typed. */
export type RuleForm = Record<RuleId, { enabled: boolean; params: Record<string, string> }>;

/**
 * Apply an admin's changes. A rule switched on judges causes from `now` on (so switching it on
 * never issues cards for what happened while it was off); one that stays on keeps its `since`.
 * Errors name the field (`window_idle.idleMinutes: …`).
 */
export function applyRuleForm(before: RuleSettings, form: RuleForm, now: number): { ok: true; settings: RuleSettings } | { ok: false; field: string; error: string } {
	const next = structuredClone(before);
	for (const r of RULE_IDS) {
		const f = form[r];
		if (!f) continue;
		const target = next[r] as RuleSetting;
		for (const k of paramKeys(r)) {
			const text = (f.params[k] ?? '').trim();
			if (text === '') return { ok: false, field: `${r}.${k}`, error: `${r}.${k}: is required` };
			const v = Number(text);
			const p = paramProblem(r, k, Number.isNaN(v) ? text : v);
			if (p) return { ok: false, field: `${r}.${k}`, error: p };
			(target.params as Record<string, number>)[k] = v;
		}
		if (f.enabled && !before[r].enabled) target.since = now;
		target.enabled = f.enabled;
	}
	return { ok: true, settings: next };
}

// ── judging ──────────────────────────────────────────────────────────────────────

export interface RuleContext {
	settings: RuleSettings;
	calendar: WorkingCalendar;
	org: Pick<OrgIndex, 'timezoneOf' | 'windows' | 'has'>;
	derivedBy?: string;
}

/** What a card links: an event by seq, with its type and (where known) its id. */
export interface CardCause {
	type: string;
	seq: number;
	id?: string;
}

type Target = DataOf<'card.issued'>['target'];
type Reason = DataOf<'card.issued'>['reason'];

/** `r:<rule>:<key>`, or with the key hashed when that would pass the 128 characters of a cardId. */
export function ruleCardId(rule: RuleId, key: string): string {
	const id = `r:${rule}:${key}`;
	return id.length <= 128 ? id : `r:${rule}:h-${hash53(key)}`;
}

const iso = (ms: number) => new Date(Math.ceil(ms)).toISOString();

interface Judge {
	state: LiveState;
	now: number;
	ctx: RuleContext;
	out: DerivedEvent[];
}

/** Issue one card unless it exists or its cause is older than the rule's `since`. */
function issue(j: Judge, rule: RuleId, key: string, causeAt: number, color: 'yellow' | 'red', target: Target, reason: Reason, note: string, causes: CardCause[]): void {
	const cardId = ruleCardId(rule, key);
	if (j.state.cards.has(cardId)) return;
	const since = j.ctx.settings[rule].since;
	if (since != null && causeAt < since) return;
	if (!j.ctx.org.has(target.kind, target.code)) return; // would be rejected: nobody to give it to
	j.out.push({
		id: derivedId('card.issued', cardId),
		type: 'card.issued',
		occurredAt: iso(causeAt),
		data: { cardId, color, target, reason, note: note.slice(0, 1000), rule, causes, derivedBy: j.ctx.derivedBy ?? RULES_DERIVED_BY }
	});
}

const missCause = (checkId: string, c: CheckState): CardCause => ({ type: 'presence.check_missed', seq: c.missedSeq ?? 0, id: derivedId('presence.check_missed', checkId) });

/**
 * Missed presence checks. A staff member's misses of one local day are grouped into absences:
 * checks whose response windows overlap (two rounds a minute apart) are one absence, one card.
 * The n-th absence of the day (`redFromMiss`, default 2) and later ones are red, earlier ones
 * yellow; an absence whose card was revoked does not count. The card is keyed on the absence's
 * first-judged check.
 */
function presenceMissed(j: Judge): void {
	const { redFromMiss } = j.ctx.settings.presence_missed.params;
	const byStaffDay = new Map<string, Array<[string, CheckState]>>();
	for (const entry of j.state.checks) {
		const c = entry[1];
		if (!c.missed || c.missedSeq == null) continue;
		const k = `${c.staffCode}|${c.day}`;
		const list = byStaffDay.get(k);
		if (list) list.push(entry);
		else byStaffDay.set(k, [entry]);
	}
	for (const list of byStaffDay.values()) {
		list.sort((a, b) => a[1].issuedAt - b[1].issuedAt || a[1].deadline - b[1].deadline || (a[0] < b[0] ? -1 : 1));
		const absences: Array<{ end: number; members: Array<[string, CheckState]> }> = [];
		for (const entry of list) {
			const last = absences[absences.length - 1];
			if (last && entry[1].issuedAt <= last.end) {
				last.members.push(entry);
				last.end = Math.max(last.end, entry[1].deadline);
			} else absences.push({ end: entry[1].deadline, members: [entry] });
		}
		const counted: Array<[string, CheckState]> = [];
		for (const a of absences) {
			const [keyId, key] = a.members.reduce((m, x) => (x[1].deadline < m[1].deadline || (x[1].deadline === m[1].deadline && x[0] < m[0]) ? x : m));
			const cardId = ruleCardId('presence_missed', keyId);
			if (!j.state.cards.get(cardId)?.revoked) {
				const nth = counted.length + 1;
				issue(
					j,
					'presence_missed',
					keyId,
					key.deadline,
					nth >= redFromMiss ? 'red' : 'yellow',
					{ kind: 'staff', code: key.staffCode },
					'absent',
					a.members.length > 1 ? `在岗抽查未确认（当日第${nth}次，${a.members.length}次抽查时间重叠，计一次）` : `在岗抽查未确认（当日第${nth}次）`,
					[...a.members.map(([id, c]) => missCause(id, c)), ...(nth >= redFromMiss ? counted.map(([id, c]) => missCause(id, c)) : [])]
				);
				counted.push([keyId, key]);
			}
		}
	}
}

/** Cases: yellow (预警) with `warnPercent` % of the time limit or less left, red once judged overdue. */
function caseDeadline(j: Judge): void {
	const { warnPercent } = j.ctx.settings.case_deadline.params;
	for (const [caseId, c] of j.state.cases) {
		const target: Target = { kind: 'department', code: c.departmentCode };
		const accepted: CardCause[] = c.acceptedSeq != null ? [{ type: 'case.accepted', seq: c.acceptedSeq }] : [];
		if (c.overdue) {
			if (c.overdueSeq == null) continue;
			issue(j, 'case_deadline', `${caseId}:overdue`, c.dueAt, 'red', target, 'overdue_case', `办件 ${caseId} 超期未办结`, [
				{ type: 'case.overdue', seq: c.overdueSeq, id: derivedId('case.overdue', caseId) },
				...accepted
			]);
		} else if (warnPercent > 0 && c.dueAt > c.acceptedAt && j.now <= c.dueAt) {
			const warnAt = c.dueAt - ((c.dueAt - c.acceptedAt) * warnPercent) / 100;
			if (j.now < warnAt) continue;
			const near: CardCause[] = c.nearSeq != null ? [{ type: 'case.deadline_near', seq: c.nearSeq, id: derivedId('case.deadline_near', caseId) }] : [];
			issue(j, 'case_deadline', `${caseId}:warn`, warnAt, 'yellow', target, 'overdue_case', `办件 ${caseId} 剩余办理时限不足 ${warnPercent}%（预警）`, [...near, ...accepted]);
		}
	}
}

/** The zone of a home key (`center|CODE`, `region|CODE`, `all|`). */
function tzOfHome(org: RuleContext['org'], home: HomeKey): string {
	const center = centerOfHome(home);
	return center !== null ? org.timezoneOf(center) : DEFAULT_TZ;
}

/** Open hotline tickets judged overdue: yellow; more than N working days past due: red. */
function hotlineOverdue(j: Judge): void {
	const { redAfterWorkingDays } = j.ctx.settings.hotline_overdue.params;
	for (const [ticketId, t] of j.state.hotline) {
		if (t.closedAt != null || !t.overdue || t.dueAt == null || !t.departmentCode || t.overdueSeq == null) continue;
		const yellowId = ruleCardId('hotline_overdue', `${ticketId}:overdue`);
		const redId = ruleCardId('hotline_overdue', `${ticketId}:late`);
		if (j.state.cards.has(yellowId) && j.state.cards.has(redId)) continue;
		const target: Target = { kind: 'department', code: t.departmentCode };
		const causes: CardCause[] = [
			{ type: 'hotline.ticket_overdue', seq: t.overdueSeq, id: derivedId('hotline.ticket_overdue', ticketId) },
			...(t.assignedSeq != null ? [{ type: 'hotline.ticket_assigned', seq: t.assignedSeq }] : [])
		];
		issue(j, 'hotline_overdue', `${ticketId}:overdue`, t.dueAt, 'yellow', target, 'overdue_case', `热线工单 ${ticketId} 超期未办结`, causes);
		const redAt = j.ctx.calendar.addWorkingDays(t.dueAt, redAfterWorkingDays, tzOfHome(j.ctx.org, t.home));
		if (j.now > redAt)
			issue(j, 'hotline_overdue', `${ticketId}:late`, redAt, 'red', target, 'overdue_case', `热线工单 ${ticketId} 超期超过 ${redAfterWorkingDays} 个工作日`, causes);
	}
}

/**
 * Windows open and idle (no ticket called or served) while people wait for the window's
 * department, both without a break, for more than `idleMinutes`: yellow to the window, once per
 * such stretch (keyed on when it began).
 */
function windowIdle(j: Judge): void {
	const limit = j.ctx.settings.window_idle.params.idleMinutes * 60_000;
	for (const [code, w] of j.state.windows) {
		if (w.status !== 'open' || w.ticketNo != null || w.idleSince == null) continue;
		const win = j.ctx.org.windows.get(code);
		const waiting = win ? j.state.waitingByDept.get(win.departmentCode) : undefined;
		if (!win || !waiting || waiting.n <= 0 || waiting.since == null) continue;
		if (waiting.day !== dayKey(j.now, j.ctx.org.timezoneOf(win.centerCode))) continue;
		const start = Math.max(w.idleSince, waiting.since);
		if (j.now <= start + limit) continue;
		const causes: CardCause[] = [];
		if (w.idleSeq != null) causes.push({ type: w.idleType ?? 'window.status_changed', seq: w.idleSeq });
		if (waiting.sinceSeq != null) causes.push({ type: 'queue.ticket_issued', seq: waiting.sinceSeq });
		issue(j, 'window_idle', `${code}:${start}`, start + limit, 'yellow', { kind: 'window', code }, 'other', `窗口空闲超过 ${limit / 60_000} 分钟，同时有群众等候本部门业务（${waiting.n} 人）`, causes);
	}
}

/** Reviews rated `maxRating` or lower that name a staff member: a yellow warning to them. */
function badReview(j: Judge): void {
	const { maxRating } = j.ctx.settings.bad_review.params;
	for (const [seq, r] of j.state.badReviews) {
		if (r.rating > maxRating) continue;
		issue(j, 'bad_review', seq, r.at, 'yellow', { kind: 'staff', code: r.staffCode }, 'bad_review', `差评：评价 ${r.rating} 分`, [{ type: 'evaluation.submitted', seq: Number(seq), id: r.id }]);
	}
}

const JUDGES: Record<RuleId, (j: Judge) => void> = {
	presence_missed: presenceMissed,
	case_deadline: caseDeadline,
	hotline_overdue: hotlineOverdue,
	window_idle: windowIdle,
	bad_review: badReview
};

/**
 * The cards the switched-on rules issue at `now`, oldest cause first. Cost: one pass over the
 * open items each rule reads (today's checks, open cases, hotline tickets in the state, windows,
 * the last two days' bad reviews), with O(1) look-ups of cards already issued.
 */
export function dueRuleCards(state: LiveState, now: number, ctx: RuleContext): DerivedEvent[] {
	const j: Judge = { state, now, ctx, out: [] };
	for (const r of RULE_IDS) if (ctx.settings[r].enabled) JUDGES[r](j);
	return j.out.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1));
}

/** A rule's name for people (unknown rules from newer servers show their id). */
export function ruleLabel(rule: string, lang: 'zh' | 'en'): string {
	return (RULE_NAMES as Record<string, { zh: string; en: string } | undefined>)[rule]?.[lang] ?? rule;
}
