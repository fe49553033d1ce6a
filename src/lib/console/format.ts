/** Dates in the console: Shanghai time, 2026-11-22 09:05:07. */
export function fmtDateTime(iso: string | Date | null | undefined): string {
	if (!iso) return '';
	const d = typeof iso === 'string' ? new Date(iso) : iso;
	if (Number.isNaN(d.getTime())) return '';
	return d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false });
}
