import { describe, it, expect } from 'vitest';
import { parseEvent, type HallEvent } from './catalog';
import { checkOrgRefs, OrgIndex, parseOrgBody, type OrgData } from './org';
import { makeOrg } from './testkit';

function event(type: string, data: Record<string, unknown>): HallEvent {
	const r = parseEvent({ id: 'e1', type, occurredAt: '2026-11-22T09:15:02+08:00', data }, { now: Date.parse('2026-11-22T10:00:00+08:00'), allowSystem: true });
	if (!r.ok) throw new Error(r.error);
	return r.event;
}

const emptyBody = (): OrgData => ({ regions: [], centers: [], departments: [], windows: [], staff: [] });

describe('OrgIndex.checkRefs', () => {
	const org = makeOrg();

	it('accepts events whose codes all exist', () => {
		expect(org.checkRefs(event('queue.ticket_called', { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'W01', staffCode: 'S001' }))).toBeNull();
		expect(org.checkRefs(event('queue.ticket_issued', { centerCode: 'PJ-002', ticketNo: 'B001', departmentCode: 'GAJ' }))).toBeNull();
		expect(org.checkRefs(event('hotline.ticket_closed', { ticketId: 'RX-1' }))).toBeNull();
		expect(org.checkRefs(event('indicator.reported', { regionCode: 'OTHER', period: '2026-10', indicator: 'one_door_rate', value: 50 }))).toBeNull();
	});

	it('unknown window: `data.windowCode: unknown window "A99" in center "PJ-001"`', () => {
		expect(org.checkRefs(event('queue.ticket_called', { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'A99' }))).toBe(
			'data.windowCode: unknown window "A99" in center "PJ-001"'
		);
	});

	it('unknown codes without a center say so without "in center"', () => {
		expect(org.checkRefs(event('window.status_changed', { windowCode: 'A99', status: 'open' }))).toBe('data.windowCode: unknown window "A99"');
		expect(org.checkRefs(event('attendance.clock_in', { staffCode: 'S999', method: 'face' }))).toBe('data.staffCode: unknown staff member "S999"');
		expect(org.checkRefs(event('indicator.reported', { regionCode: 'NOPE', period: '2026-10', indicator: 'one_door_rate', value: 1 }))).toBe(
			'data.regionCode: unknown region "NOPE"'
		);
		expect(org.checkRefs(event('hotline.ticket_assigned', { ticketId: 'RX-1', departmentCode: 'ZJJ', dueAt: '2026-11-27T17:00:00+08:00' }))).toBe(
			'data.departmentCode: unknown department "ZJJ"'
		);
	});

	it('unknown center is named (and no "in center" for the center itself)', () => {
		expect(org.checkRefs(event('queue.ticket_called', { centerCode: 'PJ-009', ticketNo: 'A023', windowCode: 'W01' }))).toBe('data.centerCode: unknown center "PJ-009"');
	});

	it('unknown staff in a known center mentions the center', () => {
		expect(org.checkRefs(event('queue.service_started', { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'W01', staffCode: 'S999' }))).toBe(
			'data.staffCode: unknown staff member "S999" in center "PJ-001"'
		);
	});

	it('a window of another center is rejected', () => {
		expect(org.checkRefs(event('queue.ticket_called', { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'W03' }))).toBe(
			'data.windowCode: window "W03" belongs to center "PJ-002", not "PJ-001"'
		);
	});

	it('card target must exist, per kind', () => {
		const card = (kind: string, code: string) =>
			event('card.issued', { cardId: 'card-1', color: 'yellow', target: { kind, code }, reason: 'absent' });
		expect(org.checkRefs(card('staff', 'S001'))).toBeNull();
		expect(org.checkRefs(card('window', 'W04'))).toBeNull();
		expect(org.checkRefs(card('department', 'GAJ'))).toBeNull();
		expect(org.checkRefs(card('staff', 'S999'))).toBe('data.target.code: unknown staff member "S999"');
		expect(org.checkRefs(card('window', 'A99'))).toBe('data.target.code: unknown window "A99"');
		expect(org.checkRefs(card('department', 'ZJJ'))).toBe('data.target.code: unknown department "ZJJ"');
		// A code that exists as another kind is still unknown for this kind.
		expect(org.checkRefs(card('window', 'S001'))).toBe('data.target.code: unknown window "S001"');
	});

	it('a code added later makes the same event pass (quarantine replay)', () => {
		const o = makeOrg();
		const e = event('queue.ticket_called', { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'A99' });
		expect(o.checkRefs(e)).not.toBeNull();
		o.load({ windows: [{ code: 'A99', name: '99号窗口', centerCode: 'PJ-001', departmentCode: 'GSJ' }] });
		expect(o.checkRefs(e)).toBeNull();
	});
});

