/**
 * 在岗抽查 rounds: a supervisor starts one now (all on duty, a department, or chosen windows),
 * or the scheduler starts the day's planned ones. Each round issues one `presence.check_issued`
 * per staff member through the ingest path (sender `supervision`) and records its grouping in
 * `presence_rounds` with whether each staff member's terminal was connected. Missed checks are
 * judged by the deadline judge (derived events), so they survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, gte } from 'drizzle-orm';
import type { OrgIndex } from '../../domain/org';
import { DEFAULT_SCHEDULE, onDutyStaff, planRounds, roundResults, sampleStaff, seededRandom, type PresenceSchedule, type RoundTarget } from '../../domain/presence';
import type { LiveState } from '../../domain/projection';
import { dayKey, DEFAULT_TZ, endOfDay, previousDay } from '../../domain/time';
import type { Database } from '../db/client';
import { presenceRounds, settings } from '../db/schema';
import type { IngestService } from '../ingest/service';
import type { Reach } from '../auth/reach';
import { UserError } from '../user-error';

export const SCHEDULE_SETTING = 'presence.schedule';
/** A planned round more than this late (server was down) is skipped, not issued late. */
const LATE_LIMIT_MS = 5 * 60_000;

/** A round that cannot be started, or a schedule that cannot be saved, as asked. */
export class RoundError extends UserError {
	constructor(message: string, field = 'target', zh?: string) {
		super(message, field, zh);
	}
}

/** Chinese names of the schedule's number fields, for their errors. */
const FIELD_ZH: Record<string, string> = { roundsPerDay: '每天轮数', minGapMinutes: '两轮最少间隔', respondWithinSec: '响应时限', sample: '抽取人数' };

interface Deps {
	db: Database;
	state: () => LiveState;
	org: () => OrgIndex;
	ingest: IngestService;
	/** Staff with a terminal connected now, on any instance (InstancePresence). */
	connected: () => Set<string> | Promise<Set<string>>;
	now?: () => number;
}

export class PresenceRounds {
	constructor(private deps: Deps) {}
	private now = () => (this.deps.now ?? Date.now)();

	tzOf(centerCode: string): string {
		return this.deps.org().centers.get(centerCode)?.timezone || DEFAULT_TZ;
	}

	/**
	 * Start a round now. `id` makes it idempotent (the scheduler's planned rounds). `reach` is the
	 * supervisor's (a round of the scheduler has none): the center must lie within it, and the
	 * department or windows asked for must be that center's.
	 */
	async start(p: { centerCode: string; target: RoundTarget; respondWithinSec: number; sample?: number; issuedBy: string; id?: string; reach?: Reach }): Promise<{ id: string; checks: number } | null> {
		const org = this.deps.org();
		if (p.reach) p.reach.require('center', p.centerCode, 'center');
		if (!org.centers.has(p.centerCode)) throw new RoundError(`centerCode: unknown center "${p.centerCode}"`, 'centerCode', `中心不存在：“${p.centerCode}”`);
		if (!Number.isInteger(p.respondWithinSec) || p.respondWithinSec < 5 || p.respondWithinSec > 3600) throw new RoundError('respondWithinSec: between 5 and 3600 seconds', 'respondWithinSec', '响应时限须在 5 到 3600 秒之间');
		if (p.target.kind === 'department' && org.departments.get(p.target.code)?.centerCode !== p.centerCode)
			throw new RoundError(`department: unknown department "${p.target.code}" in center "${p.centerCode}"`, 'department', `本中心没有部门“${p.target.code}”`);
		if (p.target.kind === 'windows') {
			if (!p.target.codes.length) throw new RoundError('windows: choose at least one window', 'windows', '请至少选择一个窗口');
			const unknown = p.target.codes.find((c) => org.windows.get(c)?.centerCode !== p.centerCode);
			if (unknown) throw new RoundError(`windows: unknown window "${unknown}" in center "${p.centerCode}"`, 'windows', `本中心没有窗口“${unknown}”`);
		}
		const id = p.id ?? `r-${new Date(this.now()).toISOString().slice(0, 16).replace(/\D/g, '')}-${randomBytes(3).toString('hex')}`;
		const onDuty = onDutyStaff(this.deps.state(), org, p.centerCode, p.target);
		const picked = sampleStaff(onDuty, p.sample ?? 0, seededRandom(id));
		if (!picked.length) {
			if (p.id) return null; // a planned round with nobody on duty: nothing to check
			throw new RoundError('target: nobody is on duty there now', 'target', '所选范围内现在没有在岗人员');
		}
		const connected = await this.deps.connected();
		const at = this.now();
		const checks = picked.map((s) => ({ checkId: `${id}-${s.staffCode}`, staffCode: s.staffCode, windowCode: s.windowCode, atTerminal: connected.has(s.staffCode) }));
		// Claim the round first: a planned round is issued once, whichever instance or restart gets here.
		const claimed = await this.deps.db
			.insert(presenceRounds)
			.values({ id, centerCode: p.centerCode, issuedAt: new Date(at), issuedBy: p.issuedBy, target: p.target, respondWithinSec: p.respondWithinSec, checks })
			.onConflictDoNothing()
			.returning({ id: presenceRounds.id });
		if (!claimed.length) return null;
		const occurredAt = new Date(at).toISOString();
		const res = await this.deps.ingest.ingest(
			'supervision',
			checks.map((c) => ({ id: c.checkId, type: 'presence.check_issued', occurredAt, data: { checkId: c.checkId, staffCode: c.staffCode, ...(c.windowCode ? { windowCode: c.windowCode } : {}), respondWithinSec: p.respondWithinSec, roundId: id } })),
			['presence.check_issued']
		);
		const bad = res.results.find((r) => r.status === 'rejected');
		if (bad) throw new RoundError(`check: ${bad.error}`, 'target', `抽查未被接受：${bad.error}`);
		return { id, checks: checks.length };
	}

