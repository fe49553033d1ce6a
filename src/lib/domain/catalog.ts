/**
 * The event catalog: the single source of truth for every event Hallwatch accepts or derives.
 * Validation (ingest), TypeScript types (`EventOf<T>`) and the API docs (`npm run docs:api`)
 * are all generated from the entries below. Never repeat a field list elsewhere.
 *
 * Contract: ../shared/spec/ingest-v1.md §1. Names are fixed; fields may be added, never renamed.
 */
import { z } from 'zod';

const code = z.string().trim().min(1).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
const bool = z.boolean();

/** Org references an event may carry, and which org table each names. */
export type RefKind = 'center' | 'region' | 'department' | 'window' | 'staff';

interface EntryDef<S extends z.ZodType> {
	/** zod schema of `data`. Unknown extra fields are kept (senders may add fields). */
	data: S;
	/** Short description, Chinese term first. */
	doc: string;
	/** Which data fields name org codes (validated against the org data at ingest). */
	refs?: Partial<Record<string, RefKind>>;
	/** Derived by Hallwatch itself; external senders may not send it. */
	system?: boolean;
	/** Example payload used in the API docs and tests. */
	example: Record<string, unknown>;
}

function entry<S extends z.ZodType>(def: EntryDef<S>) {
	return def;
}

const ticketRef = { centerCode: code, ticketNo: text(32) };

