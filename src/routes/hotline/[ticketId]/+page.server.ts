import { error } from '@sveltejs/kit';
import { availableActions, dueAtFor, limitDaysFor } from '$lib/domain/hotline';
import { loadHotlineSettings } from '$lib/server/hotline/settings';
import { hotlineViewer, ticketView, timelineView } from '$lib/server/hotline/view';
import { param, parsePath } from '$lib/server/http/params';
import type { PageServerLoad } from './$types';

/** One ticket: where it stands, its timeline (its events in order) and, for operators, the actions it allows. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const rt = locals.services;
	const org = rt.org();
	const viewer = hotlineViewer(locals.user!, org);
	// The catalog's shape of a ticket id (hotline.ticket_created).
	const { ticketId } = parsePath(params, { ticketId: param.text(128) });
	const { summary, timeline } = await rt.hotline.fromLog(ticketId);
	if (summary.createdAt == null || !rt.hotline.inScope(summary, viewer.reach)) error(404, `ticketId: no ticket "${ticketId}"`);
	const now = Date.now();
	const { settings } = await loadHotlineSettings(rt.handle.db);
	const days = limitDaysFor(settings, summary.category);
	const departments = rt.hotlineDesk.departments(viewer.reach);
	return {
		viewer: { seesPhones: viewer.seesPhones, canAct: viewer.canAct },
		ticket: ticketView(summary, org, viewer, now),
		timeline: timeline.map((e) => timelineView(e, org, viewer)),
		actions: viewer.canAct ? availableActions(summary) : [],
		dispatch: {
			days,
			// If dispatched now with the category's limit (departments of one zone; the form says so).
			dueIfNow: new Date(dueAtFor(now, summary.category, settings, rt.rules().calendar, org.timezoneOf(departments[0]?.centerCode ?? null)).dueAt).toISOString(),
			departments: departments.map((d) => ({ code: d.code, name: d.name }))
		}
	};
};
