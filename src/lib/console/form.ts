/**
 * The console's side of the form layer (src/lib/server/http/form.ts): a refused form action
 * answers `{ form, errors: { field: { key, params } }, values }`; a page picks its form's refusal
 * with `refusalOf`, marks fields with `invalid`, refills them from `values` and shows the
 * problems with <FormErrors>.
 */
import type { SubmitFunction } from '@sveltejs/kit';
import type { Message } from '$lib/i18n';

export interface Refusal {
	form: string;
	errors: Record<string, Message>;
	values: Record<string, unknown>;
}

const isRefusal = (v: unknown): v is Refusal => !!v && typeof v === 'object' && typeof (v as Refusal).form === 'string' && !!(v as Refusal).errors && typeof (v as Refusal).errors === 'object';

/** The refusal in a form action's answer (`form` of the page, or an enhanced result's data), for the form(s) named. */
export function refusalOf(answer: unknown, name?: string | readonly string[]): Refusal | null {
	if (!isRefusal(answer)) return null;
	if (name === undefined) return answer;
	return (typeof name === 'string' ? answer.form === name : name.includes(answer.form)) ? answer : null;
}

/** Is this field one the refusal names? */
export const invalid = (r: Refusal | null | undefined, field: string): boolean => !!r?.errors[field];

/** What was entered in a refused form (text fields as strings; lists as arrays). */
export function entered(r: Refusal | null | undefined, field: string): string {
	const v = r?.values[field];
	return v == null ? '' : Array.isArray(v) ? v.join(',') : String(v);
}

/**
 * An enhance callback for a form that says it is being sent: `busy(true)` until the answer is in
 * (buttons disabled, the page not refreshed under it), then `busy(false)`; what was typed stays.
 */
export const whileSending =
	(busy: (sending: boolean) => void): SubmitFunction =>
	() => {
		busy(true);
		return async ({ update }) => {
			await update({ reset: false });
			busy(false);
		};
	};
