import { describe, expect, it } from 'vitest';
import { cardRows, cardTallies } from './cards';
import { Feed } from './testkit';

const TZ = 'Asia/Shanghai';

describe('the card workbench', () => {
	const f = new Feed();
	const card = (id: string, at: string, color: 'yellow' | 'red', kind: string, code: string, extra: Record<string, unknown> = {}) =>
		f.ev('card.issued', at, { cardId: id, color, target: { kind, code }, reason: 'absent', ...extra });
	card('k1', '2026-11-02T09:00:00+08:00', 'yellow', 'staff', 'S001');
	card('k2', '2026-11-03T09:00:00+08:00', 'red', 'staff', 'S001', { rule: 'missed-check-twice' });
	card('k3', '2026-11-04T09:00:00+08:00', 'yellow', 'window', 'W02', { reason: 'complaint', note: '群众投诉态度生硬' });
	card('k4', '2026-11-05T09:00:00+08:00', 'red', 'department', 'GAJ', { reason: 'overdue_case', rule: 'case-overdue' });
	card('k5', '2026-11-06T09:00:00+08:00', 'yellow', 'staff', 'S002');
	card('k0', '2026-10-31T23:59:00+08:00', 'red', 'staff', 'S001'); // last month
	f.ev('card.revoked', '2026-11-07T09:00:00+08:00', { cardId: 'k5', reason: '误报' });

	it('lists the month newest first, with names, and filters', () => {
		const all = cardRows(f.state, f.org, { month: '2026-11', includeRevoked: true }, TZ);
		expect(all.map((r) => r.cardId)).toEqual(['k5', 'k4', 'k3', 'k2', 'k1']);
		expect(all.find((r) => r.cardId === 'k3')).toMatchObject({ targetName: '2号窗口', departmentCode: 'SWJ', departmentName: '税务局', centerCode: 'PJ-001' });
		expect(all[0]).toMatchObject({ revoked: true, revokeReason: '误报', note: null });
		expect(all.find((r) => r.cardId === 'k3')!.note).toBe('群众投诉态度生硬');
		expect(cardRows(f.state, f.org, { month: '2026-11', q: '态度' }, TZ).map((r) => r.cardId)).toEqual(['k3']);
		expect(cardRows(f.state, f.org, { month: '2026-11' }, TZ).map((r) => r.cardId)).toEqual(['k4', 'k3', 'k2', 'k1']);
		expect(cardRows(f.state, f.org, { month: '2026-11', color: 'red' }, TZ).map((r) => r.cardId)).toEqual(['k4', 'k2']);
		expect(cardRows(f.state, f.org, { month: '2026-11', source: 'rule' }, TZ).map((r) => r.cardId)).toEqual(['k4', 'k2']);
		expect(cardRows(f.state, f.org, { month: '2026-11', source: 'hand' }, TZ).map((r) => r.cardId)).toEqual(['k3', 'k1']);
		expect(cardRows(f.state, f.org, { month: '2026-11', centerCode: 'PJ-002' }, TZ).map((r) => r.cardId)).toEqual(['k4']);
		expect(cardRows(f.state, f.org, { month: '2026-11', departmentCode: 'GSJ' }, TZ).map((r) => r.cardId)).toEqual(['k2', 'k1']);
		expect(cardRows(f.state, f.org, { month: '2026-11', q: '张三' }, TZ).map((r) => r.cardId)).toEqual(['k2', 'k1']);
		expect(cardRows(f.state, f.org, { month: '2026-11', q: 'complaint' }, TZ).map((r) => r.cardId)).toEqual(['k3']);
		expect(cardRows(f.state, f.org, { month: '2026-10' }, TZ).map((r) => r.cardId)).toEqual(['k0']);
	});

	it('tallies by department and staff without revoked cards', () => {
		const t = cardTallies(cardRows(f.state, f.org, { month: '2026-11', includeRevoked: true }, TZ));
		expect(t.byDepartment).toEqual([
			{ code: 'GSJ', name: '市场监管局', yellow: 1, red: 1 },
			{ code: 'GAJ', name: '公安局', yellow: 0, red: 1 },
			{ code: 'SWJ', name: '税务局', yellow: 1, red: 0 }
		]);
		expect(t.byStaff).toEqual([{ code: 'S001', name: '张三', yellow: 1, red: 1 }]);
	});
});
