/**
 * Alert rules (告警规则, spec §5): pure. At a given `now` they read the live state (open items
 * only, never the log) and return the `alert.*` events to append as sender `system`:
 *
 * - a cause found with no open alert for its rule key raises one (`alert.raised`), with an id
 *   built from (rule key, how many that key raised before), so deriving twice, after a restart
 *   or on another instance stores it once;
 * - while the cause lasts the alert stays open; a change of level updates it (`alert.updated`),
 *   never a second alert (no storm); thresholds let go 10 % below where they caught (hysteresis);
 * - when the cause ends the alert resolves itself (`alert.resolved`, no `by`).
 *
 * Rules are configured per center (defaults for a hall of about 40 windows, spec's three levels
 * 黄 / 橙 / 红 for each threshold; 0 switches a level off). Titles are Chinese and name the
 * place and the figure: 「郫都区政务服务中心 最长等候 32 分钟」「热线系统 35 分钟无数据」.
 */
import type { WorkingCalendar } from './calendar';
import type { AlertCause, AlertLevel, AlertState } from './evolve/alerts';
export { alertInScope } from './evolve/alerts';
import type { OrgIndex } from './org';
import { derivedId, type DerivedEvent, type LiveState } from './projection';
import { hash53 } from './hash';
import { centerOfHome, parseHomeKey, type HomeKey } from './keys';
import { dayKey, DEFAULT_TZ, zoneOffsetMs } from './time';

export const ALERT_LEVELS = ['yellow', 'orange', 'red'] as const satisfies readonly AlertLevel[];
export type { AlertLevel } from './evolve/alerts';

