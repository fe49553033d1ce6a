import { redirect } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit, requestActor } from '$lib/server/audit';
import { Accounts } from '$lib/server/auth/accounts';
import { startSession } from '$lib/server/auth/web';
import { field, formAction, Refused } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

/** First run: create the first administrator. Works only while no user exists. */
export const load: PageServerLoad = async ({ locals }) => {
	if ((await locals.services.accounts.count()) > 0) redirect(303, '/login');
	return {};
};

const FIRST_ADMIN = { username: z.string().trim().default(''), displayName: z.string().trim().default(''), password: field.password(), confirm: field.password() };

export const actions: Actions = {
	default: formAction('setup', FIRST_ADMIN, async ({ username, displayName, password, confirm }, event) => {
		const rt = event.locals.services;
		if (password !== confirm) throw new Refused({ confirm: { key: 'setup.errConfirm' } });
		// One transaction holding the users table: two first-run forms cannot both win.
		const created = await rt.handle.db.transaction(async (tx) => {
			await tx.execute(sql`lock table users in exclusive mode`);
			const accounts = new Accounts(tx, rt.sessions);
			if ((await accounts.count()) > 0) return null;
			return accounts.create({ username, displayName, roles: ['admin'], password }, rt.org());
		});
		if (!created) redirect(303, '/login');
		const { ip } = requestActor(event);
		await audit(rt.handle.db, { actor: `user:${username}`, action: 'user.create', target: username, ip, detail: { roles: ['admin'], via: 'first-run setup' } });
		await startSession(rt.sessions, event, created.user.id);
		await audit(rt.handle.db, { actor: `user:${username}`, action: 'auth.login', target: username, ip });
		redirect(303, '/admin');
	})
};
