import { z } from 'zod';
import { planRounds } from '$lib/domain/presence';
import { dayKey, DEFAULT_TZ } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { field, formAction } from '$lib/server/http/form';
import { parseSchedule } from '$lib/server/supervision/rounds';
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

const text = z.string().trim().default('');
/** The schedule as typed; parseSchedule checks it (RoundError naming the field). */
const SCHEDULE = { enabled: field.flag(), centers: field.list(z.string()), hours: text, roundsPerDay: text, minGapMinutes: text, respondWithinSec: text, sample: text };

export const actions: Actions = {
	save: formAction('save', SCHEDULE, async (input, event) => {
		const rt = event.locals.services;
		const before = await rt.rounds.schedule();
		const after = parseSchedule(input, rt.org());
		await rt.rounds.saveSchedule(after);
		await auditRequest(rt.handle.db, event, 'presence.schedule_update', 'presence.schedule', { before, after });
		return { saved: true };
	})
};