export const catalog = {
	// ── Queue / ticket machines (排队叫号) ───────────────────────────────────────
	'queue.ticket_issued': entry({
		doc: '取号 A ticket was issued by the queue machine.',
		data: z.looseObject({
			...ticketRef,
			departmentCode: code.optional(),
			serviceName: text(200).optional(),
			channel: z.enum(['walk_in', 'appointment']).optional()
		}),
		refs: { centerCode: 'center', departmentCode: 'department' },
		example: { centerCode: 'PJ-001', ticketNo: 'A023', departmentCode: 'GSJ', channel: 'walk_in' }
	}),
	'queue.ticket_called': entry({
		doc: '叫号 A window called a ticket.',
		data: z.looseObject({ ...ticketRef, windowCode: code, staffCode: code.optional() }),
		refs: { centerCode: 'center', windowCode: 'window', staffCode: 'staff' },
		example: { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'W01', staffCode: 'S001' }
	}),
	'queue.service_started': entry({
		doc: '开始办理 The window started serving the ticket.',
		data: z.looseObject({ ...ticketRef, windowCode: code, staffCode: code.optional() }),
		refs: { centerCode: 'center', windowCode: 'window', staffCode: 'staff' },
		example: { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'W01', staffCode: 'S001' }
	}),
	'queue.service_completed': entry({
		doc: '办理完成 Service finished: done, transferred to another window, or incomplete.',
		data: z.looseObject({
			...ticketRef,
			windowCode: code,
			staffCode: code.optional(),
			result: z.enum(['done', 'transferred', 'incomplete'])
		}),
		refs: { centerCode: 'center', windowCode: 'window', staffCode: 'staff' },
		example: { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'W01', staffCode: 'S001', result: 'done' }
	}),
	'queue.ticket_no_show': entry({
		doc: '过号 The ticket holder did not come when called.',
		data: z.looseObject({ ...ticketRef, windowCode: code.optional() }),
		refs: { centerCode: 'center', windowCode: 'window' },
		example: { centerCode: 'PJ-001', ticketNo: 'A024', windowCode: 'W01' }
	}),

	// ── Windows and staff ───────────────────────────────────────────────────────
	'window.status_changed': entry({
		doc: '窗口状态 A window opened, paused (with a reason) or closed.',
		data: z.looseObject({
			windowCode: code,
			status: z.enum(['open', 'paused', 'closed']),
			staffCode: code.optional(),
			reason: text(200).optional()
		}),
		refs: { windowCode: 'window', staffCode: 'staff' },
		example: { windowCode: 'W01', status: 'paused', staffCode: 'S001', reason: '业务咨询' }
	}),
	'evaluation.submitted': entry({
		doc: '好差评 A citizen rated the service (5 非常满意 … 1 非常不满意).',
		data: z.looseObject({
			rating: z.number().int().min(1).max(5),
			windowCode: code.optional(),
			staffCode: code.optional(),
			departmentCode: code.optional(),
			ticketNo: text(32).optional(),
			caseId: text(128).optional(),
			comment: text(1000).optional()
		}),
		refs: { windowCode: 'window', staffCode: 'staff', departmentCode: 'department' },
		example: { rating: 5, windowCode: 'W01', staffCode: 'S001', ticketNo: 'A023' }
	}),
	'attendance.clock_in': entry({
		doc: '签到 A staff member clocked in at the attendance terminal.',
		data: z.looseObject({ staffCode: code, method: z.enum(['face', 'card', 'manual']) }),
		refs: { staffCode: 'staff' },
		example: { staffCode: 'S001', method: 'face' }
	}),
	'attendance.clock_out': entry({
		doc: '签退 A staff member clocked out.',
		data: z.looseObject({ staffCode: code, method: z.enum(['face', 'card', 'manual']) }),
		refs: { staffCode: 'staff' },
		example: { staffCode: 'S001', method: 'card' }
	}),

	// ── Presence checks (在岗确认) ──────────────────────────────────────────────
	'presence.check_issued': entry({
		doc: '在岗抽查 A presence check popped up on a staff member’s PC.',
		data: z.looseObject({
			checkId: text(128),
			staffCode: code,
			windowCode: code.optional(),
			respondWithinSec: z.number().int().min(5).max(3600),
			/** The round (抽查轮次) it belongs to: checks of one round share it; without it, checks issued within 2 minutes of each other count as one round. */
			roundId: text(128).optional()
		}),
		refs: { staffCode: 'staff', windowCode: 'window' },
		example: { checkId: 'chk-20261122-0930-S001', staffCode: 'S001', windowCode: 'W01', respondWithinSec: 60, roundId: 'r-20261122-0930' }
	}),
	'presence.check_confirmed': entry({
		doc: '在岗确认 The staff member confirmed the presence check.',
		data: z.looseObject({ checkId: text(128), staffCode: code }),
		refs: { staffCode: 'staff' },
		example: { checkId: 'chk-20261122-0930-S001', staffCode: 'S001' }
	}),
	'presence.check_missed': entry({
		doc: '未确认 Derived: the check was not confirmed before its deadline.',
		system: true,
		data: z.looseObject({
			checkId: text(128),
			staffCode: code,
			windowCode: code.optional(),
			deadline: instant,
			derivedBy: text(64)
		}),
		refs: { staffCode: 'staff', windowCode: 'window' },
		example: {
			checkId: 'chk-20261122-0930-S001',
			staffCode: 'S001',
			windowCode: 'W01',
			deadline: '2026-11-22T09:31:00+08:00',
			derivedBy: 'deadline-timer'
		}
	}),

	// ── Cases from the approval system (审批 / 电子监察) ───────────────────────────
	'case.accepted': entry({
		doc: '受理 A case (办件) was accepted.',
		data: z
			.looseObject({
				caseId: text(128),
				departmentCode: code,
				itemName: text(300),
				immediate: bool,
				online: bool,
				dueAt: instant.optional(),
				promisedDays: z.number().int().min(0).max(3650).optional(),
				regionCode: code.optional(),
				centerCode: code.optional()
			}),
		refs: { departmentCode: 'department', regionCode: 'region', centerCode: 'center' },
		example: {
			caseId: 'GSJ-2026-000812',
			departmentCode: 'GSJ',
			itemName: '企业设立登记',
			immediate: false,
			online: true,
			promisedDays: 3,
			centerCode: 'PJ-001'
		}
	}),
	'case.completed': entry({
		doc: '办结 The case was completed.',
		data: z.looseObject({ caseId: text(128) }),
		example: { caseId: 'GSJ-2026-000812' }
	}),
	'case.deadline_near': entry({
		doc: '预警 Derived: an open case has 20% or less of its time limit left.',
		system: true,
		data: z.looseObject({ caseId: text(128), departmentCode: code, dueAt: instant, derivedBy: text(64) }),
		refs: { departmentCode: 'department' },
		example: { caseId: 'GSJ-2026-000812', departmentCode: 'GSJ', dueAt: '2026-11-25T17:00:00+08:00', derivedBy: 'deadline-timer' }
	}),
	'case.overdue': entry({
		doc: '超期 Derived: an open case passed its due time.',
		system: true,
		data: z.looseObject({ caseId: text(128), departmentCode: code, dueAt: instant, derivedBy: text(64) }),
		refs: { departmentCode: 'department' },
		example: { caseId: 'GSJ-2026-000812', departmentCode: 'GSJ', dueAt: '2026-11-25T17:00:00+08:00', derivedBy: 'deadline-timer' }
	}),

	// ── Mayor's hotline (市长热线 / 12345) ──────────────────────────────────────────
	'hotline.ticket_created': entry({
		doc: '受理 A hotline ticket was taken.',
		data: z.looseObject({
			ticketId: text(128),
			channel: z.enum(['phone', 'mailbox', 'web', 'wechat']),
			category: text(100),
			summary: text(2000),
			callerPhone: z.string().trim().regex(/^[0-9+\-() ]{3,32}$/, 'a phone number').optional(),
			regionCode: code.optional()
		}),
		refs: { regionCode: 'region' },
		example: {
			ticketId: 'RX-20261122-0042',
			channel: 'phone',
			category: '城市管理',
			summary: '小区门前路灯损坏',
			callerPhone: '13800001234',
			regionCode: 'XLT'
		}
	}),
	'hotline.ticket_assigned': entry({
		doc: '转办 The ticket was dispatched to a department with a due time. Again to another department is 改派: the latest assignment counts. `acknowledgeBy` (optional) is when the department must take it (签收时限, the console gives 2 working hours by default); an assignment without it has no 签收 step and 签收及时率 leaves it out.',
		data: z.looseObject({ ticketId: text(128), departmentCode: code, dueAt: instant, acknowledgeBy: instant.optional() }),
		refs: { departmentCode: 'department' },
		example: { ticketId: 'RX-20261122-0042', departmentCode: 'ZJJ', dueAt: '2026-11-27T17:00:00+08:00', acknowledgeBy: '2026-11-23T11:00:00+08:00' }
	}),
	'hotline.ticket_acknowledged': entry({
		doc: '签收 The department took the ticket assigned to it.',
		data: z.looseObject({ ticketId: text(128), departmentCode: code }),
		refs: { departmentCode: 'department' },
		example: { ticketId: 'RX-20261122-0042', departmentCode: 'ZJJ' }
	}),
	'hotline.ticket_returned': entry({
		doc: '退单 The department disputes the dispatch (not its matter); the hotline center reviews it (`hotline.return_decided`).',
		data: z.looseObject({ ticketId: text(128), departmentCode: code, reason: text(1000) }),
		refs: { departmentCode: 'department' },
		example: { ticketId: 'RX-20261122-0042', departmentCode: 'ZJJ', reason: '不属于本单位职责，建议转住建局' }
	}),
	'hotline.return_decided': entry({
		doc: '退单审核 The hotline center decided a return: approved (the ticket waits for re-dispatch, a new `hotline.ticket_assigned`) or refused (it goes back to the department, which keeps it and its due time).',
		data: z.looseObject({ ticketId: text(128), approved: bool, note: text(1000).optional() }),
		example: { ticketId: 'RX-20261122-0042', approved: false, note: '属于本单位职责，请继续办理' }
	}),
	'hotline.extension_requested': entry({
		doc: '延期申请 The department asks for a later due time.',
		data: z.looseObject({ ticketId: text(128), departmentCode: code, requestedDueAt: instant, reason: text(1000) }),
		refs: { departmentCode: 'department' },
		example: { ticketId: 'RX-20261122-0042', departmentCode: 'ZJJ', requestedDueAt: '2026-12-04T17:00:00+08:00', reason: '需协调供电公司更换线路' }
	}),
	'hotline.extension_decided': entry({
		doc: '延期审批 The hotline center approved (the due time moves to `dueAt`, default the requested one) or refused an extension.',
		data: z.looseObject({ ticketId: text(128), approved: bool, dueAt: instant.optional(), note: text(1000).optional() }),
		example: { ticketId: 'RX-20261122-0042', approved: true, dueAt: '2026-12-04T17:00:00+08:00' }
	}),
	'hotline.ticket_merged': entry({
		doc: '重复件合并 A repeat call merged into an earlier ticket: counted once, as `intoTicketId` (the merged ticket leaves every figure).',
		data: z.looseObject({ ticketId: text(128), intoTicketId: text(128) }),
		example: { ticketId: 'RX-20261122-0057', intoTicketId: 'RX-20261122-0042' }
	}),
	'hotline.call_offered': entry({
		doc: '来电 A call reached the hotline (from the telephony system). `centerCode`/`regionCode` say whose hotline when there are several.',
		data: z.looseObject({ callId: text(128), line: text(64).optional(), centerCode: code.optional(), regionCode: code.optional() }),
		refs: { centerCode: 'center', regionCode: 'region' },
		example: { callId: 'C-20261122-000981', line: '12345-1' }
	}),
	'hotline.call_answered': entry({
		doc: '接听 An agent answered the call after `waitSec` seconds in the queue (GB/T 33358: within 15 s).',
		data: z.looseObject({ callId: text(128), waitSec: z.number().min(0).max(86_400), agent: text(64).optional(), centerCode: code.optional(), regionCode: code.optional() }),
		refs: { centerCode: 'center', regionCode: 'region' },
		example: { callId: 'C-20261122-000981', waitSec: 8 }
	}),
	'hotline.call_abandoned': entry({
		doc: '放弃 The caller hung up after `waitSec` seconds, before an answer.',
		data: z.looseObject({ callId: text(128), waitSec: z.number().min(0).max(86_400), centerCode: code.optional(), regionCode: code.optional() }),
		refs: { centerCode: 'center', regionCode: 'region' },
		example: { callId: 'C-20261122-000982', waitSec: 41 }
	}),
	'hotline.ticket_replied': entry({
		doc: '回复 The department replied.',
		data: z.looseObject({ ticketId: text(128), departmentCode: code, reply: text(4000) }),
		refs: { departmentCode: 'department' },
		example: { ticketId: 'RX-20261122-0042', departmentCode: 'ZJJ', reply: '已安排维修' }
	}),
	'hotline.ticket_closed': entry({
		doc: '办结 The ticket was closed.',
		data: z.looseObject({ ticketId: text(128) }),
		example: { ticketId: 'RX-20261122-0042' }
	}),
	'hotline.ticket_reopened': entry({
		doc: '退回重办 The ticket was reopened.',
		data: z.looseObject({ ticketId: text(128), reason: text(1000) }),
		example: { ticketId: 'RX-20261122-0042', reason: '市民反映未修复' }
	}),
	'hotline.callback_recorded': entry({
		doc: '回访 The caller was called back; when reached, how satisfied and whether the matter was solved (`solved`, 是否解决).',
		data: z.looseObject({
			ticketId: text(128),
			reached: bool,
			satisfaction: z.enum(['satisfied', 'basic', 'unsatisfied']).optional(),
			solved: bool.optional()
		}),
		example: { ticketId: 'RX-20261122-0042', reached: true, satisfaction: 'satisfied', solved: true }
	}),
	'hotline.ticket_supervised': entry({
		doc: '督办 The ticket was put under supervision.',
		data: z.looseObject({ ticketId: text(128), note: text(1000), level: z.number().int().min(1).max(5).optional() }),
		example: { ticketId: 'RX-20261122-0042', note: '请加快办理', level: 1 }
	}),
	'hotline.acknowledge_overdue': entry({
		doc: '签收超时 Derived: an assigned ticket was not acknowledged (签收) by its limit.',
		system: true,
		data: z.looseObject({ ticketId: text(128), departmentCode: code, acknowledgeBy: instant, derivedBy: text(64) }),
		refs: { departmentCode: 'department' },
		example: { ticketId: 'RX-20261122-0042', departmentCode: 'ZJJ', acknowledgeBy: '2026-11-23T11:00:00+08:00', derivedBy: 'deadline-timer' }
	}),
	'hotline.ticket_overdue': entry({
		doc: '超期 Derived: an assigned ticket passed its due time without being closed.',
		system: true,
		data: z.looseObject({ ticketId: text(128), departmentCode: code, dueAt: instant, derivedBy: text(64) }),
		refs: { departmentCode: 'department' },
		example: { ticketId: 'RX-20261122-0042', departmentCode: 'ZJJ', dueAt: '2026-11-27T17:00:00+08:00', derivedBy: 'deadline-timer' }
	}),

	// ── Red/yellow cards (红黄牌) ─────────────────────────────────────────────────
	'card.issued': entry({
		doc: '红黄牌 A yellow or red card was issued to a staff member, window or department.',
		data: z.looseObject({
			cardId: text(128),
			color: z.enum(['yellow', 'red']),
			target: z.looseObject({ kind: z.enum(['staff', 'window', 'department']), code }),
			reason: z.enum(['absent', 'late_or_early_leave', 'overdue_case', 'complaint', 'bad_review', 'misconduct', 'other']),
			note: text(1000).optional(),
			rule: text(64).optional()
		}),
		example: {
			cardId: 'card-2026-0031',
			color: 'yellow',
			target: { kind: 'staff', code: 'S001' },
			reason: 'absent',
			note: '在岗抽查未确认'
		}
	}),
	'card.revoked': entry({
		doc: '撤销 A card was revoked with a reason.',
		data: z.looseObject({ cardId: text(128), reason: text(1000) }),
		example: { cardId: 'card-2026-0031', reason: '经核实系系统故障' }
	}),

	// ── Alerts (告警, spec §5): the system's own, raised and resolved by the alert rules ─────
	'alert.raised': entry({
		doc: '告警 Derived: an alert rule found a cause (a queue over its threshold, a silent sender, a red card …). Raised once per cause; `causes` names the events behind it.',
		system: true,
		data: z.looseObject({
			alertId: text(128),
			level: z.enum(['yellow', 'orange', 'red']),
			kind: text(64),
			title: text(200),
			scope: z.looseObject({ kind: z.enum(['center', 'region', 'all']), code: z.string().trim().max(64) }),
			centerCode: code.optional(),
			regionCode: code.optional(),
			value: z.number().optional(),
			threshold: z.number().optional(),
			causes: z.array(z.looseObject({ type: text(64), seq: z.number().int().min(0).optional(), id: text(128).optional(), cardId: text(128).optional() })).max(50).optional(),
			key: text(256).optional(),
			derivedBy: text(64)
		}),
		refs: { centerCode: 'center', regionCode: 'region' },
		example: {
			alertId: 'a:longest_wait:center:PJ-001:1',
			level: 'orange',
			kind: 'longest_wait',
			title: '郫都区政务服务中心 最长等候 32 分钟（超过 30 分钟）',
			scope: { kind: 'center', code: 'PJ-001' },
			centerCode: 'PJ-001',
			value: 32,
			threshold: 30,
			causes: [{ type: 'queue.ticket_issued', seq: 1042 }],
			derivedBy: 'alert-rules'
		}
	}),
	'alert.updated': entry({
		doc: '告警升级/降级 Derived: the cause of an open alert lasts at another level (its title and figure now). Not an alert of its own: no storm of alerts while a cause lasts.',
		system: true,
		data: z.looseObject({
			alertId: text(128),
			level: z.enum(['yellow', 'orange', 'red']),
			title: text(200),
			centerCode: code.optional(),
			regionCode: code.optional(),
			value: z.number().optional(),
			threshold: z.number().optional(),
			derivedBy: text(64)
		}),
		refs: { centerCode: 'center', regionCode: 'region' },
		example: { alertId: 'a:longest_wait:center:PJ-001:1', level: 'red', title: '郫都区政务服务中心 最长等候 46 分钟（超过 45 分钟）', centerCode: 'PJ-001', value: 46, threshold: 45, derivedBy: 'alert-rules' }
	}),
	'alert.acknowledged': entry({
		doc: '告警确认 Someone acknowledged the alert (with a note): it is being handled. Recorded by the console.',
		system: true,
		data: z.looseObject({ alertId: text(128), by: text(128), note: text(1000).optional(), title: text(200).optional(), centerCode: code.optional(), regionCode: code.optional() }),
		refs: { centerCode: 'center', regionCode: 'region' },
		example: { alertId: 'a:longest_wait:center:PJ-001:1', by: 'zhangsan', note: '已增开 3 个窗口', centerCode: 'PJ-001' }
	}),
	'alert.resolved': entry({
		doc: '告警解除 The alert ended: its cause is over (by the rules, `by` absent) or a person resolved it (`by`, `note`).',
		system: true,
		data: z.looseObject({ alertId: text(128), by: text(128).optional(), note: text(1000).optional(), title: text(200).optional(), centerCode: code.optional(), regionCode: code.optional() }),
		refs: { centerCode: 'center', regionCode: 'region' },
		example: { alertId: 'a:longest_wait:center:PJ-001:1', title: '郫都区政务服务中心 最长等候 32 分钟（超过 30 分钟）', centerCode: 'PJ-001' }
	}),

	// ── Regional indicators from the provincial platform ──────────────────────────
	'indicator.reported': entry({
		doc: '指标 A regional indicator for a period (进一网, 网上办, 进一门, 最多跑一次 or custom).',
		data: z.looseObject({
			regionCode: code,
			period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period YYYY-MM'),
			indicator: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'an indicator key such as online_entry_rate'),
			value: z.number().min(0).max(100)
		}),
		refs: { regionCode: 'region' },
		example: { regionCode: 'XLT', period: '2018-07', indicator: 'online_entry_rate', value: 62.93 }
	})
} as const;

