/**
 * The access table covers exactly the routes that exist: every page and endpoint under
 * src/routes has a rule (a new route without one fails here), and no rule names a route that
 * is gone. The guard's decisions per role are checked here; over HTTP in tests/integration/auth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../domain/roles';
import { ACCESS, decide, READ_ROLES } from './access';

/** Route ids as SvelteKit names them: the directory of each +page.svelte / +server.ts. */
function routeIds(dir = path.resolve('src/routes')): string[] {
	const out: string[] = [];
	const walk = (d: string) => {
		const entries = fs.readdirSync(d, { withFileTypes: true });
		if (entries.some((e) => e.isFile() && /^\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(e.name))) {
			const id = '/' + path.relative(dir, d).split(path.sep).join('/');
			out.push(id === '/' ? '/' : id.replace(/\/$/, ''));
		}
		for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
	};
	walk(dir);
	return out.map((id) => (id === '/.' ? '/' : id)).sort();
}

describe('access table', () => {
	it('has a rule for every route and no rule for a missing one', () => {
		const ids = routeIds();
		expect(ids.length).toBeGreaterThan(10);
		expect(ids.filter((id) => !(id in ACCESS)), 'routes without an access rule').toEqual([]);
		expect(Object.keys(ACCESS).filter((id) => !ids.includes(id)), 'rules for routes that do not exist').toEqual([]);
	});

	it('sends nobody anywhere private, and lets display tokens read only the wall and the snapshot', () => {
		for (const [id, rule] of Object.entries(ACCESS)) {
			const anon = decide(id, null, false);
			expect(anon.allow, id).toBe(rule.kind !== 'signed-in');
			const display = decide(id, null, true);
			expect(display.allow, id).toBe(rule.kind !== 'signed-in' || (id.startsWith('/wall') || id === '/api/v1/snapshot'));
		}
	});

	it('keeps the admin console to admins and the terminal to window staff', () => {
		for (const role of ROLES) {
			for (const id of Object.keys(ACCESS).filter((x) => x.startsWith('/admin'))) expect(decide(id, { roles: [role] }, false).allow, `${role} ${id}`).toBe(role === 'admin');
			expect(decide('/terminal', { roles: [role] }, false).allow, role).toBe(role === 'window_staff');
			expect(decide('/wall', { roles: [role] }, false).allow, role).toBe(READ_ROLES.includes(role));
			expect(decide('/account', { roles: [role] }, false).allow).toBe(true);
		}
		// Several roles: the union.
		expect(decide('/terminal', { roles: ['leader', 'window_staff'] }, false).allow).toBe(true);
		// Signed in without the role: 403, not a sign-in redirect.
		expect(decide('/admin', { roles: ['leader'] }, false)).toMatchObject({ allow: false, status: 403 });
		expect(decide('/admin', null, false)).toMatchObject({ allow: false, status: 401 });
		expect(decide('/no/such/rule', { roles: ['admin'] }, false)).toMatchObject({ allow: false, status: 404 });
	});

	it('lets an account on its one-time password reach only /account and sign-out', () => {
		const fresh = { roles: ['admin' as const], mustChangePassword: true };
		for (const id of Object.keys(ACCESS)) {
			const d = decide(id, fresh, false);
			const rule = ACCESS[id];
			if (rule.kind !== 'signed-in') expect(d.allow, id).toBe(true);
			else expect(d.allow, id).toBe(id === '/account' || id === '/logout');
		}
		expect(decide('/api/v1/snapshot', fresh, false)).toMatchObject({ allow: false, status: 403, firstPassword: true });
	});
});
