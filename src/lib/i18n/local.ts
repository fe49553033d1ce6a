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

/**
 * A form action's error in the page's language: its `zh` text (server errors carry both, see
 * src/lib/server/user-error.ts) on a Chinese page, else its English `error`.
 */
export function formError(form: unknown, lang: Lang): string {
	if (!form || typeof form !== 'object') return '';
	const f = form as { error?: unknown; zh?: unknown };
	if (lang === 'zh' && typeof f.zh === 'string' && f.zh) return f.zh;
	return typeof f.error === 'string' ? f.error : '';
}
