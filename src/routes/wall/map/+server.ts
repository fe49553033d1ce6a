import { json, type RequestHandler } from '@sveltejs/kit';
import { resolveScope, ScopeError } from '$lib/server/auth/viewer';
import { isUnavailable } from '$lib/server/db/client';
import { readRegionMap } from '$lib/server/maps';

/**
 * The map of a region's child regions for its wall (GeoJSON uploaded on /admin/maps), or 204
 * No Content when none was uploaded (the usual case, not an error: the wall draws none). Same
 * readers as the wall; revalidated by ETag, so a wall that starts again downloads it only when
 * it changed.
 */
export const GET: RequestHandler = async ({ url, locals, request }) => {
	const rt = locals.services;
	try {
		const viewer = locals.viewer;
		if (!viewer) return json({ error: 'sign in, or give a display token (?token= or Authorization: Bearer)' }, { status: 401 });
		const scope = resolveScope(url, viewer, rt.org());
		if (scope.kind !== 'region') return json({ error: 'maps are of a region: give ?region=CODE' }, { status: 400 });
		const stored = await readRegionMap(rt.handle.db, scope.code);
		if (!stored) return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
		const etag = `"map-${scope.code}-${stored.updatedAt.getTime()}"`;
		const headers = { etag, 'cache-control': 'private, no-cache' };
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
		return json({ region: scope.code, updatedAt: stored.updatedAt.toISOString(), geojson: stored.map.geojson }, { headers });
	} catch (err) {
		if (err instanceof ScopeError) return json({ error: err.message }, { status: err.status });
		if (isUnavailable(err)) return json({ error: 'database unavailable' }, { status: 503 });
		throw err;
	}
};
