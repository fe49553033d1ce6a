import { describe, it, expect } from 'vitest';
import { checkOrgRefs, OrgIndex, parseOrgBody } from '../../domain/org';
import { DEMO_CENTER_CODE, demoOrg } from './demo-org';

describe('demoOrg', () => {
	const org = demoOrg();

	it('is valid org data whose references all resolve', () => {
		const { data, errors } = parseOrgBody(org);
		expect(errors).toEqual([]);
		expect(data.windows.length).toBe(org.windows.length);
		expect(checkOrgRefs(org, new OrgIndex())).toEqual([]);
	});

	it('is deterministic', () => {
		expect(demoOrg()).toEqual(org);
	});

	it('has 盘锦市 with its six counties', () => {
		const root = org.regions.find((r) => r.code === 'PJ');
		expect(root).toMatchObject({ name: '盘锦市', level: 'city' });
		const counties = org.regions.filter((r) => r.parentCode === 'PJ');
		expect(counties.map((r) => r.code).sort()).toEqual(['DW', 'LDW', 'LHK', 'PS', 'STZ', 'XLT']);
		expect(counties.every((r) => r.level === 'county')).toBe(true);
		expect(counties.find((r) => r.code === 'XLT')?.name).toBe('兴隆台区');
	});

	it('has one center in Asia/Shanghai with ~24 departments from the bulletins', () => {
		expect(org.centers).toEqual([expect.objectContaining({ code: DEMO_CENTER_CODE, name: '盘锦市政务服务中心', regionCode: 'PJ', timezone: 'Asia/Shanghai' })]);
		expect(org.departments.length).toBeGreaterThanOrEqual(20);
		expect(org.departments.every((d) => d.centerCode === DEMO_CENTER_CODE && d.name.startsWith('市'))).toBe(true);
		const names = org.departments.map((d) => d.name);
		for (const n of ['市工商局', '市公安局', '市交通局', '市烟草局', '市财政局', '市不动产登记中心', '市人社局', '市住建局']) expect(names).toContain(n);
		expect(org.departments.find((d) => d.code === 'GSJ')?.name).toBe('市工商局');
		expect(org.departments.find((d) => d.code === 'ZJJ')?.name).toBe('市住建局');
	});

	it('has unique codes and names', () => {
		for (const kind of ['regions', 'centers', 'departments', 'windows', 'staff'] as const) {
			const codes = org[kind].map((x) => x.code);
			expect(new Set(codes).size).toBe(codes.length);
		}
		const names = org.staff.map((s) => s.name);
		expect(new Set(names).size).toBe(names.length);
		expect(names.every((n) => /^[\u4e00-\u9fff]{2,3}$/.test(n))).toBe(true);
	});

	it('has 40+ windows, each with exactly one staff member', () => {
		expect(org.windows.length).toBeGreaterThanOrEqual(40);
		for (const w of org.windows) {
			expect(w.code).toMatch(/^W\d{2}$/);
			expect(w.name).toMatch(/^\d{2}号窗口$/);
			const seated = org.staff.filter((s) => s.windowCode === w.code);
			expect(seated).toHaveLength(1);
			expect(seated[0].departmentCode).toBe(w.departmentCode);
		}
	});

	it('gives the busy departments several windows and keeps a few back-office staff', () => {
		const count = (code: string) => org.windows.filter((w) => w.departmentCode === code).length;
		for (const code of ['GAJ', 'BDC', 'GSJ', 'GSW', 'RSJ']) expect(count(code)).toBeGreaterThanOrEqual(3);
		expect(org.departments.every((d) => count(d.code) >= 1)).toBe(true);
		const back = org.staff.filter((s) => !s.windowCode);
		expect(back.length).toBeGreaterThanOrEqual(3);
		expect(org.staff.every((s) => /^S\d{3}$/.test(s.code))).toBe(true);
	});
});
