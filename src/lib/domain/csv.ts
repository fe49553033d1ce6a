/**
 * CSV cells the product writes, and how its uploads read them back. Every CSV Hallwatch writes
 * goes through `csvCell` (today: the org download, org-fields.ts `orgCsv`).
 *
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with = + - @ (or a tab or CR
 * before one) as a formula: `=HYPERLINK(…)` in a staff name becomes a link on the admin's
 * screen. Such text gets a single quote in front, which spreadsheets show as text. A value that
 * already starts with quotes before one of those characters gets one more, so the upload
 * (`csvFormulaUnescape`, one quote less) gives back exactly what was downloaded.
 */

const FORMULA = /^'*[=+\-@\t\r]/;

/** One cell: text escaped against formulas, then quoted when it holds a comma, quote or line break. */
export function csvCell(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'number') return String(value);
	let s = String(value);
	if (FORMULA.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A line of cells (no line break). */
export const csvLine = (values: readonly unknown[]): string => values.map(csvCell).join(',');

/** A cell as read from an upload: the quote `csvCell` put before a formula character comes off. */
export function csvFormulaUnescape(cell: string): string {
	return cell.startsWith("'") && FORMULA.test(cell) ? cell.slice(1) : cell;
}
