/**
 * The form layer: every console form action reads its fields with a zod schema (the shapes of
 * params.ts, labelled with `.describe(key)`), runs a use case, and is refused in ONE shape:
 *
 *     fail(400, { form: 'intake', errors: { summary: { key, params } }, values: { … } })
 *
 * `errors` maps a field ('' for the whole form) to a message of the dictionaries, worded by the
 * page's translator; `values` is what was entered (never secrets, never files), so the page can
 * show it again. `refusal()` is the one place that turns a zod error, a UserError (and its
 * subclasses: NotInScope answers 404 and is audited) or a `Refused` into it. The page shows it
 * with `<FormErrors>` (src/lib/console/FormErrors.svelte) and marks fields with `invalid()`.
 *
 * Fields the page fills in itself (`hidden(…)`: ids, nonces) are no person's mistake: a bad one
 * answers 400 naming the field, as query parameters do (params.ts).
 */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Refusal } from '../../console/form';
import type { Role } from '../../domain/roles';
import { isMessageKey, type Message, type MessageKey } from '../../i18n';
import { auditRequest } from '../audit';
import { NotInScope } from '../auth/reach';
import { UserError } from '../user-error';
import { issueMessage, problemText, read, type Shape } from './params';

export type { Refusal };

const HIDDEN = new WeakSet<z.ZodType>();
const LIST = new WeakSet<z.ZodType>();
const ALL = new WeakSet<z.ZodType>();
const SECRET = new WeakSet<z.ZodType>();
const FILES = new WeakSet<z.ZodType>();
const tag = <S extends z.ZodType>(set: WeakSet<z.ZodType>, s: S): S => (set.add(s), s);

/** Field shapes beyond params.ts: what only forms send. */
export const field = {
	/** Filled in by the page (an id, a nonce): a bad value answers 400, not a refusal. */
	hidden: <S extends z.ZodType>(s: S) => tag(HIDDEN, s),
	/** A repeated field (`roles=a&roles=b`, a multiple select): the list of its non-blank values. */
	list: <S extends z.ZodType>(item: S) => tag(LIST, z.array(item)),
	/** A column of a table of inputs (`name=a&name=&name=c`): every value, blanks too, so columns stay paired. */
	column: () => tag(ALL, z.array(z.string().transform((v) => v.trim()))),
	/** Never echoed back (passwords). */
	secret: <S extends z.ZodType>(s: S) => tag(SECRET, s),
	/** A checkbox (true when sent) or a hidden 1/0. */
	flag: () => z.unknown().transform((v) => v !== undefined && v !== '0'),
	/** A password as typed (not trimmed; never echoed; '' when left empty). */
	password: () => tag(SECRET, z.string().default('')),
	/** Uploaded files (empty ones are left out). */
	files: () => tag(FILES, z.array(z.instanceof(File))),
	/** One uploaded file (an empty one counts as none); `missing` words its absence. */
	file: (missing: MessageKey = 'form.required') => z.instanceof(File, { error: missing })
};

/** A problem the domain or a service already worded in both languages (a CSV row's problem). */
export const worded = (zh: string, en: string): Message => ({ key: 'worded', params: { zh, en } });

/** Raises a refusal from inside a use case: `throw new Refused({ name: { key: 'keys.errKeyTaken', … } })`. */
export class Refused extends Error {
	constructor(
		readonly errors: Record<string, Message>,
		readonly status = 400,
		/** What to show again besides the schema's fields (fields a route reads itself). */
		readonly values: Record<string, unknown> = {}
	) {
		super(Object.keys(errors).join(', '));
	}
}

