/**
 * 窗口终端 on the server: a window staff member's actions become catalog events through the
 * same ingest path as every sender (sender `terminal:USERNAME`, only the types a window PC may
 * send), and each connected terminal is pushed its own view over `/api/v1/terminal` the moment
 * something about it changes (a presence check pops up within the stream's flush interval).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OrgIndex } from '../../domain/org';
import type { LiveState, PlacedEvent } from '../../domain/projection';
import { nextTicket, terminalView, type TerminalView } from '../../domain/terminal';
import { dayKey, DEFAULT_TZ } from '../../domain/time';
import type { SessionUser } from '../auth/session';
import type { IngestService } from '../ingest/service';
import { UserError } from '../user-error';

/** Reasons a window can be paused for (a list, so the wall and reports can count them). */
export const PAUSE_REASONS = ['业务咨询', '临时离岗', '系统维护', '内部会议', '用餐休息', '其他'] as const;

/** What a window PC may send. */
const TERMINAL_TYPES = ['queue.ticket_called', 'queue.service_started', 'queue.service_completed', 'queue.ticket_no_show', 'window.status_changed', 'attendance.*', 'presence.check_confirmed'];

export type TerminalAction =
	| { action: 'clock_in' | 'clock_out' }
	| { action: 'status'; status: 'open' | 'paused' | 'closed'; reason?: string }
	| { action: 'call_next' | 'recall' | 'start' | 'no_show' }
	| { action: 'complete'; result: 'done' | 'transferred' | 'incomplete' }
	| { action: 'confirm_check'; checkId: string };

/** A terminal action that cannot be done now (the message says why, in English and Chinese). */
export class TerminalError extends UserError {
	constructor(message: string, field = 'action', zh?: string) {
		super(message, field, zh);
	}
}

interface Deps {
	state: () => LiveState;
	org: () => OrgIndex;
	ingest: IngestService;
	now?: () => number;
}

export class TerminalService {
	constructor(private deps: Deps) {}
	private now = () => (this.deps.now ?? Date.now)();

	tzOf(centerCode: string | null): string {
		return (centerCode && this.deps.org().centers.get(centerCode)?.timezone) || DEFAULT_TZ;
	}

	view(staffCode: string): TerminalView | null {
		const org = this.deps.org();
		const win = org.staff.get(staffCode)?.windowCode;
		const center = win ? (org.windows.get(win)?.centerCode ?? null) : null;
		return terminalView(this.deps.state(), org, staffCode, this.now(), this.tzOf(center));
	}

	/** Turn one action into its event and ingest it; returns the fresh view. */
	async act(user: SessionUser, a: TerminalAction): Promise<{ view: TerminalView; seq: number }> {
		const staffCode = user.staffCode;
		if (!staffCode) throw new TerminalError('staffCode: this account is not linked to a staff member', 'staffCode', '此账户未关联窗口人员，请联系管理员');
		const view = this.view(staffCode);
		if (!view) throw new TerminalError(`staffCode: unknown staff member "${staffCode}"`, 'staffCode', `人员不存在：“${staffCode}”，请联系管理员`);
		const event = this.eventFor(a, view);
		const id = `term-${randomUUID()}`;
		const res = await this.deps.ingest.ingest(`terminal:${user.username}`, [{ id, type: event.type, occurredAt: new Date(this.now()).toISOString(), data: event.data }], TERMINAL_TYPES);
		const r = res.results[0];
		if (r.status === 'rejected') throw new TerminalError(r.error ?? 'rejected', 'action', `操作未被接受：${r.error ?? '已拒绝'}`);
		return { view: this.view(staffCode)!, seq: r.seq ?? 0 };
	}

