import { EVENT_TYPES, SYSTEM_EVENT_TYPES } from '$lib/domain/catalog';
import { consoleOps, refuse, type FieldError } from '$lib/server/admin/console';
import { createDisplayToken, createIngestKey, revokeDisplayToken, revokeIngestKey } from '$lib/server/admin/ops';
import { CredentialError, NAME_RE, parseTypePatterns, type DisplayToken } from '$lib/server/auth/credentials';
import type { OrgIndex } from '$lib/domain/org';
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
	return {
		keys: order(keys).map((k) => ({ name: k.name, types: k.types, scope: scopeValueOf(k), createdAt: iso(k.createdAt), lastUsedAt: iso(k.lastUsedAt), revokedAt: iso(k.revokedAt) })),
		tokens: order(tokens).map((t) => ({
			name: t.name,
			scope: scopeValueOf(t),
			createdAt: iso(t.createdAt),
			lastUsedAt: iso(t.lastUsedAt),
			revokedAt: iso(t.revokedAt)
		})),
		prefixes: PREFIXES,
		centers: [...org.centers.values()].map((c) => ({ code: c.code, name: c.name })),
		regions: [...org.regions.values()].map((r) => ({ code: r.code, name: r.name }))
	};
};

const scopeValueOf = (x: { scopeKind: string; scopeCode: string | null }) => (x.scopeKind === 'all' || !x.scopeCode ? 'all' : `${x.scopeKind}:${x.scopeCode}`);

/** The form's `scope` (`all`, `center:CODE`, `region:CODE`), checked against the org. */
function scopeOf(value: string, org: OrgIndex): { scope: DisplayToken['scope']; error: FieldError | null } {
	const [kind, ...rest] = value.split(':');
	const code = rest.join(':');
	if (kind === 'center' || kind === 'region') {
		const known = kind === 'center' ? org.centers.has(code) : org.regions.has(code);
		return { scope: { kind, code }, error: known ? null : { key: kind === 'center' ? 'errCenter' : 'errRegion', params: { value: code } } };
	}
	return { scope: { kind: 'all' }, error: kind === 'all' ? null : { key: 'errScope', params: { value } } };
}

function nameProblem(name: string): FieldError | null {
	if (!name) return { key: 'errRequired' };
	if (!NAME_RE.test(name)) return { key: 'errName', params: { value: name } };
	return null;
}

const taken = (err: unknown) => err instanceof CredentialError && /exists/.test(err.message);

export const actions: Actions = {
	createKey: async (event) => {
		const form = await event.request.formData();
		const name = String(form.get('name') ?? '').trim();
		const ticked = form.getAll('types').map(String);
		const more = String(form.get('moreTypes') ?? '').trim();
		const scopeValue = String(form.get('scope') ?? 'all');
		const values = { name, types: ticked, moreTypes: more, scope: scopeValue };
		const errors: Record<string, FieldError> = {};
		const bad = nameProblem(name);
		if (bad) errors.name = bad;
		const { ctx, audit } = consoleOps(event);
		const { scope, error: scopeError } = scopeOf(scopeValue, ctx.org());
		if (scopeError) errors.scope = scopeError;
		let types: string[] = [];
		try {
			types = parseTypePatterns([...ticked, more].filter(Boolean).join(','));
		} catch (err) {
			if (!(err instanceof CredentialError)) throw err;
			const m = /"([^"]+)" is not a type/.exec(err.message);
			errors.types = m ? { key: 'errType', params: { value: m[1] } } : { key: 'errTypesRequired' };
		}
		if (scope.kind !== 'all' && types.some((t) => t === 'org' || t === '*')) errors.types = { key: 'errScopedOrg' };
		if (Object.keys(errors).length) return refuse('createKey', errors, values);
		try {
			const secret = await createIngestKey(ctx, audit, name, [...new Set(types)], scope);
			return { created: { kind: 'key' as const, name, secret, scope: scopeValue } };
		} catch (err) {
			if (taken(err)) return refuse('createKey', { name: { key: 'errKeyTaken', params: { value: name } } }, values);
			throw err;
		}
	},

	createToken: async (event) => {
		const form = await event.request.formData();
		const name = String(form.get('name') ?? '').trim();
		const scopeValue = String(form.get('scope') ?? 'all');
		const values = { name, scope: scopeValue };
		const errors: Record<string, FieldError> = {};
		const bad = nameProblem(name);
		if (bad) errors.name = bad;
		const { ctx, audit } = consoleOps(event);
		const { scope, error: scopeError } = scopeOf(scopeValue, ctx.org());
		if (scopeError) errors.scope = scopeError;
		if (Object.keys(errors).length) return refuse('createToken', errors, values);
		try {
			const secret = await createDisplayToken(ctx, audit, name, scope);
			return { created: { kind: 'token' as const, name, secret, scope: scopeValue } };
		} catch (err) {
			if (taken(err)) return refuse('createToken', { name: { key: 'errTokenTaken', params: { value: name } } }, values);
			throw err;
		}
	},

	revokeKey: async (event) => {
		const name = String((await event.request.formData()).get('name') ?? '');
		const { ctx, audit } = consoleOps(event);
		if (!(await revokeIngestKey(ctx, audit, name))) return refuse('revokeKey', { name: { key: 'errNoActiveKey', params: { value: name } } });
		return { revoked: { kind: 'key' as const, name } };
	},

	revokeToken: async (event) => {
		const name = String((await event.request.formData()).get('name') ?? '');
		const { ctx, audit } = consoleOps(event);
		if (!(await revokeDisplayToken(ctx, audit, name))) return refuse('revokeToken', { name: { key: 'errNoActiveToken', params: { value: name } } });
		return { revoked: { kind: 'token' as const, name } };
	}
};
