import { describe, expect, it } from 'vitest';
import { formError, local } from './local';

describe('local strings', () => {
	const strings = local({ hello: '你好，{name}', bye: '再见' }, { hello: 'Hello, {name}', bye: 'Bye' });
	it('picks the language and fills parameters', () => {
		expect(strings('zh')('hello', { name: '张三' })).toBe('你好，张三');
		expect(strings('en')('hello', { name: 'Zhang' })).toBe('Hello, Zhang');
		expect(strings('en')('bye')).toBe('Bye');
	});
	it('leaves unknown parameters visible', () => {
		expect(strings('zh')('hello')).toBe('你好，{name}');
	});
	it('shows a form error in the page language, English where no Chinese was given', () => {
		const form = { field: 'reason', error: 'reason: say why the card is revoked', zh: '请填写撤销原因' };
		expect(formError(form, 'zh')).toBe('请填写撤销原因');
		expect(formError(form, 'en')).toBe('reason: say why the card is revoked');
		expect(formError({ error: 'csv: no dates found' }, 'zh')).toBe('csv: no dates found');
		expect(formError(null, 'zh')).toBe('');
		expect(formError({ saved: true }, 'zh')).toBe('');
	});
});
