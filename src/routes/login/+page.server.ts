import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { homeFor } from '$lib/domain/roles';
import { audit, requestActor } from '$lib/server/audit';
import { clockTime, safeNext, startSession } from '$lib/server/auth/web';
import { field, formAction, refuse } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), homeFor(locals.user.roles), url.origin));
	if ((await locals.services.accounts.count()) === 0) redirect(303, '/setup');
	return {};
};

const SIGN_IN = { username: z.string({ error: 'login.missingUsername' }).trim(), password: field.secret(z.string({ error: 'login.missingPassword' })) };

export const actions: Actions = {
	default: formAction('login', SIGN_IN, async ({ username, password }, event) => {
		const rt = event.locals.services;
		const { ip } = requestActor(event);
		const result = await rt.accounts.signIn(username, password, ip);
		if (!result.ok) {
			const values = { username };
			await audit(rt.handle.db, { actor: `user:${username.slice(0, 64)}`, action: 'auth.login_failed', target: username.slice(0, 64), ip, detail: { reason: result.reason } });
			if (result.reason === 'invalid') {
				// Many addresses guessing at one account: it is slowed, not locked; the admins are told once.
				if (result.underAttack) await audit(rt.handle.db, { actor: 'system', action: 'auth.account_under_attack', target: username.slice(0, 64), ip, detail: { failures: rt.accounts.throttle.policy.accountFailures, windowMinutes: rt.accounts.throttle.policy.windowMs / 60_000 } });
				const few = result.remaining && result.remaining <= 3;
				return refuse('login', { '': few ? { key: 'login.invalidRemaining', params: { n: result.remaining } } : { key: 'login.invalid' } }, values);
			}
			return refuse('login', { '': { key: result.reason === 'locked' ? 'login.locked' : 'login.ip_blocked', params: { until: clockTime(result.until) } } }, values, 429);
		}
		await startSession(rt.sessions, event, result.user.id);
		await audit(rt.handle.db, { actor: `user:${result.user.username}`, action: 'auth.login', target: result.user.username, ip });
		if (result.user.mustChangePassword) redirect(303, '/account?first=1');
		redirect(303, safeNext(event.url.searchParams.get('next'), homeFor(result.user.roles), event.url.origin));
	})
};
