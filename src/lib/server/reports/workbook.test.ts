/**
 * CSV injection's spreadsheet half: the Excel files (bulletin, cards export) store text that
 * looks like a formula as text, never as a formula cell (exceljs writes a formula only when
 * given `{ formula }`; this keeps it so).
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildBulletinFigures, type BulletinFigures } from '../../domain/bulletin';
import type { CardRow } from '../../domain/cards';
import { DEFAULT_SCORING } from '../../domain/metrics';
import { bucketKey } from '../../domain/projection';
import { october } from '../../domain/testkit-bulletin';
import { cardsWorkbook } from '../supervision/cards';
import { bulletinWorkbook } from './workbook';

const HOSTILE = ['=HYPERLINK("http://evil.example/x","点我")', '@SUM(1,2)', '+1+1', '-1+1'];

/** Every cell of every sheet: its type and value. */
async function cells(bytes: Buffer): Promise<Array<{ type: ExcelJS.ValueType; value: unknown; formula?: string }>> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(bytes as never);
	const out: Array<{ type: ExcelJS.ValueType; value: unknown; formula?: string }> = [];
	wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push({ type: c.type, value: c.value, formula: c.formula }))));
	return out;
}

/** Replace every `name` in the figures by hostile text (as if the org data carried it). */
function hostileNames<T>(v: T, i = { n: 0 }): T {
	if (Array.isArray(v)) return v.map((x) => hostileNames(x, i)) as T;
	if (v && typeof v === 'object')
		return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (k === 'name' || k === 'staff' || k === 'departmentName') && typeof x === 'string' ? HOSTILE[i.n++ % HOSTILE.length] : hostileNames(x, i)])) as T;
	return v;
}

describe('Excel exports keep formula-like text as text', () => {
	it('the bulletin workbook: names, texts and the revision reason', async () => {
		const f = october();
		const figures: BulletinFigures = hostileNames(
			buildBulletinFigures({ month: '2026-10', scope: { kind: 'all' }, org: f.org, counters: (kind, code) => f.state.buckets.get(bucketKey(kind, code, '2026-10')), cards: f.state.cards, indicators: f.state.indicators, scoring: DEFAULT_SCORING, now: Date.parse('2026-11-03T09:00:00+08:00'), seq: f.state.seq })
		);
		const texts = { intro: HOSTILE[0], problems: HOSTILE[1], plans: HOSTILE[2] };
		const meta = { version: { version: 2, publishedAt: '2026-11-03T01:00:00.000Z', publishedBy: 'user:lead', reason: HOSTILE[3] } };
		const all = await cells(await bulletinWorkbook(figures, texts, meta, 'zh'));
		expect(all.filter((c) => c.type === ExcelJS.ValueType.Formula || c.formula)).toEqual([]);
		const hostile = all.filter((c) => HOSTILE.includes(String(c.value)));
		// Each hostile text is there, as a string cell.
		expect(new Set(hostile.map((c) => c.value))).toEqual(new Set(HOSTILE));
		expect(hostile.every((c) => c.type === ExcelJS.ValueType.String)).toBe(true);
	});

	it('the cards export: target, department, reason, note, evidence and revoke reason', async () => {
		const row = (i: number): CardRow => ({ cardId: `c${i}`, color: 'red', at: Date.parse('2026-11-03T09:00:00+08:00'), targetKind: 'staff', targetCode: 'S001', targetName: HOSTILE[i], departmentCode: 'GSJ', departmentName: HOSTILE[(i + 1) % 4], centerCode: 'HC1', reason: HOSTILE[(i + 2) % 4], rule: null, note: HOSTILE[(i + 3) % 4], revoked: true, revokeReason: HOSTILE[i] });
		const evidence = new Map([['c0', [{ filename: HOSTILE[1] }]]]);
		const all = await cells(await cardsWorkbook('2026-11', [0, 1, 2, 3].map(row), { reason: (r) => r, color: (c) => c, kind: (k) => k }, evidence));
		const headers = all.slice(0, 12).map((c) => c.value);
		expect(headers).toEqual(expect.arrayContaining(['说明', '证据', '撤销原因']));
		expect(all.filter((c) => c.type === ExcelJS.ValueType.Formula || c.formula)).toEqual([]);
		const hostile = all.filter((c) => HOSTILE.includes(String(c.value)));
		expect(new Set(hostile.map((c) => c.value))).toEqual(new Set(HOSTILE));
		expect(hostile.every((c) => c.type === ExcelJS.ValueType.String)).toBe(true);
	});
});
