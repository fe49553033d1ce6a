import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ORG_KINDS, orgSchemas } from './org';
import { checkOrgItem, decodeCsv, itemsToApply, previewOrgCsv } from './org-csv';
import { FIELD_LABELS, fieldChoices, orgCsv, orgFields, requiredFields } from './org-fields';
import { makeOrg } from './testkit';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('fields come from the schemas', () => {
	it('lists each kind’s fields in schema order, with labels for every one', () => {
		for (const kind of ORG_KINDS) {
			expect(orgFields(kind)).toEqual(Object.keys(orgSchemas[kind].shape));
			for (const f of orgFields(kind)) expect(FIELD_LABELS[f].zh).toBeTruthy();
		}
		expect(requiredFields('windows')).toEqual(['code', 'name', 'centerCode', 'departmentCode']);
		expect(requiredFields('staff')).toEqual(['code', 'name', 'departmentCode']);
	});
});

describe('decodeCsv', () => {
	it('reads UTF-8 with and without BOM', () => {
		expect(decodeCsv(utf8('\uFEFFcode,name\n')).text).toBe('code,name\n');
		expect(decodeCsv(utf8('code,name\nW1,一号\n'))).toEqual({ text: 'code,name\nW1,一号\n', encoding: 'utf-8' });
	});
	it('falls back to GBK for bytes that are not UTF-8 (Chinese Excel)', () => {
		// "张伟" in GBK.
		const gbk = new Uint8Array([...utf8('code,name\nS1,'), 0xd5, 0xc5, 0xce, 0xb0, 0x0a]);
		expect(decodeCsv(gbk)).toEqual({ text: 'code,name\nS1,张伟\n', encoding: 'gbk' });
	});
	it('reads UTF-16LE with BOM (Excel "Unicode text")', () => {
		const s = 'code\tname\n';
		const bytes = new Uint8Array(2 + s.length * 2);
		bytes.set([0xff, 0xfe]);
		for (let i = 0; i < s.length; i++) bytes[2 + 2 * i] = s.charCodeAt(i);
		expect(decodeCsv(bytes)).toEqual({ text: s, encoding: 'utf-16le' });
	});
});

