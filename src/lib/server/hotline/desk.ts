/**
 * The hotline console's actions: take a call (受理, optionally dispatching it at once), dispatch
 * (转办) with a due time from the category's limit in working days, record the department's
 * reply (回复), close (办结), reopen (退回重办), record a callback (回访), supervise (督办).
 * Each is a catalog `hotline.*` event through the ingest path, sender `user:USERNAME` (the log is
 * the record of who did what), checked first against the ticket as its events in the log say
 * (never a stale row). After the commit it waits for `hotline_tickets` to show the change, so
 * the page reloaded next shows it.
 */
import { randomBytes } from 'node:crypto';
import type { WorkingCalendar } from '../../domain/calendar';
import {
	acknowledgeByFor,
	actionProblem,
	categoriesOf,
	dueAtFor,
	mergeProblem,
	intakeProblem,
	MAX_LIMIT_DAYS,
	SATISFACTIONS,
	textProblem,
	type HotlineAction,
	type HotlineProblem,
	type IntakeInput,
	type TicketSummary
} from '../../domain/hotline';
import type { OrgIndex } from '../../domain/org';
import { isMessageKey, translator, type Message } from '../../i18n';
import { UserError } from '../user-error';
import type { Actor, Reach } from '../auth/reach';
import { handlesTicket, isDepartmentAction, type DepartmentActor } from '../auth/department';
import { dayKey } from '../../domain/time';
import type { Database } from '../db/client';
import type { IngestService } from '../ingest/service';
import { loadHotlineSettings } from './settings';
import type { HotlineTickets } from './tickets';

/** What the console may send: every sender type of the hotline family (not the derived `hotline.ticket_overdue`). */
export const CONSOLE_HOTLINE_TYPES = [
	'hotline.ticket_created',
	'hotline.ticket_assigned',
	'hotline.ticket_replied',
	'hotline.ticket_closed',
	'hotline.ticket_reopened',
	'hotline.callback_recorded',
	'hotline.ticket_supervised',
	'hotline.return_decided',
	'hotline.extension_decided',
	'hotline.ticket_merged'
];
/** What a department handler's page may send. */
export const DEPARTMENT_HOTLINE_TYPES = ['hotline.ticket_acknowledged', 'hotline.ticket_returned', 'hotline.extension_requested', 'hotline.ticket_replied'];

/**
 * A hotline problem as a message: the field's label, then what is wrong (`诉求内容：不能为空` /
 * `Summary: must not be empty`); `limits.城市管理` reads `类别 城市管理：…`.
 */
export function hotlineMessage(p: HotlineProblem): Message {
	const [head, ...rest] = p.field.split('.');
	const label = `hl.field.${head}`;
	const field: Message | string = !isMessageKey(label) ? p.field : rest.length ? { key: 'hl.fieldItem', params: { field: { key: label }, item: rest.join('.') } } : { key: label };
	const problem = `hl.problem.${p.code}`;
	return { key: 'form.fieldProblem', params: { field, problem: isMessageKey(problem) ? { key: problem, ...(p.params ? { params: p.params } : {}) } : p.code } };
}

/** A hotline action refused (a UserError: the console shows it like any other, in its language). */
export class HotlineError extends UserError {
	constructor(readonly problem: HotlineProblem) {
		const m = hotlineMessage(problem);
		super(translator('en').say(m), problem.field, translator('zh').say(m), m);
	}
}

const fail = (field: string, code: string, params?: Record<string, string | number>): never => {
	throw new HotlineError({ field, code, ...(params ? { params } : {}) });
};
const check = (p: HotlineProblem | null) => {
	if (p) throw new HotlineError(p);
};

interface Deps {
	db: Database;
	org: () => OrgIndex;
	ingest: IngestService;
	tickets: HotlineTickets;
	calendar: () => WorkingCalendar;
	now?: () => number;
}


const ID_CHARS = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const NONCE = /^[A-Za-z0-9-]{8,64}$/;

