/**
 * 红黄牌 on the supervision workbench: this month's cards of a center (or all) as rows with
 * names, filtered and searched, and the month's tallies by department and by staff member.
 * Revoked cards are listed (marked) but never counted. Pure; reads the live state's cards.
 */
import type { OrgIndex } from './org';
import type { LiveState } from './projection';
import { monthKey } from './time';

export interface CardRow {
	cardId: string;
	color: 'yellow' | 'red';
	at: number;
	targetKind: 'staff' | 'window' | 'department';
	targetCode: string;
	targetName: string;
	departmentCode: string | null;
	departmentName: string | null;
	centerCode: string | null;
	reason: string;
	rule: string | null;
	/** The issuer's explanation (说明), or null. */
	note: string | null;
	revoked: boolean;
	/** Why it was revoked, or null. */
	revokeReason: string | null;
}

export interface CardFilter {
	month: string;
	centerCode?: string | null;
	color?: 'yellow' | 'red' | null;
	departmentCode?: string | null;
	/** by hand or by rule */
	source?: 'hand' | 'rule' | null;
	/** Matches target name or code, department name, reason, rule or note. */
	q?: string | null;
	includeRevoked?: boolean;
}

/** A card's target as people call it: the staff member's, window's or department's name (its code when unknown). */
export function cardTargetName(org: OrgIndex, kind: string | undefined, code: string | undefined): string {
	if (!kind || !code) return '';
	if (kind === 'staff') return org.staff.get(code)?.name ?? code;
	if (kind === 'window') return org.windows.get(code)?.name ?? code;
	return org.departments.get(code)?.name ?? code;
}

export function cardRows(state: LiveState, org: OrgIndex, f: CardFilter, tz: string): CardRow[] {
	const q = f.q?.trim().toLowerCase() || null;
	const out: CardRow[] = [];
	for (const [cardId, c] of state.cards) {
		if (c.at == null || !c.targetKind || !c.targetCode) continue;
		if (monthKey(c.at, tz) !== f.month) continue;
		if (f.centerCode && c.place.centerCode !== f.centerCode) continue;
		if (f.color && c.color !== f.color) continue;
		if (f.departmentCode && c.place.departmentCode !== f.departmentCode) continue;
		if (f.source === 'hand' && c.rule) continue;
		if (f.source === 'rule' && !c.rule) continue;
		if (!f.includeRevoked && c.revoked) continue;
		const targetName = cardTargetName(org, c.targetKind, c.targetCode);
		const departmentCode = c.place.departmentCode ?? null;
		const row: CardRow = {
			cardId,
			color: c.color,
			at: c.at,
			targetKind: c.targetKind,
			targetCode: c.targetCode,
			targetName,
			departmentCode,
			departmentName: departmentCode ? (org.departments.get(departmentCode)?.name ?? departmentCode) : null,
			centerCode: c.place.centerCode ?? null,
			reason: c.reason ?? 'other',
			rule: c.rule ?? null,
			note: c.note ?? null,
			revoked: c.revoked,
			revokeReason: c.revokeReason ?? null
		};
		if (q && ![row.targetName, row.targetCode, row.departmentName ?? '', row.reason, row.rule ?? '', row.note ?? '', row.cardId].some((s) => s.toLowerCase().includes(q))) continue;
		out.push(row);
	}
	return out.sort((a, b) => b.at - a.at || a.cardId.localeCompare(b.cardId));
}

export interface Tally {
	code: string;
	name: string;
	yellow: number;
	red: number;
}

/** The month's counts by department and by staff member (revoked cards not counted), most first. */
export function cardTallies(rows: CardRow[]): { byDepartment: Tally[]; byStaff: Tally[] } {
	const add = (m: Map<string, Tally>, code: string, name: string, color: 'yellow' | 'red') => {
		const t = m.get(code) ?? { code, name, yellow: 0, red: 0 };
		t[color]++;
		m.set(code, t);
	};
	const dept = new Map<string, Tally>();
	const staff = new Map<string, Tally>();
	for (const r of rows) {
		if (r.revoked) continue;
		if (r.departmentCode) add(dept, r.departmentCode, r.departmentName ?? r.departmentCode, r.color);
		if (r.targetKind === 'staff') add(staff, r.targetCode, r.targetName, r.color);
	}
	const order = (a: Tally, b: Tally) => b.red - a.red || b.yellow - a.yellow || a.code.localeCompare(b.code);
	return { byDepartment: [...dept.values()].sort(order), byStaff: [...staff.values()].sort(order) };
}
