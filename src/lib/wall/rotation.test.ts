import { describe, expect, it } from 'vitest';
import { alertPage, parseRotation, Rotation } from './rotation.svelte';
import type { PageName } from './context.svelte';

function rig(pages: PageName[], start: PageName = pages[0]) {
	const shown: PageName[] = [];
	const r = new Rotation(pages, 30_000, start, (p) => shown.push(p));
	r.shownAt = 0;
	return { r, shown };
}

describe('parseRotation', () => {
	it('keeps known pages once, in order, and bounds the dwell', () => {
		expect(parseRotation('hall, hotline,nope,hall,rankings', '12')).toEqual({ pages: ['hall', 'hotline', 'rankings'], dwellMs: 12_000 });
		expect(parseRotation('wall,hall', '1')?.dwellMs).toBe(5_000);
		expect(parseRotation('hall', null)?.dwellMs).toBe(30_000);
		expect(parseRotation('hall', 'abc')?.pages).toEqual(['hall']);
		expect(parseRotation('wall', null)?.pages).toEqual(['overview']);
		expect(parseRotation(null, '30')).toBeNull();
		expect(parseRotation('nothing', '30')).toBeNull();
	});
});

describe('Rotation', () => {
	it('moves on after each dwell and wraps around', () => {
		const { r, shown } = rig(['overview', 'hall', 'hotline']);
		r.tick(29_000);
		expect(shown).toEqual([]);
		r.tick(30_000);
		r.tick(60_000);
		r.tick(90_000);
		expect(shown).toEqual(['hall', 'hotline', 'overview']);
	});

	it('brings an alert page forward for one dwell, then carries on where it was', () => {
		const { r, shown } = rig(['overview', 'hall', 'hotline']);
		r.tick(30_000); // hall
		r.bringForward('supervision', 40_000);
		expect(r.current).toBe('supervision');
		expect(r.interrupt).toBe('supervision');
		r.tick(69_000);
		expect(r.current).toBe('supervision');
		r.tick(70_000);
		expect(r.interrupt).toBeNull();
		expect(shown).toEqual(['hall', 'supervision', 'hotline']);
	});

	it('absorbs repeated alerts and queues at most one other page', () => {
		const { r, shown } = rig(['overview', 'hall']);
		r.bringForward('supervision', 1_000);
		r.bringForward('supervision', 2_000); // absorbed: no extension
		r.bringForward('hotline', 3_000); // waits its turn
		r.bringForward('hotline', 4_000);
		r.tick(31_000);
		expect(r.current).toBe('hotline');
		expect(r.interrupt).toBe('hotline');
		r.tick(61_000);
		expect(shown).toEqual(['supervision', 'hotline', 'hall']);
	});

	it('keeps the page already in front one more dwell, once', () => {
		const { r, shown } = rig(['supervision', 'hall']);
		r.bringForward('supervision', 20_000);
		r.tick(30_000);
		expect(r.current).toBe('supervision');
		r.bringForward('supervision', 40_000);
		r.tick(50_000);
		expect(shown).toEqual(['hall']);
	});
});

describe('alertPage', () => {
	it('sends red cards and overdue cases to supervision, overdue hotline tickets to the hotline', () => {
		expect(alertPage({ type: 'card.issued', data: { color: 'red' } })).toBe('supervision');
		expect(alertPage({ type: 'card.issued', data: { color: 'yellow' } })).toBeNull();
		expect(alertPage({ type: 'case.overdue', data: {} })).toBe('supervision');
		expect(alertPage({ type: 'hotline.ticket_overdue', data: {} })).toBe('hotline');
		expect(alertPage({ type: 'presence.check_missed', data: {} })).toBeNull();
	});
});
