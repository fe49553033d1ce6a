/**
 * Checkpoints: the live state at a seq as JSON, and the upgrades that bring an older one to
 * what today's reducer would have built.
 *
 * Versions, oldest first:
 *  1. the maps of the first reducer;
 *  2. + the card rules' state: who waits for each department (`waitingByDept`), bad reviews
 *     (`badReviews`) and the windows' idle marks;
 *  3. + counters of their own for the bad-review rule's cards (`ruleBadReviewYellow/Red`);
 *  4. + the department's side of hotline tickets (签收 limit, returns, extensions, merges), the
 *     calls map, and the cohort counter `hotlineClosedOfReceived` (rebuilt from the closed
 *     tickets the state kept: those closed in the last 40 days, so every ticket of this month).
 *  5. + the alerts (`alerts`, `alertKeys`) and every sender's freshness (`sources`): none are
 *     known from before (a sender appears with its next event).
 * Versions 2 and 3 were written as `v: 1`, told apart by marks (a `waitingByDept` map, a
 * `ruleCardCounters: true` flag); `legacyVersion` reads them, and nothing else does. From 3 on
 * the version is written as `v`; a stored `v: 2` never existed and is refused.
 *
 * A new format is one more step at the end of UPGRADES: the version written is derived from
 * the list, and a checkpoint of any earlier version loads through the steps after it, in order.
 */
import { ruleBadReviewCounter } from './evolve/cards';
import { count, placeOfHome } from './evolve/count';
import { createState, MAP_DEFS, mapOf, type LiveState } from './projection-state';

/**
 * One step, version n → n + 1, on a state just loaded from a version-n checkpoint. Pure in the
 * reducer's sense (no I/O, no clock; it changes the state it is given, as `apply` does). Counts
 * it adds go to the dirty deltas too, so the writer carries them to the rollups.
 */
type Upgrade = (state: LiveState) => void;

/** 1 → 2: what the window-idle rule reads, rebuilt from what the state kept. No bad reviews are known from before. */
function cardRuleState(state: LiveState): void {
	// Who waits for each department: the tickets still waiting, of their department's latest day.
	for (const t of state.tickets.values()) {
		if (t.state !== 'waiting' || !t.departmentCode) continue;
		let w = state.waitingByDept.get(t.departmentCode);
		if (!w || w.day < t.day) state.waitingByDept.set(t.departmentCode, (w = { day: t.day, n: 0, since: null, sinceSeq: null }));
		if (w.day !== t.day) continue;
		w.n++;
		if (w.since == null || t.issuedAt < w.since) w.since = t.issuedAt;
	}
	// Idle: open without a ticket since it last changed (which event made it so is not known).
	for (const w of state.windows.values())
		if (w.idleSince === undefined) {
			w.idleSince = w.status === 'open' && w.ticketNo == null ? w.changedAt : null;
			w.idleSeq = null;
			w.idleType = null;
		}
}

/** 2 → 3: the bad-review rule's cards kept in the state (this year's and last year's) are counted into their buckets. */
function ruleCardCounters(state: LiveState): void {
	for (const c of state.cards.values()) if (c.rule === 'bad_review' && !c.revoked) count(state, c.place, c.day, { [ruleBadReviewCounter(c.color)]: 1 });
}

/** 3 → 4: closed tickets counted on their day received (the cohort rate); older tickets have no acknowledge limit (never judged). */
function hotlineCohort(state: LiveState): void {
	for (const t of state.hotline.values())
		if (t.closedAt != null && !t.mergedInto) count(state, placeOfHome(t.home, { departmentCode: t.departmentCode }), t.createdDay, { hotlineClosedOfReceived: 1 });
}

/** 4 → 5: the alert maps start empty (no alert was raised before them; senders reappear with their next event). */
function alertsState(state: LiveState): void {
	void state;
}

/** UPGRADES[n - 1] takes version n to n + 1. */
const UPGRADES: readonly Upgrade[] = [cardRuleState, ruleCardCounters, hotlineCohort, alertsState];

/** The version `serializeState` writes. */
export const CHECKPOINT_VERSION = UPGRADES.length + 1;

/** The first version written as its own number (1 was, 2 and 3 were written as 1). */
const FIRST_NUMBERED = 3;

/**
 * Which version a `v: 1` checkpoint is. One without `waitingByDept` predates the card rules,
 * and with them any rule card: it is version 1 whatever else it carries.
 */
function legacyVersion(raw: Record<string, unknown>): number {
	if (raw.waitingByDept === undefined) return 1;
	return raw.ruleCardCounters === undefined ? 2 : 3;
}

export function checkpointVersion(raw: Record<string, unknown>): number {
	const v = raw.v;
	if (v === 1) return legacyVersion(raw);
	if (typeof v === 'number' && Number.isInteger(v) && v >= FIRST_NUMBERED && v <= CHECKPOINT_VERSION) return v;
	throw new Error(`checkpoint: unsupported version ${String(v)}`);
}

export function serializeState(state: LiveState): string {
	const out: Record<string, unknown> = { v: CHECKPOINT_VERSION, seq: state.seq };
	for (const [name, def] of MAP_DEFS) out[name] = def.save(mapOf(state, name));
	return JSON.stringify(out);
}

/**
 * The same JSON as `serializeState`, built a slice at a time and handed out in parts of about
 * `partBytes` characters (concatenated, they are that JSON): `pause()` is awaited after every
 * `slice` entries of a map, so a large state never holds the event loop for long. The state
 * must not change until the promise resolves (the projector holds events back meanwhile).
 */
export async function serializeStateParts(state: LiveState, pause: () => Promise<void>, opts: { slice?: number; partBytes?: number } = {}): Promise<string[]> {
	const slice = opts.slice ?? 4000;
	const partBytes = opts.partBytes ?? 512 * 1024;
	const parts: string[] = [];
	let current: string[] = [];
	let size = 0;
	const put = (text: string) => {
		current.push(text);
		size += text.length;
		if (size >= partBytes) {
			parts.push(current.join(''));
			current = [];
			size = 0;
		}
	};
	put(`{"v":${CHECKPOINT_VERSION},"seq":${JSON.stringify(state.seq)}`);
	for (const [name, def] of MAP_DEFS) {
		const entries = [...mapOf(state, name)];
		put(`,${JSON.stringify(name)}:[`);
		for (let i = 0; i < entries.length; i += slice) {
			// A map saves entry by entry: saving a slice of it gives that slice of its saved list.
			const chunk = JSON.stringify(def.save(new Map(entries.slice(i, i + slice))));
			put((i ? ',' : '') + chunk.slice(1, -1));
			await pause();
		}
		put(']');
	}
	put('}');
	if (current.length) parts.push(current.join(''));
	return parts;
}

export function deserializeState(json: string, trackDirty = true): LiveState {
	const raw = JSON.parse(json) as Record<string, unknown>;
	const version = checkpointVersion(raw);
	const state = createState(trackDirty);
	state.seq = raw.seq as number;
	const maps = state as unknown as Record<string, Map<string, unknown>>;
	for (const [name, def] of MAP_DEFS) maps[name] = def.load(raw[name]);
	for (let v = version; v < CHECKPOINT_VERSION; v++) UPGRADES[v - 1](state);
	return state;
}