describe('OrgIndex.place', () => {
	const org = makeOrg();

	it('staff → window → center → region, and department', () => {
		expect(org.place(event('presence.check_issued', { checkId: 'c1', staffCode: 'S001', respondWithinSec: 60 }))).toEqual({
			centerCode: 'PJ-001',
			regionCode: 'XLT',
			departmentCode: 'GSJ',
			windowCode: 'W01',
			staffCode: 'S001'
		});
	});

	it('staff without a window: department → center → region', () => {
		expect(org.place(event('attendance.clock_in', { staffCode: 'S004', method: 'face' }))).toEqual({
			centerCode: 'PJ-002',
			regionCode: 'SHQ',
			departmentCode: 'GAJ',
			windowCode: null,
			staffCode: 'S004'
		});
	});

	it('window → center, department, region', () => {
		expect(org.place(event('window.status_changed', { windowCode: 'W02', status: 'open' }))).toEqual({
			centerCode: 'PJ-001',
			regionCode: 'XLT',
			departmentCode: 'SWJ',
			windowCode: 'W02',
			staffCode: null
		});
	});

	it('the event’s own fields win over what the org would infer', () => {
		// S002 sits at W02 (SWJ) but this check names W01.
		expect(org.place(event('presence.check_issued', { checkId: 'c1', staffCode: 'S002', windowCode: 'W01', respondWithinSec: 60 }))).toEqual({
			centerCode: 'PJ-001',
			regionCode: 'XLT',
			departmentCode: 'SWJ',
			windowCode: 'W01',
			staffCode: 'S002'
		});
	});

	it('department → center; an explicit region is kept', () => {
		expect(
			org.place(event('case.accepted', { caseId: 'C1', departmentCode: 'GAJ', itemName: '户籍', immediate: true, online: false, promisedDays: 0 }))
		).toEqual({ centerCode: 'PJ-002', regionCode: 'SHQ', departmentCode: 'GAJ', windowCode: null, staffCode: null });
		expect(
			org.place(
				event('case.accepted', { caseId: 'C1', departmentCode: 'GAJ', itemName: '户籍', immediate: true, online: false, promisedDays: 0, regionCode: 'CITY' })
			).regionCode
		).toBe('CITY');
	});

	it('card targets are placed', () => {
		const card = (kind: string, code: string) => org.place(event('card.issued', { cardId: 'k', color: 'red', target: { kind, code }, reason: 'other' }));
		expect(card('staff', 'S003')).toEqual({ centerCode: 'PJ-002', regionCode: 'SHQ', departmentCode: 'GAJ', windowCode: 'W03', staffCode: 'S003' });
		expect(card('window', 'W02')).toEqual({ centerCode: 'PJ-001', regionCode: 'XLT', departmentCode: 'SWJ', windowCode: 'W02', staffCode: null });
		expect(card('department', 'SWJ')).toEqual({ centerCode: 'PJ-001', regionCode: 'XLT', departmentCode: 'SWJ', windowCode: null, staffCode: null });
	});

	it('a hotline ticket with a region only is placed in that region; without one, nowhere', () => {
		const base = { ticketId: 'RX-1', channel: 'phone', category: '城市管理', summary: '路灯' };
		expect(org.place(event('hotline.ticket_created', { ...base, regionCode: 'XLT' }))).toEqual({
			centerCode: null,
			regionCode: 'XLT',
			departmentCode: null,
			windowCode: null,
			staffCode: null
		});
		expect(org.place(event('hotline.ticket_created', base))).toEqual({ centerCode: null, regionCode: null, departmentCode: null, windowCode: null, staffCode: null });
	});
});

