import type { RequestHandler } from './$types';
import { handleOrgPut } from '$lib/server/ingest/http';

export const PUT: RequestHandler = ({ locals, request }) => handleOrgPut(locals.services, request);
