import { fail, redirect } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { audit, requestActor } from '$lib/server/audit';
import { AccountError, Accounts } from '$lib/server/auth/accounts';
import { startSession } from '$lib/server/auth/web';
import type { Actions, PageServerLoad } from './$types';

/** First run: create the first administrator. Works only while no user exists. */
export const load: PageServerLoad = async ({ locals }) => {
	if ((await locals.services.accounts.count()) > 0) redirect(303, '/login');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const username = String(form.get('username') ?? '').trim();
		const displayName = String(form.get('displayName') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		if (password !== confirm) return fail(400, { username, displayName, field: 'confirm', error: 'confirm: the two passwords differ' });
		let created;
		try {
			// One transaction holding the users table: two first-run forms cannot both win.
			created = await rt.handle.db.transaction(async (tx) => {
				await tx.execute(sql`lock table users in exclusive mode`);
				const accounts = new Accounts(tx, rt.sessions);
				if ((await accounts.count()) > 0) return null;
				return accounts.create({ username, displayName, roles: ['admin'], password }, rt.org());
			});
		} catch (err) {
			if (err instanceof AccountError) return fail(400, { username, displayName, field: err.field, error: err.message, zh: err.zh });
			throw err;
		}
		if (!created) redirect(303, '/login');
		const { ip } = requestActor(event);
		await audit(rt.handle.db, { actor: `user:${username}`, action: 'user.create', target: username, ip, detail: { roles: ['admin'], via: 'first-run setup' } });
		await startSession(rt.sessions, event, created.user.id);
		await audit(rt.handle.db, { actor: `user:${username}`, action: 'auth.login', target: username, ip });
		redirect(303, '/admin');
	}
};
