/**
 * Offline start for the wall: register the service worker (src/service-worker.ts) for /wall, so
 * a wall PC that restarts while the server is down still loads the wall and shows its cached
 * figures, marked stale. Service workers run only in secure contexts (https, or http on
 * localhost / 127.0.0.1): elsewhere `navigator.serviceWorker` is missing and this does nothing
 * (see docs/wall.md, "Offline start").
 */
import { dev } from '$app/environment';
import { base } from '$app/paths';
import type { MessageKey, T } from '$lib/i18n/wall';

export function registerServiceWorker(): void {
	if (dev || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
	navigator.serviceWorker.register(`${base}/service-worker.js`, { scope: `${base}/wall` }).catch(() => {
		/* no offline start on this screen; the wall itself works on */
	});
}

/** Texts a wall shows only when the stream is lost or it starts offline. */
const OFFLINE_TEXTS: MessageKey[] = ['wall.connecting', 'status.cached', 'status.down', 'status.ageSec', 'status.ageMin', 'status.ageHour', 'banner.stale', 'banner.cached', 'banner.noData', 'panel.asOf'];

/**
 * Load the web-font slices for the texts of an outage while the server is still there: the
 * self-hosted CJK font comes in ~100 slices per weight, fetched as glyphs first appear, so the
 * glyphs of "数据中断 · 数据截至" would otherwise be fetched only once the server is gone (and
 * drawn in a fallback font, or as boxes on a PC without CJK fonts). Where the service worker
 * runs it holds every slice anyway; this is for screens without it (plain http).
 */
export async function preloadOfflineGlyphs(root: HTMLElement, t: T): Promise<void> {
	if (typeof document === 'undefined' || !document.fonts?.load) return;
	const family = getComputedStyle(root).fontFamily;
	const text = OFFLINE_TEXTS.map((k) => t(k, { n: 1234567890, time: '11-22 12:34:56', age: '' })).join('') + '0123456789:-·';
	await Promise.all(['400', '700'].map((weight) => document.fonts.load(`${weight} 16px ${family}`, text).catch(() => [])));
}
