/**
 * Reference data (org): regions (市/县区/乡镇), centers (halls), departments (驻厅部门),
 * windows (窗口) and staff. Events name them by code. Pure: the index is built from rows.
 */
import { z } from 'zod';
import { formatIssue, refsOf, type HallEvent, type RefKind } from './catalog';
import { DEFAULT_TZ } from './time';

const code = z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a code of 1–64 characters A–Z a–z 0–9 . _ -');
const name = z.string().trim().min(1).max(200);

/** One source for the org item shapes: `PUT /api/v1/org` validation, types, CSV import and docs. */
export const orgSchemas = {
	regions: z.object({ code, name, parentCode: code.nullish(), level: z.enum(['province', 'city', 'county', 'town']).optional() }),
	centers: z.object({ code, name, regionCode: code, timezone: z.string().min(1).max(64).optional(), title: z.string().max(200).optional() }),
	departments: z.object({ code, name, centerCode: code.nullish(), shortName: z.string().max(50).optional() }),
	windows: z.object({ code, name, centerCode: code, departmentCode: code }),
	staff: z.object({ code, name, departmentCode: code, windowCode: code.nullish() })
} as const;

export type OrgKind = keyof typeof orgSchemas;
export const ORG_KINDS = Object.keys(orgSchemas) as OrgKind[];
export type Region = z.infer<typeof orgSchemas.regions>;
export type Center = z.infer<typeof orgSchemas.centers>;
export type Department = z.infer<typeof orgSchemas.departments>;
export type Window = z.infer<typeof orgSchemas.windows>;
export type Staff = z.infer<typeof orgSchemas.staff>;

export interface OrgData {
	regions: Region[];
	centers: Center[];
	departments: Department[];
	windows: Window[];
	staff: Staff[];
}

const REF_TABLE: Record<RefKind, OrgKind> = {
	center: 'centers',
	region: 'regions',
	department: 'departments',
	window: 'windows',
	staff: 'staff'
};

const REF_NOUN: Record<RefKind, string> = { center: 'center', region: 'region', department: 'department', window: 'window', staff: 'staff member' };

/**
 * Where an event belongs. `home` is the scope its counters accrue to: its center, or, for
 * events that name no center (a hotline ticket, a region's indicator), its region, or `''`.
 */
export interface EventPlace {
	centerCode: string | null;
	regionCode: string | null;
	departmentCode: string | null;
	windowCode: string | null;
	staffCode: string | null;
}

interface ByPlace {
	windows: Map<string, Window[]>;
	departments: Map<string, Department[]>;
	staff: Map<string, Staff[]>;
	centersIn: Map<string, Center[]>;
	children: Map<string, Region[]>;
	roots: Region[];
	noCenterDepartments: Department[];
}

export class OrgIndex {
	readonly regions = new Map<string, Region>();
	readonly centers = new Map<string, Center>();
	readonly departments = new Map<string, Department>();
	readonly windows = new Map<string, Window>();
	readonly staff = new Map<string, Staff>();
	/** region code → all region codes in its subtree (itself included). */
	private subtreeCache = new Map<string, Set<string>>();
	/** Per center and per region, built once per load (what a scope's figures walk instead of the whole org). */
	private byPlace: ByPlace | null = null;

	constructor(data?: Partial<OrgData>) {
		if (data) this.load(data);
	}

	load(data: Partial<OrgData>): void {
		for (const r of data.regions ?? []) this.regions.set(r.code, r);
		for (const c of data.centers ?? []) this.centers.set(c.code, c);
		for (const d of data.departments ?? []) this.departments.set(d.code, d);
		for (const w of data.windows ?? []) this.windows.set(w.code, w);
		for (const s of data.staff ?? []) this.staff.set(s.code, s);
		this.subtreeCache.clear();
		this.byPlace = null;
	}

