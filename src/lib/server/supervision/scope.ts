/**
 * The supervision workbench's filter, read from the page's query (center, month, colour,
 * department, source, search), within the centers the supervisor's scope reaches.
 */
import type { CardFilter } from '../../domain/cards';
import type { Center, OrgIndex } from '../../domain/org';
import { DEFAULT_TZ, monthKey } from '../../domain/time';

export function supervisionFilter(url: URL, centers: Center[], org: OrgIndex): { centerCode: string | null; tz: string; cards: CardFilter } {
	const q = (k: string) => url.searchParams.get(k)?.trim() || null;
	const wanted = q('center');
	const centerCode = (wanted && centers.some((c) => c.code === wanted) ? wanted : centers[0]?.code) ?? null;
	const tz = (centerCode && org.centers.get(centerCode)?.timezone) || DEFAULT_TZ;
	const month = /^\d{4}-\d{2}$/.test(q('month') ?? '') ? q('month')! : monthKey(Date.now(), tz);
	const color = q('color');
	const source = q('source');
	return {
		centerCode,
		tz,
		cards: {
			month,
			centerCode: centerCode ?? '__none__',
			color: color === 'yellow' || color === 'red' ? color : null,
			departmentCode: q('department'),
			source: source === 'hand' || source === 'rule' ? source : null,
			q: q('q'),
			includeRevoked: q('revoked') !== 'hide'
		}
	};
}