export class HotlineDesk {
	constructor(private deps: Deps) {}
	private now = () => (this.deps.now ?? Date.now)();

	/**
	 * The departments a ticket may be dispatched to by this actor: those working in a center of
	 * their scope, and the bureaus that work in no center (the city's offices outside the hall).
	 */
	departments(reach: Reach): Array<{ code: string; name: string; centerCode: string | null }> {
		return [...this.deps.org().departments.values()].filter((d) => !d.centerCode || reach.has('department', d.code)).map((d) => ({ code: d.code, name: d.name, centerCode: d.centerCode ?? null }));
	}

	/** Regions a call may come from for this actor: those whose tickets their scope reaches. */
	regions(reach: Reach): Array<{ code: string; name: string }> {
		return [...this.deps.org().regions.values()].filter((r) => reach.place({ centerCode: null, regionCode: r.code })).map((r) => ({ code: r.code, name: r.name }));
	}

	/** Take a call; with `departmentCode`, dispatch it at once. */
	async intake(input: IntakeInput & { departmentCode?: string; days?: string }, actor: Actor, nonce?: string): Promise<{ ticketId: string; seq: number | null }> {
		const { settings } = await loadHotlineSettings(this.deps.db);
		const regions = this.regions(actor.reach);
		check(intakeProblem(input, { categories: categoriesOf(settings), regions: new Set(regions.map((r) => r.code)) }));
		if (!actor.reach.everything && !input.regionCode) fail('regionCode', 'required');
		const now = this.now();
		const assign = input.departmentCode ? await this.assignment(input.departmentCode, input.days, input.category.trim(), actor, now) : null;
		const ticketId = await this.newTicketId(now);
		const id = this.ids(nonce);
		const at = new Date(now).toISOString();
		const phone = input.callerPhone.trim();
		const raws: unknown[] = [
			{
				id: id('created'),
				type: 'hotline.ticket_created',
				occurredAt: at,
				source: 'hotline-console',
				data: { ticketId, channel: input.channel, category: input.category.trim(), summary: input.summary.trim(), ...(phone ? { callerPhone: phone } : {}), ...(input.regionCode ? { regionCode: input.regionCode } : {}) }
			}
		];
		if (assign) raws.push({ id: id('assigned'), type: 'hotline.ticket_assigned', occurredAt: at, source: 'hotline-console', data: { ticketId, ...assign } });
		const seq = await this.send(actor, raws, ticketId);
		return { ticketId, seq };
	}

