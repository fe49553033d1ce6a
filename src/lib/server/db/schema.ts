/**
 * One schema for both drivers (PGlite embedded, PostgreSQL). Migrations are generated from it
 * by drizzle-kit into drizzle/ (`npm run db:generate`) and applied at start-up.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { WallClient } from '../../live/protocol';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The log: every event once, in commit order. `seq` is gap-free: writers take the
 * `log_head` row lock, so sequence numbers are handed out and committed in one order.
 */
export const events = pgTable(
	'events',
	{
		seq: bigint('seq', { mode: 'number' }).primaryKey(),
		/** Who sent it: the ingest key's name, `system` for derived events, `console` for UI actions. */
		sender: text('sender').notNull(),
		eventId: text('event_id').notNull(),
		type: text('type').notNull(),
		occurredAt: ts('occurred_at').notNull(),
		/** The occurredAt string as sent (keeps the sender's offset). */
		occurredAtRaw: text('occurred_at_raw').notNull(),
		receivedAt: ts('received_at').notNull().defaultNow(),
		source: text('source'),
		data: jsonb('data').notNull(),
		centerCode: text('center_code'),
		regionCode: text('region_code'),
		departmentCode: text('department_code'),
		windowCode: text('window_code'),
		staffCode: text('staff_code')
	},
	(t) => [
		uniqueIndex('events_sender_event_id').on(t.sender, t.eventId),
		index('events_type_occurred').on(t.type, t.occurredAt),
		// A hotline ticket's timeline: its own events only, whatever the log's length.
		index('events_hotline_ticket')
			.on(sql`(${t.data}->>'ticketId')`, t.seq)
			.where(sql`${t.type} like 'hotline.%'`)
	]
);

/** One row: the last sequence number handed out. Its row lock serializes log writers. */
export const logHead = pgTable('log_head', {
	id: integer('id').primaryKey(),
	seq: bigint('seq', { mode: 'number' }).notNull()
});

/** Rejected events, kept with their reason until an admin replays or discards them. */
export const quarantine = pgTable(
	'quarantine',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		sender: text('sender').notNull(),
		eventId: text('event_id'),
		type: text('type'),
		body: jsonb('body').notNull(),
		error: text('error').notNull(),
		receivedAt: ts('received_at').notNull().defaultNow(),
		/** open | replayed | discarded */
		status: text('status').notNull().default('open'),
		resolvedAt: ts('resolved_at'),
		resolution: text('resolution')
	},
	(t) => [index('quarantine_status').on(t.status, t.id)]
);

/** Ingest keys: only the SHA-256 of the key is stored; `types` are the event-type prefixes it may send. */
export const ingestKeys = pgTable(
	'ingest_keys',
	{
		id: serial('id').primaryKey(),
		name: text('name').notNull(),
		keyHash: text('key_hash').notNull(),
		types: jsonb('types').$type<string[]>().notNull(),
		/** The center or region whose events this key may send (a hall's queue machine: its center); `all` by default. */
		scopeKind: text('scope_kind').notNull().default('all'),
		scopeCode: text('scope_code'),
		createdAt: ts('created_at').notNull().defaultNow(),
		revokedAt: ts('revoked_at'),
		lastUsedAt: ts('last_used_at')
	},
	(t) => [
		uniqueIndex('ingest_keys_hash').on(t.keyHash),
		uniqueIndex('ingest_keys_active_name')
			.on(t.name)
			.where(sql`revoked_at is null`)
	]
);

/** Read-only display tokens for wall screens, optionally scoped to a center or region. */
export const displayTokens = pgTable(
	'display_tokens',
	{
		id: serial('id').primaryKey(),
		name: text('name').notNull(),
		tokenHash: text('token_hash').notNull(),
		scopeKind: text('scope_kind').notNull().default('all'),
		scopeCode: text('scope_code'),
		createdAt: ts('created_at').notNull().defaultNow(),
		revokedAt: ts('revoked_at'),
		lastUsedAt: ts('last_used_at')
	},
	(t) => [
		uniqueIndex('display_tokens_hash').on(t.tokenHash),
		uniqueIndex('display_tokens_active_name')
			.on(t.name)
			.where(sql`revoked_at is null`)
	]
);

