import { describe, expect, it } from 'vitest';
import { csvCell, csvFormulaUnescape } from './csv';

describe('csvCell', () => {
	it('quotes cells with commas, quotes and line breaks', () => {
		expect(csvCell('a,b')).toBe('"a,b"');
		expect(csvCell('say "hi"')).toBe('"say ""hi"""');
		expect(csvCell('two\nlines')).toBe('"two\nlines"');
		expect(csvCell(null)).toBe('');
		expect(csvCell(undefined)).toBe('');
	});

	it('puts a single quote before text a spreadsheet would take for a formula: = + - @ tab CR', () => {
		expect(csvCell('=1+1')).toBe("'=1+1");
		expect(csvCell('+1+1')).toBe("'+1+1");
		expect(csvCell('-1+1')).toBe("'-1+1");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell('\t=1')).toBe("'\t=1");
		expect(csvCell('\r=1')).toBe(`"'\r=1"`);
		expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
		// Numbers are numbers to a spreadsheet, never formulas.
		expect(csvCell(-5)).toBe('-5');
		expect(csvCell('a=b')).toBe('a=b');
	});

	it('reads back exactly what it escaped, and leaves other quotes alone', () => {
		for (const v of ['=1+1', '+1', '-1', '@x', '\tx', '\rx', "'=x", "''=x", "'x", 'plain', "'"]) {
			const cell = csvCell(v).replace(/^"(.*)"$/s, '$1').replace(/""/g, '"');
			expect(csvFormulaUnescape(cell), JSON.stringify(v)).toBe(v);
		}
		expect(csvFormulaUnescape("'hello")).toBe("'hello");
	});
});
