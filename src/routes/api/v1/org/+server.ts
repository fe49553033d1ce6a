import type { RequestHandler } from './$types';
import { getRuntime } from '$lib/server/runtime';
import { handleOrgPut } from '$lib/server/ingest/http';

export const PUT: RequestHandler = ({ request }) => handleOrgPut(getRuntime(), request);