export const ALERT_KINDS = [
	'longest_wait',
	'waiting',
	'waiting_per_window',
	'windows_low',
	'no_show_rate',
	'source_silent',
	'red_card',
	'yellow_card_department',
	'hotline_overdue',
	'case_overdue',
	'presence_round',
	'login_attack'
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

interface ParamDef {
	default: number;
	min: number;
	max: number;
}

const levels = (yellow: number, orange: number, red: number, max: number) => ({
	yellow: { default: yellow, min: 0, max },
	orange: { default: orange, min: 0, max },
	red: { default: red, min: 0, max }
});

/**
 * Each rule's parameters (whole numbers within bounds). `yellow` / `orange` / `red` are the
 * thresholds of the three levels (0: that level off); defaults for a hall of about 40 windows.
 */
export const ALERT_PARAMS = {
	/** The longest wait of anyone waiting now, over N minutes. */
	longest_wait: levels(20, 30, 45, 600),
	/** People waiting now, over N. */
	waiting: levels(80, 120, 200, 100_000),
	/** People waiting per open window, over N. */
	waiting_per_window: levels(6, 10, 15, 1000),
	/** Open windows below N during working hours while people wait. */
	windows_low: levels(20, 12, 6, 10_000),
	/** Share of tickets called in the last hour that were no-shows (弃号率), over N %, once at least `minCalls` were called. */
	no_show_rate: { ...levels(20, 30, 45, 100), minCalls: { default: 20, min: 1, max: 100_000 } },
	/** A sender that has sent before, silent for more than N minutes inside working hours: orange. */
	source_silent: { minutes: { default: 30, min: 1, max: 1440 } },
	/** Every red card: red, until revoked or its day ends. */
	red_card: {},
	/** Every yellow card to a department: yellow, until revoked or its day ends. */
	yellow_card_department: {},
	/** A hotline ticket judged overdue: orange, until closed. */
	hotline_overdue: {},
	/** A case judged overdue: orange, until completed. */
	case_overdue: {},
	/** A presence round (checks within 2 minutes) with more than N % missed, once at least `minChecks` were judged. */
	presence_round: { ...levels(10, 20, 30, 100), minChecks: { default: 5, min: 1, max: 10_000 } },
	/** An account whose sign-in is slowed by failed attempts from many addresses: orange, while it lasts. */
	login_attack: {}
} as const satisfies Record<AlertKind, Record<string, ParamDef>>;

/** The level of the rules that have one level only. */
export const FIXED_LEVEL: Partial<Record<AlertKind, AlertLevel>> = {
	source_silent: 'orange',
	red_card: 'red',
	yellow_card_department: 'yellow',
	hotline_overdue: 'orange',
	case_overdue: 'orange',
	login_attack: 'orange'
};

export const ALERT_NAMES: Record<AlertKind, { zh: string; en: string }> = {
	longest_wait: { zh: '最长等候时间', en: 'Longest wait' },
	waiting: { zh: '等候人数', en: 'People waiting' },
	waiting_per_window: { zh: '窗均等候人数', en: 'Waiting per open window' },
	windows_low: { zh: '开放窗口不足', en: 'Too few open windows' },
	no_show_rate: { zh: '弃号率', en: 'No-show share' },
	source_silent: { zh: '数据源无数据', en: 'Silent sender' },
	red_card: { zh: '红牌', en: 'Red card' },
	yellow_card_department: { zh: '部门黄牌', en: 'Yellow card to a department' },
	hotline_overdue: { zh: '热线工单超期', en: 'Hotline ticket overdue' },
	case_overdue: { zh: '办件超期', en: 'Case overdue' },
	presence_round: { zh: '在岗抽查未确认比例', en: 'Presence round missed' },
	login_attack: { zh: '账号遭尝试登录', en: 'Account under sign-in attack' }
};

export type AlertRule = { enabled: boolean; params: Record<string, number> };
/** The rules of one center (or the defaults): each kind on or off with its parameters, and the working hours. */
export interface AlertRules {
	/** Working hours, local: spans like `08:30-12:00,13:30-17:30`. */
	hours: string;
	rules: Record<AlertKind, AlertRule>;
}

export interface AlertSettings {
	/** Causes before this instant (epoch ms) are not judged: when alerts were switched on. */
	since: number | null;
	defaults: AlertRules;
	/** Centers with rules of their own (the others follow the defaults). */
	centers: Record<string, AlertRules>;
}

export const DEFAULT_HOURS = '08:30-12:00,13:00-17:30';
export const ALERTS_DERIVED_BY = 'alert-rules';

export function alertParamKeys(kind: AlertKind): string[] {
	return Object.keys(ALERT_PARAMS[kind]);
}

function paramDef(kind: AlertKind, key: string): ParamDef | undefined {
	return (ALERT_PARAMS[kind] as Record<string, ParamDef>)[key];
}

export function defaultAlertRules(): AlertRules {
	const rules = {} as Record<AlertKind, AlertRule>;
	for (const k of ALERT_KINDS) {
		const params: Record<string, number> = {};
		for (const [p, def] of Object.entries(ALERT_PARAMS[k] as Record<string, ParamDef>)) params[p] = def.default;
		rules[k] = { enabled: true, params };
	}
	return { hours: DEFAULT_HOURS, rules };
}

export function defaultAlertSettings(since: number | null = null): AlertSettings {
	return { since, defaults: defaultAlertRules(), centers: {} };
}

/** `08:30-12:00,13:00-17:30` → minute spans; a problem names the span. */
export function parseHours(text: string): { spans: Array<[number, number]> } | { error: string } {
	const spans: Array<[number, number]> = [];
	for (const part of text.split(/[,，;\s]+/).filter(Boolean)) {
		const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
		if (!m) return { error: `expected spans like 08:30-12:00, found "${part}"` };
		const a = Number(m[1]) * 60 + Number(m[2]);
		const b = Number(m[3]) * 60 + Number(m[4]);
		if (Number(m[1]) > 24 || Number(m[3]) > 24 || Number(m[2]) > 59 || Number(m[4]) > 59 || b <= a || b > 1440) return { error: `"${part}" is not a span of one day` };
		spans.push([a, b]);
	}
	if (!spans.length) return { error: 'is required' };
	return { spans };
}

function paramProblem(kind: AlertKind, key: string, value: unknown): string | null {
	const def = paramDef(kind, key)!;
	if (typeof value !== 'number' || !Number.isInteger(value)) return `${kind}.${key}: expected a whole number, found ${JSON.stringify(value)}`;
	if (value < def.min || value > def.max) return `${kind}.${key}: must be between ${def.min} and ${def.max}, found ${value}`;
	return null;
}

function parseRules(raw: unknown, errors: string[], prefix: string): AlertRules {
	const out = defaultAlertRules();
	if (raw == null || typeof raw !== 'object') {
		if (raw != null) errors.push(`${prefix}: expected an object`);
		return out;
	}
	const r = raw as { hours?: unknown; rules?: Record<string, unknown> };
	if (typeof r.hours === 'string') {
		const h = parseHours(r.hours);
		if ('error' in h) errors.push(`${prefix}.hours: ${h.error}`);
		else out.hours = r.hours;
	}
	for (const k of ALERT_KINDS) {
		const s = r.rules?.[k] as Partial<AlertRule> | undefined;
		if (!s || typeof s !== 'object') continue;
		if (typeof s.enabled === 'boolean') out.rules[k].enabled = s.enabled;
		for (const p of alertParamKeys(k)) {
			const v = s.params?.[p];
			if (v === undefined) continue;
			const problem = paramProblem(k, p, v);
			if (problem) errors.push(`${prefix}.${problem}`);
			else out.rules[k].params[p] = v;
		}
	}
	return out;
}

/** Read the stored `alerts` setting; what is missing or invalid falls back to the defaults (and is reported). */
export function parseAlertSettings(raw: unknown, fallbackSince: number | null = null): { settings: AlertSettings; errors: string[] } {
	const errors: string[] = [];
	const r = (raw ?? {}) as { since?: unknown; defaults?: unknown; centers?: unknown };
	const since = r.since === null || (typeof r.since === 'number' && Number.isFinite(r.since)) ? (r.since as number | null) : fallbackSince;
	const settings: AlertSettings = { since, defaults: parseRules(r.defaults ?? null, errors, 'defaults'), centers: {} };
	if (r.centers && typeof r.centers === 'object')
		for (const [code, c] of Object.entries(r.centers as Record<string, unknown>)) settings.centers[code] = parseRules(c, errors, `centers.${code}`);
	return { settings, errors };
}

/** The form of the admin page for one center (or the defaults): per kind, on/off and each parameter as typed. */
export interface AlertRulesForm {
	hours: string;
	rules: Partial<Record<AlertKind, { enabled: boolean; params: Record<string, string> }>>;
}

/** Check an admin's form; errors name the field (`longest_wait.red`, `hours`). */
export function applyAlertForm(form: AlertRulesForm): { ok: true; rules: AlertRules } | { ok: false; field: string; error: string } {
	const out = defaultAlertRules();
	const h = parseHours(form.hours);
	if ('error' in h) return { ok: false, field: 'hours', error: `hours: ${h.error}` };
	out.hours = form.hours.trim();
	for (const k of ALERT_KINDS) {
		const f = form.rules[k];
		if (!f) continue;
		out.rules[k].enabled = f.enabled;
		for (const p of alertParamKeys(k)) {
			const text = (f.params[p] ?? '').trim();
			if (text === '') return { ok: false, field: `${k}.${p}`, error: `${k}.${p}: is required` };
			const v = Number(text);
			const problem = paramProblem(k, p, Number.isNaN(v) ? text : v);
			if (problem) return { ok: false, field: `${k}.${p}`, error: problem };
			out.rules[k].params[p] = v;
		}
	}
	return { ok: true, rules: out };
}

export function rulesOfCenter(settings: AlertSettings, center: string | null): AlertRules {
	return (center && settings.centers[center]) || settings.defaults;
}

// ── judging ──────────────────────────────────────────────────────────────────────

/** An account whose sign-in is being slowed (the login throttle's view). */
export interface LoginAttack {
	username: string;
	failures: number;
	since: number;
}

export interface AlertContext {
	settings: AlertSettings;
	calendar: Pick<WorkingCalendar, 'isWorkingDay'>;
	org: Pick<OrgIndex, 'timezoneOf' | 'windows' | 'centers' | 'departments' | 'regions' | 'staff'>;
	/** Accounts under sign-in attack now (absent: not judged). */
	attacks?: LoginAttack[];
	derivedBy?: string;
}

interface Judge {
	state: LiveState;
	now: number;
	ctx: AlertContext;
	out: DerivedEvent[];
	/** Rule keys the judge found a cause for this time. */
	seen: Set<string>;
}

const RANK: Record<AlertLevel, number> = { yellow: 1, orange: 2, red: 3 };
const LEVEL_ZH: Record<AlertLevel, string> = { yellow: '黄色', orange: '橙色', red: '红色' };
const iso = (ms: number) => new Date(Math.ceil(ms)).toISOString();

/** `a:<kind>:<rest>:<n>`, with `<rest>` hashed when the id would pass 128 characters. */
export function alertIdOf(kind: AlertKind, rest: string, n: number): string {
	const id = `a:${kind}:${rest}:${n}`;
	return id.length <= 128 ? id : `a:${kind}:h-${hash53(rest)}:${n}`;
}

interface Place {
	scope: { kind: 'center' | 'region' | 'all'; code: string };
	centerCode?: string;
	regionCode?: string;
}

function placeOfHome(home: HomeKey): Place {
	const h = parseHomeKey(home);
	if (h.kind === 'center') return { scope: { kind: 'center', code: h.code }, centerCode: h.code };
	if (h.kind === 'region') return { scope: { kind: 'region', code: h.code }, regionCode: h.code };
	return { scope: { kind: 'all', code: '' } };
}

const placeOfCenter = (code: string): Place => ({ scope: { kind: 'center', code }, centerCode: code });

interface Found {
	kind: AlertKind;
	/** What identifies the cause within its kind (`center:PJ-001`, a card id). */
	cause: string;
	level: AlertLevel;
	title: string;
	place: Place;
	at: number;
	value?: number;
	threshold?: number;
	causes?: AlertCause[];
}

const keyOf = (kind: AlertKind, cause: string) => `${kind}|${cause}`;

function placeData(p: Place): Record<string, unknown> {
	return { ...(p.centerCode ? { centerCode: p.centerCode } : {}), ...(p.regionCode ? { regionCode: p.regionCode } : {}) };
}

/** A cause found now: raise it (no open alert for its key), or update the open one when its level or title moved on. */
function found(j: Judge, f: Found): void {
	const key = keyOf(f.kind, f.cause);
	j.seen.add(key);
	const k = j.state.alertKeys.get(key);
	const open = k?.open ? j.state.alerts.get(k.open) : undefined;
	const by = j.ctx.derivedBy ?? ALERTS_DERIVED_BY;
	const figures = { ...(f.value !== undefined ? { value: f.value } : {}), ...(f.threshold !== undefined ? { threshold: f.threshold } : {}) };
	if (!open) {
		const since = j.ctx.settings.since;
		if (since != null && f.at < since) return;
		const alertId = alertIdOf(f.kind, f.cause, (k?.raised ?? 0) + 1);
		j.out.push({
			id: derivedId('alert.raised', alertId),
			type: 'alert.raised',
			occurredAt: iso(Math.min(Math.max(f.at, since ?? f.at), j.now)),
			data: { alertId, level: f.level, kind: f.kind, title: f.title.slice(0, 200), scope: f.place.scope, ...placeData(f.place), ...figures, ...(f.causes?.length ? { causes: f.causes.slice(0, 50) } : {}), key, derivedBy: by }
		});
		return;
	}
	if (open.level !== f.level)
		j.out.push({
			id: derivedId('alert.updated', `${open.alertId}:${open.updates + 1}`),
			type: 'alert.updated',
			occurredAt: iso(j.now),
			data: { alertId: open.alertId, level: f.level, title: f.title.slice(0, 200), ...placeData(f.place), ...figures, derivedBy: by }
		});
}

/** Open alerts of the judged kinds whose cause was not found: resolved. */
function resolveGone(j: Judge, kinds: Set<string>): void {
	for (const [key, k] of j.state.alertKeys) {
		if (!k.open || j.seen.has(key)) continue;
		const a = j.state.alerts.get(k.open);
		if (!a || a.resolvedAt != null || !kinds.has(a.kind)) continue;
		j.out.push({ id: derivedId('alert.resolved', a.alertId), type: 'alert.resolved', occurredAt: iso(j.now), data: { alertId: a.alertId, title: a.title, ...placeData(placeOfAlert(a)) } });
	}
}

function placeOfAlert(a: AlertState): Place {
	return { scope: a.scope, ...(a.place.centerCode ? { centerCode: a.place.centerCode } : {}), ...(a.place.regionCode && !a.place.centerCode ? { regionCode: a.place.regionCode } : {}) };
}

/**
 * The level a figure reaches against a rule's three thresholds, with hysteresis: a level the open
 * alert already has (or a lower one) holds until the figure is 10 % past its threshold the other way.
 * `below`: the rule catches figures under its thresholds (open windows).
 */
export function levelOf(value: number, params: Record<string, number>, current: AlertLevel | null, below = false): { level: AlertLevel; threshold: number } | null {
	for (const l of ['red', 'orange', 'yellow'] as const) {
		const t = params[l];
		if (!t) continue;
		const holding = current != null && RANK[l] <= RANK[current];
		if (below ? value < (holding ? t * 1.1 : t) : value > (holding ? t * 0.9 : t)) return { level: l, threshold: t };
	}
	return null;
}

/** Local minutes since midnight (with seconds as a fraction). */
function localMinutes(now: number, tz: string): number {
	const local = now + zoneOffsetMs(now, tz);
	return ((local % 86_400_000) + 86_400_000) % 86_400_000 / 60_000;
}

/** The start (epoch ms) of the working span `now` is in, or null outside working hours (or on a day off). */
export function workingSpanStart(now: number, hours: string, tz: string, calendar: AlertContext['calendar']): number | null {
	if (!calendar.isWorkingDay(now, tz)) return null;
	const h = parseHours(hours);
	if ('error' in h) return null;
	const m = localMinutes(now, tz);
	for (const [a, b] of h.spans) if (m >= a && m < b) return now - (m - a) * 60_000;
	return null;
}

interface HallFigures {
	waiting: number;
	oldestWait: number | null;
	open: number;
	calledLastHour: number;
	noShowLastHour: number;
}

/** Per center: people waiting today and the oldest of them, open windows, calls and no-shows of the last hour. One pass over tickets and windows. */
function hallFigures(j: Judge): Map<string, HallFigures> {
	const out = new Map<string, HallFigures>();
	const of = (c: string) => {
		let f = out.get(c);
		if (!f) out.set(c, (f = { waiting: 0, oldestWait: null, open: 0, calledLastHour: 0, noShowLastHour: 0 }));
		return f;
	};
	const today = new Map<string, string>();
	const todayOf = (c: string) => {
		let d = today.get(c);
		if (!d) today.set(c, (d = dayKey(j.now, j.ctx.org.timezoneOf(c))));
		return d;
	};
	const hourAgo = j.now - 3_600_000;
	for (const t of j.state.tickets.values()) {
		const c = centerOfHome(t.home);
		if (!c) continue;
		if (t.state === 'waiting') {
			if (t.day !== todayOf(c)) continue;
			const f = of(c);
			f.waiting++;
			if (f.oldestWait == null || t.issuedAt < f.oldestWait) f.oldestWait = t.issuedAt;
		} else if (t.calledAt != null && t.calledAt >= hourAgo && t.calledAt <= j.now) {
			const f = of(c);
			f.calledLastHour++;
			if (t.state === 'no_show') f.noShowLastHour++;
		}
	}
	for (const [code, w] of j.state.windows) {
		if (w.status !== 'open') continue;
		const c = j.ctx.org.windows.get(code)?.centerCode;
		if (c) of(c).open++;
	}
	return out;
}

/** The tickets that started the waits of a center's departments (the causes of its queue alerts). */
function queueCauses(j: Judge, center: string): AlertCause[] {
	const out: AlertCause[] = [];
	for (const [dept, w] of j.state.waitingByDept) {
		if (w.n <= 0 || w.sinceSeq == null || j.ctx.org.departments.get(dept)?.centerCode !== center) continue;
		out.push({ type: 'queue.ticket_issued', seq: w.sinceSeq });
		if (out.length >= 10) break;
	}
	return out;
}

function currentLevel(j: Judge, kind: AlertKind, cause: string): AlertLevel | null {
	const k = j.state.alertKeys.get(keyOf(kind, cause));
	return (k?.open && j.state.alerts.get(k.open)?.level) || null;
}

const centerName = (j: Judge, code: string | null | undefined) => (code ? (j.ctx.org.centers.get(code)?.name ?? code) : '');

function placeName(j: Judge, p: Place): string {
	if (p.centerCode) return centerName(j, p.centerCode);
	if (p.regionCode) return j.ctx.org.regions.get(p.regionCode)?.name ?? p.regionCode;
	return '';
}

function hall(j: Judge): void {
	const figures = hallFigures(j);
	for (const [code, center] of j.ctx.org.centers) {
		const rules = rulesOfCenter(j.ctx.settings, code);
		const f = figures.get(code) ?? { waiting: 0, oldestWait: null, open: 0, calledLastHour: 0, noShowLastHour: 0 };
		const name = center.name;
		const cause = `center:${code}`;
		const place = placeOfCenter(code);
		const tz = j.ctx.org.timezoneOf(code);
		const check = (kind: AlertKind, value: number | null, title: (v: number, t: number) => string, at: number, below = false) => {
			const r = rules.rules[kind];
			if (!r.enabled || value == null) return;
			const l = levelOf(value, r.params, currentLevel(j, kind, cause), below);
			if (l) found(j, { kind, cause, level: l.level, title: title(value, l.threshold), place, at, value, threshold: l.threshold, causes: queueCauses(j, code) });
		};
		const waitMin = f.oldestWait != null ? Math.floor((j.now - f.oldestWait) / 60_000) : null;
		check('longest_wait', waitMin, (v, t) => `${name} 最长等候 ${v} 分钟（超过 ${t} 分钟）`, f.oldestWait != null ? f.oldestWait + rules.rules.longest_wait.params.yellow * 60_000 : j.now);
		check('waiting', f.waiting, (v, t) => `${name} 等候 ${v} 人（超过 ${t} 人）`, j.now);
		if (f.open > 0 && f.waiting > 0) {
			const per = Math.round((f.waiting / f.open) * 10) / 10;
			check('waiting_per_window', per, (v, t) => `${name} 窗均等候 ${v} 人（${f.waiting} 人 / ${f.open} 个窗口，超过 ${t}）`, j.now);
		}
		if (f.waiting > 0 && workingSpanStart(j.now, rules.hours, tz, j.ctx.calendar) != null)
			check('windows_low', f.open, (v, t) => `${name} 开放窗口仅 ${v} 个（少于 ${t} 个），${f.waiting} 人等候`, j.now, true);
		const nsr = rules.rules.no_show_rate;
		if (f.calledLastHour >= (nsr.params.minCalls ?? 1)) {
			const share = Math.round((f.noShowLastHour / f.calledLastHour) * 1000) / 10;
			check('no_show_rate', share, (v, t) => `${name} 近一小时弃号率 ${v}%（${f.noShowLastHour}/${f.calledLastHour}，超过 ${t}%）`, j.now);
		}
	}
}

function sourceSilent(j: Judge): void {
	for (const [sender, s] of j.state.sources) {
		const center = s.centerCode && j.ctx.org.centers.has(s.centerCode) ? s.centerCode : null;
		const rules = rulesOfCenter(j.ctx.settings, center);
		const r = rules.rules.source_silent;
		if (!r.enabled) continue;
		const cause = `source:${sender}`;
		const key = keyOf('source_silent', cause);
		const tz = j.ctx.org.timezoneOf(center);
		const spanStart = workingSpanStart(j.now, rules.hours, tz, j.ctx.calendar);
		const limit = r.params.minutes * 60_000;
		const silentFor = j.now - s.lastEventAt;
		const openNow = j.state.alertKeys.get(key)?.open;
		// Open: holds until the sender sends again (or is back inside its limit).
		if (openNow && silentFor > limit) {
			j.seen.add(key);
			continue;
		}
		if (spanStart == null) continue;
		const from = Math.max(s.lastEventAt, spanStart);
		if (j.now - from <= limit) continue;
		const place: Place = center ? placeOfCenter(center) : s.regionCode && j.ctx.org.regions.has(s.regionCode) ? { scope: { kind: 'region', code: s.regionCode }, regionCode: s.regionCode } : { scope: { kind: 'all', code: '' } };
		const where = placeName(j, place);
		const minutes = Math.floor(silentFor / 60_000);
		found(j, {
			kind: 'source_silent',
			cause,
			level: 'orange',
			title: `${where ? `${where} ` : ''}${sender} ${minutes} 分钟无数据`,
			place,
			at: from + limit,
			value: minutes,
			threshold: r.params.minutes,
			causes: [{ type: 'last_event', seq: s.lastSeq }]
		});
	}
}

function cards(j: Judge): void {
	for (const [cardId, c] of j.state.cards) {
		if (c.revoked || c.at == null) continue;
		const center = c.place.centerCode;
		const rules = rulesOfCenter(j.ctx.settings, center);
		const kind: AlertKind | null = c.color === 'red' ? 'red_card' : c.targetKind === 'department' ? 'yellow_card_department' : null;
		if (!kind || !rules.rules[kind].enabled) continue;
		if (c.day !== dayKey(j.now, j.ctx.org.timezoneOf(center))) continue; // today's cards: their alert ends with the day
		const place: Place = center ? placeOfCenter(center) : c.place.regionCode ? { scope: { kind: 'region', code: c.place.regionCode }, regionCode: c.place.regionCode } : { scope: { kind: 'all', code: '' } };
		const code = c.targetCode ?? '';
		const target = c.targetKind === 'department' ? (j.ctx.org.departments.get(code)?.name ?? code) : c.targetKind === 'window' ? (j.ctx.org.windows.get(code)?.name ?? code) : (j.ctx.org.staff.get(code)?.name ?? code);
		found(j, {
			kind,
			cause: `card:${cardId}`,
			level: kind === 'red_card' ? 'red' : 'yellow',
			title: `${placeName(j, place)} ${target ?? ''} 被${c.color === 'red' ? '亮红牌' : '亮黄牌'}${c.reason ? `（${REASON_ZH[c.reason] ?? c.reason}）` : ''}`.trim(),
			place,
			at: c.at,
			causes: [{ type: 'card.issued', cardId }]
		});
	}
}

const REASON_ZH: Record<string, string> = {
	absent: '离岗',
	late_or_early_leave: '迟到早退',
	overdue_case: '超期',
	complaint: '投诉',
	bad_review: '差评',
	misconduct: '违规',
	other: '其他'
};

function overdue(j: Judge): void {
	for (const [ticketId, t] of j.state.hotline) {
		if (!t.overdue || t.closedAt != null || t.dueAt == null) continue;
		const center = centerOfHome(t.home);
		if (!rulesOfCenter(j.ctx.settings, center).rules.hotline_overdue.enabled) continue;
		const place = placeOfHome(t.home);
		const dept = t.departmentCode ? (j.ctx.org.departments.get(t.departmentCode)?.name ?? t.departmentCode) : '';
		found(j, {
			kind: 'hotline_overdue',
			cause: `ticket:${ticketId}`,
			level: 'orange',
			title: `${placeName(j, place) || '热线'} ${dept} 热线工单 ${ticketId} 超期未办结`.replace(/\s+/g, ' ').trim(),
			place,
			at: t.dueAt,
			causes: t.overdueSeq != null ? [{ type: 'hotline.ticket_overdue', seq: t.overdueSeq, id: derivedId('hotline.ticket_overdue', ticketId) }] : []
		});
	}
	for (const [caseId, c] of j.state.cases) {
		if (!c.overdue) continue;
		const center = centerOfHome(c.home);
		if (!rulesOfCenter(j.ctx.settings, center).rules.case_overdue.enabled) continue;
		const place = placeOfHome(c.home);
		const dept = j.ctx.org.departments.get(c.departmentCode)?.name ?? c.departmentCode;
		found(j, {
			kind: 'case_overdue',
			cause: `case:${caseId}`,
			level: 'orange',
			title: `${placeName(j, place)} ${dept} 办件 ${caseId} 超期未办结`.trim(),
			place,
			at: c.dueAt,
			causes: c.overdueSeq != null ? [{ type: 'case.overdue', seq: c.overdueSeq, id: derivedId('case.overdue', caseId) }] : []
		});
	}
}

/** Presence rounds of today (a center's checks issued within 2 minutes of each other), judged once every check of the round is judged. */
function rounds(j: Judge): void {
	const byCenter = new Map<string, Array<{ issuedAt: number; deadline: number; missed: boolean; judged: boolean; seq: number | null; id: string }>>();
	for (const [id, c] of j.state.checks) {
		const center = centerOfHome(c.home);
		if (!center || c.day !== dayKey(j.now, j.ctx.org.timezoneOf(center))) continue;
		const judged = c.missed || (c.confirmedAt != null && c.confirmedAt <= c.deadline);
		let list = byCenter.get(center);
		if (!list) byCenter.set(center, (list = []));
		list.push({ issuedAt: c.issuedAt, deadline: c.deadline, missed: c.missed, judged, seq: c.missedSeq ?? null, id });
	}
	for (const [center, list] of byCenter) {
		const r = rulesOfCenter(j.ctx.settings, center).rules.presence_round;
		if (!r.enabled) continue;
		list.sort((a, b) => a.issuedAt - b.issuedAt);
		let start = 0;
		for (let i = 1; i <= list.length; i++) {
			if (i < list.length && list[i].issuedAt - list[i - 1].issuedAt <= 120_000) continue;
			const round = list.slice(start, i);
			start = i;
			if (round.some((c) => !c.judged) || round.length < (r.params.minChecks ?? 1)) continue;
			const missed = round.filter((c) => c.missed);
			const share = Math.round((missed.length / round.length) * 1000) / 10;
			const cause = `round:${center}:${round[0].issuedAt}`;
			const l = levelOf(share, r.params, currentLevel(j, 'presence_round', cause));
			if (!l) continue;
			const at = Math.max(...round.map((c) => c.deadline));
			const time = new Date(round[0].issuedAt + zoneOffsetMs(round[0].issuedAt, j.ctx.org.timezoneOf(center))).toISOString().slice(11, 16);
			found(j, {
				kind: 'presence_round',
				cause,
				level: l.level,
				title: `${centerName(j, center)} ${time} 在岗抽查 ${missed.length}/${round.length} 人未确认（${share}%，超过 ${l.threshold}%）`,
				place: placeOfCenter(center),
				at,
				value: share,
				threshold: l.threshold,
				causes: missed.slice(0, 50).map((c) => ({ type: 'presence.check_missed', seq: c.seq ?? 0, id: derivedId('presence.check_missed', c.id) }))
			});
		}
	}
}

function logins(j: Judge): void {
	if (!j.ctx.settings.defaults.rules.login_attack.enabled) return;
	for (const a of j.ctx.attacks ?? [])
		found(j, { kind: 'login_attack', cause: `login:${a.username}`, level: 'orange', title: `账号 ${a.username} 遭多处尝试登录（${a.failures} 次失败），登录已放慢`, place: { scope: { kind: 'all', code: '' } }, at: a.since, value: a.failures });
}

/**
 * The alert events due at `now`: raised, updated and resolved, oldest first. Cost: one pass over
 * today's tickets, the windows, the senders, this year's cards, open cases and hotline tickets,
 * and today's presence checks; O(1) look-ups of what is already open.
 */
export function dueAlerts(state: LiveState, now: number, ctx: AlertContext): DerivedEvent[] {
	const j: Judge = { state, now, ctx, out: [], seen: new Set() };
	hall(j);
	sourceSilent(j);
	cards(j);
	overdue(j);
	rounds(j);
	const judged = new Set<string>(ALERT_KINDS.filter((k) => k !== 'login_attack' || ctx.attacks !== undefined));
	// presence_round alerts hold for the day their round was in: a round judged once stays found while today's checks are kept.
	logins(j);
	resolveGone(j, judged);
	return j.out.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1));
}

export const levelRank = (l: AlertLevel) => RANK[l];
export const levelLabel = (l: AlertLevel) => LEVEL_ZH[l];

export function alertKindLabel(kind: string, lang: 'zh' | 'en'): string {
	return (ALERT_NAMES as Record<string, { zh: string; en: string } | undefined>)[kind]?.[lang] ?? kind;
}
