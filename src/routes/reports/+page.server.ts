import { issuerOf } from '$lib/domain/bulletin';
import { listPublished } from '$lib/server/reports/bulletins';
import { recentMonths, reportScope, scopeQuery } from '$lib/server/reports/page';
import type { PageServerLoad } from './$types';

/** 月度通报: the months to write a bulletin for, and what has been published for this scope. */
export const load: PageServerLoad = async (event) => {
	const rt = event.locals.services;
	const scope = reportScope(event);
	const published = await listPublished(rt.handle.db, scope);
	const latest = new Map<string, (typeof published)[number]>();
	for (const p of published) if (!latest.has(p.month)) latest.set(p.month, p);
	return {
		issuer: issuerOf(scope, rt.org()),
		months: recentMonths(event.locals.services.org(), 13, scope).map((month) => ({ month, latest: latest.get(month) ?? null })),
		published,
		query: scopeQuery(event.url),
		canPublish: event.locals.user!.roles.includes('leader'),
		names: await rt.accounts.namesOf(published.map((p) => p.publishedBy))
	};
};
