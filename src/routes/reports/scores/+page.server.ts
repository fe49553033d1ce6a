import { error } from '@sveltejs/kit';
import { issuerOf, MONTH } from '$lib/domain/bulletin';
import { scoreDepartments } from '$lib/domain/scoring';
import { departmentsOf } from '$lib/domain/snapshot';
import { monthCounters } from '$lib/server/reports/months';
import { recentMonths, reportScope, scopeQuery, thisMonth } from '$lib/server/reports/page';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** 部门得分: a month's department scores under the rules in force, with every point's reason. */
export const load: PageServerLoad = async (event) => {
	const rt = getRuntime();
	const org = rt.org();
	const scope = reportScope(event);
	const asked = event.url.searchParams.get('month');
	const month = asked ?? thisMonth(scope);
	if (!MONTH.test(month) || month > thisMonth(scope)) error(404, `month: expected a month up to ${thisMonth(scope)}, found "${month}"`);
	const now = Date.now();
	const { counters, source } = await monthCounters(rt.handle.db, rt.projector.state, month, now, org.timezoneOf(scope.kind === 'center' ? scope.code : null));
	const rules = rt.rules().scoring;
	const scores = scoreDepartments(departmentsOf(scope, org), (code) => counters('department', code), rules);
	return {
		issuer: issuerOf(scope, org),
		month,
		months: recentMonths(13, scope),
		live: month === thisMonth(scope),
		source,
		rules,
		scores,
		selected: event.url.searchParams.get('dept'),
		query: scopeQuery(event.url)
	};
};
