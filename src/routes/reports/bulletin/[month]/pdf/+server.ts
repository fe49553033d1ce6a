import { error, type RequestHandler } from '@sveltejs/kit';
import path from 'node:path';
import { dev } from '$app/environment';
import { scopeLabel } from '$lib/domain/snapshot';
import { parseLang } from '$lib/i18n';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { getVersion } from '$lib/server/reports/bulletins';
import { fileName, monthParam, reportScope, scopeQuery, versionParam } from '$lib/server/reports/page';
import { PdfBusyError, PdfStore, PdfUnavailableError, renderPdf } from '$lib/server/reports/pdf';
import type { Config } from '$lib/server/config';

/** Where this server answers itself: its own port on the loopback (the public URL may be a proxy's). */
function selfOrigin(url: URL, { host, port }: Pick<Config, 'host' | 'port'>): string {
	if (dev) return url.origin;
	const h = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	return `http://${h}:${port}`;
}

let store: PdfStore | null = null;

/**
 * The bulletin as a PDF: headless Chromium prints the print page as the requesting user. A
 * published version comes from the store once rendered (`X-Hallwatch-Pdf: cached`); the draft
 * is rendered every time (`rendered`). A full render queue answers 429 with Retry-After.
 */
export const GET: RequestHandler = async (event) => {
	const { url, params, cookies } = event;
	const rt = event.locals.services;
	const scope = reportScope(event);
	const month = monthParam(params.month, rt.org(), scope);
	const version = versionParam(url);
	if (version !== null && !(await getVersion(rt.handle.db, month, scope, version))) error(404, `v: no published version ${version} of ${month}`);
	const lang = parseLang(url.searchParams.get('lang') ?? cookies.get('lang'));
	const q = new URLSearchParams(scopeQuery(url));
	if (version !== null) q.set('v', String(version));
	q.set('lang', lang);
	const session = cookies.get(SESSION_COOKIE);
	const render = () => renderPdf(`${selfOrigin(url, rt.config)}/reports/bulletin/${month}/print?${q}`, session ? { name: SESSION_COOKIE, value: session } : null);
	let pdf: Buffer;
	let cached = false;
	try {
		if (version === null) pdf = await render();
		else {
			store ??= new PdfStore(path.join(rt.config.dataDir, 'pdf'));
			({ pdf, cached } = await store.get({ scope: scopeLabel(scope), month, version, lang }, render));
		}
	} catch (err) {
		if (err instanceof PdfBusyError)
			return new Response(lang === 'en' ? `Busy rendering other PDFs: try again in ${err.retryAfterSec} s.` : `正在生成其他 PDF，请 ${err.retryAfterSec} 秒后重试。`, {
				status: 429,
				headers: { 'retry-after': String(err.retryAfterSec), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
			});
		if (err instanceof PdfUnavailableError) error(503, err.message);
		throw err;
	}
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${fileName(month, scopeLabel(scope), version, 'pdf')}"`,
			'cache-control': 'no-store',
			'x-hallwatch-pdf': cached ? 'cached' : 'rendered'
		}
	});
};
