/**
 * Test helpers for the domain unit tests (*.test.ts beside this file). Not used by the app.
 *
 * The org: region CITY (盘锦市) with two child regions XLT and SHQ, plus an unrelated root
 * region OTHER; center PJ-001 in XLT and PJ-002 in SHQ; departments GSJ and SWJ in PJ-001,
 * GAJ in PJ-002; windows W01 (PJ-001/GSJ), W02 (PJ-001/SWJ), W03 and W04 (PJ-002/GAJ);
 * staff S001@W01, S002@W02, S003@W03, S004 (GAJ, no window).
 */
import { parseEvent, type HallEvent } from './catalog';
import { OrgIndex, type OrgData } from './org';
import { apply, createState, dueDerivedEvents, type DerivedEvent, type LiveState, type PlacedEvent } from './projection';

export const ORG: OrgData = {
	regions: [
		{ code: 'CITY', name: '盘锦市', level: 'city' },
		{ code: 'XLT', name: '兴隆台区', parentCode: 'CITY', level: 'county' },
		{ code: 'SHQ', name: '双台子区', parentCode: 'CITY', level: 'county' },
		{ code: 'OTHER', name: '外市', level: 'city' }
	],
	centers: [
		{ code: 'PJ-001', name: '兴隆台区政务服务中心', regionCode: 'XLT' },
		{ code: 'PJ-002', name: '双台子区政务服务中心', regionCode: 'SHQ' }
	],
	departments: [
		{ code: 'GSJ', name: '市场监管局', centerCode: 'PJ-001' },
		{ code: 'SWJ', name: '税务局', centerCode: 'PJ-001' },
		{ code: 'GAJ', name: '公安局', centerCode: 'PJ-002' }
	],
	windows: [
		{ code: 'W01', name: '1号窗口', centerCode: 'PJ-001', departmentCode: 'GSJ' },
		{ code: 'W02', name: '2号窗口', centerCode: 'PJ-001', departmentCode: 'SWJ' },
		{ code: 'W03', name: '3号窗口', centerCode: 'PJ-002', departmentCode: 'GAJ' },
		{ code: 'W04', name: '4号窗口', centerCode: 'PJ-002', departmentCode: 'GAJ' }
	],
	staff: [
		{ code: 'S001', name: '张三', departmentCode: 'GSJ', windowCode: 'W01' },
		{ code: 'S002', name: '李四', departmentCode: 'SWJ', windowCode: 'W02' },
		{ code: 'S003', name: '王五', departmentCode: 'GAJ', windowCode: 'W03' },
		{ code: 'S004', name: '赵六', departmentCode: 'GAJ' }
	]
};

export const makeOrg = () => new OrgIndex(structuredClone(ORG));

/** Epoch ms of an RFC 3339 time. */
export const ms = (iso: string) => Date.parse(iso);

/**
 * Feeds events into a fresh state the way the server does: validate (allowing system types),
 * check the org refs, resolve the place, assign the next seq, apply.
 */
export class Feed {
	readonly org: OrgIndex;
	readonly state: LiveState;
	seq = 0;
	private n = 0;

	constructor(org: OrgIndex = makeOrg(), state: LiveState = createState()) {
		this.org = org;
		this.state = state;
	}

	/** Build a PlacedEvent without applying it. */
	placed(type: string, occurredAt: string, data: Record<string, unknown>, id = `t-${++this.n}`): PlacedEvent {
		const r = parseEvent({ id, type, occurredAt, data }, { now: Date.parse('2100-01-01T00:00:00Z'), allowSystem: true });
		if (!r.ok) throw new Error(`test event ${type} is invalid: ${r.error}`);
		const bad = this.org.checkRefs(r.event);
		if (bad) throw new Error(`test event ${type} names unknown org: ${bad}`);
		return { ...(r.event as HallEvent), seq: ++this.seq, sender: 't', at: Date.parse(r.event.occurredAt), place: this.org.place(r.event) } as PlacedEvent;
	}

	/** Build and apply one event. */
	ev(type: string, occurredAt: string, data: Record<string, unknown>, id?: string): PlacedEvent {
		const e = this.placed(type, occurredAt, data, id);
		apply(this.state, e);
		return e;
	}

	/** Apply derived events (as the deriver would store them). */
	applyDerived(events: DerivedEvent[]): void {
		for (const d of events) this.ev(d.type, d.occurredAt, d.data, d.id);
	}

	/** Derive what is due at `now` and apply it; returns what was derived. */
	derive(now: number): DerivedEvent[] {
		const out = dueDerivedEvents(this.state, now);
		this.applyDerived(out);
		return out;
	}
}
