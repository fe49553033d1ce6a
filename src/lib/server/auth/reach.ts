/**
 * What a viewer may reach: the one place that decides whether an entity a request names (a
 * center, region, department, window, staff member, card, evidence file, hotline ticket, round,
 * case) lies inside the viewer's scope. Services call it for every read and every action that
 * names one; routes never decide scope themselves.
 *
 * The rule is the wall's: an item belongs to its *home* (its center, else its region, else the
 * deployment, see `homeOf`), and a scope reaches the homes `homesOf` lists for it — a center's
 * own items and the items of its region's subtree that belong to no center; a region's centers
 * and regions; everything for `all`. A department, window or staff member is placed by the
 * center it works in (a department of no center belongs to the deployment).
 *
 * Outside the scope answers as *unknown* (404), never "forbidden": a supervisor of center B
 * learns nothing about what exists in center A.
 */
import type { Center, EventPlace, OrgIndex } from '../../domain/org';
import { homeKey, homeKeyOf, parseHomeKey } from '../../domain/keys';
import { homesOf, type Scope } from '../../domain/snapshot';
import { UserError } from '../user-error';

export type EntityKind = 'center' | 'region' | 'department' | 'window' | 'staff';

const NOUN: Record<EntityKind, { en: string; zh: string }> = {
	center: { en: 'center', zh: '中心' },
	region: { en: 'region', zh: '地区' },
	department: { en: 'department', zh: '部门' },
	window: { en: 'window', zh: '窗口' },
	staff: { en: 'staff member', zh: '人员' }
};

/** An entity outside the viewer's scope (or not there at all): answered as not found (404). */
export class NotInScope extends UserError {
	readonly status = 404;
	constructor(field: string, message: string, zh: string) {
		super(message, field, zh);
	}
}

const cache = new WeakMap<OrgIndex, Map<string, Reach>>();

export class Reach {
	/** Home keys (`center|X`, `region|R`, `all|`) this scope reaches; null = everything. */
	private readonly homes: Set<string> | null;
	/** Region codes this scope may open as a scope of its own (a region's wall, report). */
	private readonly regionScopes: Set<string> | null;

	private constructor(
		readonly scope: Scope,
		private readonly org: OrgIndex
	) {
		if (scope.kind === 'all') {
			this.homes = null;
			this.regionScopes = null;
		} else {
			this.homes = new Set(homesOf(scope, org).map((h) => homeKey(h.kind, h.code)));
			this.regionScopes = scope.kind === 'region' ? org.subtree(scope.code) : new Set();
		}
	}

	/** The reach of a scope in this org (one per org index and scope: the org's reload makes new ones). */
	static of(scope: Scope, org: OrgIndex): Reach {
		let byScope = cache.get(org);
		if (!byScope) cache.set(org, (byScope = new Map()));
		const key = scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.code}`;
		let r = byScope.get(key);
		if (!r) byScope.set(key, (r = new Reach(scope, org)));
		return r;
	}

	get everything(): boolean {
		return this.homes === null;
	}

	/** An item placed here (an event's place, a card's target, a ticket's center and region). */
	place(p: Pick<EventPlace, 'centerCode' | 'regionCode'>): boolean {
		if (!this.homes) return true;
		return this.homes.has(homeKeyOf({ centerCode: p.centerCode, regionCode: p.regionCode, departmentCode: null, windowCode: null, staffCode: null }));
	}

	/** The center an org entity works in (`null`: a department of no center, so the deployment's). */
	centerOf(kind: Exclude<EntityKind, 'region'>, code: string): string | null | undefined {
		const org = this.org;
		switch (kind) {
			case 'center':
				return org.centers.has(code) ? code : undefined;
			case 'window':
				return org.windows.get(code)?.centerCode;
			case 'department': {
				const d = org.departments.get(code);
				return d ? (d.centerCode ?? null) : undefined;
			}
			case 'staff': {
				const s = org.staff.get(code);
				if (!s) return undefined;
				const viaWindow = s.windowCode ? org.windows.get(s.windowCode)?.centerCode : undefined;
				return viaWindow ?? org.departments.get(s.departmentCode)?.centerCode ?? null;
			}
		}
	}

	/** Is this org entity known and inside the scope? */
	has(kind: EntityKind, code: string): boolean {
		if (kind === 'region') return this.org.regions.has(code) && (this.regionScopes === null || this.regionScopes.has(code));
		const center = this.centerOf(kind, code);
		if (center === undefined) return false;
		if (center === null) return this.homes === null;
		return this.place({ centerCode: center, regionCode: null });
	}

	/** Throw `NotInScope` unless the entity is known and inside the scope. `field` names the form field. */
	require(kind: EntityKind, code: string, field: string = `${kind}Code`): void {
		if (!this.has(kind, code)) {
			const n = NOUN[kind];
			throw new NotInScope(field, `${field}: unknown ${n.en} "${code}"`, `${n.zh}不存在：“${code}”`);
		}
	}

	/** May this scope open a center's or region's own view (wall, snapshot, stream, report)? */
	canView(scope: Scope): boolean {
		if (this.homes === null) return true;
		if (scope.kind === 'all') return false;
		if (scope.kind === 'region') return this.regionScopes!.has(scope.code);
		return this.has('center', scope.code);
	}

	/** The centers inside the scope, in org order. */
	centers(): Center[] {
		return [...this.org.centers.values()].filter((c) => this.has('center', c.code));
	}

	/** The same rule for a database query over placed rows (null: everything). */
	homeLists(): HomeLists | null {
		if (!this.homes) return null;
		const centers: string[] = [];
		const regions: string[] = [];
		for (const key of this.homes) {
			const { kind, code } = parseHomeKey(key);
			if (kind === 'center') centers.push(code);
			else if (kind === 'region') regions.push(code);
		}
		return { centers, regions };
	}

	/** Org entities of `kind` inside the scope (names for pickers; never the whole deployment's). */
	filter<T extends { code: string }>(kind: Exclude<EntityKind, 'region'>, items: Iterable<T>): T[] {
		const out: T[] = [];
		for (const x of items) if (this.has(kind, x.code)) out.push(x);
		return out;
	}
}

export interface HomeLists {
	/** Items of these centers… */
	centers: string[];
	/** …and items of no center placed in these regions. */
	regions: string[];
}

/** Who acts: the signed-in user's name (the log's sender `user:NAME`) and what they reach. */
export interface Actor {
	username: string;
	reach: Reach;
}

/** The actor a signed-in user is, in the org as it stands. */
export function actorOf(user: { username: string; scope: Scope }, org: OrgIndex): Actor {
	return { username: user.username, reach: Reach.of(user.scope, org) };
}
