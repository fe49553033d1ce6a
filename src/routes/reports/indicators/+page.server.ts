import { randomBytes } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { rankedRegions } from '$lib/domain/bulletin';
import { checkEntry, indicatorEvents, indicatorKeys, indicatorPeriods, indicatorRanking, KNOWN_INDICATORS, previewIndicatorCsv, type IndicatorEntry } from '$lib/domain/indicators';
import { decodeCsv } from '$lib/domain/org-csv';
import { auditRequest } from '$lib/server/audit';
import { field, formAction, onlyFor, Refused, worded } from '$lib/server/http/form';
import { param, parseQuery } from '$lib/server/http/params';
import { reportScope, scopeQuery, thisMonth } from '$lib/server/reports/page';
import type { Actions, PageServerLoad } from './$types';

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

/** Only administrators enter values (leaders read the rankings). */
const adminsOnly = <R>(form: string, action: (event: RequestEvent) => Promise<R>) => onlyFor(['admin'], form, 'indicators.readOnly', action);

/** Send the entries as `indicator.reported` events through the ingest path, as the signed-in admin. */
async function send(event: RequestEvent, entries: IndicatorEntry[], nonce: string, detail: Record<string, unknown>) {
	const rt = event.locals.services;
	const res = await rt.ingest.ingest(`user:${event.locals.user!.username}`, indicatorEvents(entries, nonce, new Date().toISOString()), ['indicator.reported']);
	await auditRequest(rt.handle.db, event, 'indicator.report', null, { ...detail, accepted: res.accepted, duplicates: res.duplicates, rejected: res.rejected });
	return { accepted: res.accepted, duplicates: res.duplicates, rejected: res.results.filter((r) => r.status === 'rejected').map((r) => r.error ?? '') };
}

const text = z.string().default('');
const ENTER = { regionCode: text, period: text, indicator: text, customKey: text, value: text };
const PREVIEW = { period: z.string().trim().optional(), file: field.file('indicators.errNoFile') };
const APPLY = { text, period: z.string().trim().optional(), nonce: z.string().regex(/^[0-9a-f]{12}$/, 'indicators.errNonce').default(''), fileName: text };

export const actions: Actions = {
	/** One value typed in. */
	enter: adminsOnly('enter', formAction('enter', ENTER, async (f, event) => {
		const values = { regionCode: f.regionCode, period: f.period, indicator: f.indicator === 'custom' ? f.customKey : f.indicator, value: f.value };
		const { entry, problems } = checkEntry(values, event.locals.services.org());
		if (!entry) throw new Refused(Object.fromEntries(problems.map((p) => [p.field ?? '', worded(p.zh, p.message)])));
		const sent = await send(event, [entry], randomBytes(6).toString('hex'), { entries: [entry] });
		return { action: 'enter', entered: entry, ...sent };
	})),

	/** Step 1 of an upload: read the file and show what it would do. Nothing is sent. */
	preview: adminsOnly('preview', formAction('preview', PREVIEW, async ({ file, period = null }, event) => {
		if (file.size > MAX_CSV_BYTES) throw new Refused({ file: { key: 'indicators.errTooLarge', params: { size: file.size, max: MAX_CSV_BYTES } } });
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
	})),

	/** Step 2: send the new and changed rows of the previewed file (checked again now). */
	apply: adminsOnly('apply', formAction('apply', APPLY, async ({ text, period = null, nonce, fileName }, event) => {
		if (!nonce) throw new Refused({ nonce: { key: 'indicators.errNonce' } });
		const rt = event.locals.services;
		const preview = previewIndicatorCsv(text, rt.org(), rt.projector.state.indicators, period);
		if (preview.fileErrors.length) throw new Refused({ file: worded(preview.fileErrors[0].zh, preview.fileErrors[0].message) });
		const entries = preview.rows.filter((r) => r.status !== 'unchanged').map(({ regionCode, period, indicator, value }) => ({ regionCode, period, indicator, value }));
		const sent = entries.length ? await send(event, entries, nonce, { fileName: fileName || null, rows: entries.length, invalid: preview.counts.invalid }) : { accepted: 0, duplicates: 0, rejected: [] };
		return { action: 'apply', applied: { fileName: fileName || null, ...preview.counts, ...sent } };
	}))
};
