/**
 * The state a wall's layout shares with its pages and panels: the one LiveFeed, the language,
 * a `now` that ticks once a second (from the scheduler), the canvas scale and layout (wide or
 * not), and the palette for charts.
 */
import { createContext } from 'svelte';
import type { LiveFeed } from '$lib/client/live.svelte';
import { scheduler } from '$lib/client/scheduler';
import type { Snapshot } from '$lib/domain/snapshot';
import { translator, type Lang, type T } from '$lib/i18n/wall';
import type { Palette } from './palette';
import { isRegionWall } from './region';

export type PageName = 'overview' | 'hall' | 'hotline' | 'supervision' | 'rankings';
export const PAGES: PageName[] = ['overview', 'hall', 'hotline', 'supervision', 'rankings'];

export function pagePath(page: PageName): string {
	return page === 'overview' ? '/wall' : `/wall/${page}`;
}

export function pageOfPath(path: string): PageName {
	const last = path.replace(/\/+$/, '').split('/').pop() ?? '';
	return (PAGES as string[]).includes(last) ? (last as PageName) : 'overview';
}

/** The design canvas: 1920×1080, or 5760×1080 (three panels side by side) on very wide walls. */
export const DESIGN_HEIGHT = 1080;
export const DESIGN_WIDTH = 1920;
export const WIDE_WIDTH = 5760;
/** Walls at least this wide for their height get the three-panel layout. */
export const WIDE_ASPECT = 2.5;

export class WallState {
	/** Epoch ms, updated once a second. */
	now = $state(Date.now());
	/** The browser window's size in CSS pixels. */
	viewport = $state({ width: DESIGN_HEIGHT * (16 / 9), height: DESIGN_HEIGHT });
	palette = $state<Palette | null>(null);
	readonly t: T;

	private stopTick: (() => void) | null = null;

	constructor(
		readonly feed: LiveFeed | null,
		readonly lang: Lang
	) {
		this.t = translator(lang);
	}

	/** A three-panel wall: the 5760×1080 canvas (a wide layout, not a stretched one). */
	get wide(): boolean {
		return this.viewport.width / Math.max(1, this.viewport.height) >= WIDE_ASPECT;
	}

	get designWidth(): number {
		return this.wide ? WIDE_WIDTH : DESIGN_WIDTH;
	}

	/** The CSS scale of the design canvas to fit the window (letterboxed). */
	get scale(): number {
		return Math.min(this.viewport.width / this.designWidth, this.viewport.height / DESIGN_HEIGHT);
	}

	/** The figures as the snapshot type (a cache from an older version may lack fields: read defensively). */
	get snap(): Snapshot | null {
		return this.feed?.figures ?? null;
	}

	/** A region's or the deployment's wall of several centers: tiles and rankings instead of windows (region.ts). */
	get regionWall(): boolean {
		return isRegionWall(this.snap);
	}

	get stale(): boolean {
		return !!this.feed && this.feed.isStale(this.now);
	}

	get asOf(): string | null {
		const v = this.feed?.figures?.asOf;
		return v ? String(v) : null;
	}

	get ageMs(): number | null {
		return this.feed ? this.feed.ageMs(this.now) : null;
	}

	start(): void {
		this.stopTick = scheduler.everySecond((now) => (this.now = now));
		this.feed?.start();
	}

	stop(): void {
		this.stopTick?.();
		this.feed?.stop();
	}
}

const [getWall, setWall] = createContext<WallState>();
export { getWall, setWall };
