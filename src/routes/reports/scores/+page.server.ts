import { error } from '@sveltejs/kit';
import { issuerOf } from '$lib/domain/bulletin';
import { scoreDepartments } from '$lib/domain/scoring';
import { departmentsOf } from '$lib/domain/snapshot';
import { param, parseQuery } from '$lib/server/http/params';
import { monthCounters } from '$lib/server/reports/months';
import { recentMonths, reportScope, scopeQuery, thisMonth } from '$lib/server/reports/page';
import type { PageServerLoad } from './$types';

/** 部门得分: a month's department scores under the rules in force, with every point's reason. */
export const load: PageServerLoad = async (event) => {
	const rt = event.locals.services;
	const org = rt.org();
	const scope = reportScope(event);
	const query = parseQuery(event.url, { month: param.month().optional(), dept: param.code().optional() });
	const month = query.month ?? thisMonth(event.locals.services.org(), scope);
	if (month > thisMonth(event.locals.services.org(), scope)) error(404, `month: expected a month up to ${thisMonth(event.locals.services.org(), scope)}, found "${month}"`);
	const now = Date.now();
	const { counters, source } = await monthCounters(rt.handle.db, rt.projector.state, month, now, org.timezoneOf(scope.kind === 'center' ? scope.code : null));
	const rules = rt.rules().scoring;
	const scores = scoreDepartments(departmentsOf(scope, org), (code) => counters('department', code), rules);
	return {
		issuer: issuerOf(scope, org),
		month,
		months: recentMonths(event.locals.services.org(), 13, scope),
		live: month === thisMonth(event.locals.services.org(), scope),
		source,
		rules,
		scores,
		selected: query.dept ?? null,
		query: scopeQuery(event.url)
	};
};
