import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountError, checkPassword, parseUserInput } from './auth/accounts';
import { CardError } from './supervision/cards';
import { parseSchedule, RoundError } from './supervision/rounds';
import { TerminalError } from './supervision/terminal';
import { UserError } from './user-error';
import type { OrgIndex } from '../domain/org';

const org = { centers: new Map([['C1', {}]]), regions: new Map(), departments: new Map(), staff: new Map(), windows: new Map() } as unknown as OrgIndex;
const caught = (fn: () => unknown): UserError => {
	try {
		fn();
	} catch (e) {
		if (e instanceof UserError) return e;
		throw e;
	}
	throw new Error('no error');
};

describe('errors people cause', () => {
	it('are UserErrors: field, English message and Chinese text', () => {
		for (const E of [AccountError, CardError, RoundError, TerminalError]) expect(new E('x: y', 'x', '某')).toBeInstanceOf(UserError);
		const e = caught(() => checkPassword('short'));
		expect(e).toMatchObject({ field: 'password', message: 'password: at least 10 characters', zh: '新密码至少 10 个字符' });
	});

	it('say in Chinese which field of a form is wrong', () => {
		expect(caught(() => parseUserInput({ username: '张 三', roles: ['leader'] }, org))).toMatchObject({ field: 'username', zh: '用户名：2–64 个字母、数字或 . _ -' });
		expect(caught(() => parseUserInput({ username: 'li', roles: [] }, org))).toMatchObject({ field: 'roles', zh: '角色：请至少选择一个角色' });
		expect(caught(() => parseUserInput({ username: 'li', roles: ['leader'], scopeKind: 'center', scopeCode: 'NOPE' }, org)).zh).toBe('中心不存在：“NOPE”');
		const schedule = { enabled: true, centers: ['C1'], hours: '09:00-11:30', roundsPerDay: '3', minGapMinutes: '30', respondWithinSec: '120', sample: '0' };
		expect(caught(() => parseSchedule({ ...schedule, roundsPerDay: '21' }, org))).toMatchObject({ field: 'roundsPerDay', zh: '每天轮数须为 0 到 20 的整数' });
		expect(caught(() => parseSchedule({ ...schedule, hours: '9点到11点' }, org))).toMatchObject({ field: 'hours', zh: '开放时间格式应如 09:00-11:30，这里是“9点到11点”' });
	});
});

describe('password rules', () => {
	it('refuse common and trivial passwords, naming the field, in English and Chinese', () => {
		for (const p of ['aaaaaaaaaa', '1234567890', 'password123', 'qwertyuiop', 'abcdefghijk', 'P@ssw0rd2024'])
			expect(caught(() => checkPassword(p)), p).toMatchObject({ field: 'password', message: expect.stringMatching(/^password: too easy to guess \(.+\); /), zh: expect.stringMatching(/^新密码太容易被猜到（.+），/) });
		expect(caught(() => checkPassword('kkkkkkkkkkkk'))).toMatchObject({ message: expect.stringContaining('repeated characters'), zh: expect.stringContaining('重复的字符') });
		expect(caught(() => checkPassword('qwertyuiop', 'current'))).toMatchObject({ field: 'current', message: expect.stringMatching(/^current: /), zh: expect.stringMatching(/^当前密码/) });
	});

	it('refuse a password that contains the username, whatever its case', () => {
		expect(caught(() => checkPassword('Zhang-harbor-lamp-7', 'password', { username: 'zhang' }))).toMatchObject({ field: 'password', message: 'password: must not contain the username', zh: '新密码不能包含用户名' });
		expect(caught(() => checkPassword('lamp ZHANG.WEI harbor', 'password', { username: 'zhang.wei' })).message).toBe('password: must not contain the username');
	});

	it('accept a strong passphrase', () => {
		expect(() => checkPassword('quiet harbor lamp 7', 'password', { username: 'zhang', displayName: '张伟' })).not.toThrow();
		expect(() => checkPassword('quiet harbor lamp 7')).not.toThrow();
	});

	it('keep the strength estimator (its dictionaries) on the server: only src/lib/server imports it', () => {
		const root = path.resolve('src');
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
				const p = path.join(dir, e.name);
				if (e.isDirectory()) walk(p);
				else if (/\.(ts|js|svelte)$/.test(e.name) && /@zxcvbn-ts\//.test(fs.readFileSync(p, 'utf8')) && !p.startsWith(path.join(root, 'lib', 'server') + path.sep)) offenders.push(p);
			}
		};
		walk(root);
		expect(offenders).toEqual([]);
	});
});
