/**
 * The built-in demo: on an empty database, a demo center from the Panjin bulletin's names, a
 * demo ingest key and display token, and a simulator that feeds a realistic day through the
 * same ingest path as any sender. A database seeded as a demo keeps simulating on restart
 * (unless SIMULATE=0); its credentials are kept in DATA_DIR/demo-credentials.json (0600) so
 * the console can print them again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { OrgIndex } from '../../domain/org';
import type { Credentials } from '../auth/credentials';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { settings } from '../db/schema';
import type { IngestService } from '../ingest/service';
import { upsertOrg } from '../org/store';
import { audit } from '../audit';
import { demoOrg } from './demo-org';
import { DaySimulator } from './simulator';

export const DEMO_SENDER = 'demo-simulator';
const SETTING = 'demo';

interface DemoSetting {
	seeded: boolean;
	/** The simulated history starts here: follow-ups of items from before are not sent. */
	since: number;
	simulatedUntil: number | null;
}

/**
 * Where a fresh demo's history starts: 00:00 (Asia/Shanghai) on the first day of the previous
 * month, so last month's bulletin reads like a real one (a whole month of queues, cases, hotline
 * tickets and cards) and this month's figures run up to now.
 */
export function demoHistoryStart(now: number): number {
	const local = new Date(now + 8 * 3_600_000);
	return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - 8 * 3_600_000;
}

export interface DemoCredentials {
	ingestKey: string;
	displayToken: string;
}

export interface PrepareDeps {
	db: Database;
	config: Config;
	credentials: Credentials;
	ingest: IngestService;
	reloadOrg: () => Promise<void>;
	org: () => OrgIndex;
	log: (msg: string) => void;
	embedded: boolean;
	/** Judge deadlines as of a moment of the history (after each step of the backfill). */
	judge?: (now: number) => Promise<void>;
}

/** The backfill feeds history in steps this long, judging deadlines after each (so a late reply is late). */
const BACKFILL_STEP_MS = 10 * 60_000;

export class DemoRunner {
	private timer: ReturnType<typeof setInterval> | null = null;
	private running = false;
	private sim: DaySimulator;
	/** Events the simulator has fed, for the console/bench. */
	fed = 0;
	/** While the history is fed: the moment it has reached (the deadline judge's clock meanwhile). */
	historyFront: number | null = null;

	private constructor(
		private deps: PrepareDeps,
		private setting: DemoSetting,
		readonly creds: DemoCredentials | null
	) {
		this.sim = new DaySimulator({
			org: demoOrg(),
			seed: 20181,
			intensity: deps.config.simulateIntensity,
			idPrefix: 'demo',
			since: setting.since
		});
	}

	/**
	 * Seed the demo when the database is empty (and SIMULATE allows), or resume a demo database.
	 * Returns null when this database is not a demo and the simulator was not asked for.
	 */
	static async prepare(deps: PrepareDeps): Promise<DemoRunner | null> {
		const { db, config } = deps;
		const [row] = await db.select().from(settings).where(eq(settings.key, SETTING));
		let setting = row?.value as DemoSetting | undefined;
		const credFile = path.join(config.dataDir, 'demo-credentials.json');
		if (!setting) {
			const empty = await isEmpty(db);
			const want = config.simulate === 'on' || (config.simulate === 'auto' && deps.embedded && empty);
			if (!want) return null;
			await upsertOrg(db, demoOrg());
			await deps.reloadOrg();
			const key = await deps.credentials.createKey(`${DEMO_SENDER}-${Date.now().toString(36)}`, ['*', 'org']);
			const token = await deps.credentials.createToken(`demo-wall-${Date.now().toString(36)}`, { kind: 'all' });
			await audit(db, { actor: 'system', action: 'demo.seed', detail: { keyName: key.record.name, tokenName: token.record.name } });
			fs.mkdirSync(config.dataDir, { recursive: true });
			fs.writeFileSync(credFile, JSON.stringify({ ingestKey: key.key, displayToken: token.token }), { mode: 0o600 });
			setting = { seeded: true, since: demoHistoryStart(Date.now()), simulatedUntil: null };
			await db.insert(settings).values({ key: SETTING, value: setting }).onConflictDoUpdate({ target: settings.key, set: { value: setting } });
			deps.log('empty database: demo center 盘锦市政务服务中心 seeded from the Panjin bulletin');
		} else if (config.simulate === 'auto' && !setting.seeded) return null;
		let creds: DemoCredentials | null = null;
		try {
			creds = JSON.parse(fs.readFileSync(credFile, 'utf8')) as DemoCredentials;
		} catch {
			/* credentials file gone: the console points to npm run token */
		}
		return new DemoRunner(deps, setting, creds);
	}

