/**
 * What a supervisor may see: the centers in their scope, and the workbench's filter read from
 * the page's query (center, month, colour, department, source, search).
 */
import type { CardFilter } from '../../domain/cards';
import type { Center, OrgIndex } from '../../domain/org';
import { DEFAULT_TZ, monthKey } from '../../domain/time';
import type { SessionUser } from '../auth/session';

export function centersFor(user: SessionUser, org: OrgIndex): Center[] {
	const all = [...org.centers.values()];
	if (user.scope.kind === 'all') return all;
	if (user.scope.kind === 'center') return all.filter((c) => c.code === (user.scope as { code: string }).code);
	const tree = org.subtree(user.scope.code);
	return all.filter((c) => tree.has(c.regionCode));
}

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
