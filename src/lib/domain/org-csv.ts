/**
 * Org data from CSV files (the admin console's upload): decode the bytes (UTF-8 with or without
 * BOM, UTF-16 with BOM, or GBK as Chinese Excel writes it), read the header, validate each row
 * with the org schemas and against the org (reference checks), and compare every valid row with
 * the current org: new, changed (which fields) or unchanged. Pure: the server applies the result.
 *
 * Columns are the schema's field names (`orgSchemas`), or their labels in FIELD_LABELS
 * (org-fields.ts, the one place that names the fields for people).
 */
import { parse } from 'csv-parse/sync';
import { formatIssue } from './catalog';
import { csvFormulaUnescape } from './csv';
import { orgRefProblems, orgSchemas, type OrgData, type OrgIndex, type OrgKind } from './org';
import { FIELD_LABELS, KIND_LABELS, orgFields, requiredFields, type OrgField, type OrgItem } from './org-fields';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk';

/** Text of an uploaded file: UTF-16 by its BOM, UTF-8 when it is valid UTF-8 (BOM or not), else GBK. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: Encoding } {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
	}
}

export type ProblemCode = 'file' | 'column' | 'cells' | 'required' | 'invalid' | 'duplicate' | 'ref';

/** One thing wrong: `row` is the file's line number where the record starts (the header is line 1). */
export interface CsvProblem {
	row: number | null;
	field: string | null;
	code: ProblemCode;
	/** English sentence naming the field and the problem. */
	message: string;
	/** The same in Chinese. */
	zh: string;
	/** The offending value, or for `duplicate` the row it repeats. */
	value?: string;
	otherRow?: number;
}

export interface FieldChange {
	field: OrgField;
	before: string | null;
	after: string | null;
}

export interface PreviewRow {
	row: number;
	code: string;
	status: 'new' | 'changed' | 'unchanged';
	item: OrgItem;
	changes: FieldChange[];
}

export interface InvalidRow {
	row: number;
	values: Record<string, string>;
	problems: CsvProblem[];
}

export interface OrgCsvPreview {
	kind: OrgKind;
	/** The fields the file's columns map to, in file order. */
	columns: OrgField[];
	/** Problems with the file as a whole (no row is usable). */
	fileErrors: CsvProblem[];
	rows: PreviewRow[];
	invalid: InvalidRow[];
	counts: { new: number; changed: number; unchanged: number; invalid: number };
}

