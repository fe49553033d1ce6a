import { json, type RequestHandler } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';

/** Readiness (spec §4): 200 once migrations ran and events are accepted; 503 while the database is unreachable. */
export const GET: RequestHandler = async () => {
	const { ok, detail } = await getRuntime().health();
	return json(detail, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
