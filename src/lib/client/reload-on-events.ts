/**
 * Console pages that follow the live stream without holding figures themselves: when an event
 * they care about arrives, their data is loaded again (once per `delayMs`, skipped while
 * `paused()`, e.g. during a form submission). Returns the stop function for onMount.
 */
import { invalidateAll } from '$app/navigation';
import { LiveFeed, type LiveEvent } from './live.svelte';

export function reloadOnEvents(match: (e: LiveEvent) => boolean, delayMs: number, paused: () => boolean = () => false): () => void {
	let timer: ReturnType<typeof setTimeout> | null = null;
	const feed = new LiveFeed({
		token: null,
		events: 'all',
		cache: false,
		keepEvents: 1,
		onEvent: (e) => {
			if (!match(e) || timer) return;
			timer = setTimeout(() => {
				timer = null;
				if (!paused()) void invalidateAll();
			}, delayMs);
		}
	});
	feed.start();
	return () => {
		feed.stop();
		if (timer) clearTimeout(timer);
	};
}
