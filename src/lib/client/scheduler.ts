/**
 * One scheduler for everything on a wall that moves with time: the clock, data-age labels,
 * the ticker, page rotation. A single 1 s interval drives second-level tasks and a single
 * requestAnimationFrame loop drives per-frame tasks (only while some are registered); both
 * stop while the page is hidden, so a wall in a background tab does no work.
 */
type Task = (now: number) => void;

class Scheduler {
	private secondTasks = new Set<Task>();
	private frameTasks = new Set<Task>();
	private interval: ReturnType<typeof setInterval> | null = null;
	private raf: number | null = null;
	private hidden = false;
	private listening = false;

	/** Run `fn` about once a second (aligned to the wall clock). Returns an unsubscribe. */
	everySecond(fn: Task): () => void {
		this.secondTasks.add(fn);
		this.ensure();
		fn(Date.now());
		return () => {
			this.secondTasks.delete(fn);
			this.ensure();
		};
	}

	/** Run `fn` on every animation frame while subscribed. */
	everyFrame(fn: Task): () => void {
		this.frameTasks.add(fn);
		this.ensure();
		return () => {
			this.frameTasks.delete(fn);
			this.ensure();
		};
	}

	/** Run `fn` once on the next frame (coalesces work triggered many times per frame). */
	private pending = new Set<() => void>();
	nextFrame(fn: () => void): void {
		this.pending.add(fn);
		this.ensure();
	}

	private ensure(): void {
		if (typeof window === 'undefined') return;
		if (!this.listening) {
			this.listening = true;
			this.hidden = document.visibilityState === 'hidden';
			document.addEventListener('visibilitychange', () => {
				this.hidden = document.visibilityState === 'hidden';
				this.ensure();
				if (!this.hidden) for (const t of this.secondTasks) t(Date.now());
			});
		}
		const wantSecond = !this.hidden && this.secondTasks.size > 0;
		if (wantSecond && !this.interval) {
			this.interval = setInterval(() => {
				const now = Date.now();
				for (const t of this.secondTasks) t(now);
			}, 1000);
		} else if (!wantSecond && this.interval) {
			clearInterval(this.interval);
			this.interval = null;
		}
		const wantFrame = !this.hidden && (this.frameTasks.size > 0 || this.pending.size > 0);
		if (wantFrame && this.raf === null) this.raf = requestAnimationFrame((t) => this.frame(t));
	}

	private frame(_t: number): void {
		this.raf = null;
		const now = Date.now();
		const pending = [...this.pending];
		this.pending.clear();
		for (const fn of pending) fn();
		for (const t of this.frameTasks) t(now);
		this.ensure();
	}
}

export const scheduler = new Scheduler();
