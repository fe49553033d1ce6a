import { fail } from '@sveltejs/kit';
import { planRounds } from '$lib/domain/presence';
import { dayKey, DEFAULT_TZ } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { parseSchedule, RoundError } from '$lib/server/supervision/rounds';
import type { Actions, PageServerLoad } from './$types';

/** 在岗抽查 schedule: hours, rounds per day, gap, response time, sample, centers. */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const schedule = await rt.rounds.schedule();
	const org = rt.org();
	return {
		schedule,
		centers: [...org.centers.values()].map((c) => ({ code: c.code, name: c.name })),
		// Today's planned times per scheduled center (the same on every instance).
		today: schedule.centers.map((code) => {
			const tz = org.centers.get(code)?.timezone || DEFAULT_TZ;
			const day = dayKey(Date.now(), tz);
			return { code, day, minutes: planRounds(code, day, schedule) };
		})
	};
};

export const actions: Actions = {
	save: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const f = (k: string) => String(form.get(k) ?? '');
		try {
			const before = await rt.rounds.schedule();
			const after = parseSchedule(
				{ enabled: form.get('enabled') === 'on', centers: form.getAll('centers').map(String), hours: f('hours'), roundsPerDay: f('roundsPerDay'), minGapMinutes: f('minGapMinutes'), respondWithinSec: f('respondWithinSec'), sample: f('sample') },
				rt.org()
			);
			await rt.rounds.saveSchedule(after);
			await auditRequest(rt.handle.db, event, 'presence.schedule_update', 'presence.schedule', { before, after });
			return { saved: true };
		} catch (err) {
			if (err instanceof RoundError) return fail(400, { field: err.field, error: err.message, zh: err.zh });
			throw err;
		}
	}
};
