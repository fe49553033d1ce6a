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
