import type { RequestHandler } from '@sveltejs/kit';
import { scopeLabel } from '$lib/domain/snapshot';
import { parseLang } from '$lib/i18n';
import { fileName, loadBulletin } from '$lib/server/reports/page';
import { bulletinWorkbook } from '$lib/server/reports/workbook';

/** The bulletin as an Excel workbook: one sheet per table, the same figures as the page. */
export const GET: RequestHandler = async (event) => {
	const view = await loadBulletin(event);
	const lang = parseLang(event.url.searchParams.get('lang') ?? event.cookies.get('lang'));
	const body = await bulletinWorkbook(view.figures, view.texts, { version: view.version }, lang);
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${fileName(view.month, scopeLabel(view.scope), view.version?.version ?? null, 'xlsx')}"`,
			'cache-control': 'no-store'
		}
	});
};
