import { z } from 'zod';
import { ORG_KINDS, type OrgData, type OrgKind } from '$lib/domain/org';
import { checkOrgItem, decodeCsv, itemsToApply, previewOrgCsv, type CsvProblem } from '$lib/domain/org-csv';
import { fieldChoices, orgFields, REF_FIELDS, requiredFields } from '$lib/domain/org-fields';
import type { Message } from '$lib/i18n';
import { requestActor } from '$lib/server/audit';
import { field, formAction, Refused, worded } from '$lib/server/http/form';
import { param, parseQuery } from '$lib/server/http/params';
import { saveOrg } from '$lib/server/org/store';
import type { RequestEvent } from '@sveltejs/kit';
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
				.map((f) => [f, [...(org[REF_FIELDS[f]!] as Map<string, { code: string; name: string }>).values()].map((i) => ({ code: i.code, name: i.name })).sort(byCode)])
		) as Record<string, Array<{ code: string; name: string }>>
	};
};

/** The domain words its problems in both languages. */
const problem = (p: CsvProblem): Message => worded(p.zh, p.message);

/** Store org data with its audit entry (one transaction) as the signed-in admin; the org reloads everywhere. */
function store(event: RequestEvent, data: OrgData, action: string, target: string, detail: Record<string, unknown>) {
	const rt = event.locals.services;
	return saveOrg({ db: rt.handle.db, reloadOrg: () => rt.reloadOrg() }, data, () => ({ ...requestActor(event), action, target, detail }));
}

const KIND = { kind: field.hidden(param.oneOf(ORG_KINDS)) };
const SAVE = { ...KIND, isNew: field.flag(), originalCode: z.string().optional() };
const PREVIEW = { ...KIND, file: field.file('org.errNoFile') };
const APPLY = { ...KIND, text: z.string().default(''), fileName: z.string().default('') };

export const actions: Actions = {
	/** One item, edited or new: its fields are the kind's (org-fields.ts). */
	save: formAction('save', SAVE, async ({ kind, isNew, originalCode }, event, form) => {
		const values = Object.fromEntries(orgFields(kind).map((f) => [f, String(form.get(f) ?? '')]));
		const echo = { kind, isNew, ...values };
		if (!isNew && values.code !== (originalCode ?? values.code)) throw new Refused({ code: { key: 'org.errCodeFixed' } }, 400, echo);
		const checked = checkOrgItem(kind, values, event.locals.services.org(), isNew);
		if (!checked.ok) {
			const errors: Record<string, Message> = {};
			for (const p of checked.problems) errors[p.field ?? 'code'] ??= problem(p);
			throw new Refused(errors, 400, echo);
		}
		if (!isNew && !checked.changes.length) return { saved: { kind, code: checked.item.code, created: false, changed: 0 } };
		const data: OrgData = { regions: [], centers: [], departments: [], windows: [], staff: [] };
		(data[kind] as unknown[]).push(checked.item);
		await store(event, data, 'org.update', `${kind}:${checked.item.code}`, { kind, before: checked.before, after: checked.item });
		return { saved: { kind, code: checked.item.code, created: isNew, changed: checked.changes.length } };
	}),

	/** Step 1 of an upload: read the file and show what it would do. Nothing is stored. */
	preview: formAction('preview', PREVIEW, async ({ kind, file }, event) => {
		if (file.size > MAX_CSV_BYTES) throw new Refused({ file: { key: 'org.errTooLarge', params: { size: file.size, max: MAX_CSV_BYTES } } });
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
	}),

	/** Step 2: apply the valid rows of the previewed file in one transaction. */
	apply: formAction('apply', APPLY, async ({ kind, text, fileName }, event) => {
		const preview = previewOrgCsv(kind, text, event.locals.services.org());
		if (preview.fileErrors.length) throw new Refused({ file: problem(preview.fileErrors[0]) });
		const data = itemsToApply(preview);
		const written = (data[kind] as unknown[]).length;
		const counts = { ...preview.counts, written };
		if (written) await store(event, data, 'org.import', kind, { kind, fileName: fileName || null, ...counts });
		return { applied: { kind, fileName, ...counts } };
	})
};
