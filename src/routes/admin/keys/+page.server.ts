import { z } from 'zod';
import { EVENT_TYPES, SYSTEM_EVENT_TYPES } from '$lib/domain/catalog';
import type { OrgIndex } from '$lib/domain/org';
import type { Message } from '$lib/i18n';
import { consoleOps } from '$lib/server/admin/console';
import { createDisplayToken, createIngestKey, revokeDisplayToken, revokeIngestKey } from '$lib/server/admin/ops';
import { CredentialError, NAME_RE, parseTypePatterns, type DisplayToken } from '$lib/server/auth/credentials';
import { field, formAction, Refused } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

/** The prefixes a key may be given with a tick: one per family of sendable types, plus org and everything. */
const PREFIXES = [...new Set(EVENT_TYPES.filter((t) => !SYSTEM_EVENT_TYPES.includes(t)).map((t) => `${t.split('.')[0]}.*`)), 'org', '*'];

export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const [keys, tokens] = await Promise.all([rt.credentials.listKeys(), rt.credentials.listTokens()]);
	const iso = (d: Date | null) => d?.toISOString() ?? null;
	const org = rt.org();
	// Active first, then the newest revoked.
	const order = <T extends { revokedAt: Date | null }>(list: T[]) => [...list.filter((x) => !x.revokedAt), ...list.filter((x) => x.revokedAt).reverse()];
	const row = (x: { name: string; scopeKind: string; scopeCode: string | null; createdAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null }) => ({
		name: x.name,
		scope: scopeValueOf(x),
		createdAt: iso(x.createdAt),
		lastUsedAt: iso(x.lastUsedAt),
		revokedAt: iso(x.revokedAt)
	});
	return {
		keys: order(keys).map((k) => ({ ...row(k), types: k.types })),
		tokens: order(tokens).map(row),
		prefixes: PREFIXES,
		centers: [...org.centers.values()].map((c) => ({ code: c.code, name: c.name })),
		regions: [...org.regions.values()].map((r) => ({ code: r.code, name: r.name }))
	};
};

const scopeValueOf = (x: { scopeKind: string; scopeCode: string | null }) => (x.scopeKind === 'all' || !x.scopeCode ? 'all' : `${x.scopeKind}:${x.scopeCode}`);

/** The form's `scope` (`all`, `center:CODE`, `region:CODE`), checked against the org. */
function scopeOf(value: string, org: OrgIndex, errors: Record<string, Message>): DisplayToken['scope'] {
	const [kind, ...rest] = value.split(':');
	const code = rest.join(':');
	if (kind === 'center' || kind === 'region') {
		if (!(kind === 'center' ? org.centers.has(code) : org.regions.has(code))) errors.scope = { key: kind === 'center' ? 'keys.errCenter' : 'keys.errRegion', params: { value: code } };
		return { kind, code };
	}
	if (kind !== 'all') errors.scope = { key: 'keys.errScope', params: { value } };
	return { kind: 'all' };
}

function checkName(name: string, errors: Record<string, Message>): void {
	if (!name) errors.name = { key: 'keys.errRequired' };
	else if (!NAME_RE.test(name)) errors.name = { key: 'keys.errName', params: { value: name } };
}

const taken = (err: unknown) => err instanceof CredentialError && /exists/.test(err.message);

const TOKEN = { name: z.string().trim().default(''), scope: z.string().trim().default('all') };
const KEY = { ...TOKEN, types: field.list(z.string()), moreTypes: z.string().trim().default('') };
const NAMED = { name: z.string().default('') };

export const actions: Actions = {
	createKey: formAction('createKey', KEY, async ({ name, types: ticked, moreTypes, scope: scopeValue }, event) => {
		const errors: Record<string, Message> = {};
		checkName(name, errors);
		const { ctx, audit } = consoleOps(event);
		const scope = scopeOf(scopeValue, ctx.org(), errors);
		let types: string[] = [];
		try {
			types = parseTypePatterns([...ticked, moreTypes].filter(Boolean).join(','));
		} catch (err) {
			if (!(err instanceof CredentialError)) throw err;
			const m = /"([^"]+)" is not a type/.exec(err.message);
			errors.types = m ? { key: 'keys.errType', params: { value: m[1] } } : { key: 'keys.errTypesRequired' };
		}
		if (scope.kind !== 'all' && types.some((t) => t === 'org' || t === '*')) errors.types = { key: 'keys.errScopedOrg' };
		if (Object.keys(errors).length) throw new Refused(errors);
		try {
			const secret = await createIngestKey(ctx, audit, name, [...new Set(types)], scope);
			return { created: { kind: 'key' as const, name, secret, scope: scopeValue } };
		} catch (err) {
			if (taken(err)) throw new Refused({ name: { key: 'keys.errKeyTaken', params: { value: name } } });
			throw err;
		}
	}),

	createToken: formAction('createToken', TOKEN, async ({ name, scope: scopeValue }, event) => {
		const errors: Record<string, Message> = {};
		checkName(name, errors);
		const { ctx, audit } = consoleOps(event);
		const scope = scopeOf(scopeValue, ctx.org(), errors);
		if (Object.keys(errors).length) throw new Refused(errors);
		try {
			const secret = await createDisplayToken(ctx, audit, name, scope);
			return { created: { kind: 'token' as const, name, secret, scope: scopeValue } };
		} catch (err) {
			if (taken(err)) throw new Refused({ name: { key: 'keys.errTokenTaken', params: { value: name } } });
			throw err;
		}
	}),

	revokeKey: formAction('revokeKey', NAMED, async ({ name }, event) => {
		const { ctx, audit } = consoleOps(event);
		if (!(await revokeIngestKey(ctx, audit, name))) throw new Refused({ name: { key: 'keys.errNoActiveKey', params: { value: name } } });
		return { revoked: { kind: 'key' as const, name } };
	}),

	revokeToken: formAction('revokeToken', NAMED, async ({ name }, event) => {
		const { ctx, audit } = consoleOps(event);
		if (!(await revokeDisplayToken(ctx, audit, name))) throw new Refused({ name: { key: 'keys.errNoActiveToken', params: { value: name } } });
		return { revoked: { kind: 'token' as const, name } };
	})
};
