import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '$lib/client/live.svelte';
import type { Snapshot } from '$lib/domain/snapshot';
import { translator } from '$lib/i18n/wall';
import { eventItem, MAX_TICKS, tickerItems } from './notable';

const t = translator('zh');
const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const names: Snapshot['names'] = { departments: { GSJ: '市工商局' }, windows: { W01: '01号窗口' }, staff: { S001: '张伟' } };
const snap = (over: Partial<Snapshot> = {}) => ({ names, cards: { latest: [] }, presence: {}, hotline: { overdue: [] }, ...over }) as unknown as Snapshot;
let seq = 0;
const ev = (type: string, data: Record<string, unknown>, occurredAt = '2026-11-23T09:30:00+08:00'): LiveEvent => ({ seq: ++seq, id: `e${seq}`, type, occurredAt, centerCode: 'PJ-001', data });

describe('eventItem', () => {
	it('an alert by its level and title; the resolution replaces it (the newest event of an alert wins)', () => {
		const raised = ev('alert.raised', { alertId: 'a1', level: 'red', kind: 'red_card', title: '测试中心 张伟 被亮红牌（离岗）' });
		expect(eventItem(raised, snap(), t, NOW)).toMatchObject({ key: 'alert:a1', kind: 'red', tag: '红色告警', text: '测试中心 张伟 被亮红牌（离岗）', time: '09:30' });
		expect(eventItem(ev('alert.updated', { alertId: 'a2', level: 'orange', title: '等候 130 人' }), snap(), t, NOW)).toMatchObject({ kind: 'bad', tag: '橙色告警' });
		const resolved = ev('alert.resolved', { alertId: 'a1', title: '测试中心 张伟 被亮红牌（离岗）' }, '2026-11-23T09:40:00+08:00');
		expect(tickerItems([resolved, raised], snap(), t, NOW)[0]).toMatchObject({ key: 'alert:a1', kind: 'info', tag: '告警解除' });
		expect(eventItem(ev('alert.resolved', { alertId: 'a3' }), snap(), t, NOW)).toBeNull();
	});

	it('labels a card with names, reason and rule', () => {
		const item = eventItem(ev('card.issued', { cardId: 'c1', color: 'red', target: { kind: 'staff', code: 'S001' }, reason: 'absent', rule: 'presence_missed' }), snap(), t, NOW);
		expect(item).toMatchObject({ key: 'card:c1', kind: 'red', tag: '红牌', text: '张伟 · 离岗 · 规则 在岗抽查未确认', time: '09:30' });
		const en = eventItem(ev('card.issued', { cardId: 'c2', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent', rule: 'presence_missed' }), snap(), translator('en'), NOW);
		expect(en?.text).toContain('rule Missed presence check');
		// The issuer's note (说明) follows the reason.
		const noted = eventItem(ev('card.issued', { cardId: 'c3', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'misconduct', note: '上班时间玩手机' }), snap(), t, NOW);
		expect(noted?.text).toBe('张伟 · 违规 · 上班时间玩手机 · 人工');
	});

	it('shows a missed check with the window, and only bad reviews', () => {
		expect(eventItem(ev('presence.check_missed', { checkId: 'k', staffCode: 'S001', windowCode: 'W01' }), snap(), t, NOW)?.text).toBe('张伟 · 01号窗口');
		expect(eventItem(ev('evaluation.submitted', { rating: 5 }), snap(), t, NOW)).toBeNull();
		expect(eventItem(ev('evaluation.submitted', { rating: 1, windowCode: 'W01' }), snap(), t, NOW)?.text).toBe('01号窗口 · 1星');
	});

	it('on a region’s wall, names the event’s center and leaves out codes it has no name for', () => {
		const region = snap({
			scope: 'region:HN-01',
			names: { departments: {}, windows: {}, staff: {} },
			centers: { 'PJ-001': { name: '岭西顺和乡便民服务中心' } } as unknown as Snapshot['centers']
		});
		expect(eventItem(ev('case.overdue', { caseId: 'C9', departmentCode: 'PJ-001-ZH' }), region, t, NOW)?.text).toBe('岭西顺和乡便民中心 · 办件 C9');
		expect(eventItem(ev('presence.check_missed', { checkId: 'k', staffCode: 'PJ-001-S01', windowCode: 'PJ-001-W01' }), region, t, NOW)?.text).toBe('岭西顺和乡便民中心');
		// A center's wall keeps the code of something it has no name for (a window added since).
		expect(eventItem(ev('presence.check_missed', { checkId: 'k', staffCode: 'S001', windowCode: 'W99' }), snap(), t, NOW)?.text).toBe('张伟 · W99');
	});

	it('puts the date in front of times of other days', () => {
		expect(eventItem(ev('hotline.ticket_overdue', { ticketId: 'T1', departmentCode: 'GSJ' }, '2026-11-21T16:00:00+08:00'), snap(), t, NOW)?.time).toBe('11-21 16:00');
	});
});

describe('tickerItems', () => {
	it('lists live events first, then snapshot items not already covered, at most MAX_TICKS', () => {
		const s = snap({
			cards: {
				latest: [{ cardId: 'c1', color: 'yellow', at: '2026-11-23T08:00:00+08:00', targetKind: 'staff', targetCode: 'S001', targetName: '张伟', departmentName: '市工商局', reason: 'absent', rule: null, revoked: false }]
			} as unknown as Snapshot['cards']
		});
		const events = [ev('card.issued', { cardId: 'c1', color: 'yellow', target: { kind: 'staff', code: 'S001' }, reason: 'absent' })];
		const items = tickerItems(events, s, t, NOW);
		expect(items.map((i) => i.key)).toEqual(['card:c1']);
		const many = Array.from({ length: 50 }, (_, i) => ev('case.overdue', { caseId: `C${i}`, departmentCode: 'GSJ' }));
		expect(tickerItems(many, s, t, NOW)).toHaveLength(MAX_TICKS);
	});
});