export type EventType = keyof typeof catalog;
export const EVENT_TYPES = Object.keys(catalog) as EventType[];
export const SYSTEM_EVENT_TYPES = EVENT_TYPES.filter((t) => (catalog[t] as EntryDef<z.ZodType>).system);

export type DataOf<T extends EventType> = z.infer<(typeof catalog)[T]['data']>;

/** The envelope every event shares (spec §1). */
export const envelopeSchema = z.object({
	id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, '1–128 characters of A–Z a–z 0–9 . _ : -'),
	type: z.string().min(1),
	occurredAt: instant,
	source: z.string().trim().min(1).max(128).optional(),
	data: z.record(z.string(), z.unknown())
});

export interface EventOf<T extends EventType = EventType> {
	id: string;
	type: T;
	/** RFC 3339 with offset, as sent. */
	occurredAt: string;
	source?: string;
	data: DataOf<T>;
}

/** Any catalog event, discriminated by `type`. */
export type HallEvent = { [T in EventType]: EventOf<T> }[EventType];

/** A committed event: the log assigned it a sequence number. */
export type LoggedEvent = HallEvent & {
	seq: number;
	/** Who sent it (ingest key name, or `system` for derived events). */
	sender: string;
	/** Epoch ms of occurredAt, parsed once. */
	at: number;
};

