/**
 * Svelte actions of the wall's panels.
 *
 * `use:contentSize`: an element's content box in design pixels (ResizeObserver ignores the
 * canvas transform), for layouts that fill the room they get.
 *
 * `use:fitText`: a name that does not fit its box is set smaller, a pixel at a time, down to
 * `min` design px (names stay readable from 5–8 m: 20 px at 1080p); only then would it be cut.
 * Measured in layout pixels (the canvas transform does not change them), again when the text
 * or the box changes and when web font slices arrive. Work runs on the scheduler's next frame.
 */
import { scheduler } from '$lib/client/scheduler';

export interface FitTextOptions {
	/** Smallest font size in design px. */
	min?: number;
	/** The text (so a change refits). */
	text?: string;
}

export function fitText(node: HTMLElement, opts: FitTextOptions = {}) {
	let min = opts.min ?? 20;
	const fit = () => {
		if (!node.isConnected) return;
		node.style.fontSize = '';
		let size = parseFloat(getComputedStyle(node).fontSize);
		while (node.scrollWidth > node.clientWidth + 0.5 && size > min) {
			size = Math.max(min, size - 1);
			node.style.fontSize = `${size}px`;
		}
	};
	const schedule = () => scheduler.nextFrame(fit);
	schedule();
	const ro = new ResizeObserver(schedule);
	ro.observe(node);
	document.fonts?.addEventListener('loadingdone', schedule);
	return {
		update(next: FitTextOptions = {}) {
			min = next.min ?? 20;
			schedule();
		},
		destroy() {
			ro.disconnect();
			document.fonts?.removeEventListener('loadingdone', schedule);
		}
	};
}

export function contentSize(node: HTMLElement, onSize: (width: number, height: number) => void) {
	let cb = onSize;
	const ro = new ResizeObserver(([entry]) => cb(entry.contentRect.width, entry.contentRect.height));
	ro.observe(node);
	return {
		update(next: (width: number, height: number) => void) {
			cb = next;
		},
		destroy() {
			ro.disconnect();
		}
	};
}
