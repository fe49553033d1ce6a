/**
 * Glue for the report pages: the scope a request may see (`?center=` / `?region=`, within the
 * user's own scope), months, and the bulletin a page shows (a published version, or the current
 * figures with the leader's draft).
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import type { BulletinFigures, BulletinTexts } from '../../domain/bulletin';
import type { Scope } from '../../domain/snapshot';
import { monthKey, previousMonth } from '../../domain/time';
import { resolveScope, ScopeError } from '../auth/viewer';
import { MAX_INT4, param, parsePath, parseQuery } from '../http/params';
import type { OrgIndex } from '../../domain/org';
import { currentFigures, getDraft, getVersion, listVersions, type Draft, type VersionSummary } from './bulletins';

type Event = Pick<RequestEvent, 'url' | 'locals'>;

/** The scope asked for, or the user's own; outside their scope → 403, unknown code → 404. */
export function reportScope(event: Event): Scope {
	try {
		return resolveScope(event.url, event.locals.viewer!, event.locals.services.org());
	} catch (err) {
		if (err instanceof ScopeError) error(err.status, err.message);
		throw err;
	}
}

/** `?center=…` / `?region=…` as asked, to keep in links. */
export function scopeQuery(url: URL): string {
	const q = new URLSearchParams();
	for (const k of ['center', 'region']) {
		const v = url.searchParams.get(k);
		if (v) q.set(k, v);
	}
	return q.toString();
}

/** This month in the scope's time zone. */
export function thisMonth(org: OrgIndex, scope?: Scope): string {
	return monthKey(Date.now(), org.timezoneOf(scope?.kind === 'center' ? scope.code : null));
}

/** The last `n` months, newest first, ending with this one. */
export function recentMonths(org: OrgIndex, n = 13, scope?: Scope): string[] {
	const out = [thisMonth(org, scope)];
	while (out.length < n) out.push(previousMonth(out[out.length - 1]));
	return out;
}

/** A `YYYY-MM` from the route that is not in the future, else 404. */
export function monthParam(value: string | undefined, org: OrgIndex, scope?: Scope): string {
	const { month } = parsePath({ month: value }, { month: param.month() });
	if (month > thisMonth(org, scope)) error(404, `month: ${month} has not begun`);
	return month;
}

/** `?v=N`, a published version's number (an integer column), or null for the draft; malformed → 400. */
export function versionParam(url: URL): number | null {
	return parseQuery(url, { v: param.id(MAX_INT4).optional() }).v ?? null;
}

export interface BulletinView {
	month: string;
	scope: Scope;
	figures: BulletinFigures;
	texts: BulletinTexts;
	/** The version shown, or null for the live draft. */
	version: VersionSummary | null;
	versions: VersionSummary[];
	draft: Omit<Draft, 'texts'> | null;
}

/** The bulletin a page shows: `?v=N` (published, frozen) or the current figures with the draft. */
export async function loadBulletin(event: Event & { params: Partial<Record<string, string>> }): Promise<BulletinView> {
	const rt = event.locals.services;
	const scope = reportScope(event);
	const month = monthParam(event.params.month, rt.org(), scope);
	const db = rt.handle.db;
	const versions = await listVersions(db, month, scope);
	const v = versionParam(event.url);
	if (v !== null) {
		const found = await getVersion(db, month, scope, v);
		if (!found) error(404, `v: no published version ${v} of ${month}`);
		const { figures, texts, ...summary } = found;
		return { month, scope, figures, texts, version: summary, versions, draft: null };
	}
	const [figures, draft] = await Promise.all([
		currentFigures({ db, state: rt.projector.state, org: rt.org(), scoring: rt.rules().scoring }, month, scope),
		getDraft(db, month, scope)
	]);
	return { month, scope, figures, texts: draft.texts, version: null, versions, draft: { updatedBy: draft.updatedBy, updatedAt: draft.updatedAt } };
}

/** `bulletin-center-PJ-001-2026-10-v2.pdf`: ASCII, so every browser keeps it. */
export function fileName(month: string, scope: string, version: number | null, ext: string): string {
	return `bulletin-${scope.replace(/[^A-Za-z0-9_-]+/g, '-')}-${month}${version ? `-v${version}` : '-draft'}.${ext}`;
}
