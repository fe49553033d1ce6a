import { describe, expect, it } from 'vitest';
import { OrgIndex } from '../../domain/org';
import { networkOrg, NetworkSimulator, PRESETS, shapeOf } from './network';

describe('networkOrg', () => {
	it('builds the presets the bulletins describe', () => {
		const pre = networkOrg(PRESETS.prefecture);
		expect(pre.centers).toHaveLength(600);
		expect(pre.windows).toHaveLength(4800);
		expect(pre.regions.filter((r) => r.level === 'county')).toHaveLength(17);
		expect(pre.regions.find((r) => r.parentCode === null)?.name).toBe('凉山彝族自治州');
		const pro = networkOrg(PRESETS.province);
		expect(pro.centers).toHaveLength(3000);
		expect(pro.windows).toHaveLength(30_000);
		expect(pro.regions.filter((r) => r.level === 'city')).toHaveLength(14);
		expect(pro.regions.filter((r) => r.level === 'county')).toHaveLength(122);
		// Codes are unique and every reference resolves.
		for (const kind of ['regions', 'centers', 'departments', 'windows', 'staff'] as const) expect(new Set(pro[kind].map((x) => x.code)).size).toBe(pro[kind].length);
		const regions = new Set(pro.regions.map((r) => r.code));
		expect(pro.centers.every((c) => regions.has(c.regionCode))).toBe(true);
	});

	it('shapeOf: counties of about 25 centers, cities from 1,000 centers', () => {
		expect(shapeOf(150, 4)).toEqual({ centers: 150, windowsPerCenter: 4, cities: 0, counties: 6 });
		expect(shapeOf(2000, 10).cities).toBeGreaterThanOrEqual(2);
		expect(shapeOf(1, 1)).toEqual({ centers: 1, windowsPerCenter: 1, cities: 0, counties: 1 });
	});
});

describe('NetworkSimulator', () => {
	// A working morning (Wednesday 2 December 2026, 10:00–11:00 in Shanghai).
	const from = Date.parse('2026-12-02T10:00:00+08:00');
	const to = from + 3_600_000;

	it('gives every center its own day, in time order, naming only codes of the org', () => {
		const org = networkOrg(shapeOf(60, 4));
		const index = new OrgIndex(org);
		const sim = new NetworkSimulator({ org, seed: 3, idPrefix: 't' });
		const seen: number[] = [];
		const events = sim.eventsBetween(from, to, (done) => seen.push(done));
		expect(seen.at(-1)).toBe(60);
		expect(events.length).toBeGreaterThan(60 * 20);
		const times = events.map((e) => Date.parse(e.occurredAt));
		expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
		expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
		const centers = new Set(events.map((e) => index.place(e).centerCode).filter(Boolean));
		expect(centers.size).toBeGreaterThanOrEqual(55);
		// Only the region's own halls take 12345 calls.
		const hotline = new Set(events.filter((e) => e.type.startsWith('hotline.')).map((e) => index.place(e).centerCode));
		expect([...hotline].every((c) => !c || c.endsWith('-C'))).toBe(true);
	});

	it('the same seed gives the same events, kept plan or not', () => {
		const org = networkOrg(shapeOf(8, 3));
		const a = new NetworkSimulator({ org, seed: 4, keepPlan: true });
		const b = new NetworkSimulator({ org, seed: 4, keepPlan: false });
		const partsA = [a.eventsBetween(from, from + 1_800_000), a.eventsBetween(from + 1_800_000, to)].flat();
		// (Last month's indicators are reported at the end of the first call: left out.)
		const kept = (evs: typeof partsA) => evs.filter((e) => e.type !== 'indicator.reported');
		expect(kept(b.eventsBetween(from, to))).toEqual(kept(partsA));
	});
});
