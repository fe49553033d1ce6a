import { z } from 'zod';
import { isRole } from '$lib/domain/roles';
import { auditRequest } from '$lib/server/audit';
import { field, formAction, Refused, type FormInput } from '$lib/server/http/form';
import { MAX_INT4, param } from '$lib/server/http/params';
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

/** The account a form is about (a hidden field): a bad id answers 400. */
const ID = { id: field.hidden(param.id(MAX_INT4)) };
/** The user form; Accounts checks the values themselves (parseUserInput), naming the field. */
const USER = {
	displayName: z.string().trim().default(''),
	roles: field.list(z.string()),
	// "all", "center:CODE" or "region:CODE"
	scope: z.string().trim().default('all'),
	staffCode: z.string().trim().optional()
};
const userInput = (f: FormInput<typeof USER>) => ({
	displayName: f.displayName,
	roles: f.roles.filter(isRole),
	scopeKind: f.scope.split(':')[0] as 'all' | 'center' | 'region',
	scopeCode: f.scope.split(':').slice(1).join(':') || null,
	staffCode: f.staffCode || null
});

export const actions: Actions = {
	create: formAction('create', { username: z.string().trim().default(''), ...USER }, async (f, event) => {
		const rt = event.locals.services;
		const { user, oneTimePassword } = await rt.accounts.create({ username: f.username, ...userInput(f) }, rt.org());
		await auditRequest(rt.handle.db, event, 'user.create', user.username, { after: { displayName: user.displayName, roles: user.roles, scope: user.scope, staffCode: user.staffCode } });
		return { created: { username: user.username, oneTimePassword } };
	}),
	update: formAction('update', { ...ID, ...USER }, async ({ id, ...f }, event) => {
		const rt = event.locals.services;
		const before = await rt.accounts.get(id);
		const change = await rt.accounts.update(id, userInput(f), rt.org());
		await auditRequest(rt.handle.db, event, 'user.update', before?.username, change);
		if (change.sessionsEnded) void rt.sessionSockets.sweep().catch(() => {});
		return { updated: before?.username, sessionsEnded: change.sessionsEnded };
	}),
	disable: formAction('disable', ID, async ({ id }, event) => {
		const rt = event.locals.services;
		const r = await rt.accounts.setDisabled(id, true, event.locals.user!.id);
		await auditRequest(rt.handle.db, event, 'user.disable', r.username, { before: { disabled: false }, after: { disabled: true }, sessionsEnded: r.sessionsEnded });
		void rt.sessionSockets.sweep().catch(() => {});
		return { disabled: r.username };
	}),
	enable: formAction('enable', ID, async ({ id }, event) => {
		const rt = event.locals.services;
		const r = await rt.accounts.setDisabled(id, false);
		await auditRequest(rt.handle.db, event, 'user.enable', r.username, { before: { disabled: true }, after: { disabled: false } });
		return { enabled: r.username };
	}),
	reset: formAction('reset', ID, async ({ id }, event) => {
		const rt = event.locals.services;
		const r = await rt.accounts.resetPassword(id);
		await auditRequest(rt.handle.db, event, 'user.password_reset', r.username);
		void rt.sessionSockets.sweep().catch(() => {});
		return { reset: { username: r.username, oneTimePassword: r.oneTimePassword } };
	}),
	unlock: formAction('unlock', ID, async ({ id }, event) => {
		const rt = event.locals.services;
		const user = await rt.accounts.get(id);
		if (!user) throw new Refused({ id: { key: 'users.errNotFound' } });
		const was = await rt.accounts.unlock(user.username);
		await auditRequest(rt.handle.db, event, 'user.unlock', user.username, { wasLocked: was });
		return { unlocked: user.username };
	})
};