	private eventFor(a: TerminalAction, v: TerminalView): { type: string; data: Record<string, unknown> } {
		const staffCode = v.staffCode;
		if (a.action === 'clock_in' || a.action === 'clock_out') return { type: `attendance.${a.action}`, data: { staffCode, method: 'manual' } };
		if (a.action === 'confirm_check') {
			const check = v.checksToday.find((c) => c.checkId === a.checkId);
			if (!check) throw new TerminalError(`checkId: no presence check "${a.checkId}" for you today`, 'checkId', '今天没有发给您的这次抽查');
			if (check.confirmedAt != null) throw new TerminalError('checkId: already confirmed', 'checkId', '这次抽查已确认');
			return { type: 'presence.check_confirmed', data: { checkId: a.checkId, staffCode } };
		}
		if (!v.windowCode || !v.centerCode) throw new TerminalError('windowCode: you are not assigned to a window', 'windowCode', '您尚未分配窗口，请联系管理员');
		const windowCode = v.windowCode;
		const ticket = { centerCode: v.centerCode, windowCode, staffCode };
		const w = v.window;
		switch (a.action) {
			case 'status': {
				if (!['open', 'paused', 'closed'].includes(a.status)) throw new TerminalError(`status: expected open, paused or closed, found "${a.status}"`, 'status', '窗口状态应为开放、暂停或关闭');
				if (a.status === 'paused' && !(PAUSE_REASONS as readonly string[]).includes(a.reason ?? '')) throw new TerminalError(`reason: choose one of ${PAUSE_REASONS.join('、')}`, 'reason', `请选择暂停原因：${PAUSE_REASONS.join('、')}`);
				if (a.status !== 'open' && w?.ticketNo && w.ticketState === 'called')
					throw new TerminalError(`status: ticket ${w.ticketNo} has been called; start serving it or mark it a no-show first`, 'status', `${w.ticketNo} 号已叫号：请先开始办理或标记过号，再暂停或关闭窗口`);
				if (a.status !== 'open' && w?.ticketNo) throw new TerminalError(`status: finish ticket ${w.ticketNo} first`, 'status', `请先办结 ${w.ticketNo} 号，再暂停或关闭窗口`);
				return { type: 'window.status_changed', data: { windowCode, status: a.status, staffCode, ...(a.status === 'paused' ? { reason: a.reason } : {}) } };
			}
			case 'call_next': {
				if (w?.status !== 'open') throw new TerminalError('status: open the window before calling tickets', 'status', '请先开放窗口再叫号');
				if (w.ticketNo) throw new TerminalError(`ticketNo: ticket ${w.ticketNo} is still at the window`, 'ticketNo', `${w.ticketNo} 号还在窗口办理`);
				const day = dayKey(this.now(), this.tzOf(v.centerCode));
				const next = nextTicket(this.deps.state(), v.centerCode, this.deps.org().windows.get(windowCode)?.departmentCode ?? null, day);
				if (!next) throw new TerminalError('ticketNo: nobody is waiting for this window', 'ticketNo', '本窗口暂无等候的群众');
				return { type: 'queue.ticket_called', data: { ...ticket, ticketNo: next } };
			}
			case 'recall':
				if (!w?.ticketNo || w.ticketState !== 'called') throw new TerminalError('ticketNo: no called ticket to call again', 'ticketNo', '没有可重呼的号');
				return { type: 'queue.ticket_called', data: { ...ticket, ticketNo: w.ticketNo } };
			case 'start':
				if (!w?.ticketNo || w.ticketState !== 'called') throw new TerminalError('ticketNo: call a ticket first', 'ticketNo', '请先叫号');
				return { type: 'queue.service_started', data: { ...ticket, ticketNo: w.ticketNo } };
			case 'no_show':
				if (!w?.ticketNo || w.ticketState !== 'called') throw new TerminalError('ticketNo: no called ticket', 'ticketNo', '没有已叫的号');
				return { type: 'queue.ticket_no_show', data: { centerCode: v.centerCode, ticketNo: w.ticketNo, windowCode } };
			case 'complete':
				if (!w?.ticketNo || w.ticketState !== 'serving') throw new TerminalError('ticketNo: no ticket being served', 'ticketNo', '没有正在办理的号');
				if (!['done', 'transferred', 'incomplete'].includes(a.result)) throw new TerminalError(`result: expected done, transferred or incomplete, found "${a.result}"`, 'result', '办理结果应为办结、转办或未办结');
				return { type: 'queue.service_completed', data: { ...ticket, ticketNo: w.ticketNo, result: a.result } };
		}
		throw new TerminalError(`action: unknown action "${(a as { action: string }).action}"`, 'action', '未知操作');
	}
}

