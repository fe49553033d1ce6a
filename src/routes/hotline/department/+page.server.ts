import { z } from 'zod';
import type { RequestEvent } from '@sveltejs/kit';
import { availableActions, DEPARTMENT_ACTIONS, type HotlineAction } from '$lib/domain/hotline';
import { departmentActorOf } from '$lib/server/auth/department';
import { HotlineError } from '$lib/server/hotline/desk';
import { hotlineViewer, ticketView } from '$lib/server/hotline/view';
import { field, formAction } from '$lib/server/http/form';
import { param, type Shape } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

/**
 * 承办单位: a department handler's queue — the open tickets whose latest assignment is their
 * department, in their scope — and its four actions. Who they act for and what they may touch
 * is decided in one place (auth/department.ts, through the desk); the access table keeps this
 * route to department handlers.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const org = rt.org();
	const user = locals.user!;
	const actor = departmentActorOf(user, org);
	if (!actor) return { department: null, tickets: [], overdue: 0 };
	const now = Date.now();
	const viewer = { ...hotlineViewer(user, org), seesPhones: false };
	const q = await rt.hotline.departmentQueue(actor.departmentCode, { reach: actor.reach, now });
	return {
		department: { code: actor.departmentCode, name: org.departments.get(actor.departmentCode)?.name ?? actor.departmentCode },
		overdue: q.overdue,
		tickets: q.rows.map((s) => ({ ...ticketView(s, org, viewer, now), actions: availableActions(s, DEPARTMENT_ACTIONS) }))
	};
};

const text = z.string().default('');
const TICKET = { nonce: field.hidden(param.text(64).optional()), ticketId: text };
const FORMS: Record<string, Shape> = {
	acknowledge: TICKET,
	return: { ...TICKET, reason: text },
	requestExtension: { ...TICKET, days: text, reason: text },
	reply: { ...TICKET, reply: text }
};

const run = (action: HotlineAction) =>
	formAction(action, FORMS[action], async (input, event: RequestEvent) => {
		const rt = event.locals.services;
		const actor = departmentActorOf(event.locals.user!, rt.org());
		const { nonce, ticketId = '', ...fields } = input as Record<string, string | undefined>;
		if (!actor) throw new HotlineError({ field: 'ticketId', code: 'unknownTicket', params: { value: ticketId } });
		const r = await rt.hotlineDesk.act(ticketId, action, fields as Record<string, string>, actor, nonce);
		return { action, ticketId, seq: r.seq };
	});

export const actions: Actions = Object.fromEntries(DEPARTMENT_ACTIONS.map((a) => [a, run(a)])) as Actions;