	/** Today's rounds of a center, newest first, with each check's outcome. */
	async today(centerCode: string) {
		const now = this.now();
		const tz = this.tzOf(centerCode);
		const dayStart = endOfDay(previousDay(dayKey(now, tz)), tz) + 1;
		const rows = await this.deps.db
			.select()
			.from(presenceRounds)
			.where(and(eq(presenceRounds.centerCode, centerCode), gte(presenceRounds.issuedAt, new Date(dayStart))))
			.orderBy(desc(presenceRounds.issuedAt));
		const state = this.deps.state();
		return rows.map((r) => ({ id: r.id, issuedAt: r.issuedAt.toISOString(), issuedBy: r.issuedBy, target: r.target as RoundTarget, respondWithinSec: r.respondWithinSec, results: roundResults(state, r.checks, now) }));
	}

	async schedule(): Promise<PresenceSchedule> {
		const [row] = await this.deps.db.select().from(settings).where(eq(settings.key, SCHEDULE_SETTING));
		return { ...DEFAULT_SCHEDULE, ...((row?.value as Partial<PresenceSchedule>) ?? {}) };
	}

	async saveSchedule(s: PresenceSchedule): Promise<void> {
		await this.deps.db
			.insert(settings)
			.values({ key: SCHEDULE_SETTING, value: s })
			.onConflictDoUpdate({ target: settings.key, set: { value: s, updatedAt: new Date(this.now()) } });
	}

	/** The scheduler's pass (writer only): start any planned round whose time has just come. */
	async tick(): Promise<string[]> {
		const s = await this.schedule();
		if (!s.enabled) return [];
		const started: string[] = [];
		const now = this.now();
		for (const centerCode of s.centers) {
			if (!this.deps.org().centers.has(centerCode)) continue;
			const tz = this.tzOf(centerCode);
			const day = dayKey(now, tz);
			const dayStart = endOfDay(previousDay(day), tz) + 1;
			const planned = planRounds(centerCode, day, s);
			for (let i = 0; i < planned.length; i++) {
				const at = dayStart + planned[i] * 60_000;
				if (now < at || now - at > LATE_LIMIT_MS) continue;
				const r = await this.start({ centerCode, target: { kind: 'all' }, respondWithinSec: s.respondWithinSec, sample: s.sample, issuedBy: 'scheduler', id: `auto-${centerCode}-${day}-${i + 1}` });
				if (r) started.push(r.id);
			}
		}
		return started;
	}
}

/** Parse and check a schedule from the admin form; errors name the field. */
export function parseSchedule(input: { enabled: boolean; centers: string[]; hours: string; roundsPerDay: string; minGapMinutes: string; respondWithinSec: string; sample: string }, org: OrgIndex): PresenceSchedule {
	const int = (v: string, field: string, min: number, max: number) => {
		const n = Number(v);
		if (!Number.isInteger(n) || n < min || n > max) throw new RoundError(`${field}: a whole number from ${min} to ${max}`, field, `${FIELD_ZH[field] ?? field}须为 ${min} 到 ${max} 的整数`);
		return n;
	};
	const hours: Array<[string, string]> = [];
	for (const part of input.hours.split(/[,，;\s]+/).filter(Boolean)) {
		const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(part);
		if (!m) throw new RoundError(`hours: expected spans like 09:00-11:30, found "${part}"`, 'hours', `开放时间格式应如 09:00-11:30，这里是“${part}”`);
		if (m[2] <= m[1] && m[2].padStart(5, '0') <= m[1].padStart(5, '0')) throw new RoundError(`hours: ${part} ends before it starts`, 'hours', `开放时间 ${part} 的结束早于开始`);
		hours.push([m[1].padStart(5, '0'), m[2].padStart(5, '0')]);
	}
	const unknown = input.centers.find((c) => !org.centers.has(c));
	if (unknown) throw new RoundError(`centers: unknown center "${unknown}"`, 'centers', `中心不存在：“${unknown}”`);
	return {
		enabled: input.enabled,
		centers: input.centers,
		hours,
		roundsPerDay: int(input.roundsPerDay, 'roundsPerDay', 0, 20),
		minGapMinutes: int(input.minGapMinutes, 'minGapMinutes', 0, 600),
		respondWithinSec: int(input.respondWithinSec, 'respondWithinSec', 5, 3600),
		sample: int(input.sample, 'sample', 0, 10_000)
	};
}
