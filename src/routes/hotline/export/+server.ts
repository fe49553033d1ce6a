import type { RequestHandler } from '@sveltejs/kit';
import { parseTicketFilter } from '$lib/domain/hotline-figures';
import { monthKey } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { ticketsWorkbook } from '$lib/server/hotline/export';
import { hotlineViewer } from '$lib/server/hotline/view';

/** The console's filtered ticket list (the same query string as /hotline) as an Excel workbook; audited. */
export const GET: RequestHandler = async (event) => {
	const { locals, url } = event;
	const rt = locals.services;
	const org = rt.org();
	const viewer = hotlineViewer(locals.user!, org);
	const now = Date.now();
	const filter = parseTicketFilter(url.searchParams);
	const { body, rows, truncated } = await ticketsWorkbook(rt.hotline, filter, viewer, org, now);
	await auditRequest(rt.handle.db, event, 'hotline.export', 'hotline', { query: url.search, rows, truncated });
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="hotline-${monthKey(now, viewer.tz)}.xlsx"`,
			'cache-control': 'no-store'
		}
	});
};
