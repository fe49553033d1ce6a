import { applyScoringForm, scoreDepartments, SCORING_FIELDS, SCORING_NUMBER_KEYS } from '$lib/domain/scoring';
import { bucketKey } from '$lib/domain/projection';
import { departmentsOf } from '$lib/domain/snapshot';
import { monthKey } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { field, formAction, Refused, worded } from '$lib/server/http/form';
import { param, type Shape } from '$lib/server/http/params';
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

/** Every number of the rules within its range (the domain checks the decimals), and the checkbox. */
const SCORING: Shape = {
	...Object.fromEntries(SCORING_NUMBER_KEYS.map((k) => [k, param.number(SCORING_FIELDS[k].min, SCORING_FIELDS[k].max).describe(`scoring.${k}`)])),
	countBadReviewCards: field.flag()
};

export const actions: Actions = {
	save: formAction('save', SCORING, async (input, event) => {
		const rt = event.locals.services;
		const form = { ...Object.fromEntries(SCORING_NUMBER_KEYS.map((k) => [k, String(input[k])])), countBadReviewCards: input.countBadReviewCards ? 'on' : undefined };
		const r = applyScoringForm(form);
		if (!r.ok) throw new Refused({ [r.field]: worded(r.error, r.error) });
		const before = rt.rules().scoring;
		await saveScoring(rt.handle.db, r.rules);
		await rt.reloadRules();
		await auditRequest(rt.handle.db, event, 'scoring.update', 'scoring', { before, after: r.rules });
		return { saved: true };
	})
};
