/**
 * Personal data on read paths: caller phones are masked for every viewer that does not need
 * them (wall displays now; roles with the accounts issue). Never log unmasked values.
 */

/** 13800001234 → 138****1234; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
	const digits = phone.replace(/\D/g, '');
	if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
	return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

const PERSONAL_FIELDS: Record<string, (v: string) => string> = { callerPhone: maskPhone };

/**
 * A run of digits a phone could be written as (+86 138-0000-1234, (0427) 2800000), not glued to
 * a Latin word or code before it (`RX-20261122-0042` is a ticket id; 回电13800001234 is a
 * phone). 7 to 15 digits (E.164's most) count; dates (2026-11-22) do not.
 */
const PHONE_LIKE = /(?<![A-Za-z0-9_-])\+?\(?\d[\d ()-]{5,}\d/g;
const DATE = /\d{4}-\d{2}-\d{2}/;

/**
 * Text that may quote personal data (a quarantine reason, an error for the log): the value
 * quoted after a personal field's name (`data.callerPhone: …, found "1380000123x"`) and every
 * phone-like number are masked as maskPhone does.
 */
export function maskText(text: string): string {
	let out = text;
	for (const [field, mask] of Object.entries(PERSONAL_FIELDS)) out = out.replace(new RegExp(`(\\b${field}\\b[^"\\n]*")([^"\\n]*)(")`, 'g'), (_, before: string, value: string, after: string) => before + mask(value) + after);
	return out.replace(PHONE_LIKE, (m) => {
		const digits = m.replace(/\D/g, '').length;
		return digits < 7 || digits > 15 || DATE.test(m) ? m : maskPhone(m);
	});
}

/** A copy of an event's data with personal fields masked (the original is untouched). */
export function maskEventData(_type: string, data: Record<string, unknown>): Record<string, unknown> {
	let out: Record<string, unknown> | null = null;
	for (const [field, mask] of Object.entries(PERSONAL_FIELDS)) {
		const v = data[field];
		if (typeof v === 'string') {
			out ??= { ...data };
			out[field] = mask(v);
		}
	}
	return out ?? data;
}
