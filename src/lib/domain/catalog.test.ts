import { describe, it, expect } from 'vitest';
import {
	catalog,
	CARD_REASONS,
	EVENT_TYPES,
	isEventType,
	isSystemType,
	MAX_FUTURE_MS,
	parseEvent,
	refsOf,
	SYSTEM_EVENT_TYPES,
	type EventType
} from './catalog';

const NOW = Date.parse('2026-11-22T10:00:00+08:00');
const opts = { now: NOW };

function envelope(type: string, data: unknown, extra: Record<string, unknown> = {}) {
	return { id: 'q-PJ001-20261122-000123', type, occurredAt: '2026-11-22T09:15:02+08:00', source: 'queue-machine-1', data, ...extra };
}

function errorOf(raw: unknown, o: { now: number; allowSystem?: boolean } = opts): string {
	const r = parseEvent(raw, o);
	if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.event)}`);
	return r.error;
}

const exampleOf = (t: EventType) => catalog[t].example as Record<string, unknown>;

describe('catalog', () => {
	it('holds every type the contract names', () => {
		const contract = [
			'queue.ticket_issued',
			'queue.ticket_called',
			'queue.service_started',
			'queue.service_completed',
			'queue.ticket_no_show',
			'window.status_changed',
			'evaluation.submitted',
			'attendance.clock_in',
			'attendance.clock_out',
			'presence.check_issued',
			'presence.check_confirmed',
			'case.accepted',
			'case.completed',
			'hotline.ticket_created',
			'hotline.ticket_assigned',
			'hotline.ticket_replied',
			'hotline.ticket_closed',
			'hotline.ticket_reopened',
			'hotline.callback_recorded',
			'hotline.ticket_supervised',
			'card.issued',
			'card.revoked',
			'indicator.reported'
		];
		for (const t of contract) {
			expect(isEventType(t), t).toBe(true);
			expect(isSystemType(t as EventType), t).toBe(false);
		}
	});

	it('marks exactly the derived types as system types', () => {
		expect([...SYSTEM_EVENT_TYPES].sort()).toEqual(['alert.acknowledged', 'alert.raised', 'alert.resolved', 'alert.updated', 'case.deadline_near', 'case.overdue', 'hotline.acknowledge_overdue', 'hotline.ticket_overdue', 'presence.check_missed']);
	});

	it('isEventType rejects unknown and inherited names', () => {
		expect(isEventType('queue.nope')).toBe(false);
		expect(isEventType('toString')).toBe(false);
		expect(isEventType('__proto__')).toBe(false);
	});

	it('card reasons are the contract list', () => {
		expect([...CARD_REASONS]).toEqual(['absent', 'late_or_early_leave', 'overdue_case', 'complaint', 'bad_review', 'misconduct', 'other']);
	});

	it('refs name the org codes of an event', () => {
		expect(refsOf('queue.ticket_called')).toEqual({ centerCode: 'center', windowCode: 'window', staffCode: 'staff' });
		expect(refsOf('hotline.ticket_closed')).toEqual({});
	});
});

describe('parseEvent: every catalog example validates', () => {
	for (const type of EVENT_TYPES) {
		it(type, () => {
			const r = parseEvent(envelope(type, exampleOf(type)), { now: NOW, allowSystem: true });
			expect(r.ok, r.ok ? '' : r.error).toBe(true);
			if (r.ok) {
				expect(r.event.type).toBe(type);
				expect(r.event.id).toBe('q-PJ001-20261122-000123');
				expect(r.event.occurredAt).toBe('2026-11-22T09:15:02+08:00');
				expect(r.event.source).toBe('queue-machine-1');
				expect(r.event.data).toEqual(exampleOf(type));
			}
		});
	}

	it('non-system examples validate without allowSystem', () => {
		for (const type of EVENT_TYPES.filter((t) => !isSystemType(t))) expect(parseEvent(envelope(type, exampleOf(type)), opts).ok, type).toBe(true);
	});
});

describe('parseEvent: the envelope', () => {
	it('accepts the envelope example of the spec', () => {
		const r = parseEvent(
			{
				id: 'q-PJ001-20261122-000123',
				type: 'queue.ticket_issued',
				occurredAt: '2026-11-22T09:15:02+08:00',
				source: 'queue-machine-1',
				data: { centerCode: 'PJ-001', ticketNo: 'A023', departmentCode: 'GSJ' }
			},
			opts
		);
		expect(r).toEqual({
			ok: true,
			event: {
				id: 'q-PJ001-20261122-000123',
				type: 'queue.ticket_issued',
				occurredAt: '2026-11-22T09:15:02+08:00',
				source: 'queue-machine-1',
				data: { centerCode: 'PJ-001', ticketNo: 'A023', departmentCode: 'GSJ' }
			}
		});
	});

	it('source is optional and left out when absent', () => {
		const raw = envelope('case.completed', { caseId: 'X1' });
		delete (raw as Record<string, unknown>).source;
		const r = parseEvent(raw, opts);
		expect(r.ok).toBe(true);
		if (r.ok) expect('source' in r.event).toBe(false);
	});

	it('keeps extra data fields senders add', () => {
		const r = parseEvent(envelope('case.completed', { caseId: 'X1', operator: '张三' }), opts);
		expect(r.ok && r.event.data).toEqual({ caseId: 'X1', operator: '张三' });
	});

	it('rejects what is not an object', () => {
		expect(errorOf(null)).toBe('event: expected an object, found null');
		expect(errorOf([])).toBe('event: expected an object, found an array');
		expect(errorOf('hello')).toBe('event: expected an object, found "hello"');
		expect(errorOf(42)).toBe('event: expected an object, found number 42');
	});

	it('missing envelope fields are named', () => {
		expect(errorOf({ type: 'case.completed', occurredAt: '2026-11-22T09:15:02+08:00', data: {} })).toBe('id: is required');
		expect(errorOf({ id: 'a', occurredAt: '2026-11-22T09:15:02+08:00', data: {} })).toBe('type: is required');
		expect(errorOf({ id: 'a', type: 'case.completed', data: {} })).toBe('occurredAt: is required');
		expect(errorOf({ id: 'a', type: 'case.completed', occurredAt: '2026-11-22T09:15:02+08:00' })).toBe('data: is required');
	});

	it('data must be an object', () => {
		expect(errorOf(envelope('case.completed', 'X1'))).toBe('data: expected record, found "X1"');
	});

	it('reports the id and type it could read alongside the error', () => {
		const r = parseEvent(envelope('queue.ticket_called', { centerCode: 'PJ-001', ticketNo: 'A1' }), opts);
		expect(r).toEqual({ ok: false, id: 'q-PJ001-20261122-000123', type: 'queue.ticket_called', error: 'data.windowCode: is required' });
	});

	it('id: 1–128 characters of [A-Za-z0-9._:-]', () => {
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { id: 'bad id!' }))).toBe(
			'id: expected 1–128 characters of A–Z a–z 0–9 . _ : -, found "bad id!"'
		);
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { id: '' }))).toBe('id: expected 1–128 characters of A–Z a–z 0–9 . _ : -, found ""');
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { id: '办件-1' }))).toMatch(/^id: expected 1–128 characters/);
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { id: 'a'.repeat(129) }))).toMatch(/^id: expected 1–128 characters.*found "a{37}…"$/);
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { id: 7 }))).toBe('id: expected string, found number 7');
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { id: 'a'.repeat(128) }), opts).ok).toBe(true);
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { id: 'sys:case.overdue:A-1_b' }), opts).ok).toBe(true);
	});

	it('occurredAt must be RFC 3339 with an offset', () => {
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22T09:15:02' }))).toBe(
			'occurredAt: expected an RFC 3339 time with offset (2026-11-22T09:15:02+08:00), found "2026-11-22T09:15:02"'
		);
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22' }))).toMatch(/^occurredAt: expected an RFC 3339 time with offset/);
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { occurredAt: 'yesterday' }))).toMatch(/found "yesterday"$/);
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22T01:15:02Z' }), opts).ok).toBe(true);
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22T01:15:02.123Z' }), opts).ok).toBe(true);
	});

	it('occurredAt more than 5 minutes in the future is rejected; exactly 5 minutes is accepted', () => {
		expect(MAX_FUTURE_MS).toBe(300_000);
		// NOW is 10:00:00+08:00
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22T10:05:00+08:00' }), opts).ok).toBe(true);
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22T02:05:00Z' }), opts).ok).toBe(true);
		expect(errorOf(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22T10:05:01+08:00' }))).toBe(
			'occurredAt: 2026-11-22T10:05:01+08:00 is more than 5 minutes in the future (server time 2026-11-22T02:00:00.000Z)'
		);
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2026-11-22T10:05:00.001+08:00' }), opts).ok).toBe(false);
		// Late events are fine.
		expect(parseEvent(envelope('case.completed', { caseId: 'X' }, { occurredAt: '2025-01-01T00:00:00+08:00' }), opts).ok).toBe(true);
	});

	it('unknown type is rejected', () => {
		expect(errorOf(envelope('queue.ticket_printed', {}))).toBe('type: unknown event type "queue.ticket_printed" (see the catalog in docs/api.md)');
		expect(errorOf(envelope('constructor', {}))).toBe('type: unknown event type "constructor" (see the catalog in docs/api.md)');
	});

	it('system types are rejected unless allowSystem', () => {
		for (const t of SYSTEM_EVENT_TYPES) {
			expect(errorOf(envelope(t, exampleOf(t)))).toBe(`type: "${t}" is derived by Hallwatch itself and cannot be sent`);
			expect(errorOf(envelope(t, exampleOf(t)), { now: NOW, allowSystem: false })).toMatch(/cannot be sent$/);
			expect(parseEvent(envelope(t, exampleOf(t)), { now: NOW, allowSystem: true }).ok).toBe(true);
		}
	});
});

describe('parseEvent: data errors name the field and what was found', () => {
	it('missing required field', () => {
		expect(errorOf(envelope('queue.ticket_called', { centerCode: 'PJ-001', ticketNo: 'A023' }))).toBe('data.windowCode: is required');
		expect(errorOf(envelope('queue.service_completed', { centerCode: 'PJ-001', ticketNo: 'A023', windowCode: 'W01' }))).toBe('data.result: is required');
		expect(errorOf(envelope('hotline.callback_recorded', { ticketId: 'RX-1' }))).toBe('data.reached: is required');
	});

	it('wrong type', () => {
		expect(errorOf(envelope('evaluation.submitted', { rating: '5' }))).toBe('data.rating: expected number, found "5"');
		expect(
			errorOf(envelope('case.accepted', { caseId: 'C1', departmentCode: 'GSJ', itemName: '登记', immediate: 'yes', online: true, promisedDays: 1 }))
		).toBe('data.immediate: expected boolean, found "yes"');
		expect(errorOf(envelope('queue.ticket_issued', { centerCode: 12, ticketNo: 'A1' }))).toBe('data.centerCode: expected string, found number 12');
		expect(errorOf(envelope('queue.ticket_issued', { centerCode: { code: 'x' }, ticketNo: 'A1' }))).toBe('data.centerCode: expected string, found an object');
	});

	it('bad enum lists the options', () => {
		expect(errorOf(envelope('window.status_changed', { windowCode: 'W01', status: 'busy' }))).toBe(
			'data.status: expected one of "open", "paused", "closed", found "busy"'
		);
		expect(errorOf(envelope('queue.ticket_issued', { centerCode: 'PJ-001', ticketNo: 'A1', channel: 'phone' }))).toBe(
			'data.channel: expected one of "walk_in", "appointment", found "phone"'
		);
		expect(errorOf(envelope('attendance.clock_in', { staffCode: 'S001', method: 'fingerprint' }))).toBe(
			'data.method: expected one of "face", "card", "manual", found "fingerprint"'
		);
	});

	it('nested fields are named with their path', () => {
		const base = { cardId: 'card-1', color: 'yellow', reason: 'absent' };
		expect(errorOf(envelope('card.issued', { ...base, target: { kind: 'staff' } }))).toBe('data.target.code: is required');
		expect(errorOf(envelope('card.issued', { ...base, target: { kind: 'hall', code: 'PJ-001' } }))).toBe(
			'data.target.kind: expected one of "staff", "window", "department", found "hall"'
		);
		expect(errorOf(envelope('card.issued', { ...base, color: 'green', target: { kind: 'staff', code: 'S001' } }))).toBe(
			'data.color: expected one of "yellow", "red", found "green"'
		);
	});

	it('ranges and lengths', () => {
		expect(errorOf(envelope('evaluation.submitted', { rating: 6 }))).toBe('data.rating: must be at most 5, found number 6');
		expect(errorOf(envelope('evaluation.submitted', { rating: 0 }))).toBe('data.rating: must be at least 1, found number 0');
		expect(errorOf(envelope('presence.check_issued', { checkId: 'c', staffCode: 'S001', respondWithinSec: 1 }))).toBe(
			'data.respondWithinSec: must be at least 5, found number 1'
		);
		expect(errorOf(envelope('window.status_changed', { windowCode: '', status: 'open' }))).toBe('data.windowCode: must not be empty');
		expect(errorOf(envelope('window.status_changed', { windowCode: '   ', status: 'open' }))).toBe('data.windowCode: must not be empty');
		expect(errorOf(envelope('window.status_changed', { windowCode: 'W'.repeat(65), status: 'open' }))).toBe(
			'data.windowCode: at most 64 characters, found 65'
		);
		expect(errorOf(envelope('indicator.reported', { regionCode: 'XLT', period: '2018-07', indicator: 'one_door_rate', value: 100.5 }))).toBe(
			'data.value: must be at most 100, found number 100.5'
		);
	});

	it('patterns describe the expected shape', () => {
		expect(errorOf(envelope('indicator.reported', { regionCode: 'XLT', period: '2018-13', indicator: 'one_door_rate', value: 1 }))).toBe(
			'data.period: expected a period YYYY-MM, found "2018-13"'
		);
		expect(errorOf(envelope('indicator.reported', { regionCode: 'XLT', period: '2018-07', indicator: 'One Door', value: 1 }))).toBe(
			'data.indicator: expected an indicator key such as online_entry_rate, found "One Door"'
		);
		expect(
			errorOf(envelope('hotline.ticket_created', { ticketId: 'RX-1', channel: 'phone', category: '城市管理', summary: '路灯', callerPhone: 'call me' }))
		).toBe('data.callerPhone: expected a phone number, found "call me"');
		expect(errorOf(envelope('hotline.ticket_assigned', { ticketId: 'RX-1', departmentCode: 'ZJJ', dueAt: '2026-11-27 17:00' }))).toBe(
			'data.dueAt: expected an RFC 3339 time with offset (2026-11-22T09:15:02+08:00), found "2026-11-27 17:00"'
		);
	});

	it('custom indicator keys are allowed', () => {
		expect(parseEvent(envelope('indicator.reported', { regionCode: 'XLT', period: '2018-07', indicator: 'appointment_rate', value: 12.5 }), opts).ok).toBe(true);
	});

	it('case.accepted needs dueAt or promisedDays', () => {
		const base = { caseId: 'GSJ-2026-000812', departmentCode: 'GSJ', itemName: '企业设立登记', immediate: false, online: true };
		expect(errorOf(envelope('case.accepted', base))).toBe('data.dueAt: is required when data.promisedDays is not given');
		expect(parseEvent(envelope('case.accepted', { ...base, promisedDays: 0 }), opts).ok).toBe(true);
		expect(parseEvent(envelope('case.accepted', { ...base, dueAt: '2026-11-25T17:00:00+08:00' }), opts).ok).toBe(true);
		expect(errorOf(envelope('case.accepted', { ...base, promisedDays: -1 }))).toBe('data.promisedDays: must be at least 0, found number -1');
	});

	it('values are trimmed', () => {
		const r = parseEvent(envelope('queue.ticket_issued', { centerCode: ' PJ-001 ', ticketNo: 'A023 ' }), opts);
		expect(r.ok && r.event.data).toEqual({ centerCode: 'PJ-001', ticketNo: 'A023' });
	});
});