/** People who sign in. Roles and scope decide what they see (src/lib/server/auth/access.ts). */
export const users = pgTable('users', {
	id: serial('id').primaryKey(),
	username: text('username').notNull().unique(),
	displayName: text('display_name').notNull().default(''),
	/** argon2id */
	passwordHash: text('password_hash').notNull(),
	roles: jsonb('roles').$type<string[]>().notNull(),
	/** all | center | region */
	scopeKind: text('scope_kind').notNull().default('all'),
	scopeCode: text('scope_code'),
	/** The staff member a window_staff account belongs to (their terminal). */
	staffCode: text('staff_code'),
	/** Set by a one-time password (created or reset by an admin): change it at next sign-in. */
	mustChangePassword: boolean('must_change_password').notNull().default(false),
	passwordChangedAt: ts('password_changed_at'),
	lastLoginAt: ts('last_login_at'),
	createdAt: ts('created_at').notNull().defaultNow(),
	updatedAt: ts('updated_at').notNull().defaultNow(),
	disabledAt: ts('disabled_at')
});

/**
 * Sessions (the Lucia design): `id` is the SHA-256 (hex) of the random token in the cookie;
 * the token itself is never stored. Sliding expiry: `expires_at` moves forward on use.
 */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: ts('expires_at').notNull(),
		createdAt: ts('created_at').notNull().defaultNow(),
		ip: text('ip'),
		userAgent: text('user_agent')
	},
	(t) => [index('sessions_user').on(t.userId), index('sessions_expires').on(t.expiresAt)]
);

/**
 * Failed sign-ins per key (`user:NAME` or `ip:ADDRESS`), whether or not the account exists, so
 * the throttle tells nothing about which accounts exist. Shared by every instance.
 */
export const loginThrottle = pgTable('login_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull().default(0),
	windowStart: ts('window_start').notNull().defaultNow(),
	lockedUntil: ts('locked_until')
});

/** Append-only record of every state-changing action. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: ts('at').notNull().defaultNow(),
		actor: text('actor').notNull(),
		action: text('action').notNull(),
		target: text('target'),
		ip: text('ip'),
		detail: jsonb('detail')
	},
	(t) => [index('audit_log_at').on(t.at), index('audit_log_actor').on(t.actor, t.id), index('audit_log_action').on(t.action, t.id)]
);

// ── Org reference data ───────────────────────────────────────────────────────
export const regions = pgTable('regions', {
	code: text('code').primaryKey(),
	name: text('name').notNull(),
	parentCode: text('parent_code'),
	level: text('level'),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

export const centers = pgTable('centers', {
	code: text('code').primaryKey(),
	name: text('name').notNull(),
	regionCode: text('region_code').notNull(),
	timezone: text('timezone'),
	title: text('title'),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

export const departments = pgTable('departments', {
	code: text('code').primaryKey(),
	name: text('name').notNull(),
	centerCode: text('center_code'),
	shortName: text('short_name'),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

export const windows = pgTable('windows', {
	code: text('code').primaryKey(),
	name: text('name').notNull(),
	centerCode: text('center_code').notNull(),
	departmentCode: text('department_code').notNull(),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

export const staff = pgTable('staff', {
	code: text('code').primaryKey(),
	name: text('name').notNull(),
	departmentCode: text('department_code').notNull(),
	windowCode: text('window_code'),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

// ── Projections ──────────────────────────────────────────────────────────────

/**
 * Rollups: additive counters per scope (center, region, department, window, all) and period
 * (`YYYY-MM-DD` day or `YYYY-MM` month). Reports and rankings read these, never the log.
 */
export const rollups = pgTable(
	'rollups',
	{
		scopeKind: text('scope_kind').notNull(),
		scopeCode: text('scope_code').notNull(),
		period: text('period').notNull(),
		counters: jsonb('counters').$type<Record<string, number>>().notNull(),
		seq: bigint('seq', { mode: 'number' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.scopeKind, t.scopeCode, t.period] }), index('rollups_period').on(t.period, t.scopeKind)]
);

/**
 * The live projection's state at `seq`. Since 0010 written in parts (`checkpoint_parts` of
 * generation `gen`, `parts` of them; `state` empty), each part in a statement of its own, then
 * switched to in one small transaction; before, the whole state in `state`. The row named
 * `rollups` records up to which seq the rollups hold every event (`seq`; `state` empty).
 */
export const checkpoints = pgTable('checkpoints', {
	name: text('name').primaryKey(),
	seq: bigint('seq', { mode: 'number' }).notNull(),
	state: text('state').notNull(),
	gen: integer('gen'),
	parts: integer('parts'),
	createdAt: ts('created_at').notNull().defaultNow()
});

/** The parts of a checkpoint's state (see `checkpoints`): JSON text, concatenated in `part` order. */
export const checkpointParts = pgTable(
	'checkpoint_parts',
	{
		name: text('name').notNull(),
		gen: integer('gen').notNull(),
		part: integer('part').notNull(),
		data: text('data').notNull()
	},
	(t) => [primaryKey({ columns: [t.name, t.gen, t.part] })]
);

