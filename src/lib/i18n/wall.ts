/**
 * The wall's strings only (zh/wall.ts, en/wall.ts): what the wall's pages and components import,
 * so their bundle holds no console strings. The same translator as $lib/i18n, over one area.
 */
import { translators, type Lang, type Message as AnyMessage, type T as AnyT } from './core';
import { wall as en } from './en/wall';
import { wall as zh } from './zh/wall';

export { parseLang, type Lang } from './core';
export type MessageKey = keyof typeof zh;
export type Message = AnyMessage<MessageKey>;
export type T = AnyT<MessageKey>;

export const translator: (lang: Lang) => T = translators<MessageKey>({ zh, en });

const isKey = (key: string): key is MessageKey => key in zh;

/** Label of a card reason (unknown reasons from newer servers show as they are). */
export const reasonKey = (reason: string): MessageKey | null => (isKey(`reason.${reason}`) ? (`reason.${reason}` as MessageKey) : null);

/** Label key of a known indicator, or null for a custom one. */
export const indicatorKey = (indicator: string): MessageKey | null => (isKey(`indicator.${indicator}`) ? (`indicator.${indicator}` as MessageKey) : null);
