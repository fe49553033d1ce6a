/** Field errors of a refused console form (see refuse() in $lib/server/admin/console), in the page's language. */
type FieldError = { key: string; params?: Record<string, string | number> };
type Refused = { action?: string; errors?: Record<string, FieldError> } | null | undefined;

export function fieldErrors<K extends string>(form: unknown, t: (key: K, params?: Record<string, string | number>) => string) {
	const f = form as Refused;
	/** The message for `field` when `action`'s form was refused, else null. */
	return (action: string, field: string): string | null => {
		const e = f?.action === action ? f.errors?.[field] : undefined;
		return e ? t(e.key as K, e.params) : null;
	};
}