	private index(): ByPlace {
		if (this.byPlace) return this.byPlace;
		const ix: ByPlace = { windows: new Map(), departments: new Map(), staff: new Map(), centersIn: new Map(), children: new Map(), roots: [], noCenterDepartments: [] };
		const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
			const l = m.get(k);
			if (l) l.push(v);
			else m.set(k, [v]);
		};
		for (const w of this.windows.values()) push(ix.windows, w.centerCode, w);
		for (const d of this.departments.values()) (d.centerCode ? push(ix.departments, d.centerCode, d) : ix.noCenterDepartments.push(d));
		for (const s of this.staff.values()) {
			const center = (s.windowCode ? this.windows.get(s.windowCode)?.centerCode : undefined) ?? this.departments.get(s.departmentCode)?.centerCode;
			if (center) push(ix.staff, center, s);
		}
		for (const c of this.centers.values()) push(ix.centersIn, c.regionCode, c);
		for (const r of this.regions.values()) (r.parentCode && this.regions.has(r.parentCode) ? push(ix.children, r.parentCode, r) : ix.roots.push(r));
		return (this.byPlace = ix);
	}

	/** A center's windows, departments and staff (org order). */
	windowsOf(centerCode: string): readonly Window[] {
		return this.index().windows.get(centerCode) ?? [];
	}
	departmentsOf(centerCode: string): readonly Department[] {
		return this.index().departments.get(centerCode) ?? [];
	}
	staffOf(centerCode: string): readonly Staff[] {
		return this.index().staff.get(centerCode) ?? [];
	}
	/** Departments that work in no center (a city's bureaus outside the hall). */
	departmentsOfNoCenter(): readonly Department[] {
		return this.index().noCenterDepartments;
	}
	/** The centers directly in a region (not those of the regions below it). */
	centersIn(regionCode: string): readonly Center[] {
		return this.index().centersIn.get(regionCode) ?? [];
	}
	/** The regions directly below a region. */
	childrenOf(regionCode: string): readonly Region[] {
		return this.index().children.get(regionCode) ?? [];
	}
	/** Regions with no parent (or an unknown one). */
	rootRegions(): readonly Region[] {
		return this.index().roots;
	}

	has(kind: RefKind, code: string): boolean {
		return this.table(kind).has(code);
	}

	private table(kind: RefKind): Map<string, unknown> {
		return this[REF_TABLE[kind]] as Map<string, unknown>;
	}

	timezoneOf(centerCode: string | null): string {
		return (centerCode && this.centers.get(centerCode)?.timezone) || DEFAULT_TZ;
	}

	/** All region codes under `code`, itself included. */
	subtree(code: string): Set<string> {
		let s = this.subtreeCache.get(code);
		if (!s) {
			s = new Set([code]);
			let grew = true;
			while (grew) {
				grew = false;
				for (const r of this.regions.values())
					if (r.parentCode && s.has(r.parentCode) && !s.has(r.code)) {
						s.add(r.code);
						grew = true;
					}
			}
			this.subtreeCache.set(code, s);
		}
		return s;
	}

	/**
	 * Check every org code an event names. Returns the first problem as
	 * `data.windowCode: unknown window "A99" in center "PJ-001"`, or null.
	 */
	checkRefs(event: HallEvent): string | null {
		const data = event.data as Record<string, unknown>;
		const refs = refsOf(event.type);
		const center = typeof data.centerCode === 'string' ? data.centerCode : null;
		for (const [field, kind] of Object.entries(refs)) {
			const v = data[field];
			if (typeof v !== 'string' || !kind) continue;
			if (!this.has(kind, v)) {
				const inCenter = center && kind !== 'center' && kind !== 'region' && this.centers.has(center) ? ` in center "${center}"` : '';
				return `data.${field}: unknown ${REF_NOUN[kind]} "${v}"${inCenter}`;
			}
			if (kind === 'window' && center && this.windows.get(v)!.centerCode !== center)
				return `data.${field}: window "${v}" belongs to center "${this.windows.get(v)!.centerCode}", not "${center}"`;
		}
		if (event.type === 'card.issued') {
			const t = event.data.target;
			if (!this.has(t.kind, t.code)) return `data.target.code: unknown ${REF_NOUN[t.kind]} "${t.code}"`;
		}
		return null;
	}

	/** Resolve the center/region/department/window/staff an event concerns, from its own fields and the org. */
	place(event: HallEvent): EventPlace {
		const d = event.data as Record<string, unknown>;
		const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
		let staffCode = str('staffCode');
		let windowCode = str('windowCode');
		let departmentCode = str('departmentCode');
		let centerCode = str('centerCode');
		let regionCode = str('regionCode');
		if (event.type === 'card.issued') {
			const t = event.data.target;
			if (t.kind === 'staff') staffCode = t.code;
			else if (t.kind === 'window') windowCode = t.code;
			else departmentCode = t.code;
		}
		const staff = staffCode ? this.staff.get(staffCode) : undefined;
		if (staff) {
			windowCode ??= staff.windowCode ?? null;
			departmentCode ??= staff.departmentCode;
		}
		const win = windowCode ? this.windows.get(windowCode) : undefined;
		if (win) {
			centerCode ??= win.centerCode;
			departmentCode ??= win.departmentCode;
		}
		if (!centerCode && departmentCode) centerCode = this.departments.get(departmentCode)?.centerCode ?? null;
		if (!regionCode && centerCode) regionCode = this.centers.get(centerCode)?.regionCode ?? null;
		return { centerCode, regionCode, departmentCode, windowCode, staffCode };
	}
}

