/**
 * Sessions after the Lucia design (lucia-auth.com, "Sessions"): a random token goes to the
 * browser in an HttpOnly cookie; the database keeps only its SHA-256. Sessions slide: a session
 * used in the second half of its life is extended to a full lifetime. Logging out, changing the
 * password, a role change or disabling the account ends sessions.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, gt, inArray, isNull, lt, ne } from 'drizzle-orm';
import type { Role, UserScope } from '../../domain/roles';
import { isRole } from '../../domain/roles';
import type { Executor } from '../db/client';
import { sessions, users } from '../db/schema';

export const SESSION_COOKIE = 'hallwatch_session';
const DAY = 24 * 60 * 60 * 1000;

export interface Session {
	/** SHA-256 (hex) of the token. */
	id: string;
	userId: number;
	expiresAt: Date;
}

export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	roles: Role[];
	scope: UserScope;
	staffCode: string | null;
	mustChangePassword: boolean;
}

/** 20 random bytes, base32: 160 bits of entropy. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function userFromRow(row: typeof users.$inferSelect): SessionUser {
	return {
		id: row.id,
		username: row.username,
		displayName: row.displayName || row.username,
		roles: (row.roles ?? []).filter(isRole),
		scope: row.scopeKind === 'center' && row.scopeCode ? { kind: 'center', code: row.scopeCode } : row.scopeKind === 'region' && row.scopeCode ? { kind: 'region', code: row.scopeCode } : { kind: 'all' },
		staffCode: row.staffCode,
		mustChangePassword: row.mustChangePassword
	};
}

export class SessionStore {
	/** Lifetime of a session; it slides forward when used in its second half. */
	readonly lifetimeMs: number;

	constructor(
		private db: Executor,
		opts: { lifetimeDays?: number; now?: () => number } = {}
	) {
		this.lifetimeMs = (opts.lifetimeDays ?? 7) * DAY;
		this.now = opts.now ?? Date.now;
	}
	private now: () => number;

	async create(token: string, userId: number, meta: { ip?: string | null; userAgent?: string | null } = {}): Promise<Session> {
		const session: Session = { id: sessionIdOf(token), userId, expiresAt: new Date(this.now() + this.lifetimeMs) };
		await this.db.insert(sessions).values({ ...session, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null });
		return session;
	}

	/**
	 * The session and user for a cookie's token, or null (unknown, expired, or the account is
	 * disabled). `refreshed` says the expiry moved, so the cookie must be sent again.
	 */
	async validate(token: string): Promise<{ session: Session; user: SessionUser; refreshed: boolean } | null> {
		const id = sessionIdOf(token);
		const rows = await this.db.select({ s: sessions, u: users }).from(sessions).innerJoin(users, eq(sessions.userId, users.id)).where(eq(sessions.id, id));
		if (!rows.length) return null;
		const { s, u } = rows[0];
		const now = this.now();
		if (now >= s.expiresAt.getTime() || u.disabledAt) {
			await this.db.delete(sessions).where(eq(sessions.id, id));
			return null;
		}
		const session: Session = { id, userId: s.userId, expiresAt: s.expiresAt };
		let refreshed = false;
		if (now >= s.expiresAt.getTime() - this.lifetimeMs / 2) {
			session.expiresAt = new Date(now + this.lifetimeMs);
			await this.db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id));
			refreshed = true;
		}
		return { session, user: userFromRow(u), refreshed };
	}

	/**
	 * Which of these sessions are still valid (exist, not expired, account enabled): one query,
	 * for the sockets opened with them. Unlike `validate` it never slides or deletes anything.
	 */
	async stillValid(ids: string[]): Promise<Set<string>> {
		if (!ids.length) return new Set();
		const rows = await this.db
			.select({ id: sessions.id })
			.from(sessions)
			.innerJoin(users, eq(sessions.userId, users.id))
			.where(and(inArray(sessions.id, ids), gt(sessions.expiresAt, new Date(this.now())), isNull(users.disabledAt)));
		return new Set(rows.map((r) => r.id));
	}

	async invalidate(sessionId: string): Promise<void> {
		await this.db.delete(sessions).where(eq(sessions.id, sessionId));
	}

	/** End every session of a user, or every one but `keep` (the one that changed the password). */
	async invalidateUser(userId: number, keep?: string): Promise<number> {
		const rows = await this.db
			.delete(sessions)
			.where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId))
			.returning({ id: sessions.id });
		return rows.length;
	}

	/** Drop expired sessions (housekeeping; validation refuses them anyway). */
	async sweep(): Promise<number> {
		const rows = await this.db.delete(sessions).where(lt(sessions.expiresAt, new Date(this.now()))).returning({ id: sessions.id });
		return rows.length;
	}
}

/** Cookie options: HttpOnly, SameSite=Lax, Secure when the site is served over HTTPS. */
export function sessionCookieOptions(expiresAt: Date, secure: boolean) {
	return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, expires: expiresAt };
}

/** Read one cookie from a raw Cookie header (the WebSocket upgrade has no SvelteKit cookies). */
export function cookieFromHeader(header: string | undefined | null, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eqAt = part.indexOf('=');
		if (eqAt < 0) continue;
		if (part.slice(0, eqAt).trim() === name) {
			try {
				return decodeURIComponent(part.slice(eqAt + 1).trim());
			} catch {
				return null;
			}
		}
	}
	return null;
}
