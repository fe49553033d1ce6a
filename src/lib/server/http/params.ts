/**
 * Query, path and form parameters read with a zod schema, so that no route hands the database
 * (or Number, or a regex) a value it did not check: over-long integers overflow PostgreSQL's
 * integer types, NUL bytes are refused by its text type, and both were 500s. A bad value
 * answers `error(400, 'field: problem, found "…"')` (404 for a path parameter: the path names
 * nothing), naming the field; a missing or blank one is absent (`undefined`), as a form sends
 * an empty filter. The pieces below (`param.*`) are the parameter shapes routes use.
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { MONTH } from '../../domain/bulletin';
import { isDayKey } from '../../domain/calendar';

/** Where parameters come from: `url.searchParams`, `FormData`, or a route's `params`. */
type Source = URLSearchParams | FormData | Partial<Record<string, string>>;
type Shape = Record<string, z.ZodType>;

/** The largest `serial` (PostgreSQL integer); `bigserial` ids stop at Number.MAX_SAFE_INTEGER (mode: 'number'). */
export const MAX_INT4 = 2_147_483_647;

const describe = (v: unknown) => (typeof v !== 'string' ? 'a file' : JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}…` : v));

/** Text (trimmed) of at most `max` characters without control characters. */
const text = (max: number) =>
	z
		.string()
		.trim()
		.max(max, `at most ${max} characters`)
		.regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

export const param = {
	text,
	/** A code of the org data (region, center, department…): the org schema's shape. */
	code: () => text(64),
	/** A positive whole number up to `max` (an id): digits only, so 1e3, 0x10 and 1.0 are refused. */
	id: (max: number = Number.MAX_SAFE_INTEGER) =>
		z
			.string()
			.regex(/^\d{1,16}$/, `expected a whole number from 1 to ${max}`)
			.transform(Number)
			.refine((n) => n >= 1 && n <= max, `expected a whole number from 1 to ${max}`),
	/** A day YYYY-MM-DD that exists in the calendar. */
	day: () => z.string().refine(isDayKey, 'expected a date YYYY-MM-DD'),
	/** A month YYYY-MM. */
	month: () => z.string().regex(MONTH, 'expected a month YYYY-MM'),
	/** One of a few words. */
	oneOf: <const T extends readonly string[]>(values: T) => z.enum(values, { error: `expected one of ${values.join(', ')}` })
};

function read(source: Source, key: string): unknown {
	const v = source instanceof URLSearchParams || source instanceof FormData ? source.get(key) : source[key];
	return v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;
}

function parse<S extends Shape>(source: Source, shape: S, status: 400 | 404): z.output<z.ZodObject<S>> {
	const values = Object.fromEntries(Object.keys(shape).map((k) => [k, read(source, k)]));
	const r = z.object(shape).safeParse(values);
	if (r.success) return r.data;
	const issue = r.error.issues[0];
	const field = String(issue.path[0] ?? '');
	const message = issue.code === 'invalid_type' && typeof values[field] !== 'string' ? (values[field] === undefined ? 'is required' : 'expected text') : issue.message;
	error(status, `${field}: ${message}${values[field] === undefined ? '' : `, found ${describe(values[field])}`}`);
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
