import { fail } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { rankedRegions } from '$lib/domain/bulletin';
import { checkEntry, indicatorEvents, indicatorKeys, indicatorPeriods, indicatorRanking, KNOWN_INDICATORS, previewIndicatorCsv, type IndicatorEntry } from '$lib/domain/indicators';
import { decodeCsv } from '$lib/domain/org-csv';
import { auditRequest } from '$lib/server/audit';
import { param, parseQuery } from '$lib/server/http/params';
import { reportScope, scopeQuery, thisMonth } from '$lib/server/reports/page';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const MAX_CSV_BYTES = 1_500_000;
const SHOWN = 500;

/** 区域指标: rankings per indicator for a period (ties share a rank; change against the previous period), and, for admins, entry by form or CSV. */
export const load: PageServerLoad = async (event) => {
	const rt = event.locals.services;
	const org = rt.org();
	const scope = reportScope(event);
	const allowed = rankedRegions(scope, org);
	const indicators = rt.projector.state.indicators;
	const keys = indicatorKeys(indicators);
	const periods = [...new Set(keys.flatMap((k) => indicatorPeriods(indicators, k, allowed)))].sort().reverse();
	const period = parseQuery(event.url, { period: param.month().optional() }).period ?? periods[0] ?? thisMonth(event.locals.services.org(), scope);
	return {
		period,
		periods: periods.includes(period) ? periods : [period, ...periods].sort().reverse(),
		rankings: keys.map((k) => ({ indicator: k, ranking: indicatorRanking(indicators, k, period, allowed, org) })),
		canWrite: event.locals.user!.roles.includes('admin'),
		regions: [...org.regions.values()].filter((r) => !allowed || allowed.has(r.code)).map((r) => ({ code: r.code, name: r.name })),
		customKeys: keys.filter((k) => !(KNOWN_INDICATORS as string[]).includes(k)),
		thisMonth: thisMonth(event.locals.services.org(), scope),
		query: scopeQuery(event.url),
		maxBytes: MAX_CSV_BYTES
	};
};

function adminOnly(event: RequestEvent) {
	return event.locals.user!.roles.includes('admin') ? null : fail(403, { error: 'only administrators enter indicator values' });
}

/** Send the entries as `indicator.reported` events through the ingest path, as the signed-in admin. */
async function send(event: RequestEvent, entries: IndicatorEntry[], nonce: string, detail: Record<string, unknown>) {
	const rt = event.locals.services;
	const res = await rt.ingest.ingest(`user:${event.locals.user!.username}`, indicatorEvents(entries, nonce, new Date().toISOString()), ['indicator.reported']);
	await auditRequest(rt.handle.db, event, 'indicator.report', null, { ...detail, accepted: res.accepted, duplicates: res.duplicates, rejected: res.rejected });
	return { accepted: res.accepted, duplicates: res.duplicates, rejected: res.results.filter((r) => r.status === 'rejected').map((r) => r.error ?? '') };
}

export const actions: Actions = {
	/** One value typed in. */
	enter: async (event) => {
		const refused = adminOnly(event);
		if (refused) return refused;
		const form = await event.request.formData();
		const values = {
			regionCode: String(form.get('regionCode') ?? ''),
			period: String(form.get('period') ?? ''),
			indicator: String(form.get('indicator') === 'custom' ? (form.get('customKey') ?? '') : (form.get('indicator') ?? '')),
			value: String(form.get('value') ?? '')
		};
		const { entry, problems } = checkEntry(values, event.locals.services.org());
		if (!entry) return fail(400, { action: 'enter', problems, values: { ...values, indicator: String(form.get('indicator') ?? ''), customKey: String(form.get('customKey') ?? '') } });
		const sent = await send(event, [entry], randomBytes(6).toString('hex'), { entries: [entry] });
		return { action: 'enter', entered: entry, ...sent };
	},

	/** Step 1 of an upload: read the file and show what it would do. Nothing is sent. */
	preview: async (event) => {
		const refused = adminOnly(event);
		if (refused) return refused;
		const form = await event.request.formData();
		const file = form.get('file');
		const period = String(form.get('period') ?? '').trim() || null;
		if (!(file instanceof File) || file.size === 0) return fail(400, { action: 'preview', error: 'file: choose a CSV file', errorZh: 'CSV 文件：请选择文件' });
		if (file.size > MAX_CSV_BYTES) return fail(400, { action: 'preview', error: `file: too large (${file.size} bytes, at most ${MAX_CSV_BYTES})`, errorZh: `CSV 文件：文件过大（${file.size} 字节，最多 ${MAX_CSV_BYTES} 字节）` });
		const { text, encoding } = decodeCsv(new Uint8Array(await file.arrayBuffer()));
		const rt = event.locals.services;
		const preview = previewIndicatorCsv(text, rt.org(), rt.projector.state.indicators, period);
		return {
			action: 'preview',
			preview: { ...preview, rows: preview.rows.slice(0, SHOWN), invalid: preview.invalid.slice(0, SHOWN), fileName: file.name, encoding },
			text,
			period,
			nonce: randomBytes(6).toString('hex')
		};
	},

	/** Step 2: send the new and changed rows of the previewed file (checked again now). */
	apply: async (event) => {
		const refused = adminOnly(event);
		if (refused) return refused;
		const form = await event.request.formData();
		const text = String(form.get('text') ?? '');
		const period = String(form.get('period') ?? '').trim() || null;
		const nonce = String(form.get('nonce') ?? '');
		if (!/^[0-9a-f]{12}$/.test(nonce)) return fail(400, { action: 'apply', error: 'nonce: upload the file again', errorZh: '请重新上传文件' });
		const rt = event.locals.services;
		const preview = previewIndicatorCsv(text, rt.org(), rt.projector.state.indicators, period);
		if (preview.fileErrors.length) return fail(400, { action: 'apply', error: preview.fileErrors[0].message, errorZh: preview.fileErrors[0].zh });
		const entries = preview.rows.filter((r) => r.status !== 'unchanged').map(({ regionCode, period, indicator, value }) => ({ regionCode, period, indicator, value }));
		const fileName = String(form.get('fileName') ?? '') || null;
		const sent = entries.length ? await send(event, entries, nonce, { fileName, rows: entries.length, invalid: preview.counts.invalid }) : { accepted: 0, duplicates: 0, rejected: [] };
		return { action: 'apply', applied: { fileName, ...preview.counts, ...sent } };
	}
};
