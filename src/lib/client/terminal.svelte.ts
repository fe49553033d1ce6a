/**
 * A window PC's live channel (`/api/v1/terminal`): the staff member's view, pushed by the
 * server; reconnects by itself with backoff and jitter. `serverNow()` corrects the PC's clock
 * for countdowns.
 */
import type { TerminalView } from '$lib/domain/terminal';

export class TerminalFeed {
	view = $state<TerminalView | null>(null);
	connected = $state(false);
	/** Server clock minus this PC's clock (ms). */
	private offset = 0;
	private ws: WebSocket | null = null;
	private attempt = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private stopped = true;

	constructor(initial: TerminalView | null, serverNow: number) {
		this.view = initial;
		this.offset = serverNow - Date.now();
	}

	serverNow(): number {
		return Date.now() + this.offset;
	}

	start(): void {
		this.stopped = false;
		this.connect();
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.ws?.close();
	}

	/** After an action: the fresh view the server answered with. */
	set(view: TerminalView, serverNow: number): void {
		this.view = view;
		this.offset = serverNow - Date.now();
	}

	private connect(): void {
		const url = new URL('/api/v1/terminal', location.href);
		url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
		const ws = new WebSocket(url);
		this.ws = ws;
		ws.onopen = () => {
			this.connected = true;
			this.attempt = 0;
		};
		ws.onmessage = (m) => {
			try {
				const msg = JSON.parse(String(m.data)) as { type: string; now: number; view: TerminalView | null };
				if (msg.type === 'view') this.set(msg.view!, msg.now);
			} catch {
				/* not ours */
			}
		};
		ws.onclose = () => {
			this.connected = false;
			if (this.stopped) return;
			// 1 s, 2 s, 4 s … up to 30 s, each ±30 %: a hall of PCs does not reconnect in step.
			const base = Math.min(30_000, 1000 * 2 ** this.attempt++);
			this.timer = setTimeout(() => this.connect(), base * (0.7 + Math.random() * 0.6));
		};
		ws.onerror = () => ws.close();
	}
}
