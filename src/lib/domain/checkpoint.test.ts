import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './catalog';
import { checkpointScenario } from './fixtures/checkpoint-scenario';
import { deserializeState, serializeState, type LiveState } from './projection';
import { Feed, ms } from './testkit';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
/** The state without its dirty deltas (a restored state starts with none). */
const content = (s: LiveState) => ({ ...s, dirty: null });

describe('stored checkpoints', () => {
	it('the scenario behind the fixtures applies every event type of the catalog', () => {
		expect([...checkpointScenario().types].sort()).toEqual([...EVENT_TYPES].sort());
	});

	it('a v1 checkpoint (written by the reducer before the split) loads as the state rebuilt from its events', () => {
		const json = fixture('checkpoint-v1.json');
		expect(JSON.parse(json)).toMatchObject({ v: 1, ruleCardCounters: true });
		const loaded = deserializeState(json);
		const rebuilt = checkpointScenario();
		expect(content(loaded)).toEqual(content(rebuilt.state));
		expect(loaded.dirty).toEqual(new Map()); // nothing to upgrade: no deltas to flush
		expect(serializeState(loaded)).toBe(serializeState(rebuilt.state));
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
		expect(content(loaded)).toEqual(content(rebuilt.state));
		expect(serializeState(loaded)).toBe(serializeState(rebuilt.state));
	});
});
