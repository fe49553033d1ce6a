import { error, type RequestHandler } from '@sveltejs/kit';
import { actorOf } from '$lib/server/auth/reach';
import { param, parsePath } from '$lib/server/http/params';
import { evidenceResponse } from '$lib/server/supervision/cards';

/**
 * One evidence file of a card, by its random key: supervision roles only (the access table),
 * and only a card the supervisor's scope reaches (else 404, as for a key that does not exist).
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { id: key } = parsePath(params, { id: param.text(64).regex(/^[a-z0-9]{16,64}$/, 'expected an evidence key') });
	const rt = locals.services;
	const file = await rt.cardDesk.evidence(key, actorOf(locals.user!, rt.org()).reach);
	if (!file) error(404, 'id: no such evidence');
	return evidenceResponse(file);
};
