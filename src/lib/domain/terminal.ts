/**
 * 窗口终端: what one staff member's window PC shows, computed from the live state (pure), and
 * which waiting ticket the window calls next. Cost: the staff member's checks and cards, and
 * one pass over today's open tickets of their center when calling.
 */
import type { OrgIndex } from './org';
import { bucketKey, ticketKeyPrefix } from './keys';
import type { LiveState, WindowState } from './projection';
import { dayKey, monthKey } from './time';

export interface TerminalCheck {
	checkId: string;
	issuedAt: number;
	deadline: number;
	confirmedAt: number | null;
	missed: boolean;
}

export interface TerminalCard {
	cardId: string;
	color: 'yellow' | 'red';
	reason: string | null;
	rule: string | null;
	at: number | null;
	/** The issuer's explanation (说明), or null. */
	note: string | null;
	revoked: boolean;
	revokeReason: string | null;
	target: 'staff' | 'window' | 'department';
}

export interface TerminalView {
	staffCode: string;
	staffName: string;
	departmentCode: string;
	departmentName: string;
	windowCode: string | null;
	windowName: string | null;
	centerCode: string | null;
	/** The center's time zone: the terminal shows its times in it. */
	timezone: string;
	onDuty: boolean;
	window: Pick<WindowState, 'status' | 'reason' | 'ticketNo' | 'ticketState' | 'ticketSince'> | null;
	/** Today at this window: tickets called, services completed, no-shows. */
	today: { called: number; completed: number; noShows: number };
	/** People waiting now for this window's department (its center's tickets of today). */
	waiting: number;
	/** Checks not yet answered and still in time: the full-screen prompt. */
	openChecks: TerminalCheck[];
	/** Today's checks, newest first (answered, missed, open). */
	checksToday: TerminalCheck[];
	/** This month's cards to this staff member or this window, newest first. */
	cards: TerminalCard[];
}

export function terminalView(state: LiveState, org: OrgIndex, staffCode: string, now: number, tz: string): TerminalView | null {
	const staff = org.staff.get(staffCode);
	if (!staff) return null;
	const win = staff.windowCode ? org.windows.get(staff.windowCode) : undefined;
	const day = dayKey(now, tz);
	const month = monthKey(now, tz);
	const ws = win ? state.windows.get(win.code) : undefined;
	const counters = win ? state.buckets.get(bucketKey('window', win.code, day)) : undefined;

	const checksToday: TerminalCheck[] = [];
	for (const [checkId, c] of state.checks) {
		if (c.staffCode !== staffCode || c.day !== day) continue;
		checksToday.push({ checkId, issuedAt: c.issuedAt, deadline: c.deadline, confirmedAt: c.confirmedAt, missed: c.missed || (c.confirmedAt == null && now > c.deadline) });
	}
	checksToday.sort((a, b) => b.issuedAt - a.issuedAt);

	const cards: TerminalCard[] = [];
	for (const [cardId, c] of state.cards) {
		const mine = (c.targetKind === 'staff' && c.targetCode === staffCode) || (c.targetKind === 'window' && win && c.targetCode === win.code);
		if (!mine || c.at == null || monthKey(c.at, tz) !== month) continue;
		cards.push({ cardId, color: c.color, reason: c.reason ?? null, rule: c.rule ?? null, at: c.at ?? null, note: c.note ?? null, revoked: c.revoked, revokeReason: c.revokeReason ?? null, target: c.targetKind! });
	}
	cards.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));

	return {
		staffCode,
		staffName: staff.name,
		departmentCode: staff.departmentCode,
		departmentName: org.departments.get(staff.departmentCode)?.name ?? staff.departmentCode,
		windowCode: win?.code ?? null,
		windowName: win?.name ?? null,
		centerCode: win?.centerCode ?? null,
		timezone: tz,
		onDuty: state.onDuty.get(staffCode) ?? false,
		window: ws ? { status: ws.status, reason: ws.reason, ticketNo: ws.ticketNo, ticketState: ws.ticketState, ticketSince: ws.ticketSince } : null,
		today: { called: counters?.ticketsCalled ?? 0, completed: counters?.servicesCompleted ?? 0, noShows: counters?.noShows ?? 0 },
		waiting: win ? waitingTickets(state, win.centerCode, win.departmentCode, day).length : 0,
		openChecks: checksToday.filter((c) => c.confirmedAt == null && !c.missed && c.deadline >= now),
		checksToday,
		cards
	};
}

/** Today's waiting tickets of a center for a department (or with no department), oldest first. */
export function waitingTickets(state: LiveState, centerCode: string, departmentCode: string | null, day: string): Array<{ ticketNo: string; issuedAt: number }> {
	const out: Array<{ ticketNo: string; issuedAt: number }> = [];
	const prefix = ticketKeyPrefix(centerCode);
	for (const [key, t] of state.tickets) {
		if (t.state !== 'waiting' || t.day !== day || !key.startsWith(prefix)) continue;
		if (departmentCode && t.departmentCode && t.departmentCode !== departmentCode) continue;
		out.push({ ticketNo: key.slice(prefix.length), issuedAt: t.issuedAt });
	}
	return out.sort((a, b) => a.issuedAt - b.issuedAt || a.ticketNo.localeCompare(b.ticketNo));
}

/** The ticket a window calls next: the longest-waiting one for its department. */
export function nextTicket(state: LiveState, centerCode: string, departmentCode: string | null, day: string): string | null {
	return waitingTickets(state, centerCode, departmentCode, day)[0]?.ticketNo ?? null;
}
