/**
 * Strings that belong to one page or component of the console, kept beside it:
 * `const t = local({ title: '用户' }, { title: 'Users' })(lang)`. English must have the same keys
 * (type-checked); `{name}` marks a parameter as in the wall's strings.
 */
import type { Lang, Params } from './index';

export function local<K extends string>(zh: Record<K, string>, en: Record<K, string>) {
	return (lang: Lang) => {
		const messages = lang === 'en' ? en : zh;
		return (key: K, params?: Params): string => {
			const s = messages[key] ?? zh[key] ?? key;
			return params ? s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : s;
		};
	};
}
