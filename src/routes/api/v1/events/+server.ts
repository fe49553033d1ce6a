import type { RequestHandler } from './$types';
import { handleEventsPost } from '$lib/server/ingest/http';

/** Ingest (spec §1). Authenticated by ingest key, not by session: exempt from CSRF origin checks by content type. */
export const POST: RequestHandler = ({ locals, request }) => handleEventsPost(locals.services, request);
