/**
 * The org fields as people meet them: labels (zh/en) for every field of every org kind, which
 * are required, enum choices and reference pickers, all derived from `orgSchemas`; and a CSV of
 * items (the download). Free of the CSV parser so pages can use it in the browser.
 */
import type { z } from 'zod';
import { csvLine } from './csv';
import { ORG_KINDS, orgSchemas, type OrgData, type OrgKind } from './org';

/** Every field of every org kind (type-level: adding a field to a schema fails type-checking until it has labels). */
export type OrgField = { [K in OrgKind]: keyof z.infer<(typeof orgSchemas)[K]> & string }[OrgKind];
export type OrgItem = OrgData[OrgKind][number];

/** Labels of the fields, by language: accepted as CSV headers too. */
export const FIELD_LABELS: Record<OrgField, { zh: string; en: string }> = {
	code: { zh: '编码', en: 'Code' },
	name: { zh: '名称', en: 'Name' },
	parentCode: { zh: '上级区划编码', en: 'Parent region code' },
	level: { zh: '级别', en: 'Level' },
	regionCode: { zh: '所属区划编码', en: 'Region code' },
	timezone: { zh: '时区', en: 'Time zone' },
	title: { zh: '大屏标题', en: 'Wall title' },
	centerCode: { zh: '所属中心编码', en: 'Center code' },
	shortName: { zh: '简称', en: 'Short name' },
	departmentCode: { zh: '所属部门编码', en: 'Department code' },
	windowCode: { zh: '窗口编码', en: 'Window code' }
};

export const KIND_LABELS: Record<OrgKind, { zh: string; en: string }> = {
	regions: { zh: '区划', en: 'Regions' },
	centers: { zh: '政务服务中心', en: 'Centers' },
	departments: { zh: '部门', en: 'Departments' },
	windows: { zh: '窗口', en: 'Windows' },
	staff: { zh: '工作人员', en: 'Staff' }
};

/** The fields of a kind, in schema order. */
export function orgFields(kind: OrgKind): OrgField[] {
	return Object.keys(orgSchemas[kind].shape) as OrgField[];
}

/** Fields a row must have (their schema refuses `undefined`). */
export function requiredFields(kind: OrgKind): OrgField[] {
	const shape = orgSchemas[kind].shape as Record<string, z.ZodType>;
	return orgFields(kind).filter((f) => !shape[f].safeParse(undefined).success);
}

export const isOrgKind = (v: unknown): v is OrgKind => typeof v === 'string' && (ORG_KINDS as string[]).includes(v);

/** Fields that hold another item's code, and the kind they name (form pickers). */
export const REF_FIELDS: Partial<Record<OrgField, OrgKind>> = { parentCode: 'regions', regionCode: 'regions', centerCode: 'centers', departmentCode: 'departments', windowCode: 'windows' };

/** The allowed values of enum fields of a kind (e.g. a region's level), from the schema. */
export function fieldChoices(kind: OrgKind): Partial<Record<OrgField, string[]>> {
	const out: Partial<Record<OrgField, string[]>> = {};
	for (const [f, s] of Object.entries(orgSchemas[kind].shape) as Array<[OrgField, z.ZodType]>) {
		let inner: z.ZodType = s;
		while ('unwrap' in inner && typeof inner.unwrap === 'function') inner = (inner as unknown as { unwrap(): z.ZodType }).unwrap();
		if ('options' in inner && Array.isArray(inner.options)) out[f] = inner.options as string[];
	}
	return out;
}

/** A CSV of items of a kind (the current ones: a template to edit and upload again), UTF-8 with BOM for Excel. */
export function orgCsv(kind: OrgKind, items: Iterable<Record<string, unknown>>): string {
	const fields = orgFields(kind);
	const lines = [csvLine(fields)];
	for (const item of items) lines.push(csvLine(fields.map((f) => item[f])));
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
