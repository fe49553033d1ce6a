import { describe, expect, it } from 'vitest';
import { parseRegionMap } from './maps';

const square = (x: number, y: number) => [
	[
		[x, y],
		[x + 1.123456, y],
		[x + 1.123456, y + 1],
		[x, y + 1],
		[x, y]
	]
];
const feature = (properties: Record<string, unknown>, geometry: unknown = { type: 'Polygon', coordinates: square(0, 0) }) => ({ type: 'Feature', properties, geometry });
const children = [
	{ code: 'HN-01', name: '长沙市' },
	{ code: 'HN-02', name: '株洲市' },
	{ code: 'HN-03', name: '湘潭市' }
];

describe('region maps', () => {
	it('keep the features of child regions, by code or by name, with the org’s code and name', () => {
		const text = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				feature({ code: 'HN-01', name: 'Changsha', adcode: 430100 }),
				feature({ name: '株洲市' }, { type: 'MultiPolygon', coordinates: [square(2, 0), square(4, 0)] }),
				feature({ name: '江西省' }),
				feature({ name: '长沙市' }) // a second feature of a region already matched
			]
		});
		const r = parseRegionMap(text, children);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.map.geojson.features.map((f) => f.properties)).toEqual([
			{ code: 'HN-01', name: '长沙市' },
			{ code: 'HN-02', name: '株洲市' }
		]);
		expect(r.map.matched).toEqual(['HN-01', 'HN-02']);
		expect(r.map.unmatched).toEqual(['江西省', '长沙市']);
		expect(r.map.missing).toEqual(['HN-03']);
		// Coordinates rounded to 4 decimals.
		expect(r.map.geojson.features[0].geometry.coordinates[0]).toContainEqual([1.1235, 0]);
	});

	it('refuse what is not a map of the children', () => {
		expect(parseRegionMap('{', children)).toMatchObject({ ok: false, error: 'json' });
		expect(parseRegionMap(JSON.stringify({ type: 'Feature' }), children)).toMatchObject({ ok: false, error: 'shape' });
		expect(parseRegionMap(JSON.stringify({ type: 'FeatureCollection', features: [feature({ name: '江西省' })] }), children)).toMatchObject({ ok: false, error: 'none', detail: '江西省' });
		// A point, or a ring of text, is no area.
		const bad = [feature({ code: 'HN-01' }, { type: 'Point', coordinates: [0, 0] }), feature({ code: 'HN-02' }, { type: 'Polygon', coordinates: [[['a', 'b']]] })];
		expect(parseRegionMap(JSON.stringify({ type: 'FeatureCollection', features: bad }), children)).toMatchObject({ ok: false, error: 'none' });
	});
});
