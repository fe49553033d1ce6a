/**
 * A problem a person caused with a form or an action: the field it is about, the message in
 * English (API answers, the CLI, logs, tests: stable) and in Chinese for the console. A form
 * action's refusal carries it as a message of the page's language (`text`, see
 * src/lib/server/http/form.ts): a key of the dictionaries when the error was made from one
 * (`UserError.keyed`), else the two texts the service worded (`worded`).
 */
import { translator, type Message, type MessageKey, type Params } from '../i18n';

export class UserError extends Error {
	#text: Message | null;

	constructor(
		message: string,
		/** The form field the problem is about ('' when it is about the whole action). */
		readonly field: string,
		/** The same in Chinese; the English message stands in where it is missing. */
		readonly zh?: string,
		/** The same as a message of the dictionaries, when it was made from one. */
		text?: Message
	) {
		super(message);
		this.#text = text ?? null;
	}

	/**
	 * An error worded by the dictionaries: the English message is `field: <en text>` (or the
	 * text alone for the whole action), the Chinese the zh text.
	 */
	static keyed<E extends UserError>(this: new (message: string, field: string, zh?: string, text?: Message) => E, field: string, key: MessageKey, params?: Params): E {
		const en = translator('en')(key, params);
		return new this(field ? `${field}: ${en}` : en, field, translator('zh')(key, params), { key, ...(params ? { params } : {}) });
	}

	/** The problem as a message for the page's translator. */
	get text(): Message {
		return this.#text ?? { key: 'worded', params: { zh: this.zh ?? this.message, en: this.message } };
	}
}
