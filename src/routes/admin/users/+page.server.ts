import { fail } from '@sveltejs/kit';
import { isRole, type Role } from '$lib/domain/roles';
import { auditRequest } from '$lib/server/audit';
import { AccountError } from '$lib/server/auth/accounts';
import { MAX_INT4, param, parseForm } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const list = await rt.accounts.list();
	const locked = await rt.accounts.lockedUntil();
	const org = rt.org();
	return {
		users: list.map((u) => ({
			id: u.id,
			username: u.username,
			displayName: u.displayName,
			roles: u.roles,
			scope: u.scope,
			staffCode: u.staffCode,
			staffName: u.staffCode ? (org.staff.get(u.staffCode)?.name ?? null) : null,
			disabled: !!u.disabledAt,
			lockedUntil: locked.get(u.username.toLowerCase())?.toISOString() ?? null,
			lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
			mustChangePassword: u.mustChangePassword
		})),
		choices: {
			centers: [...org.centers.values()].map((c) => ({ code: c.code, name: c.name })),
			regions: [...org.regions.values()].map((r) => ({ code: r.code, name: r.name })),
			staff: [...org.staff.values()].map((s) => ({ code: s.code, name: s.name, windowCode: s.windowCode ?? null }))
		}
	};
};

function userForm(form: FormData) {
	return {
		username: String(form.get('username') ?? ''),
		displayName: String(form.get('displayName') ?? ''),
		roles: form.getAll('roles').map(String).filter(isRole) as Role[],
		// "all", "center:CODE" or "region:CODE"
		scopeKind: String(form.get('scope') ?? 'all').split(':')[0] as 'all' | 'center' | 'region',
		scopeCode: String(form.get('scope') ?? '').split(':').slice(1).join(':') || null,
		staffCode: String(form.get('staffCode') ?? '') || null
	};
}

/** The account a form is about (a hidden field): a bad id answers 400. */
const idOf = (form: FormData) => parseForm(form, { id: param.id(MAX_INT4) }).id;

/** Form errors name the field; AccountError already does. */
const failed = <E extends Record<string, unknown>>(err: unknown, extra: E) => {
	if (err instanceof AccountError) return fail(400, { ...extra, field: err.field, error: err.message, zh: err.zh });
	throw err;
};

export const actions: Actions = {
	create: async (event) => {
		const rt = event.locals.services;
		const input = userForm(await event.request.formData());
		try {
			const { user, oneTimePassword } = await rt.accounts.create(input, rt.org());
			await auditRequest(rt.handle.db, event, 'user.create', user.username, { after: { displayName: user.displayName, roles: user.roles, scope: user.scope, staffCode: user.staffCode } });
			return { created: { username: user.username, oneTimePassword } };
		} catch (err) {
			return failed(err, { action: 'create', values: input });
		}
	},
	update: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const id = idOf(form);
		const input = userForm(form);
		try {
			const before = await rt.accounts.get(id);
			if (before && (before.roles as string[]).includes('admin') && !input.roles.includes('admin') && (await rt.accounts.otherActiveAdmins(id)) === 0)
				throw new AccountError('roles: this is the last active administrator; keep the admin role', 'roles');
			const change = await rt.accounts.update(id, input, rt.org());
			await auditRequest(rt.handle.db, event, 'user.update', before?.username, change);
			if (change.sessionsEnded) void rt.sessionSockets.sweep().catch(() => {});
			return { updated: before?.username, sessionsEnded: change.sessionsEnded };
		} catch (err) {
			return failed(err, { action: 'update', id });
		}
	},
	disable: async (event) => {
		const rt = event.locals.services;
		const id = idOf(await event.request.formData());
		try {
			if (id === event.locals.user!.id) throw new AccountError('id: you cannot disable your own account', 'id');
			const before = await rt.accounts.get(id);
			if (before && (before.roles as string[]).includes('admin') && (await rt.accounts.otherActiveAdmins(id)) === 0)
				throw new AccountError('id: this is the last active administrator', 'id');
			const r = await rt.accounts.setDisabled(id, true);
			await auditRequest(rt.handle.db, event, 'user.disable', r.username, { before: { disabled: false }, after: { disabled: true }, sessionsEnded: r.sessionsEnded });
			void rt.sessionSockets.sweep().catch(() => {});
			return { disabled: r.username };
		} catch (err) {
			return failed(err, { action: 'disable', id });
		}
	},
	enable: async (event) => {
		const rt = event.locals.services;
		const id = idOf(await event.request.formData());
		try {
			const r = await rt.accounts.setDisabled(id, false);
			await auditRequest(rt.handle.db, event, 'user.enable', r.username, { before: { disabled: true }, after: { disabled: false } });
			return { enabled: r.username };
		} catch (err) {
			return failed(err, { action: 'enable', id });
		}
	},
	reset: async (event) => {
		const rt = event.locals.services;
		const id = idOf(await event.request.formData());
		try {
			const r = await rt.accounts.resetPassword(id);
			await auditRequest(rt.handle.db, event, 'user.password_reset', r.username);
			void rt.sessionSockets.sweep().catch(() => {});
			return { reset: { username: r.username, oneTimePassword: r.oneTimePassword } };
		} catch (err) {
			return failed(err, { action: 'reset', id });
		}
	},
	unlock: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const user = await rt.accounts.get(idOf(form));
		if (!user) return fail(400, { action: 'unlock', field: 'id', error: 'id: user not found', zh: '用户不存在' });
		const was = await rt.accounts.unlock(user.username);
		await auditRequest(rt.handle.db, event, 'user.unlock', user.username, { wasLocked: was });
		return { unlocked: user.username };
	}
};
