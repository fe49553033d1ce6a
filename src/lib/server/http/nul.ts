/**
 * NUL bytes in requests. PostgreSQL's text and jsonb refuse NUL, and nothing a person types
 * has one: a NUL in the URL's path or query, or in a form's field (name, text value or file
 * name), is refused with 400 before a route sees it (hooks.server.ts), naming where. JSON
 * bodies of the ingest API are checked by the catalog (`storable.ts`), per field.
 */

const where = (what: string, name: string) => `${what} ${JSON.stringify(name.replace(/\0/g, '%00'))}`;

/** `path`, `query parameter "q"`, or null. */
export function nulInUrl(url: URL): string | null {
	let path: string;
	try {
		path = decodeURIComponent(url.pathname);
	} catch {
		path = url.pathname;
	}
	if (path.includes('\0')) return 'path';
	for (const [k, v] of url.searchParams) if (k.includes('\0') || v.includes('\0')) return where('query parameter', k);
	return null;
}

/**
 * `form field "reason"` when a form post (urlencoded or multipart) has a NUL in a field's name,
 * a text value or a file's name (file contents are anyone's bytes), or null. Reads a copy of
 * the body; one that does not parse is left to the route.
 */
export async function nulInForm(request: Request): Promise<string | null> {
	if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(request.headers.get('content-type') ?? '')) return null;
	let form: FormData;
	try {
		form = await request.clone().formData();
	} catch {
		return null;
	}
	for (const [k, v] of form) if (k.includes('\0') || (typeof v === 'string' ? v : v.name).includes('\0')) return where('form field', k);
	return null;
}
