import type { RequestHandler } from '@sveltejs/kit';
import { cardRows } from '$lib/domain/cards';
import { reasonKey, translator } from '$lib/i18n';
import { actorOf } from '$lib/server/auth/reach';
import { cardsWorkbook } from '$lib/server/supervision/cards';
import { supervisionFilter } from '$lib/server/supervision/scope';

/** The month's cards (the workbench's filter) as an Excel workbook. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const rt = locals.services;
	const org = rt.org();
	const { reach } = actorOf(locals.user!, org);
	const f = supervisionFilter(url, reach.centers(), org);
	const rows = cardRows(rt.projector.state, org, f.cards, f.tz);
	const evidence = await rt.cardDesk.evidenceOf(rows.map((r) => r.cardId), reach);
	const t = translator('zh');
	const body = await cardsWorkbook(f.cards.month, rows, {
		reason: (r) => {
			const k = reasonKey(r);
			return k ? t(k) : r;
		},
		color: (c) => (c === 'red' ? '红牌' : '黄牌'),
		kind: (k) => ({ staff: '人员', window: '窗口', department: '部门' })[k] ?? k
	}, evidence);
	const name = `cards-${f.centerCode ?? 'all'}-${f.cards.month}.xlsx`;
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
};