/** The field a header cell names: the field name itself (any case) or one of its labels. */
function headerField(kind: OrgKind, header: string): OrgField | null {
	const h = header.trim().toLowerCase();
	for (const f of orgFields(kind)) if (f.toLowerCase() === h || FIELD_LABELS[f].zh === header.trim() || FIELD_LABELS[f].en.toLowerCase() === h) return f;
	return null;
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/**
 * Read the records with their starting line numbers (quoted fields may span lines). A cell our
 * download escaped against formulas (`'=…`, csv.ts) is read without that quote.
 */
export function records(text: string): Array<{ line: number; cells: string[] }> {
	const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
	const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
	const parsed = parse(text, { bom: true, delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, raw: true }) as unknown as Array<{ record: string[]; raw: string }>;
	let line = 1;
	return parsed.map(({ record, raw }) => {
		const r = { line, cells: record.map((c) => csvFormulaUnescape(c.trim())) };
		// `raw` may or may not end with (part of) the record delimiter; count the breaks inside the record.
		line += (raw.replace(/(\r\n|\n|\r)$/, '').match(/\r\n|\n|\r/g) ?? []).length + 1;
		return r;
	});
}

/**
 * Validate a CSV of one org kind against the current org. Rows are full items: an empty cell
 * clears an optional field; a column the file does not have keeps the current value.
 */
export function previewOrgCsv(kind: OrgKind, text: string, org: OrgIndex): OrgCsvPreview {
	const out: OrgCsvPreview = { kind, columns: [], fileErrors: [], rows: [], invalid: [], counts: { new: 0, changed: 0, unchanged: 0, invalid: 0 } };
	const fileError = (message: string, zh: string, field: string | null = null, code: ProblemCode = 'file') =>
		out.fileErrors.push({ row: field ? 1 : null, field, code, message, zh });
	const expected = orgFields(kind).join(', ');
	let recs: Array<{ line: number; cells: string[] }>;
	try {
		recs = records(text).filter((r) => r.cells.some((c) => c !== ''));
	} catch (err) {
		const e = err as Error & { lines?: number };
		fileError(`the file is not valid CSV${e.lines ? ` near line ${e.lines}` : ''}: ${e.message}`, `文件不是有效的 CSV${e.lines ? `（第 ${e.lines} 行附近）` : ''}：${e.message}`);
		return out;
	}
	if (!recs.length) {
		fileError(`the file is empty: expected a header line with ${expected}`, `文件为空：第一行应为表头（${expected}）`);
		return out;
	}

	// Header.
	const [header, ...body] = recs;
	const columns: Array<OrgField | null> = header.cells.map((h) => headerField(kind, h));
	header.cells.forEach((h, i) => {
		const first = columns.indexOf(columns[i]);
		if (h === '') fileError(`column ${i + 1} has no name in the header (expected one of ${expected})`, `表头第 ${i + 1} 列没有列名（应为 ${expected} 之一）`, null, 'column');
		else if (!columns[i]) fileError(`column "${h}" is not a field of ${kind} (expected ${expected})`, `列“${h}”不是${KIND_LABELS[kind].zh}的字段（应为 ${expected}）`, h, 'column');
		else if (first !== i) fileError(`column "${h}" repeats column ${first + 1} (${columns[i]})`, `列“${h}”与第 ${first + 1} 列重复（${columns[i]}）`, h, 'column');
	});
	for (const f of requiredFields(kind))
		if (!columns.includes(f)) fileError(`column "${f}" is required but missing from the header`, `缺少必填列“${f}”（${FIELD_LABELS[f].zh}）`, f, 'column');
	out.columns = columns.filter((c): c is OrgField => c !== null);
	if (out.fileErrors.length) return out;
	if (!body.length) {
		fileError('the file has a header but no rows', '文件只有表头，没有数据行');
		return out;
	}

	// Rows: schema, duplicate codes, then references (against the org plus this file's valid rows).
	const current = org[kind] as Map<string, Record<string, unknown>>;
	const valid: Array<{ row: number; item: OrgItem; values: Record<string, string> }> = [];
	const firstRowOf = new Map<string, number>();
	for (const { line, cells } of body) {
		const values: Record<string, string> = {};
		columns.forEach((f, i) => f && (values[f] = cells[i] ?? ''));
		const { item, problems } = validateValues(kind, values, current, line);
		if (cells.length > columns.length)
			problems.unshift({
				row: line,
				field: null,
				code: 'cells',
				message: `${cells.length} cells, but the header has ${columns.length} columns (quote values that contain commas)`,
				zh: `有 ${cells.length} 个单元格，但表头只有 ${columns.length} 列（含逗号的值请加引号）`
			});
		if (item) {
			const first = firstRowOf.get(item.code);
			if (first !== undefined)
				problems.push({
					row: line,
					field: 'code',
					code: 'duplicate',
					message: `code: "${item.code}" repeats line ${first} of this file`,
					zh: `编码（code）：“${item.code}”与本文件第 ${first} 行重复`,
					value: item.code,
					otherRow: first
				});
			else firstRowOf.set(item.code, line);
		}
		if (problems.length || !item) out.invalid.push({ row: line, values, problems });
		else valid.push({ row: line, item, values });
	}

	const refProblems = referenceProblems(kind, valid, org);
	valid.forEach((v, i) => {
		const problems = refProblems.get(i);
		if (problems) {
			out.invalid.push({ row: v.row, values: v.values, problems });
			return;
		}
		const changes = changesOf(kind, current.get(v.item.code), v.item);
		const status = !current.has(v.item.code) ? 'new' : changes.length ? 'changed' : 'unchanged';
		out.rows.push({ row: v.row, code: v.item.code, status, item: v.item, changes });
	});
	out.invalid.sort((a, b) => a.row - b.row);
	for (const r of out.rows) out.counts[r.status]++;
	out.counts.invalid = out.invalid.length;
	return out;
}

/**
 * One item from text values by field (a CSV row, a form): empty means absent; a field missing
 * from `values` keeps the current item's value. Schema problems name the field.
 */
function validateValues(kind: OrgKind, values: Record<string, string>, current: Map<string, Record<string, unknown>>, row: number | null): { item: OrgItem | null; problems: CsvProblem[] } {
	const existing = values.code ? current.get(values.code.trim()) : undefined;
	const candidate: Record<string, unknown> = {};
	for (const f of orgFields(kind)) {
		if (!(f in values)) {
			if (existing?.[f] !== undefined) candidate[f] = existing[f];
		} else if (values[f].trim() !== '') candidate[f] = values[f].trim();
	}
	const parsed = orgSchemas[kind].safeParse(candidate);
	if (parsed.success) return { item: parsed.data as OrgItem, problems: [] };
	const problems = parsed.error.issues.map((iss): CsvProblem => {
		const field = String(iss.path[0] ?? '');
		const label = `${FIELD_LABELS[field as OrgField]?.zh ?? field}（${field}）`;
		if (candidate[field] === undefined) return { row, field, code: 'required', message: `${field}: is required`, zh: `${label}：必填` };
		const message = formatIssue(iss, candidate);
		return { row, field, code: 'invalid', message, zh: `${label}：格式不符，${message.slice(field.length + 2)}`, value: String(candidate[field]) };
	});
	return { item: null, problems };
}

/** Codes the items name that neither the org nor the items themselves have, by item index. */
function referenceProblems(kind: OrgKind, items: Array<{ row: number | null; item: OrgItem }>, org: OrgIndex): Map<number, CsvProblem[]> {
	const data: OrgData = { regions: [], centers: [], departments: [], windows: [], staff: [] };
	(data[kind] as OrgItem[]) = items.map((v) => v.item);
	const out = new Map<number, CsvProblem[]>();
	for (const p of orgRefProblems(data, org)) {
		if (p.kind !== kind) continue;
		const m = /^\w+\[\d+\]\.(\w+): (.*)$/.exec(p.message);
		const field = m?.[1] ?? null;
		const value = field ? String((items[p.index].item as Record<string, unknown>)[field] ?? '') : '';
		const message = m ? `${m[1]}: ${m[2]}` : p.message;
		const label = field ? `${FIELD_LABELS[field as OrgField]?.zh ?? field}（${field}）` : '';
		const zh = /unknown time zone/.test(message) ? `${label}：未知时区“${value}”` : `${label}：引用的编码“${value}”不存在`;
		out.set(p.index, [...(out.get(p.index) ?? []), { row: items[p.index].row, field, code: 'ref', message, zh, value }]);
	}
	return out;
}

function changesOf(kind: OrgKind, before: Record<string, unknown> | undefined, item: OrgItem): FieldChange[] {
	if (!before) return [];
	return orgFields(kind)
		.map((field) => ({ field, before: str(before[field]), after: str((item as Record<string, unknown>)[field]) }))
		.filter((c) => c.before !== c.after);
}

/**
 * Check one item entered in a form (every field of the kind given; empty clears an optional
 * one). `isNew`: the code must not exist yet. Returns the item and what it changes, or the
 * problems by field.
 */
export function checkOrgItem(
	kind: OrgKind,
	values: Record<string, string>,
	org: OrgIndex,
	isNew: boolean
): { ok: true; item: OrgItem; before: OrgItem | null; changes: FieldChange[] } | { ok: false; problems: CsvProblem[] } {
	const current = org[kind] as Map<string, Record<string, unknown>>;
	const full = Object.fromEntries(orgFields(kind).map((f) => [f, values[f] ?? '']));
	const { item, problems } = validateValues(kind, full, current, null);
	if (!item) return { ok: false, problems };
	if (isNew && current.has(item.code))
		return { ok: false, problems: [{ row: null, field: 'code', code: 'duplicate', message: `code: "${item.code}" exists already`, zh: `编码（code）：“${item.code}”已存在`, value: item.code }] };
	const refs = referenceProblems(kind, [{ row: null, item }], org).get(0);
	if (refs) return { ok: false, problems: refs };
	const before = (current.get(item.code) as OrgItem | undefined) ?? null;
	return { ok: true, item, before, changes: changesOf(kind, before ?? undefined, item) };
}

/** What applying a preview writes: its new and changed rows (unchanged ones are left alone). */
export function itemsToApply(preview: OrgCsvPreview): OrgData {
	const data: OrgData = { regions: [], centers: [], departments: [], windows: [], staff: [] };
	(data[preview.kind] as OrgItem[]) = preview.rows.filter((r) => r.status !== 'unchanged').map((r) => r.item);
	return data;
}

