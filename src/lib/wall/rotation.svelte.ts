/**
 * Page rotation for a wall (`?rotate=hall,hotline,rankings&dwell=30`): each page shows for one
 * dwell, then the next. An alert (a new red card, an overdue item) brings its page forward for
 * one dwell and the rotation then carries on where it was; alerts for the page already brought
 * forward are absorbed, and at most one other page waits its turn, so a burst of alerts can
 * never make the wall flicker. Ticks come from the one scheduler.
 */
import { scheduler } from '$lib/client/scheduler';
import { PAGES, type PageName } from './context.svelte';

export const DEFAULT_DWELL_SEC = 30;
export const MIN_DWELL_SEC = 5;

/** Parse `rotate` (page names, comma separated) and `dwell` (seconds). Null: no rotation. */
export function parseRotation(rotate: string | null, dwell: string | null): { pages: PageName[]; dwellMs: number } | null {
	if (!rotate) return null;
	const pages: PageName[] = [];
	for (const raw of rotate.split(',')) {
		const name = (raw.trim() === 'wall' ? 'overview' : raw.trim()) as PageName;
		if (PAGES.includes(name) && !pages.includes(name)) pages.push(name);
	}
	if (!pages.length) return null;
	const sec = Number(dwell);
	const dwellSec = Number.isFinite(sec) && sec > 0 ? Math.max(MIN_DWELL_SEC, sec) : DEFAULT_DWELL_SEC;
	return { pages, dwellMs: dwellSec * 1000 };
}

export class Rotation {
	/** The page in front now. */
	current = $state<PageName>('overview');
	/** The page brought forward by an alert, while it is (null during normal rotation). */
	interrupt = $state<PageName | null>(null);
	/** Epoch ms when the current page came to the front. */
	shownAt = $state(0);

	private index: number;
	private pending: PageName | null = null;
	private stopTick: (() => void) | null = null;

	constructor(
		readonly pages: PageName[],
		readonly dwellMs: number,
		start: PageName,
		private navigate: (page: PageName) => void
	) {
		this.index = Math.max(0, pages.indexOf(start));
		this.current = start;
	}

	start(): void {
		this.shownAt = Date.now();
		this.stopTick = scheduler.everySecond((now) => this.tick(now));
	}

	stop(): void {
		this.stopTick?.();
		this.stopTick = null;
	}

	/** Called once a second: move on when the dwell is over. */
	tick(now: number): void {
		if (now - this.shownAt < this.dwellMs) return;
		if (this.pending) {
			const page = this.pending;
			this.pending = null;
			this.show(page, true, now);
			return;
		}
		this.index = (this.index + 1) % this.pages.length;
		this.show(this.pages[this.index], false, now);
	}

	/** An alert for `page`: bring it to the front now, for one dwell. */
	bringForward(page: PageName, now = Date.now()): void {
		if (this.interrupt === page || this.pending === page) return;
		if (this.interrupt) {
			this.pending = page;
			return;
		}
		if (this.current === page) {
			// Already in front: it stays one full dwell from now, once.
			this.interrupt = page;
			this.shownAt = now;
			return;
		}
		this.show(page, true, now);
	}

	private show(page: PageName, interrupt: boolean, now: number): void {
		this.interrupt = interrupt ? page : null;
		this.shownAt = now;
		if (page !== this.current) {
			this.current = page;
			this.navigate(page);
		}
	}
}

/** Which page an alert brings forward, if any: red cards and overdue cases → supervision, overdue hotline tickets → hotline. */
export function alertPage(e: { type: string; data: Record<string, unknown> }): PageName | null {
	if (e.type === 'card.issued' && e.data?.color === 'red') return 'supervision';
	if (e.type === 'case.overdue') return 'supervision';
	if (e.type === 'hotline.ticket_overdue') return 'hotline';
	return null;
}
