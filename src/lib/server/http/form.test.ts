import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translator } from '../../i18n';
import { NotInScope } from '../auth/reach';
import { UserError } from '../user-error';
import { field, formAction, problemsOf, readForm, Refused, worded } from './form';
import { param } from './params';

const formOf = (entries: Array<[string, string | File]>) => {
	const fd = new FormData();
	for (const [k, v] of entries) fd.append(k, v);
	return fd;
};
const zh = translator('zh');
const en = translator('en');

describe('the form layer', () => {
	it('reads a form with a schema: blanks are absent, lists, columns, flags, files; passwords never echoed', () => {
		const r = readForm(
			formOf([
				['name', '  张三 '],
				['roles', 'leader'],
				['roles', ''],
				['roles', 'admin'],
				['col', 'a'],
				['col', ''],
				['col', 'c'],
				['on', 'on'],
				['password', 'secret words 1'],
				['file', new File([], 'empty.csv')]
			]),
			{ name: param.text(20), roles: field.list(z.string()), col: field.column(), on: field.flag(), off: field.flag(), password: field.password(), note: z.string().optional(), file: field.file().optional() }
		);
		expect(r).toEqual({
			ok: true,
			data: { name: '张三', roles: ['leader', 'admin'], col: ['a', '', 'c'], on: true, off: false, password: 'secret words 1' },
			values: { name: '  张三 ', roles: ['leader', 'admin'], col: ['a', '', 'c'], on: 'on', off: undefined, note: undefined, file: undefined }
		});
	});

	it('names every refused field with a message of the dictionaries, the label first where the shape has one', () => {
		const r = readForm(formOf([['days', '99'], ['month', '2026-13']]), { days: param.int(1, 60).describe('hl.field.days'), month: param.month(), summary: param.text(10).describe('hl.field.summary') });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(Object.keys(r.errors)).toEqual(['days', 'month', 'summary']);
		expect(zh.say(r.errors.days)).toBe('办理时限（工作日）：应为 1 到 60 的整数');
		expect(en.say(r.errors.days)).toBe('Time limit (working days): expected a whole number from 1 to 60');
		expect(zh.say(r.errors.summary)).toBe('诉求内容：必填');
		expect(r.errors.month).toEqual({ key: 'form.month', params: {} });
		expect(r.values).toEqual({ days: '99', month: '2026-13', summary: undefined });
	});

	it('answers 400 naming the field when a hidden field (filled in by the page) is bad', () => {
		try {
			readForm(formOf([['id', '1e400']]), { id: field.hidden(param.id()) });
			expect.unreachable();
		} catch (err) {
			expect(isHttpError(err, 400)).toBe(true);
			expect((err as { body: { message: string } }).body.message).toBe('id: expected a whole number from 1 to 9007199254740991, found "1e400"');
		}
	});

	it('turns a UserError, a Refused and a ZodError into the one shape’s errors', () => {
		expect(problemsOf(new UserError('reason: say why', 'reason', '请填写原因'))).toEqual({ reason: worded('请填写原因', 'reason: say why') });
		const keyed = UserError.keyed('problems', 'bulletin.errProblems');
		expect(keyed.message).toBe('problems: write 存在问题 before publishing');
		expect(keyed.zh).toBe('请先撰写“存在问题”再发布');
		expect(problemsOf(keyed)).toEqual({ problems: { key: 'bulletin.errProblems' } });
		expect(problemsOf(new Refused({ name: { key: 'keys.errRequired' } }))).toEqual({ name: { key: 'keys.errRequired' } });
		expect(Object.keys(problemsOf(z.object({ a: z.string() }).safeParse({}).error) ?? {})).toEqual(['a']);
		expect(problemsOf(new Error('boom'))).toBeNull();
		expect(zh.say(worded('中文', 'English'))).toBe('中文');
		expect(en.say(worded('中文', 'English'))).toBe('English');
	});

	it('answers a refused action with fail(status, { form, errors, values }); outside the scope 404, audited', async () => {
		const audited: unknown[] = [];
		const event = (entries: Array<[string, string]>) =>
			({
				request: new Request('http://x/', { method: 'POST', body: formOf(entries) }),
				url: new URL('http://x/supervision?/revokeCard'),
				locals: { user: { username: 'li' }, services: { handle: { db: { insert: () => ({ values: async (v: unknown) => void audited.push(v) }) } } } },
				getClientAddress: () => '10.0.0.1'
			}) as unknown as RequestEvent;
		const shape = { cardId: z.string().default(''), reason: param.text(100).describe('sv.revokeReason') };
		const act = formAction('revoke', shape, async ({ cardId }) => {
			if (cardId === 'elsewhere') throw new NotInScope('cardId', 'cardId: no card "elsewhere" this month', '本月没有这张牌');
			if (cardId === 'dup') throw new Refused({ cardId: { key: 'sv.revoked' } }, 409);
			return { revoked: cardId };
		});
		expect(await act(event([['cardId', 'c1'], ['reason', '误报']]))).toEqual({ revoked: 'c1' });
		const missing = (await act(event([['cardId', 'c1']]))) as unknown as { status: number; data: { form: string; errors: Record<string, unknown>; values: unknown } };
		expect(missing.status).toBe(400);
		expect(missing.data).toEqual({ form: 'revoke', errors: { reason: expect.anything() }, values: { cardId: 'c1', reason: undefined } });
		expect(zh.say(missing.data.errors.reason as never)).toBe('撤销原因：必填');
		const outside = (await act(event([['cardId', 'elsewhere'], ['reason', 'x']]))) as unknown as { status: number; data: { errors: Record<string, unknown> } };
		expect(outside.status).toBe(404);
		expect(outside.data.errors.cardId).toEqual(worded('本月没有这张牌', 'cardId: no card "elsewhere" this month'));
		expect(audited).toMatchObject([{ actor: 'user:li', action: 'access.out_of_scope', target: '/revokeCard' }]);
		expect(((await act(event([['cardId', 'dup'], ['reason', 'x']]))) as unknown as { status: number }).status).toBe(409);
	});
});