describe('previewOrgCsv', () => {
	it('marks rows new, changed (with the fields) or unchanged against the org', () => {
		const csv = 'code,name,centerCode,departmentCode\nW01,1号窗口,PJ-001,GSJ\nW02,2号窗口（税务）,PJ-001,SWJ\nW09,9号窗口,PJ-002,GAJ\n';
		const p = previewOrgCsv('windows', csv, makeOrg());
		expect(p.fileErrors).toEqual([]);
		expect(p.invalid).toEqual([]);
		expect(p.rows.map((r) => [r.row, r.code, r.status])).toEqual([
			[2, 'W01', 'unchanged'],
			[3, 'W02', 'changed'],
			[4, 'W09', 'new']
		]);
		expect(p.rows[1].changes).toEqual([{ field: 'name', before: '2号窗口', after: '2号窗口（税务）' }]);
		expect(p.counts).toEqual({ new: 1, changed: 1, unchanged: 1, invalid: 0 });
		expect(itemsToApply(p).windows.map((w) => w.code)).toEqual(['W02', 'W09']);
	});

	it('lists bad rows with line, field and problem, keeping the good ones', () => {
		const csv = [
			'code,name,centerCode,departmentCode',
			'W10,10号窗口,PJ-001,GSJ',
			'W 11,11号窗口,PJ-001,GSJ', // bad code
			'W12,,PJ-001,GSJ', // name missing
			'W13,13号窗口,PJ-001,NOPE', // unknown department
			'W14,14号窗口,PJ-001,GSJ,extra' // too many cells
		].join('\n');
		const p = previewOrgCsv('windows', csv, makeOrg());
		expect(p.rows.map((r) => r.code)).toEqual(['W10']);
		expect(p.invalid.map((r) => [r.row, r.problems.map((x) => [x.field, x.code])])).toEqual([
			[3, [['code', 'invalid']]],
			[4, [['name', 'required']]],
			[5, [['departmentCode', 'ref']]],
			[6, [[null, 'cells']]]
		]);
		expect(p.invalid[0].problems[0].message).toMatch(/^code: expected a code of 1–64 characters/);
		expect(p.invalid[1].problems[0]).toMatchObject({ message: 'name: is required', zh: '名称（name）：必填' });
		expect(p.invalid[2].problems[0].message).toBe('departmentCode: unknown department "NOPE"');
		expect(p.counts.invalid).toBe(4);
	});

	it('takes quoted fields with commas, quotes and newlines, and counts lines from where a record starts', () => {
		const csv = 'code,name,departmentCode\r\nS10,"张, 伟",GSJ\r\nS11,"李""娜""\r\n（借调）",GSJ\r\nS12,,GSJ\r\n';
		const p = previewOrgCsv('staff', csv, makeOrg());
		expect(p.rows.map((r) => [r.row, r.item.name])).toEqual([
			[2, '张, 伟'],
			[3, '李"娜"\r\n（借调）']
		]);
		expect(p.invalid.map((r) => r.row)).toEqual([5]);
	});

	it('strips a BOM and skips empty lines and rows of empty cells', () => {
		const p = previewOrgCsv('departments', '\uFEFFcode,name,centerCode\n\nNEW1,新部门,PJ-001\n,,\n', makeOrg());
		expect(p.fileErrors).toEqual([]);
		expect(p.rows.map((r) => [r.row, r.code, r.status])).toEqual([[3, 'NEW1', 'new']]);
	});

	it('refuses unknown, repeated and missing required columns as a whole', () => {
		const p = previewOrgCsv('windows', 'code,name,colour,centerCode,name\nW20,x,red,PJ-001,y\n', makeOrg());
		expect(p.rows).toEqual([]);
		expect(p.fileErrors.map((e) => e.message)).toEqual([
			'column "colour" is not a field of windows (expected code, name, centerCode, departmentCode)',
			'column "name" repeats column 2 (name)',
			'column "departmentCode" is required but missing from the header'
		]);
	});

	it('accepts the Chinese labels as headers', () => {
		const header = ['code', 'name', 'centerCode', 'departmentCode'].map((f) => FIELD_LABELS[f as 'code'].zh).join(',');
		const p = previewOrgCsv('windows', `${header}\nW30,30号窗口,PJ-001,GSJ\n`, makeOrg());
		expect(p.fileErrors).toEqual([]);
		expect(p.rows[0].item).toEqual({ code: 'W30', name: '30号窗口', centerCode: 'PJ-001', departmentCode: 'GSJ' });
	});

	it('flags a code repeated within the file, keeping the first', () => {
		const p = previewOrgCsv('windows', 'code,name,centerCode,departmentCode\nW40,a,PJ-001,GSJ\nW40,b,PJ-001,GSJ\n', makeOrg());
		expect(p.rows.map((r) => [r.row, r.item.name])).toEqual([[2, 'a']]);
		expect(p.invalid[0].problems[0]).toMatchObject({ row: 3, field: 'code', code: 'duplicate', otherRow: 2, message: 'code: "W40" repeats line 2 of this file' });
	});

	it('resolves references to rows of the same file', () => {
		const p = previewOrgCsv('regions', 'code,name,parentCode,level\nNEWC,新市,,city\nNEWD,新区,NEWC,county\nBAD,坏区,NOWHERE,county\n', makeOrg());
		expect(p.rows.map((r) => r.code)).toEqual(['NEWC', 'NEWD']);
		expect(p.invalid[0].problems[0]).toMatchObject({ row: 4, field: 'parentCode', code: 'ref' });
	});

	it('keeps the current value of a column the file leaves out; an empty cell clears an optional field', () => {
		const org = makeOrg();
		org.load({ centers: [{ code: 'PJ-001', name: '兴隆台区政务服务中心', regionCode: 'XLT', timezone: 'Asia/Shanghai', title: '大厅' }] });
		const p = previewOrgCsv('centers', 'code,name,regionCode,title\nPJ-001,兴隆台区政务服务中心,XLT,\n', org);
		expect(p.rows[0].item).toEqual({ code: 'PJ-001', name: '兴隆台区政务服务中心', regionCode: 'XLT', timezone: 'Asia/Shanghai' });
		expect(p.rows[0].changes).toEqual([{ field: 'title', before: '大厅', after: null }]);
	});

	it('says what is wrong with an empty file, a header alone and broken quoting', () => {
		expect(previewOrgCsv('staff', '', makeOrg()).fileErrors[0].message).toMatch(/^the file is empty/);
		expect(previewOrgCsv('staff', 'code,name,departmentCode\n', makeOrg()).fileErrors[0].message).toBe('the file has a header but no rows');
		expect(previewOrgCsv('staff', 'code,name,departmentCode\nS1,"open,GSJ\n', makeOrg()).fileErrors[0].message).toMatch(/^the file is not valid CSV/);
	});

	it('reads tab-separated files', () => {
		const p = previewOrgCsv('staff', 'code\tname\tdepartmentCode\nS20\t孙七\tGSJ\n', makeOrg());
		expect(p.rows[0].item).toEqual({ code: 'S20', name: '孙七', departmentCode: 'GSJ' });
	});

	it('round-trips the current org through orgCsv', () => {
		const org = makeOrg();
		for (const kind of ORG_KINDS) {
			const bytes = utf8(orgCsv(kind, org[kind].values()));
			const p = previewOrgCsv(kind, decodeCsv(bytes).text, org);
			expect(p.fileErrors).toEqual([]);
			expect(p.invalid).toEqual([]);
			expect(p.rows.every((r) => r.status === 'unchanged')).toBe(true);
			expect(p.rows.length).toBe(org[kind].size);
		}
	});
});

