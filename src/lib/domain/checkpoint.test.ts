import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './catalog';
import { compact } from './counters';
import { checkpointScenario } from './fixtures/checkpoint-scenario';
import { CHECKPOINT_VERSION, checkpointVersion, deserializeState, serializeState, serializeStateParts, type LiveState } from './projection';
import { Feed, ms } from './testkit';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
/** The state without its dirty deltas (a restored state starts with none). */
const content = (s: LiveState) => ({ ...s, dirty: null });
/** What a checkpoint written before cards kept their explanation (note, revoke reason) holds. */
const unexplained = (s: LiveState): LiveState => ({ ...s, cards: new Map([...s.cards].map(([id, c]) => [id, Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'note' && k !== 'revokeReason')) as typeof c])) });

describe('stored checkpoints', () => {
	it('the scenario behind the fixtures applies every event type of the catalog', () => {
		expect([...checkpointScenario().types].sort()).toEqual([...EVENT_TYPES].sort());
	});

	it('a v1 checkpoint (written by the reducer before the split) loads as the state rebuilt from its events (but for the explanations it never kept)', () => {
		const json = fixture('checkpoint-v1.json');
		expect(JSON.parse(json)).toMatchObject({ v: 1, ruleCardCounters: true });
		const loaded = deserializeState(json);
		// The events of its time; the senders it did not know appear with their next event (version 5).
		const rebuilt = checkpointScenario({ through: 3 });
		expect(loaded.sources).toEqual(new Map());
		rebuilt.state.sources.clear();
		expect(content(loaded)).toEqual(content(unexplained(rebuilt.state)));
		// 3 → 4 counts the ticket still closed on the day it was received (the cohort rate), nothing else.
		expect([...loaded.dirty!].map(([k, d]) => `${k} ${JSON.stringify(d)}`)).toEqual(
			['all||2026-11-22', 'all||2026-11', 'department|SWJ|2026-11-22', 'department|SWJ|2026-11'].map((k) => `${k} {"hotlineClosedOfReceived":1}`)
		);
		expect(serializeState(loaded)).toBe(serializeState(unexplained(rebuilt.state)));
		// Both go on the same way.
		const copy = new Feed(rebuilt.org, loaded);
		copy.seq = rebuilt.seq;
		for (const f of [rebuilt, copy]) {
			f.ev('card.revoked', '2026-11-24T09:00:00+08:00', { cardId: 'r:bad_review:y', reason: '申诉成立' });
			f.ev('hotline.ticket_reopened', '2026-11-24T09:10:00+08:00', { ticketId: 'H-all', reason: '仍未解决' });
			f.ev('presence.check_issued', '2026-11-24T09:20:00+08:00', { checkId: 'k-next', staffCode: 'S001', respondWithinSec: 60 });
			f.ev('queue.ticket_called', '2026-11-24T09:30:00+08:00', { centerCode: 'PJ-001', ticketNo: 'A003', windowCode: 'W01' });
			expect(f.derive(ms('2026-11-24T12:00:00+08:00')).map((d) => d.type)).toEqual(['presence.check_missed', 'hotline.ticket_overdue']);
		}
		expect(content(unexplained(loaded))).toEqual(content(unexplained(rebuilt.state)));
		expect(serializeState(unexplained(loaded))).toBe(serializeState(unexplained(rebuilt.state)));
		expect(loaded.cards.get('r:bad_review:y')!.revokeReason).toBe('申诉成立'); // kept from the load on
	});

	it('a checkpoint is written as version 5, without the marks, and loads back as it was', () => {
		const f = checkpointScenario();
		const json = serializeState(f.state);
		const raw = JSON.parse(json);
		expect(raw.v).toBe(CHECKPOINT_VERSION);
		expect(raw).not.toHaveProperty('ruleCardCounters');
		const loaded = deserializeState(json);
		expect(content(loaded)).toEqual(content(f.state));
		expect(loaded.dirty).toEqual(new Map());
		expect(serializeState(loaded)).toBe(json);
	});

	it('the versions before numbering are told apart by their marks; unknown versions are refused', () => {
		expect(CHECKPOINT_VERSION).toBe(5);
		expect(checkpointVersion({ v: 1 })).toBe(1);
		expect(checkpointVersion({ v: 1, waitingByDept: [] })).toBe(2);
		expect(checkpointVersion({ v: 1, waitingByDept: [], ruleCardCounters: true })).toBe(3);
		expect(checkpointVersion({ v: 1, ruleCardCounters: true })).toBe(1); // before the card rules, whatever else it says
		expect(checkpointVersion({ v: 3 })).toBe(3);
		expect(checkpointVersion({ v: 4 })).toBe(4);
		expect(checkpointVersion({ v: 5 })).toBe(5);
		for (const v of [0, 2, 6, 3.5, '3', null, undefined]) expect(() => checkpointVersion({ v })).toThrow(`checkpoint: unsupported version ${String(v)}`);
	});

	it('version 2 → 3: the bad-review rule’s cards kept are counted into their buckets once, and into the dirty deltas', () => {
		const raw = JSON.parse(fixture('checkpoint-v1.json'));
		delete raw.ruleCardCounters; // as version 2 was written
		raw.buckets = raw.buckets.map(([k, c]: [string, Record<string, number>]) => {
			const { ruleBadReviewYellow: _y, ruleBadReviewRed: _r, ...rest } = c;
			return [k, rest];
		});
		expect(checkpointVersion(raw)).toBe(2);
		const loaded = deserializeState(JSON.stringify(raw));
		const rebuilt = checkpointScenario({ through: 3 }).state;
		expect([...loaded.buckets].map(([k, c]) => [k, compact(c)])).toEqual([...rebuilt.buckets].map(([k, c]) => [k, compact(c)]));
		// Only the kept yellow card: the red one was revoked. Day and month, staff member's home, department and window.
		const deltas = [...loaded.dirty!].filter(([, d]) => d.ruleBadReviewYellow).map(([k, d]) => `${k} ${JSON.stringify({ ruleBadReviewYellow: d.ruleBadReviewYellow })}`);
		expect(deltas).toEqual(
			['center|PJ-001|2026-11-22', 'center|PJ-001|2026-11', 'department|SWJ|2026-11-22', 'department|SWJ|2026-11', 'window|W02|2026-11-22', 'window|W02|2026-11'].map((k) => `${k} {"ruleBadReviewYellow":1}`)
		);
		expect(deserializeState(serializeState(loaded)).buckets).toEqual(loaded.buckets); // not counted again
	});

	it('version 1 → 2: who waits and the idle marks are rebuilt from what the state kept; no bad reviews', () => {
		const raw = JSON.parse(fixture('checkpoint-v1.json'));
		delete raw.ruleCardCounters;
		delete raw.waitingByDept;
		delete raw.badReviews;
		raw.windows = raw.windows.map(([k, w]: [string, Record<string, unknown>]) => {
			const { idleSince: _a, idleSeq: _b, idleType: _c, ...rest } = w;
			return [k, rest];
		});
		expect(checkpointVersion(raw)).toBe(1);
		const loaded = deserializeState(JSON.stringify(raw));
		const rebuilt = checkpointScenario({ through: 3 }).state;
		expect(loaded.badReviews.size).toBe(0);
		const waiting = (s: LiveState) => [...s.waitingByDept].map(([k, w]) => [k, w.day, w.n, w.n ? w.since : null]);
		expect(waiting(loaded)).toEqual(waiting(rebuilt).filter(([, , n]) => n)); // departments nobody waits for are not known
		for (const [code, w] of rebuilt.windows) expect([code, loaded.windows.get(code)!.idleSince]).toEqual([code, w.idleSince]);
		expect([...loaded.windows.values()].every((w) => w.idleSeq === null)).toBe(true);
		// And the step after it ran too.
		expect([...loaded.dirty!.values()].some((d) => d.ruleBadReviewYellow === 1)).toBe(true);
	});
});


describe('serializeStateParts', () => {
	it('writes the same JSON as serializeState in parts, pausing between slices', async () => {
		const state = deserializeState(fixture('checkpoint-v1.json'));
		let pauses = 0;
		const parts = await serializeStateParts(state, async () => void pauses++, { slice: 3, partBytes: 200 });
		expect(parts.join('')).toBe(serializeState(state));
		expect(parts.length).toBeGreaterThan(3);
		expect(pauses).toBeGreaterThan(5);
	});
});
