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
import { translators, type Lang, type Message as AnyMessage, type Params as AnyParams, type T as AnyT } from './core';
import { en } from './en';
import { zh } from './zh';

export { parseLang, type Lang } from './core';
export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;
export type Message = AnyMessage<MessageKey>;
export type Params = AnyParams<MessageKey>;
export type T = AnyT<MessageKey>;

/** The translator of every area (the console, the server's error texts, the bulletin). */
export const translator: (lang: Lang) => T = translators<MessageKey>({ zh, en });

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