/** A shape and the shapes it wraps (optional, default, pipe): where tags and labels may sit. */
function* layers(s: z.ZodType): Generator<z.ZodType> {
	let cur: z.ZodType | undefined = s;
	for (let i = 0; cur && i < 8; i++) {
		yield cur;
		const def: { innerType?: z.ZodType; in?: z.ZodType } = (cur as unknown as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
		cur = def.innerType ?? def.in;
	}
}
const is = (set: WeakSet<z.ZodType>, s: z.ZodType) => [...layers(s)].some((l) => set.has(l));

/** The value a form sends for a field of this shape. */
function valueOf(form: FormData, key: string, s: z.ZodType): unknown {
	if (is(FILES, s)) return form.getAll(key).filter((v): v is File => v instanceof File && v.size > 0);
	if (is(ALL, s)) return form.getAll(key).map((v) => (typeof v === 'string' ? v : ''));
	if (is(LIST, s))
		return form
			.getAll(key)
			.map((v) => (typeof v === 'string' ? v.trim() : v))
			.filter((v) => v !== '');
	const v = read(form, key);
	return v instanceof File && v.size === 0 ? undefined : v;
}

/** The field's label (`.describe('hl.field.summary')`) to name it in its problem. */
const labelOf = (s: z.ZodType): MessageKey | null => {
	const d = [...layers(s)].map((l) => l.description).find(Boolean);
	return d && isMessageKey(d) ? d : null;
};

export type FormInput<S extends Shape> = z.output<z.ZodObject<S>>;
type Read<S extends Shape> = { ok: true; data: FormInput<S>; values: Record<string, unknown> } | { ok: false; errors: Record<string, Message>; values: Record<string, unknown> };

/** Read a form with a schema: the parsed values, or the problems by field (a bad hidden field answers 400). */
export function readForm<S extends Shape>(form: FormData, shape: S): Read<S> {
	const raw: Record<string, unknown> = {};
	const values: Record<string, unknown> = {};
	for (const [k, s] of Object.entries(shape)) {
		raw[k] = valueOf(form, k, s);
		if (!is(SECRET, s) && !is(FILES, s) && !(raw[k] instanceof File)) values[k] = raw[k];
	}
	const r = z.object(shape).safeParse(raw);
	if (r.success) return { ok: true, data: r.data, values };
	const errors: Record<string, Message> = {};
	for (const issue of r.error.issues) {
		const k = String(issue.path[0] ?? '');
		const message = issueMessage(issue, raw[k]);
		if (shape[k] && is(HIDDEN, shape[k])) error(400, problemText(k, message, raw[k]));
		const label = shape[k] ? labelOf(shape[k]) : null;
		errors[k] ??= label ? { key: 'form.fieldProblem', params: { field: { key: label }, problem: message } } : message;
	}
	return { ok: false, errors, values };
}

/** A problem of a use case as the one shape's `errors`, or null when it is no person's mistake. */
export function problemsOf(err: unknown): Record<string, Message> | null {
	if (err instanceof Refused) return err.errors;
	if (err instanceof UserError) return { [err.field]: err.text };
	if (err instanceof z.ZodError) {
		const out: Record<string, Message> = {};
		for (const issue of err.issues) out[String(issue.path.join('.'))] ??= issueMessage(issue, 'x');
		return out;
	}
	return null;
}

/**
 * The one way a form action is refused: `fail(status, { form, errors, values })`. What lies
 * outside the viewer's scope answers 404, as if it did not exist, and is audited.
 */
export async function refusal(event: RequestEvent, form: string, err: unknown, values: Record<string, unknown> = {}) {
	const errors = problemsOf(err);
	if (!errors) throw err;
	if (err instanceof NotInScope) await auditRequest(event.locals.services.handle.db, event, 'access.out_of_scope', event.url.search.slice(1), { field: err.field, error: err.message });
	const status = err instanceof Refused ? err.status : ((err as { status?: number }).status ?? 400);
	return fail(status, { form, errors, values: err instanceof Refused ? { ...values, ...err.values } : values } satisfies Refusal);
}

/** A refusal built by the route itself (a rule of the form, not of a use case). */
export const refuse = (form: string, errors: Record<string, Message>, values: Record<string, unknown> = {}, status = 400) => fail(status, { form, errors, values } satisfies Refusal);

/**
 * An action only some roles take on a page more may read (a leader publishes, an admin enters
 * indicators): anyone else gets 403 in the one shape, before the form is read.
 */
export const onlyFor =
	<R>(roles: readonly Role[], form: string, key: MessageKey, action: (event: RequestEvent) => Promise<R>) =>
	(event: RequestEvent) =>
		event.locals.user?.roles.some((r) => roles.includes(r)) ? action(event) : refuse(form, { '': { key } }, {}, 403);

/**
 * A form action: read the form with `shape`, run the use case with what it parsed, and answer
 * what it returns, or the one refusal shape. `run` gets the event and the raw form too.
 */
export function formAction<S extends Shape, R>(form: string, shape: S, run: (input: FormInput<S>, event: RequestEvent, raw: FormData) => Promise<R> | R) {
	return async (event: RequestEvent) => {
		const raw = await event.request.formData();
		const r = readForm(raw, shape);
		if (!r.ok) return refuse(form, r.errors, r.values);
		try {
			return await run(r.data, event, raw);
		} catch (err) {
			return refusal(event, form, err, r.values);
		}
	};
}