export const INDICATORS = {
	online_entry_rate: '进一网',
	online_handling_rate: '网上办',
	one_door_rate: '进一门',
	max_one_trip_rate: '最多跑一次'
} as const;

export const CARD_REASONS = catalog['card.issued'].data.shape.reason.options;

export function isEventType(t: string): t is EventType {
	return Object.hasOwn(catalog, t);
}

export function refsOf(type: EventType): Partial<Record<string, RefKind>> {
	return (catalog[type] as EntryDef<z.ZodType>).refs ?? {};
}

export function isSystemType(type: EventType): boolean {
	return !!(catalog[type] as EntryDef<z.ZodType>).system;
}

// ── Validation with errors a person can act on ────────────────────────────────

function describe(v: unknown): string {
	if (v === undefined) return 'nothing';
	if (v === null) return 'null';
	if (typeof v === 'string') return v.length > 40 ? `"${v.slice(0, 37)}…"` : `"${v}"`;
	if (Array.isArray(v)) return 'an array';
	if (typeof v === 'object') return 'an object';
	return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
	let v: unknown = root;
	for (const p of path) {
		if (v == null || typeof v !== 'object') return undefined;
		v = (v as Record<PropertyKey, unknown>)[p];
	}
	return v;
}

/** Turn the first zod issue into `field: expected …, found …`. */
export function formatIssue(issue: z.core.$ZodIssue, root: unknown, prefix = ''): string {
	const path = [...issue.path];
	const field = prefix + path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
	const found = valueAt(root, path);
	const where = field || 'event';
	if (found === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union'))
		return `${where}: is required`;
	switch (issue.code) {
		case 'invalid_type':
			return `${where}: expected ${issue.expected}, found ${describe(found)}`;
		case 'invalid_value':
			return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describe(found)}`;
		case 'invalid_format':
			if (issue.format === 'datetime') return `${where}: expected an RFC 3339 time with offset (2026-11-22T09:15:02+08:00), found ${describe(found)}`;
			return `${where}: expected ${issue.message.replace(/^Invalid string: must match pattern .*/, 'the format')}, found ${describe(found)}`.replace('Invalid ', '');
		case 'too_small':
			return typeof found === 'string'
				? `${where}: must not be empty`
				: `${where}: must be at least ${String(issue.minimum)}, found ${describe(found)}`;
		case 'too_big':
			return typeof found === 'string'
				? `${where}: at most ${String(issue.maximum)} characters, found ${found.length}`
				: `${where}: must be at most ${String(issue.maximum)}, found ${describe(found)}`;
		default:
			return `${where}: ${issue.message}`;
	}
}

function patternIssue(issue: z.core.$ZodIssue, root: unknown, prefix: string): string {
	// Custom regex messages carry a human description of the expected shape.
	if (issue.code === 'invalid_format' && issue.format === 'regex') {
		const field = prefix + issue.path.map(String).join('.');
		return `${field}: expected ${issue.message}, found ${describe(valueAt(root, [...issue.path]))}`;
	}
	return formatIssue(issue, root, prefix);
}

export type ParseResult = { ok: true; event: HallEvent } | { ok: false; error: string; id?: string; type?: string };

export interface ParseOptions {
	/** Current time (epoch ms) for the "not more than 5 minutes in the future" rule. */
	now: number;
	/** Allow system (derived) types: only Hallwatch's own deriver does. */
	allowSystem?: boolean;
}

export const MAX_FUTURE_MS = 5 * 60_000;
/** Earliest occurredAt taken (PostgreSQL has no year 0000; older times are sender clock faults). */
export const MIN_OCCURRED_AT = Date.UTC(1900, 0, 1);

/** Validate one raw event against the envelope and its type's data schema. Pure. */
export function parseEvent(raw: unknown, opts: ParseOptions): ParseResult {
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
		return { ok: false, error: `event: expected an object, found ${describe(raw)}` };
	const r = raw as Record<string, unknown>;
	const id = typeof r.id === 'string' ? r.id : undefined;
	const type = typeof r.type === 'string' ? r.type : undefined;
	const env = envelopeSchema.safeParse(raw);
	if (!env.success) return { ok: false, id, type, error: patternIssue(env.error.issues[0], raw, '') };
	const e = env.data;
	if (!isEventType(e.type))
		return { ok: false, id, type, error: `type: unknown event type "${e.type}" (see the catalog in docs/api.md)` };
	if (isSystemType(e.type) && !opts.allowSystem)
		return { ok: false, id, type, error: `type: "${e.type}" is derived by Hallwatch itself and cannot be sent` };
	const at = Date.parse(e.occurredAt);
	if (at - opts.now > MAX_FUTURE_MS)
		return {
			ok: false,
			id,
			type,
			error: `occurredAt: ${e.occurredAt} is more than 5 minutes in the future (server time ${new Date(opts.now).toISOString()})`
		};
	if (at < MIN_OCCURRED_AT) return { ok: false, id, type, error: `occurredAt: ${e.occurredAt} is before 1900-01-01; expected the time the event happened` };
	const data = catalog[e.type].data.safeParse(e.data);
	if (!data.success) return { ok: false, id, type, error: patternIssue(data.error.issues[0], e.data, 'data.') };
	if (e.type === 'case.accepted') {
		const d = data.data as DataOf<'case.accepted'>;
		if (d.dueAt === undefined && d.promisedDays === undefined)
			return { ok: false, id, type, error: 'data.dueAt: is required when data.promisedDays is not given' };
	}
	return {
		ok: true,
		event: { id: e.id, type: e.type, occurredAt: e.occurredAt, ...(e.source ? { source: e.source } : {}), data: data.data } as HallEvent
	};
}
