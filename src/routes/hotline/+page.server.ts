import { categoriesOf, HOTLINE_CHANNELS, HOTLINE_STATUSES } from '$lib/domain/hotline';
import { decodeCursor, encodeCursor, parseTicketFilter } from '$lib/domain/hotline-figures';
import { monthKey } from '$lib/domain/time';
import { loadHotlineSettings } from '$lib/server/hotline/settings';
import { hotlineViewer, ticketView } from '$lib/server/hotline/view';
import { param, parseQuery } from '$lib/server/http/params';
import type { PageServerLoad } from './$types';

const FLAG = param.oneOf(['1', '0']).optional();
/** The filters (read by parseTicketFilter once checked here) and the keyset cursor of a "next" link. */
const QUERY = {
	status: param.oneOf([...HOTLINE_STATUSES, 'open']).optional(),
	department: param.code().optional(),
	category: param.text(100).optional(),
	overdue: FLAG,
	from: param.day().optional(),
	to: param.day().optional(),
	on: param.oneOf(['created', 'closed', 'assigned']).optional(),
	ack: FLAG,
	returned: FLAG,
	extended: FLAG,
	solved: FLAG,
	merged: FLAG,
	pending: param.oneOf(['return', 'extension']).optional(),
	ontime: FLAG,
	callback: param.oneOf(['any', 'none', 'reached', 'unreached']).optional(),
	satisfaction: param.oneOf(['good', 'satisfied', 'basic', 'unsatisfied']).optional(),
	supervised: FLAG,
	q: param.text(100).optional(),
	after: param
		.text(500)
		.refine((v) => !v || /^[^\u0000-\u001f\u007f]+$/.test(decodeCursor(v)?.ticketId ?? ''), 'hl.desk.badCursor')
		.optional()
};

/** 12345 热线工作台: this month's figures (overall, by department, ranked), the ticket list, intake. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const rt = locals.services;
	const org = rt.org();
	const viewer = hotlineViewer(locals.user!, org);
	const now = Date.now();
	const query = parseQuery(url, QUERY);
	const filter = parseTicketFilter(url.searchParams);
	const cursor = decodeCursor(query.after);
	const page = await rt.hotline.list(filter, { reach: viewer.reach, tz: viewer.tz, now, cursor, searchPhones: viewer.seesPhones });
	const { settings } = await loadHotlineSettings(rt.handle.db);
	const figures = await rt.hotline.figures(monthKey(now, viewer.tz), { reach: viewer.reach, tz: viewer.tz, now, weights: settings.weights });
	return {
		viewer: { seesPhones: viewer.seesPhones, canAct: viewer.canAct, isAdmin: viewer.isAdmin },
		filter,
		paged: !!cursor,
		rows: page.rows.map((s) => ticketView(s, org, viewer, now)),
		next: page.next ? encodeCursor(page.next) : null,
		figures,
		limits: Object.fromEntries(settings.categories.map((c) => [c.name, c.days])),
		defaultDays: settings.defaultDays,
		weights: settings.weights,
		choices: {
			statuses: HOTLINE_STATUSES,
			channels: HOTLINE_CHANNELS,
			categories: categoriesOf(settings),
			departments: rt.hotlineDesk.departments(viewer.reach).map((d) => ({ code: d.code, name: d.name })),
			regions: rt.hotlineDesk.regions(viewer.reach),
			regionRequired: !viewer.reach.everything
		}
	};
};
