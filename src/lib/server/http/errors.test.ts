import { describe, expect, it } from 'vitest';
import { unexpectedError } from './errors';

describe('unexpected errors', () => {
	it('answer a generic message with an id, and log the id and the error without personal data', () => {
		// As drizzle throws it: the query on the first line, its parameters (what was typed) after.
		const cause = Object.assign(new Error('invalid input syntax for type bigint: "13800001234"'), { code: '22P02' });
		const err = new Error('Failed query: select * from "hotline_tickets" where "caller_phone" = $1\nparams: 13800001234,张伟', { cause });
		const lines: string[] = [];
		const answer = unexpectedError(err, { method: 'GET', route: '/hotline' }, (l) => lines.push(l));
		expect(answer.id).toMatch(/^[0-9a-f]{12}$/);
		expect(answer.message).toBe(`服务器内部错误（错误编号 ${answer.id}）· Internal error (error id ${answer.id})`);
		expect(JSON.stringify(answer)).not.toMatch(/at |Failed query|13800001234/);
		const log = lines.join('\n');
		expect(log).toContain(`error ${answer.id}: GET /hotline: Error: Failed query: select * from "hotline_tickets"`);
		expect(log).toContain('cause: Error [22P02]: invalid input syntax for type bigint: "138****1234"');
		expect(log).toMatch(/\n\s+at /);
		expect(log).not.toContain('13800001234');
		expect(log).not.toContain('张伟');
		expect(log).not.toContain('params');
		// A new id each time.
		expect(unexpectedError(err, { method: 'GET', route: null }, () => {}).id).not.toBe(answer.id);
	});
});
