import { fail } from '@sveltejs/kit';
import { applyScoringForm, scoreDepartments, SCORING_FIELDS, SCORING_NUMBER_KEYS } from '$lib/domain/scoring';
import { bucketKey } from '$lib/domain/projection';
import { departmentsOf } from '$lib/domain/snapshot';
import { monthKey } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { saveScoring } from '$lib/server/rules/settings';
import type { Actions, PageServerLoad } from './$types';

/** 评分规则: the department scoring rules in force, and this month's scores under them. */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const org = rt.org();
	const rules = rt.rules().scoring;
	const month = monthKey(Date.now(), org.timezoneOf(null));
	const scores = scoreDepartments(departmentsOf({ kind: 'all' }, org), (code) => rt.projector.state.buckets.get(bucketKey('department', code, month)), rules);
	return { rules, fields: SCORING_NUMBER_KEYS.map((key) => ({ key, ...SCORING_FIELDS[key] })), month, scores };
};

export const actions: Actions = {
	save: async (event) => {
		const rt = event.locals.services;
		const data = await event.request.formData();
		const form = Object.fromEntries([...data].map(([k, v]) => [k, String(v)]));
		const r = applyScoringForm(form);
		if (!r.ok) return fail(400, { field: r.field, error: r.error, values: form });
		const before = rt.rules().scoring;
		await saveScoring(rt.handle.db, r.rules);
		await rt.reloadRules();
		await auditRequest(rt.handle.db, event, 'scoring.update', 'scoring', { before, after: r.rules });
		return { saved: true };
	}
};