	/**
	 * One action on an existing ticket; `fields` are the form's. The hotline center's actions
	 * take an `Actor`; the department's (签收, 退单, 申请延期, 回复) a `DepartmentActor`, and only
	 * on a ticket whose latest assignment is their department (any other is unknown to them).
	 */
	async act(ticketId: string, action: HotlineAction, fields: Record<string, string>, actor: Actor | DepartmentActor, nonce?: string): Promise<{ seq: number | null; ticket: TicketSummary }> {
		const dept = 'departmentCode' in actor ? actor : null;
		const { summary } = await this.deps.tickets.fromLog(ticketId);
		if (summary.createdAt == null || !this.deps.tickets.inScope(summary, actor.reach)) fail('ticketId', 'unknownTicket', { value: ticketId });
		if (dept && (!isDepartmentAction(action) || !handlesTicket(dept, summary))) fail('ticketId', 'unknownTicket', { value: ticketId });
		if (!dept && isDepartmentAction(action) && action !== 'reply') fail('ticketId', 'departmentOnly');
		check(actionProblem(summary, action));
		const now = this.now();
		const at = new Date(now).toISOString();
		const tz = this.deps.org().timezoneOf(summary.detail.centerCode ?? null);
		let type: string;
		let data: Record<string, unknown>;
		switch (action) {
			case 'dispatch':
				type = 'hotline.ticket_assigned';
				data = await this.assignment(fields.departmentCode ?? '', fields.days, summary.category, actor, now);
				break;
			case 'reply':
				check(textProblem('reply', fields.reply ?? '', 4000));
				type = 'hotline.ticket_replied';
				data = { departmentCode: summary.departmentCode, reply: fields.reply.trim() };
				break;
			case 'close':
				type = 'hotline.ticket_closed';
				data = {};
				break;
			case 'reopen':
				check(textProblem('reason', fields.reason ?? '', 1000));
				type = 'hotline.ticket_reopened';
				data = { reason: fields.reason.trim() };
				break;
			case 'callback': {
				const reached = fields.reached === '1' ? true : fields.reached === '0' ? false : fail('reached', 'chooseOne');
				const sat = fields.satisfaction ?? '';
				if (reached && !(SATISFACTIONS as readonly string[]).includes(sat)) fail('satisfaction', 'chooseOne');
				// 是否解决: asked by the form; a callback recorded without the answer leaves it out of 解决率.
				const solved = fields.solved === '1' ? true : fields.solved === '0' ? false : undefined;
				type = 'hotline.callback_recorded';
				data = { reached, ...(reached ? { satisfaction: sat, ...(solved === undefined ? {} : { solved }) } : {}) };
				break;
			}
			case 'supervise': {
				const level = Number(fields.level ?? '1');
				if (!Number.isInteger(level) || level < 1 || level > 5) fail('level', 'badLevel');
				check(textProblem('note', fields.note ?? '', 1000));
				type = 'hotline.ticket_supervised';
				data = { note: fields.note.trim(), level };
				break;
			}
			case 'acknowledge':
				type = 'hotline.ticket_acknowledged';
				data = { departmentCode: summary.departmentCode };
				break;
			case 'return':
				check(textProblem('reason', fields.reason ?? '', 1000));
				type = 'hotline.ticket_returned';
				data = { departmentCode: summary.departmentCode, reason: fields.reason.trim() };
				break;
			case 'requestExtension': {
				check(textProblem('reason', fields.reason ?? '', 1000));
				const days = Number(fields.days ?? '');
				if (!Number.isInteger(days) || days < 1 || days > MAX_LIMIT_DAYS) fail('days', 'badDays', { max: MAX_LIMIT_DAYS });
				// N more working days from the current due time (or from now when none).
				const from = Math.max(summary.dueAt ?? now, now);
				type = 'hotline.extension_requested';
				data = { departmentCode: summary.departmentCode, requestedDueAt: new Date(this.deps.calendar().addWorkingDays(from, days, tz)).toISOString(), reason: fields.reason.trim() };
				break;
			}
			case 'reviewReturn': {
				// Approved: re-dispatch at once to the department named (a new assignment); refused: back to the department.
				const approved = fields.approved === '1' ? true : fields.approved === '0' ? false : fail('approved', 'chooseOne');
				const note = (fields.note ?? '').trim();
				if (note.length > 1000) fail('note', 'tooLong', { max: 1000 });
				if (!approved && !note) fail('note', 'required');
				const decided = { id: this.ids(nonce)('return-decided'), type: 'hotline.return_decided', occurredAt: at, source: 'hotline-console', data: { ticketId, approved, ...(note ? { note } : {}) } };
				const raws: unknown[] = [decided];
				if (approved) {
					if (fields.departmentCode === summary.departmentCode) fail('departmentCode', 'sameDepartment');
					const assign = await this.assignment(fields.departmentCode ?? '', fields.days, summary.category, actor, now);
					raws.push({ id: this.ids(nonce)('assigned'), type: 'hotline.ticket_assigned', occurredAt: at, source: 'hotline-console', data: { ticketId, ...assign } });
				}
				return { seq: await this.send(actor, raws, ticketId), ticket: summary };
			}
			case 'decideExtension': {
				const approved = fields.approved === '1' ? true : fields.approved === '0' ? false : fail('approved', 'chooseOne');
				const note = (fields.note ?? '').trim();
				if (note.length > 1000) fail('note', 'tooLong', { max: 1000 });
				type = 'hotline.extension_decided';
				data = { approved, ...(approved ? { dueAt: new Date(summary.detail.extensionPending!.requestedDueAt).toISOString() } : {}), ...(note ? { note } : {}) };
				break;
			}
			case 'merge': {
				const into = (fields.intoTicketId ?? '').trim();
				if (!into) fail('intoTicketId', 'required');
				const target = (await this.deps.tickets.fromLog(into)).summary;
				check(mergeProblem(summary, target.createdAt != null && this.deps.tickets.inScope(target, actor.reach) ? target : null));
				type = 'hotline.ticket_merged';
				data = { intoTicketId: into };
				break;
			}
		}
		const seq = await this.send(actor, [{ id: this.ids(nonce)(action), type, occurredAt: at, source: dept ? 'department-console' : 'hotline-console', data: { ticketId, ...data } }], ticketId, dept ? DEPARTMENT_HOTLINE_TYPES : CONSOLE_HOTLINE_TYPES);
		return { seq, ticket: summary };
	}