interface Terminal {
	ws: WebSocket;
	staffCode: string;
	windowCode: string | null;
	centerCode: string | null;
	dirty: boolean;
	alive: boolean;
}

/**
 * The terminals' own channel: each connected window PC gets its view on connect and again
 * (coalesced, `flushMs`) after any event about its staff member, its window, or its center's
 * queue. Views are computed per terminal from the live state; nothing else is sent.
 */
export class TerminalHub {
	private wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
	private terminals = new Set<Terminal>();
	private timer: ReturnType<typeof setInterval>;
	private beat: ReturnType<typeof setInterval>;

	constructor(
		private service: TerminalService,
		private org: () => OrgIndex,
		flushMs = 100,
		heartbeatMs = 10_000,
		/** Called when a terminal connects or leaves, and at every heartbeat (to share who is connected). */
		private onPresence: () => void = () => {}
	) {
		this.timer = setInterval(() => this.flush(), flushMs);
		this.beat = setInterval(() => this.heartbeat(), heartbeatMs);
	}

	/** Staff members with a terminal connected now (a presence check records whether they had one). */
	connectedStaff(): Set<string> {
		return new Set([...this.terminals].map((t) => t.staffCode));
	}

	get count(): number {
		return this.terminals.size;
	}

	/** Accept a window PC's authorized upgrade; `bind` ties it to the session that opened it (returns what to call on close). */
	accept(req: IncomingMessage, socket: Duplex, head: Buffer, staffCode: string, bind?: (close: (code: number, reason: string) => void) => () => void): void {
		this.wss.handleUpgrade(req, socket, head, (ws) => {
			const unbind = bind?.((code, reason) => ws.close(code, reason));
			const win = this.org().staff.get(staffCode)?.windowCode ?? null;
			const t: Terminal = { ws, staffCode, windowCode: win, centerCode: win ? (this.org().windows.get(win)?.centerCode ?? null) : null, dirty: true, alive: true };
			this.terminals.add(t);
			ws.on('pong', () => (t.alive = true));
			ws.on('message', () => (t.alive = true));
			ws.on('close', () => {
				unbind?.();
				this.terminals.delete(t);
				this.onPresence();
			});
			ws.on('error', () => ws.terminate());
			this.flush();
			this.onPresence();
		});
	}

	onApplied(events: PlacedEvent[]): void {
		if (!this.terminals.size) return;
		for (const t of this.terminals) {
			if (t.dirty) continue;
			for (const e of events) {
				const d = e.data as Record<string, unknown>;
				const target = d.target as { kind?: string; code?: string } | undefined;
				if (
					d.staffCode === t.staffCode ||
					(t.windowCode && d.windowCode === t.windowCode) ||
					(target && target.code && (target.code === t.staffCode || target.code === t.windowCode)) ||
					(e.type === 'card.revoked') ||
					(t.centerCode && e.type.startsWith('queue.') && d.centerCode === t.centerCode)
				) {
					t.dirty = true;
					break;
				}
			}
		}
	}

	private flush(): void {
		const now = Date.now();
		for (const t of this.terminals) {
			if (!t.dirty || t.ws.readyState !== 1) continue;
			t.dirty = false;
			t.ws.send(JSON.stringify({ type: 'view', now, view: this.service.view(t.staffCode) }));
		}
	}

	private heartbeat(): void {
		for (const t of this.terminals) {
			if (!t.alive) {
				t.ws.terminate();
				continue;
			}
			t.alive = false;
			t.ws.ping();
			// The view changes with time alone too (an open check runs out): resend it.
			t.dirty = true;
		}
		this.onPresence();
	}

	close(): void {
		clearInterval(this.timer);
		clearInterval(this.beat);
		for (const t of this.terminals) t.ws.close(1001, 'server stopping');
		this.wss.close();
	}
}
