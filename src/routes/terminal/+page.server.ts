import { z } from 'zod';
import { formAction } from '$lib/server/http/form';
import { PAUSE_REASONS, type TerminalAction } from '$lib/server/supervision/terminal';
import type { Actions, PageServerLoad } from './$types';

/** 窗口终端: the signed-in staff member's own window (never another's). */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const staffCode = locals.user!.staffCode;
	const view = staffCode ? rt.terminals.view(staffCode) : null;
	// Evidence of the cards listed (the push carries the cards; a new one reloads this).
	const cardIds = view?.cards.map((c) => c.cardId) ?? [];
	const evidence = staffCode && cardIds.length ? await rt.cardDesk.evidenceOfOwn(cardIds, staffCode) : new Map();
	return { view, now: Date.now(), pauseReasons: [...PAUSE_REASONS], cardIds, evidence: Object.fromEntries(evidence) as Record<string, Array<{ key: string; filename: string }>> };
};

const text = z.string().default('');
/** One terminal action: which (clock_in, status, call_next, complete, confirm_check …) and its details; the service checks them against the window. */
const ACT = { action: text, status: text, reason: z.string().optional(), result: text, checkId: text };

export const actions: Actions = {
	/** One terminal action → one event in the log (sender `terminal:USERNAME`: the record of who did what, when). */
	act: formAction('act', ACT, async (input, event) => {
		const { view } = await event.locals.services.terminals.act(event.locals.user!, input as TerminalAction & Record<string, unknown>);
		// What was done, said back (重呼 changes nothing on the screen but is heard in the hall).
		const said = input.action === 'recall' || input.action === 'call_next' ? { action: input.action as 'recall' | 'call_next', ticketNo: view?.window?.ticketNo ?? null } : null;
		return { view, now: Date.now(), done: said };
	})
};
