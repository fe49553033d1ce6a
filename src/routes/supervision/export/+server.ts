import type { RequestHandler } from '@sveltejs/kit';
import { cardRows } from '$lib/domain/cards';
import { reasonKey, translator } from '$lib/i18n';
import { cardsWorkbook } from '$lib/server/supervision/cards';
import { actorOf } from '$lib/server/auth/reach';
import { supervisionFilter } from '$lib/server/supervision/scope';

/** The month's cards (the workbench's filter) as an Excel workbook. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const rt = locals.services;
	const org = rt.org();
	const f = supervisionFilter(url, actorOf(locals.user!, org).reach.centers(), org);
	const rows = cardRows(rt.projector.state, org, f.cards, f.tz);
	const t = translator('zh');
	const body = await cardsWorkbook(f.cards.month, rows, {
		reason: (r) => {
			const k = reasonKey(r);
			return k ? t(k) : r;
		},
		color: (c) => (c === 'red' ? '红牌' : '黄牌'),
		kind: (k) => ({ staff: '人员', window: '窗口', department: '部门' })[k] ?? k
	});
	const name = `cards-${f.centerCode ?? 'all'}-${f.cards.month}.xlsx`;
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
};
