import { error, type RequestHandler } from '@sveltejs/kit';
import { param, parsePath } from '$lib/server/http/params';
import { evidenceResponse } from '$lib/server/supervision/cards';

/**
 * One evidence file of a card to the signed-in staff member or their window (what their
 * terminal lists): window staff only (the access table); any other card's file answers 404.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { id: key } = parsePath(params, { id: param.text(64).regex(/^[a-z0-9]{16,64}$/, 'expected an evidence key') });
	const staffCode = locals.user!.staffCode;
	const file = staffCode ? await locals.services.cardDesk.ownEvidence(key, staffCode) : null;
	if (!file) error(404, 'id: no such evidence');
	return evidenceResponse(file);
};
