import { describe, expect, it } from 'vitest';
import { OrgIndex } from '../../domain/org';
import { NotInScope, Reach } from './reach';
import { originAllowed } from './identify';

/** City C1 with county D1 below it; center HC1 in the city, HC2 in the county; a bureau of no center. */
const ORG = new OrgIndex({
	regions: [
		{ code: 'C1', name: '市' },
		{ code: 'D1', name: '东区', parentCode: 'C1' },
		{ code: 'X9', name: '外市' }
	],
	centers: [
		{ code: 'HC1', name: '市中心', regionCode: 'C1' },
		{ code: 'HC2', name: '东区中心', regionCode: 'D1' },
		{ code: 'HX', name: '外市中心', regionCode: 'X9' }
	],
	departments: [
		{ code: 'GSJ', name: '市工商局', centerCode: 'HC1' },
		{ code: 'DGS', name: '东区工商', centerCode: 'HC2' },
		{ code: 'SWJ', name: '市水务局' }
	],
	windows: [
		{ code: 'W01', name: '01', centerCode: 'HC1', departmentCode: 'GSJ' },
		{ code: 'E01', name: 'E01', centerCode: 'HC2', departmentCode: 'DGS' }
	],
	staff: [
		{ code: 'S001', name: '张', departmentCode: 'GSJ', windowCode: 'W01' },
		{ code: 'S003', name: '李', departmentCode: 'DGS', windowCode: 'E01' },
		{ code: 'S004', name: '赵', departmentCode: 'DGS' }
	]
});

describe('Reach', () => {
	const all = Reach.of({ kind: 'all' }, ORG);
	const hc2 = Reach.of({ kind: 'center', code: 'HC2' }, ORG);
	const c1 = Reach.of({ kind: 'region', code: 'C1' }, ORG);

	it('places departments, windows and staff by the center they work in', () => {
		expect(hc2.has('staff', 'S003')).toBe(true);
		expect(hc2.has('staff', 'S004')).toBe(true); // no window: by the department's center
		expect(hc2.has('staff', 'S001')).toBe(false);
		expect(hc2.has('window', 'W01')).toBe(false);
		expect(hc2.has('department', 'GSJ')).toBe(false);
		expect(hc2.has('department', 'DGS')).toBe(true);
		// A bureau of no center belongs to the deployment.
		expect(hc2.has('department', 'SWJ')).toBe(false);
		expect(all.has('department', 'SWJ')).toBe(true);
		// A region reaches the centers of its subtree, not others.
		expect(c1.has('staff', 'S001') && c1.has('staff', 'S003')).toBe(true);
		expect(c1.has('center', 'HX')).toBe(false);
		// Unknown codes are outside every scope.
		expect(all.has('staff', 'NOPE')).toBe(false);
	});

	it('places items as the wall does: own center, and region items of no center below its region', () => {
		expect(hc2.place({ centerCode: 'HC2', regionCode: null })).toBe(true);
		expect(hc2.place({ centerCode: 'HC1', regionCode: 'D1' })).toBe(false);
		expect(hc2.place({ centerCode: null, regionCode: 'D1' })).toBe(true);
		expect(hc2.place({ centerCode: null, regionCode: 'C1' })).toBe(false);
		expect(hc2.place({ centerCode: null, regionCode: null })).toBe(false);
		expect(c1.place({ centerCode: null, regionCode: 'C1' })).toBe(true);
		expect(all.place({ centerCode: null, regionCode: null })).toBe(true);
		expect(hc2.homeLists()).toEqual({ centers: ['HC2'], regions: ['D1'] });
		expect(all.homeLists()).toBeNull();
	});

	it('opens views within the scope only', () => {
		expect(hc2.canView({ kind: 'center', code: 'HC2' })).toBe(true);
		expect(hc2.canView({ kind: 'center', code: 'HC1' })).toBe(false);
		expect(hc2.canView({ kind: 'region', code: 'D1' })).toBe(false);
		expect(c1.canView({ kind: 'region', code: 'D1' })).toBe(true);
		expect(c1.canView({ kind: 'all' })).toBe(false);
		expect(c1.centers().map((c) => c.code)).toEqual(['HC1', 'HC2']);
	});

	it('answers outside the scope as unknown, naming the field', () => {
		const err = (() => {
			try {
				hc2.require('staff', 'S001', 'targetCode');
			} catch (e) {
				return e as NotInScope;
			}
		})();
		expect(err).toBeInstanceOf(NotInScope);
		expect(err!.status).toBe(404);
		expect(err!.message).toBe('targetCode: unknown staff member "S001"');
		expect(err!.field).toBe('targetCode');
	});

	it('is one object per org and scope, made anew when the org is reloaded', () => {
		expect(Reach.of({ kind: 'center', code: 'HC2' }, ORG)).toBe(hc2);
		expect(Reach.of({ kind: 'center', code: 'HC2' }, new OrgIndex())).not.toBe(hc2);
	});
});

describe('originAllowed (cookie-authenticated WebSockets)', () => {
	it('takes this host, or the configured ORIGIN, or no Origin at all', () => {
		expect(originAllowed(undefined, 'hall:3000', null)).toBe(true);
		expect(originAllowed('http://hall:3000', 'hall:3000', null)).toBe(true);
		expect(originAllowed('https://hall:3000', 'hall:3000', null)).toBe(true);
		expect(originAllowed('https://hw.gov.cn', 'internal:3000', 'https://hw.gov.cn')).toBe(true);
	});
	it('refuses another port, another host, a configured mismatch and junk', () => {
		expect(originAllowed('http://hall:3001', 'hall:3000', null)).toBe(false);
		expect(originAllowed('http://evil.example', 'hall:3000', null)).toBe(false);
		expect(originAllowed('http://hall:3000', 'hall:3000', 'https://hw.gov.cn')).toBe(false);
		expect(originAllowed('null', 'hall:3000', null)).toBe(false);
		expect(originAllowed('file://hall:3000', 'hall:3000', null)).toBe(false);
	});
});
