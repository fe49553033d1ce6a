import { json, type RequestHandler } from '@sveltejs/kit';

/** Readiness (spec §4): 200 once migrations ran and events are accepted; 503 while the database is unreachable. */
export const GET: RequestHandler = async ({ locals }) => {
	const { ok, detail } = await locals.services.health();
	return json(detail, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
