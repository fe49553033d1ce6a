import { z } from 'zod';
import type { RequestEvent } from '@sveltejs/kit';
import { HOTLINE_ACTIONS, type HotlineAction } from '$lib/domain/hotline';
import { actorOf } from '$lib/server/auth/reach';
import { field, formAction } from '$lib/server/http/form';
import { param, type Shape } from '$lib/server/http/params';
import type { Actions } from './$types';

/**
 * Every hotline console action, on one route the access table keeps to operators and admins
 * (leaders read /hotline but are refused here). Answers: `{ action, ticketId, seq }`, or the
 * form layer's refusal `{ form: action, errors, values }` (the desk's HotlineError names the
 * field). The console's forms post here with JavaScript (use:enhance) and show the answer in
 * place; without it, the page of this route shows the answer with a link back.
 */

const text = z.string().default('');
/** The form's nonce (the page's own): the event ids come from it, so a form sent twice is stored once. */
const BASE = { nonce: field.hidden(param.text(64).optional()) };
const TICKET = { ...BASE, ticketId: text };
/** What each form sends; the desk checks the values against the ticket as the log says it stands. */
const FORMS: Record<'intake' | HotlineAction, Shape> = {
	intake: { ...BASE, callerPhone: text, channel: text, category: text, summary: text, regionCode: text, departmentCode: text, days: text },
	dispatch: { ...TICKET, departmentCode: text, days: text },
	reply: { ...TICKET, reply: text },
	close: TICKET,
	reopen: { ...TICKET, reason: text },
	callback: { ...TICKET, reached: text, satisfaction: text, solved: text },
	supervise: { ...TICKET, level: text, note: text },
	reviewReturn: { ...TICKET, approved: text, departmentCode: text, days: text, note: text },
	decideExtension: { ...TICKET, approved: text, note: text },
	merge: { ...TICKET, intoTicketId: text },
	// The department's own (its page, /hotline/department): never offered here, refused by the desk if sent.
	acknowledge: TICKET,
	return: { ...TICKET, reason: text },
	requestExtension: { ...TICKET, days: text, reason: text }
};

const run = (action: 'intake' | HotlineAction) =>
	formAction(action, FORMS[action], async (input, event: RequestEvent) => {
		const rt = event.locals.services;
		const actor = actorOf(event.locals.user!, rt.org());
		const { nonce, ticketId = '', ...fields } = input as Record<string, string | undefined>;
		if (action === 'intake') {
			const { callerPhone = '', channel = '', category = '', summary = '', regionCode = '', departmentCode, days } = fields;
			const r = await rt.hotlineDesk.intake({ callerPhone, channel, category, summary, regionCode, departmentCode: departmentCode || undefined, days: days || undefined }, actor, nonce);
			return { action, ticketId: r.ticketId, seq: r.seq };
		}
		const r = await rt.hotlineDesk.act(ticketId, action, fields as Record<string, string>, actor, nonce);
		return { action, ticketId, seq: r.seq };
	});

export const actions: Actions = Object.fromEntries((['intake', ...HOTLINE_ACTIONS] as const).map((a) => [a, run(a)])) as Actions;

