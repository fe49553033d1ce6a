/**
 * A region wall's map (GeoJSON of its child regions, uploaded on /admin/maps), fetched from
 * GET /wall/map?region=CODE with the wall's display token (or its session) and registered with
 * ECharts under `region:<code>`, once per page life (rotation between pages reuses it). No map
 * uploaded (204), or no server (offline start): null, and the wall draws none; a failed fetch
 * is tried again the next time the overview opens.
 */
import { echarts } from '$lib/components/echarts';

const loaded = new Map<string, Promise<string | null>>();

/** The ECharts map name of the region's map, or null when it has none. */
export function loadRegionMap(region: string, current: URL): Promise<string | null> {
	let p = loaded.get(region);
	if (p) return p;
	const q = new URLSearchParams({ region });
	const token = current.searchParams.get('token');
	if (token) q.set('token', token);
	const name = `region:${region}`;
	p = fetch(`/wall/map?${q}`, { credentials: 'same-origin' })
		.then(async (res) => {
			if (res.status === 204) return null;
			if (!res.ok) throw new Error(`map: ${res.status}`);
			const body = (await res.json()) as { geojson: Parameters<typeof echarts.registerMap>[1] };
			echarts.registerMap(name, body.geojson);
			return name;
		})
		.catch(() => {
			loaded.delete(region);
			return null;
		});
	loaded.set(region, p);
	return p;
}
