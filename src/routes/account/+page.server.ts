import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/domain/roles';
import { auditRequest, requestActor } from '$lib/server/audit';
import { field, formAction, Refused } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const u = locals.user!;
	const org = locals.services.org();
	const scopeName = u.scope.kind === 'center' ? org.centers.get(u.scope.code)?.name : u.scope.kind === 'region' ? org.regions.get(u.scope.code)?.name : null;
	return { me: { username: u.username, displayName: u.displayName, roles: u.roles, scope: u.scope, scopeName: scopeName ?? null, staffCode: u.staffCode }, first: url.searchParams.has('first') || u.mustChangePassword };
};

const CHANGE = { current: field.password(), password: field.password(), confirm: field.password() };

export const actions: Actions = {
	/** Change my password: every other session of mine ends; this one stays. */
	password: formAction('password', CHANGE, async ({ current, password, confirm }, event) => {
		const rt = event.locals.services;
		const user = event.locals.user!;
		if (password !== confirm) throw new Refused({ confirm: { key: 'account.errConfirm' } });
		await rt.accounts.changePassword(user.id, current, password, event.locals.session!.id, requestActor(event).ip);
		await auditRequest(rt.handle.db, event, 'user.password_change', user.username);
		void rt.sessionSockets.sweep().catch(() => {});
		if (user.mustChangePassword) redirect(303, homeFor(user.roles));
		return { changed: true };
	})
};
