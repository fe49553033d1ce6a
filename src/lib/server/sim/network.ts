/**
 * A network of service centers as the bulletins describe them: a prefecture of about 600 centers
 * at prefecture, county and township level (Liangshan's electronic supervision covers 566), or a
 * province of 3,000 in 14 cities. `networkOrg` builds the org data (regions, centers with their
 * departments, windows and staff, with readable Chinese names); `NetworkSimulator` runs one
 * demo `DaySimulator` per center on its own slice of the org and merges their days. The city's
 * (or prefecture's) own center takes the 12345 hotline and reports the regional indicators of
 * the regions below it; township centers are small (three or four departments).
 */
import type { HallEvent } from '../../domain/catalog';
import type { Center, Department, OrgData, Region, Staff, Window } from '../../domain/org';
import { staffName } from './demo-org';
import { DaySimulator } from './simulator';

export type Preset = 'prefecture' | 'province';

export interface NetworkShape {
	/** Centers in all (the top center, city and county centers, and township centers). */
	centers: number;
	windowsPerCenter: number;
	/** Cities below the province (province), or 0 for a prefecture (its counties directly below). */
	cities: number;
	/** Counties in all. */
	counties: number;
}

export const PRESETS: Record<Preset, NetworkShape> = {
	/** 凉山州: 17 counties and cities, ~600 centers of 8 windows (issue #12's prefecture). */
	prefecture: { centers: 600, windowsPerCenter: 8, cities: 0, counties: 17 },
	/** 湖南省: 14 cities, 122 counties, 3,000 centers, 30,000 windows. */
	province: { centers: 3000, windowsPerCenter: 10, cities: 14, counties: 122 }
};

const LIANGSHAN_COUNTIES = ['西昌市', '会理市', '木里藏族自治县', '盐源县', '德昌县', '会东县', '宁南县', '普格县', '布拖县', '金阳县', '昭觉县', '喜德县', '冕宁县', '越西县', '甘洛县', '美姑县', '雷波县'];
const HUNAN_CITIES = ['长沙市', '株洲市', '湘潭市', '衡阳市', '邵阳市', '岳阳市', '常德市', '张家界市', '益阳市', '郴州市', '永州市', '怀化市', '娄底市', '湘西土家族苗族自治州'];
const SYLLABLES = [...'安宁平阳清河新华永兴长乐东西南北丰泰和云山江石桃源溪岭川湖林德福昌隆盛荣祥瑞康顺通达富贵明光金玉龙凤'];

/** County-level departments of a hall, in window order (windows are dealt round-robin from here). */
const HALL_DEPARTMENTS: Array<[suffix: string, name: string]> = [
	['SCJ', '市场监管局'],
	['GAJ', '公安局'],
	['RSJ', '人力资源和社会保障局'],
	['YBJ', '医疗保障局'],
	['BDC', '不动产登记中心'],
	['SWJ', '税务局'],
	['ZJJ', '住房和城乡建设局'],
	['MZJ', '民政局'],
	['JTJ', '交通运输局'],
	['GJJ', '住房公积金中心']
];
/** A township center's counters. */
const TOWN_DEPARTMENTS: Array<[suffix: string, name: string]> = [
	['SB', '社保医保服务窗口'],
	['HJ', '户籍服务窗口'],
	['MZ', '民政救助窗口'],
	['ZH', '综合受理窗口']
];

