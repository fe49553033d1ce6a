import { describe, expect, it } from 'vitest';
import { maskBody, unmaskEdited } from './ops';

const body = { id: 'h1', type: 'hotline.ticket_created', occurredAt: '2026-11-22T09:15:02+08:00', data: { ticketId: 'RX-1', callerPhone: '13800001234', summary: '路灯' } };

describe('quarantine bodies and caller phones', () => {
	it('masks caller phones for display and audit, leaving the stored body alone', () => {
		expect(maskBody(body)).toEqual({ ...body, data: { ...body.data, callerPhone: '138****1234' } });
		expect(body.data.callerPhone).toBe('13800001234');
		expect(maskBody({ id: 'x', data: { ticketId: 'a' } })).toEqual({ id: 'x', data: { ticketId: 'a' } });
		expect(maskBody('not an object')).toBe('not an object');
	});

	it('keeps the original phone when the editor left the mask as shown', () => {
		const edited = { ...body, data: { ...body.data, callerPhone: '138****1234', summary: '路灯不亮' } };
		expect(unmaskEdited(edited, body)).toEqual({ ...body, data: { ...body.data, summary: '路灯不亮' } });
	});

	it('takes a phone the editor typed anew', () => {
		const edited = { ...body, data: { ...body.data, callerPhone: '13900005678' } };
		expect(unmaskEdited(edited, body)).toBe(edited);
	});
});
