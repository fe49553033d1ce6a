/**
 * Every string people read, in Chinese (the default) and English: one typed dictionary per
 * language, split by area (`zh/wall.ts`, `zh/hotline.ts` …; `en/` has exactly the same keys,
 * type-checked, and `i18n.test.ts` checks the same `{params}`). Pages, the wall, the form layer's
 * problems and the server's error texts all speak through `translator(lang)`.
 *
 * `t('banner.stale', { time: '10:32:05' })` fills `{time}`. A parameter may itself be a message
 * (`{ key, params }`), translated in the same language: `t('form.fieldProblem', { field: { key:
 * 'hl.field.summary' }, problem: { key: 'form.required' } })` → `诉求内容：不能为空`.
 */
import type { CARD_REASONS, INDICATORS } from '$lib/domain/catalog';
import { en } from './en';
import { zh } from './zh';

export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;
export type Lang = 'zh' | 'en';
/** A message to be worded in the reader's language: a key and its parameters. */
export interface Message {
	key: MessageKey;
	params?: Params;
}
export type Params = Record<string, string | number | Message>;
/** A translator knows its language, for labels kept outside the message tables (rule names). */
export type T = ((key: MessageKey, params?: Params) => string) & { readonly lang: Lang; say(message: Message): string };

const MESSAGES: Record<Lang, Messages> = { zh, en };

export function parseLang(value: string | null | undefined): Lang {
	return value === 'en' ? 'en' : 'zh';
}

const translators: Partial<Record<Lang, T>> = {};

export function translator(lang: Lang): T {
	const cached = translators[lang];
	if (cached) return cached;
	const messages = MESSAGES[lang];
	const t = (key: MessageKey, params?: Params): string => {
		const s = messages[key] ?? zh[key] ?? key;
		if (!params) return s;
		return s.replace(/\{(\w+)\}/g, (m, name: string) => {
			const v = params[name];
			return v === undefined ? m : typeof v === 'object' ? t(v.key, v.params) : String(v);
		});
	};
	return (translators[lang] = Object.assign(t, { lang, say: (m: Message) => t(m.key, m.params) }));
}

/** Is this a key of the dictionaries (for keys built at run time: `hl.status.${s}`)? */
export const isMessageKey = (key: string): key is MessageKey => key in zh;

// Every card reason and indicator of the catalog has a label (fails type-checking otherwise).
type CardReason = (typeof CARD_REASONS)[number];
type IndicatorKey = keyof typeof INDICATORS;
const _reasons: `reason.${CardReason}` extends MessageKey ? true : never = true;
const _indicators: `indicator.${IndicatorKey}` extends MessageKey ? true : never = true;
// The Chinese indicator names are the catalog's own (INDICATORS).
const _zhNames: { [K in IndicatorKey as `indicator.${K}`]: (typeof INDICATORS)[K] } = zh;
void _reasons;
void _indicators;
void _zhNames;

/** Label of a card reason (unknown reasons from newer servers show as they are). */
export function reasonKey(reason: string): MessageKey | null {
	const key = `reason.${reason}`;
	return isMessageKey(key) ? key : null;
}

/** Label key of a known indicator, or null for a custom one. */
export function indicatorKey(indicator: string): MessageKey | null {
	const key = `indicator.${indicator}`;
	return isMessageKey(key) ? key : null;
}
