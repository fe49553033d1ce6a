import { fail } from '@sveltejs/kit';
import { PAUSE_REASONS, TerminalError, type TerminalAction } from '$lib/server/supervision/terminal';
import type { Actions, PageServerLoad } from './$types';

/** 窗口终端: the signed-in staff member's own window (never another's). */
export const load: PageServerLoad = ({ locals }) => {
	const rt = locals.services;
	const staffCode = locals.user!.staffCode;
	return { view: staffCode ? rt.terminals.view(staffCode) : null, now: Date.now(), pauseReasons: [...PAUSE_REASONS] };
};

export const actions: Actions = {
	/** One terminal action → one event in the log (the event itself is the record of it). */
	act: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const field = (k: string) => String(form.get(k) ?? '');
		const action = { action: field('action'), status: field('status'), reason: field('reason') || undefined, result: field('result'), checkId: field('checkId') } as TerminalAction & Record<string, unknown>;
		try {
			// The event (sender `terminal:USERNAME`) is the record of who did what, when.
			const { view } = await rt.terminals.act(event.locals.user!, action);
			return { view, now: Date.now() };
		} catch (err) {
			if (err instanceof TerminalError) return fail(400, { field: err.field, error: err.message, zh: err.zh });
			throw err;
		}
	}
};
