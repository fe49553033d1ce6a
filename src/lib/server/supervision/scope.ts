/**
 * The supervision workbench's filter, read from the page's query (center, month, colour,
 * department, source, search), within the centers the supervisor's scope reaches.
 */
import type { CardFilter } from '../../domain/cards';
import type { Center, OrgIndex } from '../../domain/org';
import { DEFAULT_TZ, monthKey } from '../../domain/time';
import { param, parseQuery } from '../http/params';

const QUERY = {
	center: param.code().optional(),
	month: param.month().optional(),
	color: param.oneOf(['yellow', 'red']).optional(),
	department: param.code().optional(),
	source: param.oneOf(['hand', 'rule']).optional(),
	q: param.text(100).optional(),
	revoked: param.oneOf(['hide', 'show']).optional()
};

/** The workbench's filter (page and export alike); a bad parameter answers 400 naming it. */
export function supervisionFilter(url: URL, centers: Center[], org: OrgIndex): { centerCode: string | null; tz: string; cards: CardFilter } {
	const q = parseQuery(url, QUERY);
	const centerCode = (q.center && centers.some((c) => c.code === q.center) ? q.center : centers[0]?.code) ?? null;
	const tz = (centerCode && org.centers.get(centerCode)?.timezone) || DEFAULT_TZ;
	return {
		centerCode,
		tz,
		cards: {
			month: q.month ?? monthKey(Date.now(), tz),
			centerCode: centerCode ?? '__none__',
			color: q.color ?? null,
			departmentCode: q.department ?? null,
			source: q.source ?? null,
			q: q.q ?? null,
			includeRevoked: q.revoked !== 'hide'
		}
	};
}
