/**
 * A fresh id for one filling of a form: the server makes it the event id, so a form sent twice
 * (a double click, a retry) is stored once. Renewed after each success.
 */
export function formNonce(): string {
	return (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(/[^A-Za-z0-9-]/g, '');
}
