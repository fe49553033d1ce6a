/**
 * Wall strings: zh (default) and en, same keys, and a tiny `t()`.
 * `t('banner.stale', { time: '10:32:05' })` fills `{time}`.
 */
import type { CARD_REASONS, INDICATORS } from '$lib/domain/catalog';
import { en } from './en';
import { zh } from './zh';

export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;
export type Lang = 'zh' | 'en';
export type Params = Record<string, string | number>;
/** A translator knows its language, for labels kept outside the message tables (rule names). */
export type T = ((key: MessageKey, params?: Params) => string) & { readonly lang: Lang };

const MESSAGES: Record<Lang, Messages> = { zh, en };

export function parseLang(value: string | null | undefined): Lang {
	return value === 'en' ? 'en' : 'zh';
}

export function translator(lang: Lang): T {
	const messages = MESSAGES[lang];
	const t = (key: MessageKey, params?: Params) => {
		const s = messages[key] ?? zh[key] ?? key;
		return params ? s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : s;
	};
	return Object.assign(t, { lang });
}

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
	return key in zh ? (key as MessageKey) : null;
}

/** Label key of a known indicator, or null for a custom one. */
export function indicatorKey(indicator: string): MessageKey | null {
	const key = `indicator.${indicator}`;
	return key in zh ? (key as MessageKey) : null;
}
