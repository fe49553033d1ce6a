/**
 * Where the card rules, the working-day calendar and the department scoring rules are kept:
 * rows of the `settings` table (`rules`, `calendar`, `scoring`), loaded into memory by every
 * instance and reloaded when an admin saves (other PostgreSQL instances learn of it by NOTIFY
 * on RULES_CHANNEL).
 */
import { eq } from 'drizzle-orm';
import { parseCalendarConfig, WorkingCalendar, type CalendarConfig } from '../../domain/calendar';
import type { ScoringRules } from '../../domain/metrics';
import { defaultAlertSettings, parseAlertSettings, type AlertSettings } from '../../domain/alerts';
import { defaultRuleSettings, parseRuleSettings, type RuleSettings } from '../../domain/rules';
import { parseScoringSettings } from '../../domain/scoring';
import type { Database, Executor } from '../db/client';
import { settings } from '../db/schema';

export const RULES_KEY = 'rules';
export const CALENDAR_KEY = 'calendar';
export const SCORING_KEY = 'scoring';
export const ALERTS_KEY = 'alerts';
export const RULES_CHANNEL = 'hallwatch_rules';

export interface RulesConfig {
	settings: RuleSettings;
	calendarConfig: CalendarConfig;
	calendar: WorkingCalendar;
	/** Department scoring rules (absent: the defaults of spec §3). */
	scoring: ScoringRules;
	/** The alert rules: defaults and per center (spec §5). */
	alerts: AlertSettings;
	/** Problems found in the stored rows (the defaults were used for those parts). */
	errors: string[];
}

async function read(db: Executor, key: string): Promise<unknown> {
	const [row] = await (db as Database).select().from(settings).where(eq(settings.key, key));
	return row?.value;
}

async function write(db: Executor, key: string, value: unknown): Promise<void> {
	await (db as Database)
		.insert(settings)
		.values({ key, value })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

/**
 * First start (or the first start of a version with card rules): store the default rules, on
 * from `now`, so an existing deployment's history never gets cards all at once. Several
 * instances may race: the first row stays.
 */
export async function ensureRuleSettings(db: Database, now: number): Promise<void> {
	await db
		.insert(settings)
		.values({ key: RULES_KEY, value: { rules: defaultRuleSettings(now) } })
		.onConflictDoNothing({ target: settings.key });
	// The alert rules likewise judge from the first start of a version with them on.
	await db
		.insert(settings)
		.values({ key: ALERTS_KEY, value: defaultAlertSettings(now) })
		.onConflictDoNothing({ target: settings.key });
}

export async function loadRulesConfig(db: Executor): Promise<RulesConfig> {
	const [rulesRaw, calendarRaw, scoringRaw, alertsRaw] = [await read(db, RULES_KEY), await read(db, CALENDAR_KEY), await read(db, SCORING_KEY), await read(db, ALERTS_KEY)];
	const a = parseAlertSettings(alertsRaw ?? null, Date.now());
	const r = parseRuleSettings(rulesRaw ?? null, Date.now());
	const c = parseCalendarConfig(calendarRaw ?? null);
	const s = parseScoringSettings(scoringRaw ?? null);
	return {
		settings: r.settings,
		calendarConfig: c.config,
		calendar: new WorkingCalendar(c.config),
		scoring: s.rules,
		alerts: a.settings,
		errors: [...r.errors, ...c.errors.map((e) => `calendar.${e}`), ...s.errors.map((e) => `scoring.${e}`), ...a.errors.map((e) => `alerts.${e}`)]
	};
}

export async function saveRuleSettings(db: Executor, value: RuleSettings): Promise<void> {
	await write(db, RULES_KEY, { rules: value });
}

export async function saveCalendar(db: Executor, value: CalendarConfig): Promise<void> {
	await write(db, CALENDAR_KEY, value);
}

export async function saveAlertSettings(db: Executor, value: AlertSettings): Promise<void> {
	await write(db, ALERTS_KEY, value);
}

export async function saveScoring(db: Executor, value: ScoringRules): Promise<void> {
	await write(db, SCORING_KEY, { rules: value });
}
