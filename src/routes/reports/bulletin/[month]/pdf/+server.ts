import { error, type RequestHandler } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { scopeLabel } from '$lib/domain/snapshot';
import { parseLang } from '$lib/i18n';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { getVersion } from '$lib/server/reports/bulletins';
import { fileName, monthParam, reportScope, scopeQuery, versionParam } from '$lib/server/reports/page';
import { PdfUnavailableError, renderPdf } from '$lib/server/reports/pdf';
import { getRuntime } from '$lib/server/runtime';

/** Where this server answers itself: its own port on the loopback (the public URL may be a proxy's). */
function selfOrigin(url: URL): string {
	if (dev) return url.origin;
	const { host, port } = getRuntime().config;
	const h = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	return `http://${h}:${port}`;
}

/** The bulletin as a PDF: headless Chromium prints the print page as the requesting user. */
export const GET: RequestHandler = async (event) => {
	const { url, params, cookies } = event;
	const scope = reportScope(event);
	const month = monthParam(params.month, scope);
	const version = versionParam(url);
	if (version !== null && !(await getVersion(getRuntime().handle.db, month, scope, version))) error(404, `v: no published version ${version} of ${month}`);
	const q = new URLSearchParams(scopeQuery(url));
	if (version !== null) q.set('v', String(version));
	q.set('lang', parseLang(url.searchParams.get('lang') ?? cookies.get('lang')));
	const session = cookies.get(SESSION_COOKIE);
	let pdf: Buffer;
	try {
		pdf = await renderPdf(`${selfOrigin(url)}/reports/bulletin/${month}/print?${q}`, session ? { name: SESSION_COOKIE, value: session } : null);
	} catch (err) {
		if (err instanceof PdfUnavailableError) error(503, err.message);
		throw err;
	}
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${fileName(month, scopeLabel(scope), version, 'pdf')}"`,
			'cache-control': 'no-store'
		}
	});
};