/** Parse a `PUT /api/v1/org` body item by item; errors name the list, the index and the field. */
export function parseOrgBody(body: unknown): { data: OrgData; errors: string[]; indexes: Record<OrgKind, number[]> } {
	const data: OrgData = { regions: [], centers: [], departments: [], windows: [], staff: [] };
	const errors: string[] = [];
	/** `indexes[kind][j]`: where `data[kind][j]` was in the request body (items that failed to parse leave gaps). */
	const indexes: Record<OrgKind, number[]> = { regions: [], centers: [], departments: [], windows: [], staff: [] };
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		errors.push('body: expected an object with regions, centers, departments, windows and/or staff lists');
		return { data, errors, indexes };
	}
	const b = body as Record<string, unknown>;
	for (const k of Object.keys(b)) if (!ORG_KINDS.includes(k as OrgKind)) errors.push(`${k}: unknown list (expected one of ${ORG_KINDS.join(', ')})`);
	for (const kind of ORG_KINDS) {
		const list = b[kind];
		if (list === undefined) continue;
		if (!Array.isArray(list)) {
			errors.push(`${kind}: expected a list`);
			continue;
		}
		list.forEach((item, i) => {
			const r = orgSchemas[kind].safeParse(item);
			if (!r.success) {
				// Same sentences as event errors: `windows[3].centerCode: expected string, found number 7`.
				const iss = r.error.issues[0];
				errors.push(formatIssue(iss, item, iss.path.length ? `${kind}[${i}].` : `${kind}[${i}]`));
			} else {
				(data[kind] as unknown[]).push(r.data);
				indexes[kind].push(i);
			}
		});
	}
	return { data, errors, indexes };
}

/** Check that every code an org body references exists in the body or in the existing index. */
export function checkOrgRefs(data: OrgData, existing: OrgIndex): string[] {
	return orgRefProblems(data, existing).map((p) => p.message);
}

export interface OrgProblem {
	kind: OrgKind;
	index: number;
	message: string;
}

/** Like checkOrgRefs, with the list and index of each offending item (to drop it and keep the rest). */
export function orgRefProblems(data: OrgData, existing: OrgIndex): OrgProblem[] {
	const merged = new OrgIndex();
	merged.load({
		regions: [...existing.regions.values(), ...data.regions],
		centers: [...existing.centers.values(), ...data.centers],
		departments: [...existing.departments.values(), ...data.departments],
		windows: [...existing.windows.values(), ...data.windows],
		staff: [...existing.staff.values(), ...data.staff]
	});
	const problems: OrgProblem[] = [];
	const need = (ok: boolean, kind: OrgKind, index: number, message: string) => ok || problems.push({ kind, index, message });
	data.regions.forEach((r, i) => r.parentCode && need(merged.regions.has(r.parentCode), 'regions', i, `regions[${i}].parentCode: unknown region "${r.parentCode}"`));
	data.centers.forEach((c, i) => {
		need(merged.regions.has(c.regionCode), 'centers', i, `centers[${i}].regionCode: unknown region "${c.regionCode}"`);
		if (c.timezone) {
			try {
				new Intl.DateTimeFormat('en', { timeZone: c.timezone });
			} catch {
				problems.push({ kind: 'centers', index: i, message: `centers[${i}].timezone: unknown time zone "${c.timezone}"` });
			}
		}
	});
	data.departments.forEach(
		(d, i) => d.centerCode && need(merged.centers.has(d.centerCode), 'departments', i, `departments[${i}].centerCode: unknown center "${d.centerCode}"`)
	);
	data.windows.forEach((w, i) => {
		need(merged.centers.has(w.centerCode), 'windows', i, `windows[${i}].centerCode: unknown center "${w.centerCode}"`);
		need(merged.departments.has(w.departmentCode), 'windows', i, `windows[${i}].departmentCode: unknown department "${w.departmentCode}"`);
	});
	data.staff.forEach((s, i) => {
		need(merged.departments.has(s.departmentCode), 'staff', i, `staff[${i}].departmentCode: unknown department "${s.departmentCode}"`);
		if (s.windowCode) need(merged.windows.has(s.windowCode), 'staff', i, `staff[${i}].windowCode: unknown window "${s.windowCode}"`);
	});
	return problems;
}