	start(): void {
		const now = Date.now();
		// A fresh demo backfills from the start of last month up to now; a resumed one continues where it stopped (at most a day back).
		const from = this.setting.simulatedUntil ? Math.max(this.setting.simulatedUntil, now - 24 * 3_600_000) : this.setting.since;
		this.deps.log(`simulator on (SIMULATE=0 turns it off); feeding ${((now - from) / 86_400_000).toFixed(1)} days of history first (from ${new Date(from + 8 * 3_600_000).toISOString().slice(0, 10)}); the server answers meanwhile`);
		void this.backfill(from, now).then(() => {
			if (!this.stopped) this.timer = setInterval(() => void this.tick(), 1000);
		});
	}

	private last = 0;

	/** Feed history step by step, judging deadlines at each step's end, printing progress per day. */
	private async backfill(from: number, to: number): Promise<void> {
		const hours = Math.ceil((to - from) / 3_600_000);
		let t = from;
		this.historyFront = from;
		let logged = 0;
		while (t < to && this.timer === null && !this.stopped) {
			const next = Math.min(to, t + BACKFILL_STEP_MS);
			await this.feed(t, next);
			t = next;
			this.historyFront = t;
			await this.deps.judge?.(t);
			// Let the server answer requests between steps (PGlite work runs on this thread).
			await new Promise((r) => setTimeout(r, 2));
			const h = Math.ceil((t - from) / 3_600_000);
			if (h - logged >= 24 || t >= to) {
				logged = h;
				this.deps.log(`simulator: history ${h}/${hours} h fed (${this.fed} events, ${Math.round((h / hours) * 100)} %)`);
			}
		}
		this.historyFront = null;
		this.last = to;
	}

	private stopped = false;

	private async tick(): Promise<void> {
		if (this.running) return;
		const now = Date.now();
		await this.feed(this.last, now);
	}

	private async feed(from: number, to: number): Promise<void> {
		this.running = true;
		try {
			const events = this.sim.eventsBetween(from, to);
			for (let i = 0; i < events.length; i += 500) {
				const res = await this.deps.ingest.appendLocal(DEMO_SENDER, events.slice(i, i + 500));
				this.fed += res.accepted;
				if (res.rejected) this.deps.log(`simulator: ${res.rejected} events rejected, first: ${res.results.find((r) => r.status === 'rejected')?.error}`);
			}
			this.last = to;
			if (to - (this.setting.simulatedUntil ?? 0) > 30_000) {
				this.setting = { ...this.setting, simulatedUntil: to };
				await this.deps.db
					.update(settings)
					.set({ value: this.setting, updatedAt: sql`now()` })
					.where(eq(settings.key, SETTING));
			}
		} catch (err) {
			this.deps.log(`simulator: ${(err as Error).message} (will retry)`);
		} finally {
			this.running = false;
		}
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}
}

async function isEmpty(db: Database): Promise<boolean> {
	const r = await db.execute(sql`select (select count(*) from centers) + (select seq from log_head where id = 1) as n`);
	const rows = Array.isArray(r) ? r : (r as { rows: unknown[] }).rows;
	return Number((rows[0] as { n: string | number }).n) === 0;
}

