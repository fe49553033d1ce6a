/**
 * A problem a person caused with a form or an action: the field it is about, the message in
 * English (API answers, logs, tests: stable) and in Chinese for the console, which speaks
 * Simplified Chinese unless switched to English. Form actions return both (`error`, `zh`); the
 * page shows the one of its language (`formError` in $lib/i18n/local).
 */
export class UserError extends Error {
	constructor(
		message: string,
		/** The form field the problem is about ('' when it is about the whole action). */
		readonly field: string,
		/** The same in Chinese; the English message stands in where it is missing. */
		readonly zh?: string
	) {
		super(message);
	}
}

