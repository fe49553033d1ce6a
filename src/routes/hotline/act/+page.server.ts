import { fail, type RequestEvent } from '@sveltejs/kit';
import { HOTLINE_ACTIONS, type HotlineAction } from '$lib/domain/hotline';
import { problemText } from '$lib/console/hotline-strings';
import { actorOf } from '$lib/server/auth/reach';
import { HotlineError } from '$lib/server/hotline/desk';
import type { Actions } from './$types';

/**
 * Every hotline console action, on one route the access table keeps to operators and admins
 * (leaders read /hotline but are refused here). Answers: `{ action, ticketId, seq }`, or a
 * failure naming the field: `{ action, ticketId, field, code, params, error }`. The console's
 * forms post here with JavaScript (use:enhance) and show the answer in place; without it, the
 * page of this route shows the answer with a link back.
 */

const text = (form: FormData, k: string) => String(form.get(k) ?? '');

async function run(event: RequestEvent, action: 'intake' | HotlineAction) {
	const rt = event.locals.services;
	const form = await event.request.formData();
	const user = event.locals.user!;
	const actor = actorOf(user, rt.org());
	const nonce = text(form, 'nonce') || undefined;
	let ticketId = text(form, 'ticketId');
	try {
		if (action === 'intake') {
			const r = await rt.hotlineDesk.intake(
				{ callerPhone: text(form, 'callerPhone'), channel: text(form, 'channel'), category: text(form, 'category'), summary: text(form, 'summary'), regionCode: text(form, 'regionCode'), departmentCode: text(form, 'departmentCode') || undefined, days: text(form, 'days') || undefined },
				actor,
				nonce
			);
			return { action, ticketId: r.ticketId, seq: r.seq };
		}
		const fields = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
		const r = await rt.hotlineDesk.act(ticketId, action, fields, actor, nonce);
		return { action, ticketId, seq: r.seq };
	} catch (err) {
		if (!(err instanceof HotlineError)) throw err;
		const p = err.problem;
		ticketId ||= '';
		return fail(400, { action, ticketId, field: p.field, code: p.code, params: p.params ?? null, error: problemText(p, 'en') });
	}
}

export const actions: Actions = Object.fromEntries((['intake', ...HOTLINE_ACTIONS] as const).map((a) => [a, (event: RequestEvent) => run(event, a)])) as Actions;
