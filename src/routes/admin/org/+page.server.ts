import { ORG_KINDS, type OrgData, type OrgKind } from '$lib/domain/org';
import { checkOrgItem, decodeCsv, itemsToApply, previewOrgCsv, type CsvProblem } from '$lib/domain/org-csv';
import { fieldChoices, isOrgKind, orgFields, REF_FIELDS, requiredFields } from '$lib/domain/org-fields';
import { consoleOps, refuse, type FieldError } from '$lib/server/admin/console';
import { param, parseQuery } from '$lib/server/http/params';
import { upsertOrg } from '$lib/server/org/store';
import type { Actions, PageServerLoad } from './$types';

/** Larger files are refused with a clear message (the server takes request bodies up to 2 MB). */
const MAX_CSV_BYTES = 1_500_000;
const SHOWN = 500;

const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code, 'en', { numeric: true });

/** `edit=` empty opens a new item; `edit=CODE` that item. */
const QUERY = { kind: param.oneOf(ORG_KINDS).optional(), q: param.text(200).optional(), edit: param.code().optional() };

export const load: PageServerLoad = async ({ locals, url }) => {
	const org = locals.services.org();
	const query = parseQuery(url, QUERY);
	const kind: OrgKind = query.kind ?? 'windows';
	const q = query.q ?? '';
	const all = ([...(org[kind] as Map<string, Record<string, unknown>>).values()] as Array<{ code: string; name: string }>).sort(byCode);
	const matching = q ? all.filter((i) => i.code.toLowerCase().includes(q.toLowerCase()) || i.name.includes(q)) : all;
	const editCode = url.searchParams.has('edit') ? (query.edit ?? '') : null;
	const editing = editCode === null ? null : editCode === '' ? { isNew: true, item: {} } : { isNew: false, item: (org[kind] as Map<string, unknown>).get(editCode) ?? null };
	return {
		kind,
		kinds: ORG_KINDS.map((k) => ({ kind: k, count: org[k].size })),
		fields: orgFields(kind),
		required: requiredFields(kind),
		items: matching.slice(0, SHOWN),
		matching: matching.length,
		total: all.length,
		/** Every item of the kind, for the CSV download (the current data as a template). */
		allItems: all,
		q,
		editing: editing && editing.item ? (editing as { isNew: boolean; item: Record<string, unknown> }) : null,
		maxBytes: MAX_CSV_BYTES,
		choices: fieldChoices(kind),
		/** For fields naming another item: the codes and names to pick from. */
		refs: Object.fromEntries(
			orgFields(kind)
				.filter((f) => REF_FIELDS[f])
				.map((f) => [f, ([...(org[REF_FIELDS[f]!] as Map<string, { code: string; name: string }>).values()]).map((i) => ({ code: i.code, name: i.name })).sort(byCode)])
		) as Record<string, Array<{ code: string; name: string }>>
	};
};

const fieldError = (p: CsvProblem): FieldError => ({ key: 'problem', params: { zh: p.zh, en: p.message } });

/** Apply org data and the audit entry in one transaction, then reload the org everywhere. */
async function store(event: Parameters<typeof consoleOps>[0], data: OrgData, action: string, target: string, detail: Record<string, unknown>) {
	const { rt, audit } = consoleOps(event);
	await rt.handle.db.transaction(async (tx) => {
		await upsertOrg(tx, data);
		await audit(action, target, detail, tx);
	});
	await rt.reloadOrg();
}

export const actions: Actions = {
	/** One item, edited or new. */
	save: async (event) => {
		const form = await event.request.formData();
		const kind = String(form.get('kind'));
		if (!isOrgKind(kind)) return refuse('save', { kind: { key: 'errKind', params: { value: kind } } });
		const isNew = form.get('isNew') === '1';
		const values = Object.fromEntries(orgFields(kind).map((f) => [f, String(form.get(f) ?? '')]));
		if (!isNew && values.code !== String(form.get('originalCode') ?? values.code))
			return refuse('save', { code: { key: 'errCodeFixed' } }, { kind, isNew, values });
		const org = event.locals.services.org();
		const checked = checkOrgItem(kind, values, org, isNew);
		if (!checked.ok) {
			const errors: Record<string, FieldError> = {};
			for (const p of checked.problems) errors[p.field ?? 'code'] ??= fieldError(p);
			return refuse('save', errors, { kind, isNew, values });
		}
		if (!isNew && !checked.changes.length) return { saved: { kind, code: checked.item.code, created: false, changed: 0 } };
		const data: OrgData = { regions: [], centers: [], departments: [], windows: [], staff: [] };
		(data[kind] as unknown[]).push(checked.item);
		await store(event, data, 'org.update', `${kind}:${checked.item.code}`, { kind, before: checked.before, after: checked.item });
		return { saved: { kind, code: checked.item.code, created: isNew, changed: checked.changes.length } };
	},

	/** Step 1 of an upload: read the file and show what it would do. Nothing is stored. */
	preview: async (event) => {
		const form = await event.request.formData();
		const kind = String(form.get('kind'));
		const file = form.get('file');
		if (!isOrgKind(kind)) return refuse('preview', { kind: { key: 'errKind', params: { value: kind } } });
		if (!(file instanceof File) || file.size === 0) return refuse('preview', { file: { key: 'errNoFile' } }, { kind });
		if (file.size > MAX_CSV_BYTES) return refuse('preview', { file: { key: 'errTooLarge', params: { size: file.size, max: MAX_CSV_BYTES } } }, { kind });
		const { text, encoding } = decodeCsv(new Uint8Array(await file.arrayBuffer()));
		const preview = previewOrgCsv(kind, text, event.locals.services.org());
		return {
			preview: {
				...preview,
				// Unchanged rows are only counted: a re-upload of the whole table stays small on the page.
				rows: preview.rows.filter((r) => r.status !== 'unchanged'),
				fileName: file.name,
				encoding
			},
			// What step 2 applies (validated again then, against the org as it is by then).
			text
		};
	},

	/** Step 2: apply the valid rows of the previewed file in one transaction. */
	apply: async (event) => {
		const form = await event.request.formData();
		const kind = String(form.get('kind'));
		const text = String(form.get('text') ?? '');
		const fileName = String(form.get('fileName') ?? '');
		if (!isOrgKind(kind)) return refuse('apply', { kind: { key: 'errKind', params: { value: kind } } });
		const preview = previewOrgCsv(kind, text, event.locals.services.org());
		if (preview.fileErrors.length) return refuse('apply', { file: fieldError(preview.fileErrors[0]) }, { kind });
		const data = itemsToApply(preview);
		const written = (data[kind] as unknown[]).length;
		const counts = { ...preview.counts, written };
		if (written) await store(event, data, 'org.import', kind, { kind, fileName: fileName || null, ...counts });
		return { applied: { kind, fileName, ...counts } };
	}
};