/** Deterministic name parts from an index (no randomness: the same shape gives the same org). */
function placeName(i: number, salt: number): string {
	const n = SYLLABLES.length;
	const a = SYLLABLES[(i * 7 + salt * 13) % n];
	let b = SYLLABLES[(i * 11 + salt * 5 + 3) % n];
	if (b === a) b = SYLLABLES[(i * 11 + salt * 5 + 4) % n];
	return a + b;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The org of a network of this shape. */
export function networkOrg(shape: NetworkShape): OrgData {
	if (shape.centers < 1 || shape.windowsPerCenter < 1) throw new Error('network: at least one center with one window');
	const regions: Region[] = [];
	const centers: Center[] = [];
	const departments: Department[] = [];
	const windows: Window[] = [];
	const staff: Staff[] = [];
	let staffNo = 0;

	const addCenter = (code: string, name: string, regionCode: string, kind: 'hall' | 'town') => {
		centers.push({ code, name, regionCode, timezone: 'Asia/Shanghai', title: `${name}效能监察` });
		const list = kind === 'hall' ? HALL_DEPARTMENTS.slice(0, Math.max(3, Math.min(HALL_DEPARTMENTS.length, Math.ceil(shape.windowsPerCenter / 1.5)))) : TOWN_DEPARTMENTS.slice(0, Math.min(TOWN_DEPARTMENTS.length, Math.max(1, Math.ceil(shape.windowsPerCenter / 2))));
		const depts = list.map(([suffix, dname]) => ({ code: `${code}-${suffix}`, name: kind === 'hall' ? dname : dname, centerCode: code, shortName: dname.slice(0, 4) }));
		departments.push(...depts);
		for (let w = 1; w <= shape.windowsPerCenter; w++) {
			const dept = depts[(w - 1) % depts.length];
			const wcode = `${code}-W${pad(w, 2)}`;
			windows.push({ code: wcode, name: `${pad(w, 2)}号窗口`, centerCode: code, departmentCode: dept.code });
			staff.push({ code: `${code}-S${pad(w, 2)}`, name: staffName(staffNo++), departmentCode: dept.code, windowCode: wcode });
		}
	};

	// The regions: a province with cities and counties, or a prefecture with its counties.
	const province = shape.cities > 0;
	const top: Region = province ? { code: 'HN', name: '湖南省', parentCode: null, level: 'province' } : { code: 'LS', name: '凉山彝族自治州', parentCode: null, level: 'city' };
	regions.push(top);
	const cities: Region[] = province
		? Array.from({ length: shape.cities }, (_, i) => ({ code: `${top.code}-${pad(i + 1, 2)}`, name: HUNAN_CITIES[i] ?? `${placeName(i, 1)}市`, parentCode: top.code, level: 'city' as const }))
		: [];
	regions.push(...cities);
	const parents = province ? cities : [top];
	const counties: Region[] = [];
	for (let i = 0; i < Math.max(1, shape.counties); i++) {
		const parent = parents[i % parents.length];
		const name = !province && LIANGSHAN_COUNTIES[i] ? LIANGSHAN_COUNTIES[i] : `${placeName(i, 2)}${i % 5 === 0 ? '区' : '县'}`;
		counties.push({ code: `${parent.code}-${pad(Math.floor(i / parents.length) + 1, 2)}`, name, parentCode: parent.code, level: 'county' });
	}
	regions.push(...counties);

	// Halls: the top one, each city's, each county's; the rest are township centers spread over the counties.
	const halls: Array<[code: string, name: string, region: string]> = [[`${top.code}-C`, `${top.name}政务服务中心`, top.code]];
	for (const c of cities) halls.push([`${c.code}-C`, `${c.name}政务服务中心`, c.code]);
	for (const c of counties) halls.push([`${c.code}-C`, `${c.name}政务服务中心`, c.code]);
	for (const [code, name, region] of halls.slice(0, shape.centers)) addCenter(code, name, region, 'hall');
	const towns = Math.max(0, shape.centers - halls.length);
	for (let t = 0; t < towns; t++) {
		const county = counties[t % counties.length];
		const n = Math.floor(t / counties.length) + 1;
		addCenter(`${county.code}-T${pad(n, 3)}`, `${county.name.replace(/(自治县|县|区|市)$/, '')}${placeName(t, 3)}${t % 4 === 0 ? '乡' : '镇'}便民服务中心`, county.code, 'town');
	}
	return { regions, centers, departments, windows, staff };
}

/** The slice of the org one center's simulator needs: the center, its region and those below, its people. */
function sliceFor(org: OrgData, center: Center, byCenter: Map<string, { departments: Department[]; windows: Window[]; staff: Staff[] }>): OrgData {
	const mine = byCenter.get(center.code)!;
	const regions = org.regions.filter((r) => r.code === center.regionCode || r.parentCode === center.regionCode);
	return { regions, centers: [center], departments: mine.departments, windows: mine.windows, staff: mine.staff };
}

export interface NetworkSimOptions {
	org: OrgData;
	seed?: number;
	/** Event id prefix (default `net`); each center adds its index. */
	idPrefix?: string;
	intensity?: number;
	catchUp?: boolean;
	since?: number;
	/**
	 * Keep each center's plan of the day between calls (default: up to 100 centers). Planning a
	 * day costs about 25 ms a center and its plan a few hundred kB: keep it when calling often
	 * (a live feed), not for one big call.
	 */
	keepPlan?: boolean;
}

/** A network's shape from its size alone: a county of 25 centers per county, cities above 1,000 centers. */
export function shapeOf(centers: number, windowsPerCenter: number): NetworkShape {
	const counties = Math.max(1, Math.round(centers / 25));
	return { centers, windowsPerCenter, cities: centers >= 1000 ? Math.max(2, Math.round(counties / 9)) : 0, counties };
}

/** One DaySimulator per center; `eventsBetween` merges their days in time order. */
export class NetworkSimulator {
	private readonly sims: DaySimulator[] = [];

	constructor(opts: NetworkSimOptions) {
		const byCenter = new Map<string, { departments: Department[]; windows: Window[]; staff: Staff[] }>();
		for (const c of opts.org.centers) byCenter.set(c.code, { departments: [], windows: [], staff: [] });
		for (const d of opts.org.departments) if (d.centerCode) byCenter.get(d.centerCode)?.departments.push(d);
		const deptCenter = new Map(opts.org.departments.map((d) => [d.code, d.centerCode ?? '']));
		for (const w of opts.org.windows) byCenter.get(w.centerCode)?.windows.push(w);
		for (const s of opts.org.staff) byCenter.get(deptCenter.get(s.departmentCode) ?? '')?.staff.push(s);
		const hasChildren = new Set(opts.org.regions.map((r) => r.parentCode).filter((c): c is string => !!c));
		const hallOf = new Map<string, string>();
		for (const c of opts.org.centers) if (!hallOf.has(c.regionCode)) hallOf.set(c.regionCode, c.code);
		const prefix = opts.idPrefix ?? 'net';
		opts.org.centers.forEach((center, i) => {
			// The region's own (first) hall takes its 12345 calls and reports the indicators of the regions below.
			const isHall = hallOf.get(center.regionCode) === center.code;
			this.sims.push(
				new DaySimulator({
					org: sliceFor(opts.org, center, byCenter),
					centerCode: center.code,
					seed: (opts.seed ?? 1) * 100_003 + i,
					idPrefix: `${prefix}${i.toString(36)}`,
					intensity: opts.intensity,
					hotlineShare: isHall && hasChildren.has(center.regionCode) ? 1 : 0,
					indicators: isHall && hasChildren.has(center.regionCode),
					catchUp: opts.catchUp,
					since: opts.since,
					// Thousands of centers: a day's plan each would take gigabytes; plan again per call instead.
					keepPlan: opts.keepPlan ?? opts.org.centers.length <= 100
				})
			);
		});
	}

	get centers(): number {
		return this.sims.length;
	}

	/** Every center's events in (from, to], merged in occurredAt order; `progress` hears of every 100 centers done. */
	eventsBetween(from: number, to: number, progress?: (done: number, total: number) => void): HallEvent[] {
		const all: Array<{ at: number; ev: HallEvent }> = [];
		this.sims.forEach((sim, i) => {
			for (const ev of sim.eventsBetween(from, to)) all.push({ at: Date.parse(ev.occurredAt), ev });
			if (progress && ((i + 1) % 100 === 0 || i + 1 === this.sims.length)) progress(i + 1, this.sims.length);
		});
		all.sort((a, b) => a.at - b.at);
		return all.map((x) => x.ev);
	}
}
