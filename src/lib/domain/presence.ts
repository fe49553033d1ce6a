/**
 * 在岗抽查: who is on duty, when the day's random rounds fall, which checks a round issues, and
 * how each check came out. Pure; the server's scheduler and the supervision page use it.
 */
import type { OrgIndex } from './org';
import type { LiveState } from './projection';

export interface PresenceSchedule {
	enabled: boolean;
	/** Centers the scheduler runs for (empty: none). */
	centers: string[];
	/** Opening hours, local time, e.g. [['09:00', '11:30'], ['13:30', '17:00']]. */
	hours: Array<[string, string]>;
	roundsPerDay: number;
	/** Minimum minutes between two rounds of a day. */
	minGapMinutes: number;
	respondWithinSec: number;
	/** Staff per round; 0 means everyone on duty. */
	sample: number;
}

export const DEFAULT_SCHEDULE: PresenceSchedule = {
	enabled: false,
	centers: [],
	hours: [
		['09:00', '11:30'],
		['13:30', '17:00']
	],
	roundsPerDay: 3,
	minGapMinutes: 60,
	respondWithinSec: 120,
	sample: 0
};

export type RoundTarget = { kind: 'all' } | { kind: 'department'; code: string } | { kind: 'windows'; codes: string[] };

/** A small seeded PRNG (mulberry32) so every instance plans the same day the same way. */
export function seededRandom(seed: string): () => number {
	let h = 1779033703 ^ seed.length;
	for (let i = 0; i < seed.length; i++) {
		h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
		h = (h << 13) | (h >>> 19);
	}
	let a = h >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const minutes = (hhmm: string) => {
	const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
	if (!m) throw new Error(`hours: expected HH:MM, found "${hhmm}"`);
	return Number(m[1]) * 60 + Number(m[2]);
};

/**
 * The minutes after local midnight at which a center's rounds fall on a day: random within the
 * opening hours, at least `minGapMinutes` apart, the same for the same (center, day) wherever
 * computed. Fewer when the hours cannot fit them all.
 */
export function planRounds(centerCode: string, day: string, s: Pick<PresenceSchedule, 'hours' | 'roundsPerDay' | 'minGapMinutes'>): number[] {
	const spans = s.hours.map(([a, b]) => [minutes(a), minutes(b)] as const).filter(([a, b]) => b > a);
	const total = spans.reduce((n, [a, b]) => n + (b - a), 0);
	if (!total || s.roundsPerDay <= 0) return [];
	const rnd = seededRandom(`${centerCode}|${day}`);
	const out: number[] = [];
	for (let tries = 0; out.length < s.roundsPerDay && tries < 200; tries++) {
		let x = Math.floor(rnd() * total);
		let at = -1;
		for (const [a, b] of spans) {
			if (x < b - a) {
				at = a + x;
				break;
			}
			x -= b - a;
		}
		if (out.every((m) => Math.abs(m - at) >= s.minGapMinutes)) out.push(at);
	}
	return out.sort((a, b) => a - b);
}

export interface DutyStaff {
	staffCode: string;
	windowCode: string | null;
	departmentCode: string;
}

/** Staff of a center on duty now: clocked in, or at a window that is open or serving. */
export function onDutyStaff(state: LiveState, org: OrgIndex, centerCode: string, target: RoundTarget = { kind: 'all' }): DutyStaff[] {
	const out: DutyStaff[] = [];
	for (const s of org.staff.values()) {
		const win = s.windowCode ? org.windows.get(s.windowCode) : undefined;
		const center = win?.centerCode ?? org.departments.get(s.departmentCode)?.centerCode;
		if (center !== centerCode) continue;
		if (target.kind === 'department' && s.departmentCode !== target.code) continue;
		if (target.kind === 'windows' && !(win && target.codes.includes(win.code))) continue;
		const w = win ? state.windows.get(win.code) : undefined;
		const atOpenWindow = !!w && w.status !== 'closed' && (w.staffCode == null || w.staffCode === s.code);
		if (state.onDuty.get(s.code) || atOpenWindow) out.push({ staffCode: s.code, windowCode: win?.code ?? null, departmentCode: s.departmentCode });
	}
	return out.sort((a, b) => a.staffCode.localeCompare(b.staffCode));
}

/** Pick `n` of the staff at random (all when n is 0 or more than there are). */
export function sampleStaff<T>(staff: T[], n: number, rnd: () => number): T[] {
	if (n <= 0 || n >= staff.length) return staff;
	const pool = [...staff];
	for (let i = pool.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[pool[i], pool[j]] = [pool[j], pool[i]];
	}
	return pool.slice(0, n);
}

export type CheckOutcome = 'confirmed' | 'missed' | 'open' | 'not_at_terminal';

export interface CheckResult {
	checkId: string;
	staffCode: string;
	windowCode: string | null;
	outcome: CheckOutcome;
	/** Seconds from issue to confirmation. */
	responseSec: number | null;
	atTerminal: boolean;
}

/**
 * How a round's checks came out at `now`: confirmed in time (with the response time), open
 * (still in time), missed; a missed check whose staff member had no terminal connected when it
 * was issued is "not at terminal".
 */
export function roundResults(state: LiveState, checks: Array<{ checkId: string; staffCode: string; windowCode: string | null; atTerminal: boolean }>, now: number): CheckResult[] {
	return checks.map((c) => {
		const s = state.checks.get(c.checkId);
		const confirmedInTime = s && s.confirmedAt != null && s.confirmedAt <= s.deadline;
		let outcome: CheckOutcome;
		if (confirmedInTime) outcome = 'confirmed';
		else if (s && !s.missed && s.confirmedAt == null && now <= s.deadline) outcome = 'open';
		else if (!s) outcome = 'open'; // issued, not yet applied here
		else outcome = c.atTerminal ? 'missed' : 'not_at_terminal';
		return {
			checkId: c.checkId,
			staffCode: c.staffCode,
			windowCode: c.windowCode,
			outcome,
			responseSec: confirmedInTime ? Math.round((s!.confirmedAt! - s!.issuedAt) / 100) / 10 : null,
			atTerminal: c.atTerminal
		};
	});
}
