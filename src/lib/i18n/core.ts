/**
 * The translator itself, over whichever dictionaries it is given: the console and the server
 * bind all of them (index.ts), the wall only its own area (wall.ts), so a wall's bundle carries
 * the wall's strings and no console page's.
 */
export type Lang = 'zh' | 'en';
/** A message to be worded in the reader's language: a key and its parameters. */
export interface Message<K extends string = string> {
	key: K;
	params?: Params<K>;
}
export type Params<K extends string = string> = Record<string, string | number | Message<K>>;
/** A translator knows its language, for labels kept outside the message tables (rule names). */
export type T<K extends string = string> = ((key: K, params?: Params<K>) => string) & { readonly lang: Lang; say(message: Message<K>): string };

export function parseLang(value: string | null | undefined): Lang {
	return value === 'en' ? 'en' : 'zh';
}

/** `translator(lang)` over these dictionaries (Chinese stands in for a missing English string). */
export function translators<K extends string>(messages: Record<Lang, Record<K, string>>): (lang: Lang) => T<K> {
	const made: Partial<Record<Lang, T<K>>> = {};
	return (lang) => {
		const cached = made[lang];
		if (cached) return cached;
		const table = messages[lang];
		const t = (key: K, params?: Params<K>): string => {
			const s = table[key] ?? messages.zh[key] ?? key;
			if (!params) return s;
			return s.replace(/\{(\w+)\}/g, (m, name: string) => {
				const v = params[name];
				return v === undefined ? m : typeof v === 'object' ? t(v.key, v.params) : String(v);
			});
		};
		return (made[lang] = Object.assign(t, { lang, say: (m: Message<K>) => t(m.key, m.params) }));
	};
}
