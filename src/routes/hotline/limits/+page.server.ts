import { z } from 'zod';
import { hotlineSettingsProblems, MAX_LIMIT_DAYS, type HotlineSettings } from '$lib/domain/hotline';
import { auditRequest } from '$lib/server/audit';
import { hotlineMessage } from '$lib/server/hotline/desk';
import { loadHotlineSettings, saveHotlineSettings } from '$lib/server/hotline/settings';
import { field, formAction, Refused } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

/** 办理时限: working days per hotline category (admins). Dispatches use them from the next one on. */
export const load: PageServerLoad = async ({ locals }) => {
	const { settings, errors } = await loadHotlineSettings(locals.services.handle.db);
	return { settings, errors, max: MAX_LIMIT_DAYS };
};

/** The table's rows (a name and its days each; a blank row is left out) and the default. */
const num = z.string().trim().default('');
const LIMITS = { name: field.column(), days: field.column(), defaultDays: num, ackHours: num, wResponse: num, wResolved: num, wSatisfaction: num };
/** A number typed, or (left out, as by a form of before these fields) the value stored. */
const n = (v: string, stored: number) => (v === '' ? stored : Number(v));

export const actions: Actions = {
	save: formAction('save', LIMITS, async ({ name: names, days, defaultDays, ackHours, wResponse, wResolved, wSatisfaction }, event) => {
		const rt = event.locals.services;
		// An emptied name removes the row.
		const categories = names.flatMap((name, i) => (name ? [{ name, days: days[i] === '' ? NaN : Number(days[i]) }] : []));
		const { settings: before } = await loadHotlineSettings(rt.handle.db);
		const w = before.weights;
		const next: HotlineSettings = { categories, defaultDays: Number(defaultDays), ackHours: n(ackHours, before.ackHours), weights: { response: n(wResponse, w.response), resolved: n(wResolved, w.resolved), satisfaction: n(wSatisfaction, w.satisfaction) } };
		const problem = hotlineSettingsProblems(next)[0];
		if (problem) throw new Refused({ [problem.field]: hotlineMessage(problem) }, 400, { rows: names.map((name, i) => ({ name, days: days[i] ?? '' })), defaultDays, ackHours, wResponse, wResolved, wSatisfaction });
		await saveHotlineSettings(rt.handle.db, next);
		await rt.reloadHotline();
		await auditRequest(rt.handle.db, event, 'hotline.limits_update', 'hotline', { before, after: next });
		return { saved: true };
	})
};