describe('CSV injection (OWASP): the download escapes formulas, the upload reads them back', () => {
	// What a spreadsheet would run, and values that already start with the escaping quote.
	const HOSTILE = ['=HYPERLINK("http://evil.example/x","点我")', '@SUM(1,2)', '+1+1', '-1+1', "'=already quoted", "''@quoted twice", "'plain quote"];
	const items = HOSTILE.map((name, i) => ({ code: `S9${i}`, name, departmentCode: 'GSJ' }));

	it('no cell of the download starts with = + - @ (the value comes after a single quote)', () => {
		const cells = (parse(orgCsv('staff', items), { bom: true }) as string[][]).slice(1).map((r) => r[1]);
		for (const c of cells) expect(c, c).not.toMatch(/^[=+\-@\t\r]/);
		expect(cells[0]).toBe(`'${HOSTILE[0]}`);
		expect(cells[6]).toBe("'plain quote");
	});

	it('download → upload gives back every value as it was', () => {
		const org = makeOrg();
		const p = previewOrgCsv('staff', decodeCsv(utf8(orgCsv('staff', items))).text, org);
		expect(p.invalid).toEqual([]);
		expect(p.rows.map((r) => r.item.name)).toEqual(HOSTILE);
		expect(p.rows.every((r) => r.status === 'new')).toBe(true);
	});
});

describe('checkOrgItem (the edit form)', () => {
	it('returns the item and its changes; empty optional fields clear them', () => {
		const r = checkOrgItem('staff', { code: 'S001', name: '张三丰', departmentCode: 'GSJ', windowCode: '' }, makeOrg(), false);
		expect(r).toEqual({
			ok: true,
			item: { code: 'S001', name: '张三丰', departmentCode: 'GSJ' },
			before: { code: 'S001', name: '张三', departmentCode: 'GSJ', windowCode: 'W01' },
			changes: [
				{ field: 'name', before: '张三', after: '张三丰' },
				{ field: 'windowCode', before: 'W01', after: null }
			]
		});
	});
	it('names the field of each problem: required, format, unknown reference, existing code for a new item', () => {
		const bad = checkOrgItem('windows', { code: 'W 9', name: '', centerCode: 'PJ-001', departmentCode: 'GSJ' }, makeOrg(), true);
		expect(bad.ok || bad.problems.map((p) => [p.field, p.code])).toEqual([
			['code', 'invalid'],
			['name', 'required']
		]);
		const ref = checkOrgItem('windows', { code: 'W09', name: '9号', centerCode: 'PJ-001', departmentCode: 'XX' }, makeOrg(), true);
		expect(ref.ok || ref.problems[0]).toMatchObject({ field: 'departmentCode', code: 'ref', message: 'departmentCode: unknown department "XX"' });
		const dup = checkOrgItem('windows', { code: 'W01', name: '1号', centerCode: 'PJ-001', departmentCode: 'GSJ' }, makeOrg(), true);
		expect(dup.ok || dup.problems[0]).toMatchObject({ field: 'code', code: 'duplicate' });
	});
});

describe('fieldChoices', () => {
	it('reads enum options from the schema', () => {
		expect(fieldChoices('regions')).toEqual({ level: ['province', 'city', 'county', 'town'] });
		expect(fieldChoices('windows')).toEqual({});
	});
});
