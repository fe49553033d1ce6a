/**
 * The page's translator: the dictionaries of $lib/i18n in the console's language (`?lang=` or
 * the `lang` cookie, read by the root layout). Called once while a component is set up:
 * `const t = useT();` then `t('hl.title')`, `t.say(message)`, `t.lang`.
 */
import { page } from '$app/state';
import { isMessageKey, parseLang, translator, type T } from '$lib/i18n';

export function useT(): T {
	const t = $derived(translator(parseLang(page.data.lang as string | undefined)));
	return Object.assign((key: Parameters<T>[0], params?: Parameters<T>[1]) => t(key, params), {
		get lang() {
			return t.lang;
		},
		say: (m: Parameters<T['say']>[0]) => t.say(m)
	}) as T;
}

/** A word by a key built at run time (`hl.status.${s}`), or the key's last part when the dictionaries have none. */
export function wordOf(t: T, key: string): string {
	return isMessageKey(key) ? t(key) : key.slice(key.lastIndexOf('.') + 1);
}
