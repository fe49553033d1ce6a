import type { RequestHandler } from './$types';
import { getRuntime } from '$lib/server/runtime';
import { handleEventsPost } from '$lib/server/ingest/http';

/** Ingest (spec §1). Authenticated by ingest key, not by session: exempt from CSRF origin checks by content type. */
export const POST: RequestHandler = ({ request }) => handleEventsPost(getRuntime(), request);
