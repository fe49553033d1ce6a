import { fail } from '@sveltejs/kit';
import { hotlineSettingsProblems, MAX_LIMIT_DAYS, type HotlineSettings } from '$lib/domain/hotline';
import { problemText } from '$lib/console/hotline-strings';
import { auditRequest } from '$lib/server/audit';
import { loadHotlineSettings, saveHotlineSettings } from '$lib/server/hotline/settings';
import type { Actions, PageServerLoad } from './$types';

/** 办理时限: working days per hotline category (admins). Dispatches use them from the next one on. */
export const load: PageServerLoad = async ({ locals }) => {
	const { settings, errors } = await loadHotlineSettings(locals.services.handle.db);
	return { settings, errors, max: MAX_LIMIT_DAYS };
};

export const actions: Actions = {
	save: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const names = form.getAll('name').map((v) => String(v).trim());
		const days = form.getAll('days').map((v) => String(v).trim());
		// An emptied name removes the row.
		const categories = names.flatMap((name, i) => (name ? [{ name, days: days[i] === '' ? NaN : Number(days[i]) }] : []));
		const next: HotlineSettings = { categories, defaultDays: Number(form.get('defaultDays') ?? '') };
		const problem = hotlineSettingsProblems(next)[0];
		const rows = names.map((name, i) => ({ name, days: days[i] ?? '' }));
		if (problem) return fail(400, { ...problem, error: problemText(problem, 'en'), rows, defaultDays: String(form.get('defaultDays') ?? '') });
		const { settings: before } = await loadHotlineSettings(rt.handle.db);
		await saveHotlineSettings(rt.handle.db, next);
		await auditRequest(rt.handle.db, event, 'hotline.limits_update', 'hotline', { before, after: next });
		return { saved: true };
	}
};
