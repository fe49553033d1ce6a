import { error, type RequestHandler } from '@sveltejs/kit';
import { param, parsePath } from '$lib/server/http/params';
import { getRuntime } from '$lib/server/runtime';

/** One evidence file of a card (supervision roles only, by the access table). */
export const GET: RequestHandler = async ({ params }) => {
	const { id } = parsePath(params, { id: param.id() });
	const file = await getRuntime().cardDesk.evidence(id);
	if (!file) error(404, `id: no evidence ${id}`);
	const inline = /^image\/|^application\/pdf$/.test(file.contentType);
	return new Response(new Uint8Array(file.bytes), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
			'cache-control': 'private, max-age=3600'
		}
	});
};
