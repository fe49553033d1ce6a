/**
 * Query, path and form parameters read with a zod schema, so that no route hands the database
 * (or Number, or a regex) a value it did not check: over-long integers overflow PostgreSQL's
 * integer types, NUL bytes are refused by its text type, and both were 500s. A bad query value
 * answers `error(400, 'field: problem, found "…"')` (404 for a path parameter: the path names
 * nothing), naming the field; a missing or blank one is absent (`undefined`), as a form sends
 * an empty filter. The pieces below (`param.*`) are the parameter shapes routes and forms use.
 *
 * Every shape's problems are message keys of the dictionaries (`form.tooLong` …, with their
 * parameters): a form shows them in the page's language (`form.ts`), an error answer in English.
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { MONTH } from '../../domain/bulletin';
import { isDayKey } from '../../domain/calendar';
import { isMessageKey, translator, type Message, type Params } from '../../i18n';

/** Where parameters come from: `url.searchParams`, `FormData`, or a route's `params`. */
export type Source = URLSearchParams | FormData | Partial<Record<string, string>>;
export type Shape = Record<string, z.ZodType>;

/** The largest `serial` (PostgreSQL integer); `bigserial` ids stop at Number.MAX_SAFE_INTEGER (mode: 'number'). */
export const MAX_INT4 = 2_147_483_647;

const describe = (v: unknown) => (typeof v !== 'string' ? 'a file' : JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}…` : v));

/** Text (trimmed) of at most `max` characters without control characters. */
const text = (max: number) =>
	z
		.string({ error: 'form.expectedText' })
		.trim()
		.max(max, 'form.tooLong')
		.regex(/^[^\u0000-\u001f\u007f]*$/, 'form.noControl');

/** A whole number from `min` to `max`, written with digits only (so 1e3, 0x10, 1.0 and -1 are refused). */
const whole = (min: number, max: number) =>
	z
		.string({ error: 'form.expectedText' })
		.refine((v) => /^\d{1,16}$/.test(v) && Number(v) >= min && Number(v) <= max, { error: 'form.wholeNumber', params: { min, max } })
		.transform(Number);

export const param = {
	text,
	/** A code of the org data (region, center, department…): the org schema's shape. */
	code: () => text(64),
	/** A positive whole number up to `max` (an id). */
	id: (max: number = Number.MAX_SAFE_INTEGER) => whole(1, max),
	/** A whole number in a range (a count, a limit in days). */
	int: whole,
	/** A number in a range, decimals allowed (points of a score). */
	number: (min: number, max: number) =>
		z
			.string({ error: 'form.expectedText' })
			.trim()
			.refine((v) => /^-?\d{1,9}(\.\d{1,6})?$/.test(v) && Number(v) >= min && Number(v) <= max, { error: 'form.number', params: { min, max } })
			.transform(Number),
	/** A day YYYY-MM-DD that exists in the calendar. */
	day: () => z.string({ error: 'form.expectedText' }).refine(isDayKey, 'form.day'),
	/** A month YYYY-MM. */
	month: () => z.string({ error: 'form.expectedText' }).regex(MONTH, 'form.month'),
	/** One of a few words. */
	oneOf: <const T extends readonly string[]>(values: T) => z.enum(values, { error: 'form.oneOf' })
};

/** A value as a parameter names it: absent when missing or blank. */
export function read(source: Source, key: string): unknown {
	const v = source instanceof URLSearchParams || source instanceof FormData ? source.get(key) : source[key];
	return v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;
}

/** A zod issue as a message of the dictionaries (the shapes above word theirs by key). */
export function issueMessage(issue: z.core.$ZodIssue, value: unknown): Message {
	if (issue.code === 'invalid_type' && typeof value !== 'string') {
		// A missing value: the shape's own word for it (login.missingUsername), else "is required".
		if (value !== undefined) return { key: 'form.expectedText' };
		return { key: isMessageKey(issue.message) && issue.message !== 'form.expectedText' ? issue.message : 'form.required' };
	}
	const params: Params = {};
	const i = issue as { params?: Params; maximum?: unknown; minimum?: unknown; values?: unknown[] };
	Object.assign(params, i.params);
	if (typeof i.maximum === 'number' || typeof i.maximum === 'bigint') params.max = Number(i.maximum);
	if (typeof i.minimum === 'number' || typeof i.minimum === 'bigint') params.min = Number(i.minimum);
	if (Array.isArray(i.values)) params.values = i.values.join(', ');
	if (isMessageKey(issue.message)) return { key: issue.message, params };
	return { key: 'form.invalid', params: { detail: issue.message } };
}

const en = translator('en');

/** `field: problem, found "value"` — a refused parameter in the words of an error answer. */
export function problemText(field: string, message: Message, value: unknown): string {
	return `${field}: ${en.say(message)}${value === undefined ? '' : `, found ${describe(value)}`}`;
}

function parse<S extends Shape>(source: Source, shape: S, status: 400 | 404): z.output<z.ZodObject<S>> {
	const values = Object.fromEntries(Object.keys(shape).map((k) => [k, read(source, k)]));
	const r = z.object(shape).safeParse(values);
	if (r.success) return r.data;
	const issue = r.error.issues[0];
	const field = String(issue.path[0] ?? '');
	error(status, problemText(field, issueMessage(issue, values[field]), values[field]));
}

/** A route's query parameters (`url.searchParams`); a bad one answers 400 naming it. */
export const parseQuery = <S extends Shape>(url: URL, shape: S) => parse(url.searchParams, shape, 400);

/** A route's path parameters (`params`); a bad one answers 404: the path names nothing. */
export const parsePath = <S extends Shape>(params: Partial<Record<string, string>>, shape: S) => parse(params, shape, 404);

/** Fields of a form action the page itself fills in (hidden ids): a bad one is a forged or stale request, 400. */
export const parseForm = <S extends Shape>(form: FormData, shape: S) => parse(form, shape, 400);

/** Ids from repeated form fields (`id=3&id=5`) or a comma list; a bad one answers 400 naming the field. */
export function parseIdList(form: FormData, name = 'id', max?: number): number[] {
	const shape = { [name]: param.id(max) };
	return form
		.getAll(name)
		.flatMap((v) => String(v).split(','))
		.map((s) => s.trim())
		.filter(Boolean)
		.map((s) => parse({ [name]: s }, shape, 400)[name]);
}
