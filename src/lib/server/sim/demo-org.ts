/**
 * The demo org: 盘锦市政务服务中心 (Panjin city government service center), built from the names
 * in Panjin's July 2018 monthly bulletin (运行情况通报) and Xinzheng's January 2018 bulletin.
 * Deterministic: the same data on every call, no randomness, no clock.
 */
import type { Department, OrgData, Region, Staff, Window } from '../../domain/org';

export const DEMO_CENTER_CODE = 'PJ-001';
export const DEMO_REGION_CODE = 'PJ';

/** 县区 (counties / districts / economic zones) of 盘锦市, as ranked in the bulletin. */
const COUNTIES: Array<[code: string, name: string]> = [
	['XLT', '兴隆台区'],
	['STZ', '双台子区'],
	['DW', '大洼区'],
	['PS', '盘山县'],
	['LDW', '辽东湾新区'],
	['LHK', '辽河口经济区']
];

/**
 * 驻厅部门 stationed in the hall, in hall order, with their number of windows.
 * The busiest (公安, 不动产, 工商, 国税, 人社) get several windows.
 */
const DEPARTMENTS: Array<[code: string, shortName: string, windows: number]> = [
	['GAJ', '公安局', 5],
	['BDC', '不动产登记中心', 5],
	['GSJ', '工商局', 4],
	['GSW', '国税局', 4],
	['RSJ', '人社局', 3],
	['DSW', '地税局', 2],
	['JTJ', '交通局', 2],
	['GJJ', '住房公积金中心', 2],
	['SCJ', '市场监管局', 2],
	['ZJJ', '住建局', 2],
	['YCJ', '烟草局', 1],
	['CZJ', '财政局', 1],
	['SWJ', '商务局', 1],
	['WJW', '卫计委', 1],
	['MZJ', '民政局', 1],
	['JYJ', '教育局', 1],
	['HBJ', '环保局', 1],
	['GTJ', '国土局', 1],
	['GHJ', '规划局', 1],
	['ZLJ', '质监局', 1],
	['SYJ', '食药监局', 1],
	['AJJ', '安监局', 1],
	['LYJ', '旅游局', 1],
	['CGJ', '城管局', 1]
];

/** Departments that also have back-office staff (后台审批) without a window. */
const BACK_OFFICE: string[] = ['GAJ', 'BDC', 'GSJ', 'RSJ', 'GSW', 'GJJ'];

// Name pools for deterministic staff names (常见姓氏 / 名).
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'];
const GIVEN = [
	'伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
	'平', '刚', '桂英', '晓东', '海燕', '建华', '玉兰', '志强', '丽华', '俊杰', '红梅', '国庆', '文博', '雪梅', '振宇', '婷婷',
	'佳怡', '子涵', '宏伟', '春燕', '海涛', '淑珍', '鹏飞', '丹丹', '永刚', '凤英', '晓明', '美玲', '立新', '欣怡', '建军', '晶晶',
	'浩然', '玉梅', '德明', '思远'
];

/** The i-th (0-based) staff name. Strides coprime with the pool sizes keep names distinct. */
export function staffName(i: number): string {
	return SURNAMES[(i * 7 + 3) % SURNAMES.length] + GIVEN[(i * 11 + 5) % GIVEN.length];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function demoOrg(): OrgData {
	const regions: Region[] = [
		{ code: DEMO_REGION_CODE, name: '盘锦市', parentCode: null, level: 'city' },
		...COUNTIES.map(([code, name]): Region => ({ code, name, parentCode: DEMO_REGION_CODE, level: 'county' }))
	];
	const centers = [
		{ code: DEMO_CENTER_CODE, name: '盘锦市政务服务中心', regionCode: DEMO_REGION_CODE, timezone: 'Asia/Shanghai', title: '盘锦市政务服务中心效能监察' }
	];
	const departments: Department[] = DEPARTMENTS.map(([code, shortName]) => ({
		code,
		name: `市${shortName}`,
		centerCode: DEMO_CENTER_CODE,
		shortName
	}));

	const windows: Window[] = [];
	const staff: Staff[] = [];
	let w = 0;
	for (const [departmentCode, , count] of DEPARTMENTS) {
		for (let k = 0; k < count; k++) {
			w++;
			const windowCode = `W${pad(w, 2)}`;
			windows.push({ code: windowCode, name: `${pad(w, 2)}号窗口`, centerCode: DEMO_CENTER_CODE, departmentCode });
			// One staff member per window: S001 sits at W01, and so on.
			staff.push({ code: `S${pad(w, 3)}`, name: staffName(w - 1), departmentCode, windowCode });
		}
	}
	// Back-office staff (后台审批人员): no window.
	BACK_OFFICE.forEach((departmentCode, k) => {
		const i = w + k;
		staff.push({ code: `S${pad(i + 1, 3)}`, name: staffName(i), departmentCode, windowCode: null });
	});

	return { regions, centers, departments, windows, staff };
}