/** Settings an admin changes (scoring rules, wall title …), as JSON by key. */
export const settings = pgTable('settings', {
	key: text('key').primaryKey(),
	value: jsonb('value').notNull(),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

export const schema = {
	events,
	logHead,
	quarantine,
	ingestKeys,
	displayTokens,
	users,
	auditLog,
	regions,
	centers,
	departments,
	windows,
	staff,
	rollups,
	checkpoints,
	settings
};



// ── Supervision (督查) ────────────────────────────────────────────────────────

/**
 * Presence-check rounds as issued: who started them (a supervisor or the scheduler), for which
 * target, and per check whether the staff member's terminal was connected at that moment
 * ("not at terminal"). The checks themselves are events in the log; this is their grouping.
 */
export const presenceRounds = pgTable(
	'presence_rounds',
	{
		id: text('id').primaryKey(),
		centerCode: text('center_code').notNull(),
		issuedAt: ts('issued_at').notNull(),
		issuedBy: text('issued_by').notNull(),
		/** { kind: 'all' } | { kind: 'department', code } | { kind: 'windows', codes } */
		target: jsonb('target').notNull(),
		respondWithinSec: integer('respond_within_sec').notNull(),
		checks: jsonb('checks').$type<Array<{ checkId: string; staffCode: string; windowCode: string | null; atTerminal: boolean }>>().notNull()
	},
	(t) => [index('presence_rounds_center').on(t.centerCode, t.issuedAt)]
);

/**
 * What each server instance has connected that the others must know of (PostgreSQL runs any
 * number of instances; a socket reaches one): the staff with a window terminal open (a presence
 * round started on any instance records who was at a terminal) and its wall displays (the admin
 * console and `npm run walls` list and reload every wall). One row per instance, rewritten every
 * heartbeat and when a terminal connects or leaves; rows not rewritten for a while (an instance
 * that died) no longer count. See live/instance-presence.ts.
 */
export const instancePresence = pgTable('instance_presence', {
	instanceId: text('instance_id').primaryKey(),
	seenAt: ts('seen_at').notNull(),
	/** Staff codes with a terminal open on the instance. */
	terminals: jsonb('terminals').$type<string[]>().notNull(),
	/** The instance's wall displays, as its stream hub lists them. */
	walls: jsonb('walls').$type<WallClient[]>().notNull()
});

/** Evidence attached to a card issued by hand (photo or file), stored in the database. */
export const cardEvidence = pgTable(
	'card_evidence',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		/** What links and downloads name: 130 random bits, never the sequential id (it cannot be guessed). */
		key: text('key').notNull(),
		cardId: text('card_id').notNull(),
		filename: text('filename').notNull(),
		contentType: text('content_type').notNull(),
		size: integer('size').notNull(),
		data: text('data').notNull(), // base64: one column type on both drivers
		uploadedBy: text('uploaded_by').notNull(),
		uploadedAt: ts('uploaded_at').notNull().defaultNow()
	},
	(t) => [index('card_evidence_card').on(t.cardId), uniqueIndex('card_evidence_key').on(t.key)]
);

// ── Hotline (市长热线) and reports ─────────────────────────────────────────────

/**
 * Hotline tickets as they stand (a projection of the `hotline.*` events, updated as they are
 * applied; rebuildable from the log): the console's list, filters and drill-downs read this,
 * never the log. The timeline of one ticket reads its events (index events_hotline_ticket).
 */
export const hotlineTickets = pgTable(
	'hotline_tickets',
	{
		ticketId: text('ticket_id').primaryKey(),
		channel: text('channel'),
		category: text('category'),
		summary: text('summary'),
		/** Full number: shown to hotline operators only, masked for everyone else. */
		callerPhone: text('caller_phone'),
		regionCode: text('region_code'),
		departmentCode: text('department_code'),
		/** received | assigned | replied | closed | reopened */
		status: text('status').notNull(),
		createdAt: ts('created_at').notNull(),
		assignedAt: ts('assigned_at'),
		dueAt: ts('due_at'),
		repliedAt: ts('replied_at'),
		closedAt: ts('closed_at'),
		reopenedCount: integer('reopened_count').notNull().default(0),
		supervisedLevel: integer('supervised_level'),
		overdue: boolean('overdue').notNull().default(false),
		callbackReached: boolean('callback_reached'),
		/** satisfied | basic | unsatisfied */
		satisfaction: text('satisfaction'),
		/** Anything else the console keeps per ticket. */
		detail: jsonb('detail'),
		lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
		updatedAt: ts('updated_at').notNull().defaultNow()
	},
	(t) => [index('hotline_tickets_status').on(t.status, t.createdAt), index('hotline_tickets_department').on(t.departmentCode, t.createdAt), index('hotline_tickets_created').on(t.createdAt), index('hotline_tickets_closed').on(t.closedAt)]
);

/** A leader's free text of a monthly bulletin (存在问题, 下步工作安排 …) before publishing. */
export const bulletinDrafts = pgTable(
	'bulletin_drafts',
	{
		month: text('month').notNull(),
		/** all | center:CODE | region:CODE */
		scope: text('scope').notNull(),
		texts: jsonb('texts').$type<Record<string, string>>().notNull(),
		updatedBy: text('updated_by').notNull(),
		updatedAt: ts('updated_at').notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.month, t.scope] })]
);

