import { json, type RequestHandler } from '@sveltejs/kit';
import { resolveScope, ScopeError } from '$lib/server/auth/viewer';
import { isUnavailable } from '$lib/server/db/client';

/** Current figures for a scope (spec §2). Read from the in-memory projection: flat cost. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const rt = locals.services;
	try {
		// The guard let in a display token or a signed-in reader; either has a scope.
		const viewer = locals.viewer;
		if (!viewer) return json({ error: 'sign in, or give a display token (?token= or Authorization: Bearer)' }, { status: 401 });
		const scope = resolveScope(url, viewer, rt.org());
		return json(rt.hub.snapshotFor({ scope }), { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		if (err instanceof ScopeError) return json({ error: err.message }, { status: err.status });
		if (isUnavailable(err)) return json({ error: 'database unavailable' }, { status: 503 });
		throw err;
	}
};