describe('OrgIndex misc', () => {
	it('subtree holds the region and everything under it', () => {
		const org = makeOrg();
		expect([...org.subtree('CITY')].sort()).toEqual(['CITY', 'SHQ', 'XLT']);
		expect([...org.subtree('XLT')]).toEqual(['XLT']);
		expect([...org.subtree('OTHER')]).toEqual(['OTHER']);
	});

	it('subtree follows deeper levels and is refreshed after load', () => {
		const org = makeOrg();
		expect([...org.subtree('CITY')].sort()).toEqual(['CITY', 'SHQ', 'XLT']);
		// A town under XLT, listed before its parent would be seen in a single pass.
		org.load({ regions: [{ code: 'TOWN1', name: '镇', parentCode: 'XLT' }] });
		expect([...org.subtree('CITY')].sort()).toEqual(['CITY', 'SHQ', 'TOWN1', 'XLT']);
		expect([...org.subtree('XLT')].sort()).toEqual(['TOWN1', 'XLT']);
	});

	it('load upserts by code', () => {
		const org = makeOrg();
		org.load({ windows: [{ code: 'W01', name: '一号窗口', centerCode: 'PJ-001', departmentCode: 'SWJ' }] });
		expect(org.windows.size).toBe(4);
		expect(org.windows.get('W01')).toEqual({ code: 'W01', name: '一号窗口', centerCode: 'PJ-001', departmentCode: 'SWJ' });
	});

	it('timezoneOf falls back to Asia/Shanghai', () => {
		const org = makeOrg();
		expect(org.timezoneOf('PJ-001')).toBe('Asia/Shanghai');
		expect(org.timezoneOf(null)).toBe('Asia/Shanghai');
		expect(org.timezoneOf('NOPE')).toBe('Asia/Shanghai');
		org.load({ centers: [{ code: 'URU', name: '乌鲁木齐', regionCode: 'OTHER', timezone: 'Asia/Urumqi' }] });
		expect(org.timezoneOf('URU')).toBe('Asia/Urumqi');
	});

	it('has()', () => {
		const org = makeOrg();
		expect(org.has('staff', 'S004')).toBe(true);
		expect(org.has('window', 'S004')).toBe(false);
		expect(org.has('region', 'OTHER')).toBe(true);
	});
});

describe('parseOrgBody', () => {
	it('parses a valid body', () => {
		const { data, errors } = parseOrgBody({
			regions: [{ code: 'CITY', name: '盘锦市' }],
			centers: [{ code: 'PJ-001', name: '中心', regionCode: 'CITY' }],
			windows: [{ code: 'W01', name: '1号', centerCode: 'PJ-001', departmentCode: 'GSJ' }]
		});
		expect(errors).toEqual([]);
		expect(data.regions).toEqual([{ code: 'CITY', name: '盘锦市' }]);
		expect(data.centers).toEqual([{ code: 'PJ-001', name: '中心', regionCode: 'CITY' }]);
		expect(data.windows).toHaveLength(1);
		expect(data.departments).toEqual([]);
		expect(data.staff).toEqual([]);
	});

	it('rejects a body that is not an object', () => {
		for (const b of [null, [], 'x', 3]) {
			const r = parseOrgBody(b);
			expect(r.errors).toEqual(['body: expected an object with regions, centers, departments, windows and/or staff lists']);
		}
	});

	it('names unknown lists and lists that are not lists', () => {
		const r = parseOrgBody({ halls: [], regions: { code: 'X' } });
		expect(r.errors).toEqual(['halls: unknown list (expected one of regions, centers, departments, windows, staff)', 'regions: expected a list']);
	});

	it('errors name list[index].field; good items are still kept', () => {
		const r = parseOrgBody({
			centers: [
				{ code: 'PJ-001', name: '中心', regionCode: 'CITY' },
				{ code: 'PJ-002', name: '中心2' }
			],
			staff: [{ code: 'S1', name: '张三', departmentCode: 'GSJ', windowCode: 'W01' }, { name: '李四', departmentCode: 'GSJ' }]
		});
		expect(r.errors).toEqual(['centers[1].regionCode: is required', 'staff[1].code: is required']);
		expect(r.data.centers.map((c) => c.code)).toEqual(['PJ-001']);
		expect(r.data.staff.map((s) => s.code)).toEqual(['S1']);
	});

	it('bad code pattern says what a code is and what was found', () => {
		const r = parseOrgBody({ regions: [{ code: 'bad code', name: 'x' }] });
		expect(r.errors).toEqual(['regions[0].code: expected a code of 1–64 characters A–Z a–z 0–9 . _ -, found "bad code"']);
	});

	it('empty name, bad enum and non-object items read as sentences', () => {
		const r = parseOrgBody({
			regions: [
				{ code: 'A', name: '' },
				{ code: 'B', name: 'b', level: 'planet' },
				5
			]
		});
		expect(r.errors).toEqual([
			'regions[0].name: must not be empty',
			'regions[1].level: expected one of "province", "city", "county", "town", found "planet"',
			'regions[2]: expected object, found number 5'
		]);
	});

	it('wrong type names the field', () => {
		const r = parseOrgBody({ windows: [{ code: 'W1', name: 'w', centerCode: 7, departmentCode: 'GSJ' }] });
		expect(r.errors).toEqual(['windows[0].centerCode: expected string, found number 7']);
	});

	it('codes and names are trimmed; nullable parents accepted', () => {
		const r = parseOrgBody({ regions: [{ code: ' CITY ', name: ' 盘锦市 ', parentCode: null }] });
		expect(r.errors).toEqual([]);
		expect(r.data.regions).toEqual([{ code: 'CITY', name: '盘锦市', parentCode: null }]);
	});
});