/** Published bulletins: a frozen version of the figures and the text; later data cannot change it. */
export const bulletins = pgTable(
	'bulletins',
	{
		month: text('month').notNull(),
		scope: text('scope').notNull(),
		version: integer('version').notNull(),
		publishedAt: ts('published_at').notNull().defaultNow(),
		publishedBy: text('published_by').notNull(),
		/** Why a new version (required from version 2 on). */
		reason: text('reason'),
		figures: jsonb('figures').notNull(),
		texts: jsonb('texts').$type<Record<string, string>>().notNull()
	},
	(t) => [primaryKey({ columns: [t.month, t.scope, t.version] })]
);

/**
 * Where alerts go (spec §5.4): a webhook, a WeCom or DingTalk group robot, or mail over SMTP,
 * with the levels and the scope it receives, quiet hours (not for red) and where an
 * unacknowledged red alert escalates.
 */
export const alertChannels = pgTable('alert_channels', {
	id: serial('id').primaryKey(),
	name: text('name').notNull().unique(),
	/** webhook | wecom | dingtalk | email */
	kind: text('kind').notNull(),
	/** The receiver's URL (email: `smtp://[user:pass@]host:port`). */
	url: text('url').notNull(),
	/** Webhook: HMAC-SHA256 key of X-Hallwatch-Signature; DingTalk: the robot's signing secret. */
	secret: text('secret'),
	levels: jsonb('levels').$type<string[]>().notNull(),
	/** all | center | region */
	scopeKind: text('scope_kind').notNull().default('all'),
	scopeCode: text('scope_code'),
	/** Email: the recipients (comma-separated) and the sender address. */
	mailTo: text('mail_to'),
	mailFrom: text('mail_from'),
	/** Quiet hours, local `HH:MM` (red alerts still go out); null: none. */
	quietFrom: text('quiet_from'),
	quietTo: text('quiet_to'),
	/** A red alert not acknowledged this many minutes after it reached this channel goes to `escalateTo` too. */
	escalateTo: text('escalate_to'),
	escalateAfterMin: integer('escalate_after_min'),
	createdBy: text('created_by').notNull(),
	createdAt: ts('created_at').notNull().defaultNow()
});

/**
 * The durable outbox of alert deliveries: one row per (alert, event, channel), its id the
 * X-Hallwatch-Delivery of every attempt. Sent at least once, in order per alert and channel
 * (row id order), retried with back-off until `retry-for` has passed, then dead.
 */
export const alertDeliveries = pgTable(
	'alert_deliveries',
	{
		seqNo: bigserial('seq_no', { mode: 'number' }).primaryKey(),
		id: text('id').notNull().unique(),
		channelId: integer('channel_id').notNull(),
		alertId: text('alert_id').notNull(),
		/** raised | updated | acknowledged | resolved | escalated */
		event: text('event').notNull(),
		/** The log seq of the alert event it delivers. */
		eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
		level: text('level').notNull(),
		/** The webhook body (the other kinds are formatted from it when sent). */
		payload: jsonb('payload').notNull(),
		/** pending | delivered | dead */
		status: text('status').notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAt: ts('next_at').notNull().defaultNow(),
		/** A worker has it until then (a crashed worker's claim lapses). */
		leaseUntil: ts('lease_until'),
		lastStatus: integer('last_status'),
		lastAnswer: text('last_answer'),
		createdAt: ts('created_at').notNull().defaultNow(),
		deliveredAt: ts('delivered_at')
	},
	(t) => [index('alert_deliveries_due').on(t.status, t.nextAt), index('alert_deliveries_alert').on(t.alertId, t.channelId, t.seqNo)]
);
