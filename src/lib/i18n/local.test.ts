import { describe, expect, it } from 'vitest';
import { local } from './local';

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
});
