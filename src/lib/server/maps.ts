/**
 * Maps of child regions for region walls (issue #12): an admin uploads a GeoJSON of a region's
 * child regions on /admin/maps; it is kept in the `settings` table under `map:<region code>`
 * and served to that region's walls by GET /wall/map?region=CODE. Without one, nothing is drawn.
 *
 * `parseRegionMap` checks an upload: a FeatureCollection of Polygon / MultiPolygon features whose
 * `properties.code` (else `properties.name`) names a child region of the region. It keeps only
 * the matching features, each with `properties: { code, name }` from the org, coordinates
 * rounded to 4 decimals (about 10 m), and says which features matched no child and which
 * children have no feature.
 */
import { eq, like, sql } from 'drizzle-orm';
import type { Database, Executor } from './db/client';
import { settings } from './db/schema';

export const MAP_PREFIX = 'map:';
/** Under the server's request body limit (2 MB, server.js) with room for the form around it. */
export const MAX_MAP_BYTES = 1_900_000;

type Position = [number, number];
export interface MapFeature {
	type: 'Feature';
	properties: { code: string; name: string };
	geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
}
export interface MapCollection {
	type: 'FeatureCollection';
	features: MapFeature[];
}

export interface StoredMap {
	geojson: MapCollection;
	fileName: string;
	/** Child regions with a feature, and features that matched none (their code or name as given). */
	matched: string[];
	unmatched: string[];
	/** Child regions the map has no feature for. */
	missing: string[];
}

export type ParsedMap = { ok: true; map: Omit<StoredMap, 'fileName'> } | { ok: false; error: 'json' | 'shape' | 'none'; detail?: string };

const round = (v: number) => Math.round(v * 1e4) / 1e4;

function ring(v: unknown): Position[] | null {
	if (!Array.isArray(v) || v.length < 4) return null;
	const out: Position[] = [];
	for (const p of v) {
		if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return null;
		out.push([round(p[0]), round(p[1])]);
	}
	return out;
}
function polygon(v: unknown): Position[][] | null {
	if (!Array.isArray(v) || v.length === 0) return null;
	const rings = v.map(ring);
	return rings.every((r): r is Position[] => r !== null) ? rings : null;
}

function geometry(g: unknown): MapFeature['geometry'] | null {
	const o = g as { type?: unknown; coordinates?: unknown } | null;
	if (o?.type === 'Polygon') {
		const c = polygon(o.coordinates);
		return c ? { type: 'Polygon', coordinates: c } : null;
	}
	if (o?.type === 'MultiPolygon' && Array.isArray(o.coordinates) && o.coordinates.length > 0) {
		const polys = o.coordinates.map(polygon);
		return polys.every((p): p is Position[][] => p !== null) ? { type: 'MultiPolygon', coordinates: polys } : null;
	}
	return null;
}

/** Check an uploaded GeoJSON against a region's children (see the module comment). */
export function parseRegionMap(text: string, children: Array<{ code: string; name: string }>): ParsedMap {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (err) {
		return { ok: false, error: 'json', detail: (err as Error).message };
	}
	const fc = raw as { type?: unknown; features?: unknown };
	if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { ok: false, error: 'shape', detail: 'not a FeatureCollection' };
	const byCode = new Map(children.map((c) => [c.code, c]));
	const byName = new Map(children.map((c) => [c.name, c]));
	const features: MapFeature[] = [];
	const matched = new Set<string>();
	const unmatched: string[] = [];
	fc.features.forEach((f: unknown, i: number) => {
		const feature = f as { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };
		const props = feature?.properties ?? {};
		const code = typeof props.code === 'string' || typeof props.code === 'number' ? String(props.code) : null;
		const name = typeof props.name === 'string' ? props.name.trim() : null;
		const child = (code && byCode.get(code)) || (name && byName.get(name)) || null;
		const geom = geometry(feature?.geometry);
		if (!child || !geom || matched.has(child.code)) {
			unmatched.push(code ?? name ?? `#${i + 1}`);
			return;
		}
		matched.add(child.code);
		features.push({ type: 'Feature', properties: { code: child.code, name: child.name }, geometry: geom });
	});
	if (!features.length) return { ok: false, error: 'none', detail: unmatched.slice(0, 10).join(', ') };
	return {
		ok: true,
		map: { geojson: { type: 'FeatureCollection', features }, matched: [...matched], unmatched, missing: children.filter((c) => !matched.has(c.code)).map((c) => c.code) }
	};
}

export async function saveRegionMap(db: Executor, region: string, value: StoredMap): Promise<void> {
	await (db as Database)
		.insert(settings)
		.values({ key: MAP_PREFIX + region, value })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

export async function readRegionMap(db: Executor, region: string): Promise<{ map: StoredMap; updatedAt: Date } | null> {
	const [row] = await (db as Database).select().from(settings).where(eq(settings.key, MAP_PREFIX + region));
	return row ? { map: row.value as StoredMap, updatedAt: row.updatedAt } : null;
}

export async function deleteRegionMap(db: Executor, region: string): Promise<boolean> {
	const rows = await (db as Database).delete(settings).where(eq(settings.key, MAP_PREFIX + region)).returning({ key: settings.key });
	return rows.length > 0;
}

/** The uploaded maps without their shapes: region, file, what matched, when. */
export async function listRegionMaps(db: Executor): Promise<Array<{ region: string; fileName: string; matched: number; unmatched: number; missing: string[]; updatedAt: Date }>> {
	const rows = await (db as Database)
		.select({
			key: settings.key,
			fileName: sql<string>`${settings.value}->>'fileName'`,
			matched: sql<number>`jsonb_array_length(${settings.value}->'matched')`,
			unmatched: sql<number>`jsonb_array_length(${settings.value}->'unmatched')`,
			missing: sql<string[]>`${settings.value}->'missing'`,
			updatedAt: settings.updatedAt
		})
		.from(settings)
		.where(like(settings.key, `${MAP_PREFIX}%`));
	return rows.map((r) => ({ region: r.key.slice(MAP_PREFIX.length), fileName: r.fileName, matched: Number(r.matched), unmatched: Number(r.unmatched), missing: r.missing ?? [], updatedAt: r.updatedAt }));
}
