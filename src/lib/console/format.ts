/** Dates in the console: Shanghai time (or the given zone, a center's), 2026-11-22 09:05:07. */
export function fmtDateTime(iso: string | Date | number | null | undefined, timeZone = 'Asia/Shanghai'): string {
	if (iso == null || iso === '') return '';
	const d = iso instanceof Date ? iso : new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	return d.toLocaleString('sv-SE', { timeZone, hour12: false });
}

/** A time of day in the same format (09:05:07). */
export const fmtTime = (iso: string | Date | number | null | undefined, timeZone = 'Asia/Shanghai'): string => fmtDateTime(iso, timeZone).slice(11);
