import { json, type RequestHandler } from '@sveltejs/kit';
import { catalogDoc } from '$lib/domain/catalog-doc';

/** The event catalog as JSON Schema, generated from the zod schemas (public, no secrets). */
export const GET: RequestHandler = () => json(catalogDoc());
