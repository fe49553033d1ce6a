/**
 * Monthly bulletins (月通报): the figures of a month and scope taken now, the leader's draft
 * texts (`bulletin_drafts`), and published versions (`bulletins`: figures and texts frozen;
 * later data cannot change them; a new version needs a reason).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { UserError } from '../user-error';
import { buildBulletinFigures, cleanTexts, emptyTexts, type BulletinFigures, type BulletinTexts } from '../../domain/bulletin';
import type { ScoringRules } from '../../domain/metrics';
import type { OrgIndex } from '../../domain/org';
import type { LiveState } from '../../domain/projection';
import { scopeLabel, type Scope } from '../../domain/snapshot';
import type { Database, Executor } from '../db/client';
import { bulletinDrafts, bulletins } from '../db/schema';
import { monthCounters, yearCounters } from './months';
import { loadHotlineSettings } from '../hotline/settings';

export interface FiguresDeps {
	db: Database;
	state: LiveState;
	org: OrgIndex;
	scoring: ScoringRules;
	now?: number;
}

/** The month's figures for a scope, as they are now. */
export async function currentFigures(deps: FiguresDeps, month: string, scope: Scope): Promise<BulletinFigures> {
	const now = deps.now ?? Date.now();
	const tz = deps.org.timezoneOf(scope.kind === 'center' ? scope.code : null);
	const { counters, source } = await monthCounters(deps.db, deps.state, month, now, tz);
	const { settings } = await loadHotlineSettings(deps.db);
	return buildBulletinFigures({
		yearCounters: await yearCounters(deps.db, deps.state, month, now, tz),
		weights: settings.weights,
		month,
		scope,
		org: deps.org,
		counters,
		cards: source === 'state' ? deps.state.cards : null,
		indicators: deps.state.indicators,
		scoring: deps.scoring,
		now,
		seq: deps.state.seq
	});
}

export interface Draft {
	texts: BulletinTexts;
	updatedBy: string | null;
	updatedAt: string | null;
}

export async function getDraft(db: Executor, month: string, scope: Scope): Promise<Draft> {
	const [row] = await (db as Database)
		.select()
		.from(bulletinDrafts)
		.where(and(eq(bulletinDrafts.month, month), eq(bulletinDrafts.scope, scopeLabel(scope))));
	return row ? { texts: cleanTexts(row.texts), updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() } : { texts: emptyTexts(), updatedBy: null, updatedAt: null };
}

export async function saveDraft(db: Executor, month: string, scope: Scope, texts: BulletinTexts, by: string): Promise<void> {
	await (db as Database)
		.insert(bulletinDrafts)
		.values({ month, scope: scopeLabel(scope), texts, updatedBy: by })
		.onConflictDoUpdate({ target: [bulletinDrafts.month, bulletinDrafts.scope], set: { texts, updatedBy: by, updatedAt: new Date() } });
}

export interface VersionSummary {
	version: number;
	publishedAt: string;
	publishedBy: string;
	reason: string | null;
}

export interface Version extends VersionSummary {
	figures: BulletinFigures;
	texts: BulletinTexts;
}

export async function listVersions(db: Executor, month: string, scope: Scope): Promise<VersionSummary[]> {
	const rows = await (db as Database)
		.select({ version: bulletins.version, publishedAt: bulletins.publishedAt, publishedBy: bulletins.publishedBy, reason: bulletins.reason })
		.from(bulletins)
		.where(and(eq(bulletins.month, month), eq(bulletins.scope, scopeLabel(scope))))
		.orderBy(desc(bulletins.version));
	return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
}

/** Every published bulletin of a scope (latest version of each month first), for the reports index. */
export async function listPublished(db: Executor, scope: Scope, limit = 60): Promise<Array<VersionSummary & { month: string }>> {
	const rows = await (db as Database)
		.select({ month: bulletins.month, version: bulletins.version, publishedAt: bulletins.publishedAt, publishedBy: bulletins.publishedBy, reason: bulletins.reason })
		.from(bulletins)
		.where(eq(bulletins.scope, scopeLabel(scope)))
		.orderBy(desc(bulletins.month), desc(bulletins.version))
		.limit(limit);
	return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
}

export async function getVersion(db: Executor, month: string, scope: Scope, version: number): Promise<Version | null> {
	const [row] = await (db as Database)
		.select()
		.from(bulletins)
		.where(and(eq(bulletins.month, month), eq(bulletins.scope, scopeLabel(scope)), eq(bulletins.version, version)));
	if (!row) return null;
	return { version: row.version, publishedAt: row.publishedAt.toISOString(), publishedBy: row.publishedBy, reason: row.reason, figures: row.figures as BulletinFigures, texts: cleanTexts(row.texts) };
}

/** Publishing refused, naming the field (a UserError worded by the dictionaries). */
export class PublishError extends UserError {}

/**
 * Freeze the figures and the texts as the next version (1, 2, …), in one transaction with the
 * draft and `within` (the audit entry). From version 2 on a reason is required.
 */
export async function publish(
	db: Database,
	p: { month: string; scope: Scope; figures: BulletinFigures; texts: BulletinTexts; by: string; reason: string | null },
	within?: (tx: Executor, version: number) => Promise<void>
): Promise<number> {
	if (!p.texts.problems.trim()) throw PublishError.keyed('problems', 'bulletin.errProblems');
	if (!p.texts.plans.trim()) throw PublishError.keyed('plans', 'bulletin.errPlans');
	const reason = p.reason?.trim() || null;
	if (reason && reason.length > 1000) throw PublishError.keyed('reason', 'bulletin.errReasonLong', { max: 1000 });
	const scope = scopeLabel(p.scope);
	return db.transaction(async (tx) => {
		// Serialize publishers of one bulletin: the row lock on its draft (made if missing).
		await tx
			.insert(bulletinDrafts)
			.values({ month: p.month, scope, texts: p.texts, updatedBy: p.by })
			.onConflictDoUpdate({ target: [bulletinDrafts.month, bulletinDrafts.scope], set: { texts: p.texts, updatedBy: p.by, updatedAt: new Date() } });
		await tx.execute(sql`select 1 from bulletin_drafts where month = ${p.month} and scope = ${scope} for update`);
		const [last] = await tx
			.select({ version: bulletins.version })
			.from(bulletins)
			.where(and(eq(bulletins.month, p.month), eq(bulletins.scope, scope)))
			.orderBy(desc(bulletins.version))
			.limit(1);
		const version = (last?.version ?? 0) + 1;
		if (version > 1 && !reason) throw PublishError.keyed('reason', 'bulletin.errReason', { v: version, was: version - 1 });
		await tx.insert(bulletins).values({ month: p.month, scope, version, publishedBy: p.by, reason, figures: p.figures, texts: p.texts });
		await within?.(tx, version);
		return version;
	});
}
