/**
 * What the hotline console's pages send to the browser: tickets with names instead of codes
 * and caller phones masked for everyone but hotline operators (admins and leaders see
 * 138****1234), in the page data and so in its JSON (`__data.json`) alike.
 */
import { HOTLINE_DESK } from '../auth/access';
import type { SessionUser } from '../auth/session';
import { isOverdueNow, type TicketSummary } from '../../domain/hotline';
import type { OrgIndex } from '../../domain/org';
import { Reach } from '../auth/reach';
import { maskEventData, maskPhone } from '../privacy';
import type { TimelineEntry } from './tickets';

export interface HotlineViewer {
	/** What their scope reaches: every list, figure and ticket is within it. */
	reach: Reach;
	/** Full caller phones: hotline operators only. */
	seesPhones: boolean;
	/** May take actions (operators and admins; the access table enforces it on /hotline/act). */
	canAct: boolean;
	isAdmin: boolean;
	/** The deployment's zone: "this month" and the list's dates. */
	tz: string;
}

export function hotlineViewer(user: SessionUser, org: OrgIndex): HotlineViewer {
	return {
		reach: Reach.of(user.scope, org),
		seesPhones: user.roles.includes('hotline_operator'),
		canAct: user.roles.some((r) => HOTLINE_DESK.includes(r)),
		isAdmin: user.roles.includes('admin'),
		tz: org.timezoneOf(user.scope.kind === 'center' ? user.scope.code : null)
	};
}

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

export interface TicketView {
	ticketId: string;
	channel: string | null;
	category: string | null;
	summary: string | null;
	callerPhone: string | null;
	regionName: string | null;
	departmentCode: string | null;
	departmentName: string | null;
	status: TicketSummary['status'];
	createdAt: string;
	assignedAt: string | null;
	dueAt: string | null;
	repliedAt: string | null;
	closedAt: string | null;
	reopenedCount: number;
	supervisedLevel: number | null;
	/** Open and past due now. */
	overdueNow: boolean;
	/** Closed after its due time. */
	closedLate: boolean;
	callbackReached: boolean | null;
	satisfaction: TicketSummary['satisfaction'];
	lastReply: string | null;
	reopenReason: string | null;
	supervisionNote: string | null;
	callbacks: number;
	createdBy: string | null;
	/** The latest callback's 是否解决 (null: not asked or not reached). */
	solved: boolean | null;
	/** 签收 of the latest assignment: its limit, when taken, in time or not (null: not judged yet). */
	ackBy: string | null;
	acknowledgedAt: string | null;
	ackOnTime: boolean | null;
	returns: number;
	returnPending: { departmentName: string; reason: string; at: string } | null;
	extensionPending: { requestedDueAt: string; reason: string; at: string } | null;
	extensions: number;
	mergedInto: string | null;
}

export function ticketView(s: TicketSummary, org: OrgIndex, viewer: Pick<HotlineViewer, 'seesPhones'>, now: number): TicketView {
	return {
		ticketId: s.ticketId,
		channel: s.channel,
		category: s.category,
		summary: s.summary,
		callerPhone: s.callerPhone && !viewer.seesPhones ? maskPhone(s.callerPhone) : s.callerPhone,
		regionName: s.regionCode ? (org.regions.get(s.regionCode)?.name ?? s.regionCode) : null,
		departmentCode: s.departmentCode,
		departmentName: s.departmentCode ? (org.departments.get(s.departmentCode)?.name ?? s.departmentCode) : null,
		status: s.status,
		createdAt: iso(s.createdAt)!,
		assignedAt: iso(s.assignedAt),
		dueAt: iso(s.dueAt),
		repliedAt: iso(s.repliedAt),
		closedAt: iso(s.closedAt),
		reopenedCount: s.reopenedCount,
		supervisedLevel: s.supervisedLevel,
		overdueNow: isOverdueNow(s, now),
		closedLate: s.status === 'closed' && s.dueAt != null && s.closedAt != null && s.closedAt > s.dueAt,
		callbackReached: s.callbackReached,
		satisfaction: s.satisfaction,
		lastReply: s.detail.lastReply ?? null,
		reopenReason: s.detail.reopenReason ?? null,
		supervisionNote: s.detail.supervisionNote ?? null,
		callbacks: s.detail.callbacks ?? 0,
		createdBy: s.detail.createdBy ?? null,
		solved: s.detail.solved ?? null,
		ackBy: iso(s.detail.ackBy ?? null),
		acknowledgedAt: iso(s.detail.acknowledgedAt ?? null),
		ackOnTime: s.detail.ackOnTime ?? null,
		returns: s.detail.returns ?? 0,
		returnPending: s.detail.returnPending ? { departmentName: org.departments.get(s.detail.returnPending.departmentCode)?.name ?? s.detail.returnPending.departmentCode, reason: s.detail.returnPending.reason, at: iso(s.detail.returnPending.at)! } : null,
		extensionPending: s.detail.extensionPending ? { requestedDueAt: iso(s.detail.extensionPending.requestedDueAt)!, reason: s.detail.extensionPending.reason, at: iso(s.detail.extensionPending.at)! } : null,
		extensions: s.detail.extensions ?? 0,
		mergedInto: s.detail.mergedInto ?? null
	};
}

/** A timeline entry for the page: phones masked unless the viewer is an operator, department names. */
export function timelineView(e: TimelineEntry, org: OrgIndex, viewer: Pick<HotlineViewer, 'seesPhones'>) {
	const data = viewer.seesPhones ? e.data : maskEventData(e.type, e.data);
	const dept = typeof data.departmentCode === 'string' ? data.departmentCode : null;
	return {
		seq: e.seq,
		type: e.type,
		at: new Date(e.at).toISOString(),
		sender: e.sender,
		departmentName: dept ? (org.departments.get(dept)?.name ?? dept) : null,
		data
	};
}
