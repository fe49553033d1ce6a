/**
 * Red and yellow cards (红黄牌), by hand or by rule. This year's cards stay in the state so that
 * a revoke can take its count back out where the card was counted.
 */
import type { Counters } from '../counters';
import type { EventPlace } from '../org';
import { count, type CountSlice } from './count';
import { entries, exhaustive, type EventsOf, type SliceOf } from './slice';

export interface CardState {
	color: 'yellow' | 'red';
	day: string;
	place: EventPlace;
	revoked: boolean;
	/** For the wall's card feed: when, to whom, why, by hand or by which rule. */
	at?: number;
	targetKind?: 'staff' | 'window' | 'department';
	targetCode?: string;
	reason?: string;
	rule?: string | null;
	/** The issuer's explanation (说明), when given. */
	note?: string | null;
	/** Why it was revoked, once it is. */
	revokeReason?: string | null;
}

export const cardMaps = {
	/** cardId → the card, until its month passes `KEEP_MONTHS`. */
	cards: entries<CardState>((c, _, h) => c.day >= h.oldestMonth)
};

export type CardSlice = SliceOf<typeof cardMaps>;

export type CardEvent = EventsOf<'card'>;

/** The counter of cards issued by the bad-review rule, by color (the scoring reads them apart). */
export const ruleBadReviewCounter = (color: 'yellow' | 'red') => (color === 'yellow' ? 'ruleBadReviewYellow' : 'ruleBadReviewRed');

/** What a card adds to the counters (n = 1) or a revoke takes back (n = −1). */
function cardDelta(color: 'yellow' | 'red', rule: string | null, n: 1 | -1): Partial<Counters> {
	const delta: Partial<Counters> = color === 'yellow' ? { yellowCards: n } : { redCards: n };
	if (rule === 'bad_review') delta[ruleBadReviewCounter(color)] = n;
	return delta;
}

export function evolveCards(state: CardSlice & CountSlice, e: CardEvent, day: string): void {
	switch (e.type) {
		case 'card.issued': {
			const d = e.data;
			if (state.cards.has(d.cardId)) return;
			state.cards.set(d.cardId, {
				color: d.color,
				day,
				place: e.place,
				revoked: false,
				at: e.at,
				targetKind: d.target.kind,
				targetCode: d.target.code,
				reason: d.reason,
				rule: d.rule ?? null,
				...(d.note ? { note: d.note } : {})
			});
			count(state, e.place, day, cardDelta(d.color, d.rule ?? null, 1));
			return;
		}
		case 'card.revoked': {
			const c = state.cards.get(e.data.cardId);
			if (!c || c.revoked) return;
			c.revoked = true;
			c.revokeReason = e.data.reason;
			count(state, c.place, c.day, cardDelta(c.color, c.rule ?? null, -1));
			return;
		}
		default:
			return exhaustive(e);
	}
}
