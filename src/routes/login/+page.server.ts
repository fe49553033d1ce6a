import { fail, redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/domain/roles';
import { audit, requestActor } from '$lib/server/audit';
import { clockTime, safeNext, startSession } from '$lib/server/auth/web';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), homeFor(locals.user.roles), url.origin));
	if ((await locals.services.accounts.count()) === 0) redirect(303, '/setup');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const username = String(form.get('username') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!username) return fail(400, { username, error: 'missingUsername' as const });
		if (!password) return fail(400, { username, error: 'missingPassword' as const });
		const { ip } = requestActor(event);
		const result = await rt.accounts.signIn(username, password, ip);
		if (!result.ok) {
			await audit(rt.handle.db, { actor: `user:${username.slice(0, 64)}`, action: 'auth.login_failed', target: username.slice(0, 64), ip, detail: { reason: result.reason } });
			if (result.reason === 'invalid') {
				// Many addresses guessing at one account: it is slowed, not locked; the admins are told once.
				if (result.underAttack) await audit(rt.handle.db, { actor: 'system', action: 'auth.account_under_attack', target: username.slice(0, 64), ip, detail: { failures: rt.accounts.throttle.policy.accountFailures, windowMinutes: rt.accounts.throttle.policy.windowMs / 60_000 } });
				return fail(400, { username, error: 'invalid' as const, remaining: result.remaining });
			}
			return fail(429, { username, error: result.reason, until: clockTime(result.until) });
		}
		await startSession(rt.sessions, event, result.user.id);
		await audit(rt.handle.db, { actor: `user:${result.user.username}`, action: 'auth.login', target: result.user.username, ip });
		if (result.user.mustChangePassword) redirect(303, '/account?first=1');
		redirect(303, safeNext(event.url.searchParams.get('next'), homeFor(result.user.roles), event.url.origin));
	}
};