	/** Department, due time and 签收 limit of a dispatch: `days` working days (default: the category's limit), the settings' working hours to take it. */
	private async assignment(departmentCode: string, daysRaw: string | undefined, category: string | null, actor: Actor, now: number): Promise<{ departmentCode: string; dueAt: string; acknowledgeBy: string; days: number }> {
		if (!departmentCode) fail('departmentCode', 'required');
		const dept = this.deps.org().departments.get(departmentCode);
		if (!dept || (dept.centerCode && !actor.reach.has('department', departmentCode))) fail('departmentCode', 'unknownDepartment', { value: departmentCode });
		let days: number | undefined;
		if (daysRaw != null && daysRaw.trim() !== '') {
			days = Number(daysRaw);
			if (!Number.isInteger(days) || days < 1 || days > MAX_LIMIT_DAYS) fail('days', 'badDays', { max: MAX_LIMIT_DAYS });
		}
		const { settings } = await loadHotlineSettings(this.deps.db);
		const tz = this.deps.org().timezoneOf(dept!.centerCode ?? null);
		const due = dueAtFor(now, category, settings, this.deps.calendar(), tz, days);
		const ackBy = acknowledgeByFor(now, settings, this.deps.calendar(), tz);
		return { departmentCode, dueAt: new Date(due.dueAt).toISOString(), acknowledgeBy: new Date(ackBy).toISOString(), days: due.days };
	}

	/** Event ids from the form's nonce: submitting the same form twice stores it once. */
	private ids(nonce?: string): (what: string) => string {
		const base = nonce && NONCE.test(nonce) ? nonce : randomBytes(8).toString('hex');
		return (what) => `console-${base}-${what}`;
	}

	/** RX-YYYYMMDD-XXXXX (local date; five random characters), not used before. */
	private async newTicketId(now: number): Promise<string> {
		const ymd = dayKey(now, this.deps.org().timezoneOf(null)).replaceAll('-', '');
		for (;;) {
			const bytes = randomBytes(5);
			const id = `RX-${ymd}-${[...bytes].map((b) => ID_CHARS[b % ID_CHARS.length]).join('')}`;
			const { summary } = await this.deps.tickets.fromLog(id);
			if (summary.lastSeq === 0) return id;
		}
	}

	private async send(actor: Actor, raws: unknown[], ticketId: string, types: string[] = CONSOLE_HOTLINE_TYPES): Promise<number | null> {
		const res = await this.deps.ingest.ingest(`user:${actor.username}`, raws, types, { quarantine: false });
		const bad = res.results.find((r) => r.status === 'rejected');
		if (bad) {
			const m = /^data\.(\w+):/.exec(bad.error ?? '');
			fail(m ? m[1] : 'ticketId', 'rejected', { error: bad.error ?? 'rejected' });
		}
		const seq = Math.max(0, ...res.results.map((r) => r.seq ?? 0)) || null;
		if (seq) await this.deps.tickets.waitFor(ticketId, seq);
		return seq;
	}
}
