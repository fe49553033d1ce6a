/**
 * Ingest keys (senders) and display tokens (read-only walls): random secrets shown once,
 * stored only as SHA-256, revocable, scoped (event-type prefixes / center or region).
 * Lookups are cached briefly; a revoke on this instance clears the cache at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { displayTokens, ingestKeys } from '../db/schema';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

export const NAME_RE = /^[A-Za-z0-9._\-\u4e00-\u9fff]{1,64}$/;
const TYPE_PATTERN_RE = /^(\*|org|[a-z]+\.\*|[a-z]+\.[a-z_]+)$/;

export class CredentialError extends Error {}

export interface IngestKey {
	id: number;
	name: string;
	types: string[];
	/** Whose events it may send: a hall's own machines are given their center. */
	scope: DisplayToken['scope'];
}

const scopeOfRow = (row: { scopeKind: string; scopeCode: string | null }): DisplayToken['scope'] =>
	row.scopeKind === 'all' || !row.scopeCode ? { kind: 'all' } : { kind: row.scopeKind as 'center' | 'region', code: row.scopeCode };

export interface DisplayToken {
	id: number;
	name: string;
	scope: { kind: 'all' } | { kind: 'center' | 'region'; code: string };
}

/** Does a key's type list allow this event type? Patterns: `*`, `queue.*`, `hotline.ticket_created`, `org`. */
export function typeAllowed(patterns: string[], type: string): boolean {
	return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

export function parseTypePatterns(list: string): string[] {
	const types = list
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
	if (!types.length) throw new CredentialError('--types: give at least one event-type prefix, e.g. "queue.*,window.*" (or "org" for org data)');
	for (const t of types)
		if (!TYPE_PATTERN_RE.test(t)) throw new CredentialError(`--types: "${t}" is not a type or prefix (expected e.g. queue.*, hotline.ticket_created, org or *)`);
	return types;
}

function checkName(name: string): void {
	if (!NAME_RE.test(name)) throw new CredentialError(`--name: expected 1–64 letters, digits, . _ - (found "${name}")`);
}

const CACHE_MS = 5000;
/** Revocations are announced here so every instance drops its cache at once (PostgreSQL). */
export const CREDENTIALS_CHANNEL = 'hallwatch_credentials';

export class Credentials {
	private keyCache = new Map<string, { key: IngestKey | null; until: number }>();
	private tokenCache = new Map<string, { token: DisplayToken | null; until: number }>();
	private touched = new Map<string, number>();

	constructor(private db: Database) {}

	async createKey(name: string, types: string[], scope: DisplayToken['scope'] = { kind: 'all' }): Promise<{ key: string; record: IngestKey }> {
		checkName(name);
		// Org data names every center: a key limited to one may not rewrite the others'.
		if (scope.kind !== 'all' && types.some((t) => t === 'org' || t === '*'))
			throw new CredentialError(`--types: a key limited to ${scope.kind} "${scope.code}" may not send org data ("org" or "*"); give it event types only`);
		const key = secret('hwk');
		try {
			const [row] = await this.db
				.insert(ingestKeys)
				.values({ name, keyHash: sha256(key), types, scopeKind: scope.kind, scopeCode: scope.kind === 'all' ? null : scope.code })
				.returning();
			return { key, record: { id: row.id, name: row.name, types: row.types, scope: scopeOfRow(row) } };
		} catch (err) {
			if (/duplicate key|unique/i.test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message)))
				throw new CredentialError(`an active ingest key named "${name}" exists: revoke it first or choose another name`);
			throw err;
		}
	}

	async revokeKey(name: string): Promise<boolean> {
		const rows = await this.db
			.update(ingestKeys)
			.set({ revokedAt: new Date() })
			.where(and(eq(ingestKeys.name, name), isNull(ingestKeys.revokedAt)))
			.returning({ id: ingestKeys.id });
		this.clearCaches();
		await this.announceRevocation();
		return rows.length > 0;
	}

	async listKeys() {
		return this.db
			.select({ name: ingestKeys.name, types: ingestKeys.types, scopeKind: ingestKeys.scopeKind, scopeCode: ingestKeys.scopeCode, createdAt: ingestKeys.createdAt, revokedAt: ingestKeys.revokedAt, lastUsedAt: ingestKeys.lastUsedAt })
			.from(ingestKeys)
			.orderBy(ingestKeys.id);
	}

	/** The active key for a bearer secret, or null. */
	async verifyKey(secretValue: string): Promise<IngestKey | null> {
		const hash = sha256(secretValue);
		const now = Date.now();
		const hit = this.keyCache.get(hash);
		if (hit && hit.until > now) return hit.key;
		const [row] = await this.db.select().from(ingestKeys).where(and(eq(ingestKeys.keyHash, hash), isNull(ingestKeys.revokedAt)));
		const key = row ? { id: row.id, name: row.name, types: row.types, scope: scopeOfRow(row) } : null;
		if (this.keyCache.size > 1000) this.keyCache.clear();
		this.keyCache.set(hash, { key, until: now + CACHE_MS });
		if (key) this.touch('k' + key.id, () => this.db.update(ingestKeys).set({ lastUsedAt: new Date() }).where(eq(ingestKeys.id, key.id)));
		return key;
	}

	async createToken(name: string, scope: DisplayToken['scope']): Promise<{ token: string; record: DisplayToken }> {
		checkName(name);
		const token = secret('hwd');
		try {
			const [row] = await this.db
				.insert(displayTokens)
				.values({ name, tokenHash: sha256(token), scopeKind: scope.kind, scopeCode: scope.kind === 'all' ? null : scope.code })
				.returning();
			return { token, record: { id: row.id, name, scope } };
		} catch (err) {
			if (/duplicate key|unique/i.test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message)))
				throw new CredentialError(`an active display token named "${name}" exists: revoke it first or choose another name`);
			throw err;
		}
	}

	async revokeToken(name: string): Promise<boolean> {
		const rows = await this.db
			.update(displayTokens)
			.set({ revokedAt: new Date() })
			.where(and(eq(displayTokens.name, name), isNull(displayTokens.revokedAt)))
			.returning({ id: displayTokens.id });
		this.clearCaches();
		await this.announceRevocation();
		return rows.length > 0;
	}

	async listTokens() {
		return this.db
			.select({
				name: displayTokens.name,
				scopeKind: displayTokens.scopeKind,
				scopeCode: displayTokens.scopeCode,
				createdAt: displayTokens.createdAt,
				revokedAt: displayTokens.revokedAt,
				lastUsedAt: displayTokens.lastUsedAt
			})
			.from(displayTokens)
			.orderBy(displayTokens.id);
	}

	async verifyToken(secretValue: string): Promise<DisplayToken | null> {
		const hash = sha256(secretValue);
		const now = Date.now();
		const hit = this.tokenCache.get(hash);
		if (hit && hit.until > now) return hit.token;
		const [row] = await this.db.select().from(displayTokens).where(and(eq(displayTokens.tokenHash, hash), isNull(displayTokens.revokedAt)));
		const token: DisplayToken | null = row ? { id: row.id, name: row.name, scope: scopeOfRow(row) } : null;
		if (this.tokenCache.size > 1000) this.tokenCache.clear();
		this.tokenCache.set(hash, { token, until: now + CACHE_MS });
		if (token) this.touch('t' + token.id, () => this.db.update(displayTokens).set({ lastUsedAt: new Date() }).where(eq(displayTokens.id, token.id)));
		return token;
	}

	/** Forget cached lookups (a key or token was revoked, here or on another instance). */
	clearCaches(): void {
		this.keyCache.clear();
		this.tokenCache.clear();
	}

	private async announceRevocation(): Promise<void> {
		await this.db.execute(sql`select pg_notify(${CREDENTIALS_CHANNEL}, '')`).catch(() => {});
	}

	/** Record "last used" at most once a minute per credential, off the request path. */
	private touch(id: string, write: () => PromiseLike<unknown>): void {
		const now = Date.now();
		if ((this.touched.get(id) ?? 0) > now - 60_000) return;
		this.touched.set(id, now);
		Promise.resolve(write()).then(
			() => {},
			() => this.touched.delete(id)
		);
	}

	/** Is there any active key/token at all (first-run detection). */
	async hasAny(): Promise<boolean> {
		const r = await this.db.execute(sql`select exists(select 1 from ingest_keys) or exists(select 1 from display_tokens) as any`);
		const rows = Array.isArray(r) ? r : ((r as { rows: unknown[] }).rows ?? []);
		return Boolean((rows[0] as { any?: boolean })?.any);
	}
}
