import { fail, redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/domain/roles';
import { auditRequest, requestActor } from '$lib/server/audit';
import { AccountError, ThrottledError } from '$lib/server/auth/accounts';
import { clockTime } from '$lib/server/auth/web';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const u = locals.user!;
	return { me: { username: u.username, displayName: u.displayName, roles: u.roles, scope: u.scope, staffCode: u.staffCode }, first: url.searchParams.has('first') || u.mustChangePassword };
};

export const actions: Actions = {
	/** Change my password: every other session of mine ends; this one stays. */
	password: async (event) => {
		const rt = event.locals.services;
		const user = event.locals.user!;
		const form = await event.request.formData();
		const current = String(form.get('current') ?? '');
		const password = String(form.get('password') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		if (password !== confirm) return fail(400, { field: 'confirm', error: 'confirm: the two new passwords differ', zh: '两次输入的新密码不一致' });
		try {
			await rt.accounts.changePassword(user.id, current, password, event.locals.session!.id, requestActor(event).ip);
		} catch (err) {
			if (err instanceof ThrottledError) return fail(429, { field: err.field, error: err.message, zh: err.zh, until: clockTime(err.until) });
			if (err instanceof AccountError) return fail(400, { field: err.field, error: err.message, zh: err.zh });
			throw err;
		}
		await auditRequest(rt.handle.db, event, 'user.password_change', user.username);
		void rt.sessionSockets.sweep().catch(() => {});
		if (user.mustChangePassword) redirect(303, homeFor(user.roles));
		return { changed: true };
	}
};