describe('checkOrgRefs', () => {
	it('accepts references to the body itself or to the existing org', () => {
		const body = emptyBody();
		body.regions.push({ code: 'TOWN1', name: '镇', parentCode: 'XLT' });
		body.centers.push({ code: 'PJ-003', name: '镇中心', regionCode: 'TOWN1', timezone: 'Asia/Shanghai' });
		body.departments.push({ code: 'MZJ', name: '民政局', centerCode: 'PJ-003' });
		body.windows.push({ code: 'W05', name: '5号', centerCode: 'PJ-003', departmentCode: 'MZJ' });
		body.staff.push({ code: 'S005', name: '孙七', departmentCode: 'MZJ', windowCode: 'W05' });
		body.staff.push({ code: 'S006', name: '周八', departmentCode: 'GSJ', windowCode: 'W01' });
		expect(checkOrgRefs(body, makeOrg())).toEqual([]);
	});

	it('names every dangling reference with list[index].field', () => {
		const body = emptyBody();
		body.regions.push({ code: 'TOWN1', name: '镇', parentCode: 'NOWHERE' });
		body.centers.push({ code: 'PJ-003', name: '中心', regionCode: 'NOREGION' });
		body.centers.push({ code: 'PJ-004', name: '中心', regionCode: 'XLT', timezone: 'Mars/Olympus' });
		body.departments.push({ code: 'MZJ', name: '民政局', centerCode: 'PJ-404' });
		body.windows.push({ code: 'W05', name: '5号', centerCode: 'PJ-404', departmentCode: 'NODEPT' });
		body.staff.push({ code: 'S005', name: '孙七', departmentCode: 'NODEPT', windowCode: 'W99' });
		expect(checkOrgRefs(body, makeOrg())).toEqual([
			'regions[0].parentCode: unknown region "NOWHERE"',
			'centers[0].regionCode: unknown region "NOREGION"',
			'centers[1].timezone: unknown time zone "Mars/Olympus"',
			'departments[0].centerCode: unknown center "PJ-404"',
			'windows[0].centerCode: unknown center "PJ-404"',
			'windows[0].departmentCode: unknown department "NODEPT"',
			'staff[0].departmentCode: unknown department "NODEPT"',
			'staff[0].windowCode: unknown window "W99"'
		]);
	});

	it('works against an empty org', () => {
		const body = emptyBody();
		body.centers.push({ code: 'C', name: 'c', regionCode: 'R' });
		expect(checkOrgRefs(body, new OrgIndex())).toEqual(['centers[0].regionCode: unknown region "R"']);
	});
});
