/**
 * Alert channels (spec §5.4): where alerts go, checked once here for the CLI
 * (`npm run channel`) and the admin console alike. A problem names the option (`--url`) and is
 * a `ChannelError` (a UserError: English for the CLI and API, Chinese for the console).
 */
import { asc, eq } from 'drizzle-orm';
import { ALERT_LEVELS, type AlertLevel } from '../../domain/alerts';
import type { OrgIndex } from '../../domain/org';
import type { Database, Executor } from '../db/client';
import { alertChannels, alertDeliveries } from '../db/schema';
import { UserError } from '../user-error';

export const CHANNEL_KINDS = ['webhook', 'wecom', 'dingtalk', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type Channel = typeof alertChannels.$inferSelect;

export class ChannelError extends UserError {}

const NAME_RE = /^[A-Za-z0-9._\-\u4e00-\u9fff]{1,64}$/;
const HHMM = /^([01]?\d|2[0-3]):[0-5]\d$/;

export interface ChannelInput {
	name: string;
	kind: string;
	url: string;
	secret?: string | null;
	levels?: string[] | null;
	center?: string | null;
	region?: string | null;
	to?: string | null;
	from?: string | null;
	quiet?: string | null;
	escalateTo?: string | null;
	escalateAfter?: number | null;
}

function fail(field: string, en: string, zh: string): never {
	throw new ChannelError(`${field}: ${en}`, field, zh);
}

/** Check a channel as entered; returns the row to store (without who made it). */
export function checkChannel(input: ChannelInput, org: OrgIndex): Omit<typeof alertChannels.$inferInsert, 'createdBy'> {
	const name = input.name.trim();
	if (!NAME_RE.test(name)) fail('name', `expected 1–64 letters, digits, . _ - (found "${name}")`, '名称应为 1–64 个字母、数字、汉字或 . _ -');
	if (!(CHANNEL_KINDS as readonly string[]).includes(input.kind)) fail('kind', `expected one of ${CHANNEL_KINDS.join(', ')}, found "${input.kind}"`, '类型应为 webhook、企业微信、钉钉或邮件');
	const kind = input.kind as ChannelKind;
	let url: URL;
	try {
		url = new URL(input.url.trim());
	} catch {
		fail('url', `expected a URL, found "${input.url}"`, '地址不是有效的网址');
	}
	if (kind === 'email' ? !['smtp:', 'smtps:'].includes(url.protocol) : !['http:', 'https:'].includes(url.protocol))
		fail('url', kind === 'email' ? 'expected smtp://host:port or smtps://host:port' : 'expected an http:// or https:// URL', kind === 'email' ? '邮件地址应为 smtp://主机:端口' : '地址应以 http:// 或 https:// 开头');
	const levels = input.levels?.length ? [...new Set(input.levels.map((l) => l.trim()))] : [...ALERT_LEVELS];
	for (const l of levels) if (!(ALERT_LEVELS as readonly string[]).includes(l)) fail('levels', `expected yellow, orange, red; found "${l}"`, '级别应为黄色、橙色、红色');
	if (input.center && input.region) fail('center', 'give --center or --region, not both', '中心和区域只能选一个');
	if (input.center && !org.centers.has(input.center)) fail('center', `unknown center "${input.center}"`, `没有代码为 ${input.center} 的中心`);
	if (input.region && !org.regions.has(input.region)) fail('region', `unknown region "${input.region}"`, `没有代码为 ${input.region} 的区域`);
	let to: string | null = null;
	if (kind === 'email') {
		const list = (input.to ?? '').split(/[,;，\s]+/).filter(Boolean);
		if (!list.length) fail('to', 'is required for an email channel', '邮件渠道须填写收件人');
		for (const a of list) if (!/^[^@\s]+@[^@\s]+$/.test(a)) fail('to', `"${a}" is not a mail address`, `“${a}”不是邮箱地址`);
		to = list.join(',');
		if (input.from && !/^[^@\s]+@[^@\s]+$/.test(input.from)) fail('from', `"${input.from}" is not a mail address`, `“${input.from}”不是邮箱地址`);
	}
	let quietFrom: string | null = null;
	let quietTo: string | null = null;
	if (input.quiet) {
		const m = /^(\S+)-(\S+)$/.exec(input.quiet.trim());
		if (!m || !HHMM.test(m[1]) || !HHMM.test(m[2]) || m[1] === m[2]) fail('quiet', `expected quiet hours like 22:00-07:00, found "${input.quiet}"`, '免打扰时段格式应如 22:00-07:00');
		[quietFrom, quietTo] = [m[1].padStart(5, '0'), m[2].padStart(5, '0')];
	}
	if (input.escalateTo != null && input.escalateTo !== '') {
		if (input.escalateTo === name) fail('escalateTo', 'a channel cannot escalate to itself', '不能升级到本渠道');
		const after = input.escalateAfter ?? 15;
		if (!Number.isInteger(after) || after < 1 || after > 1440) fail('escalateAfter', 'expected 1–1440 minutes', '升级时间应为 1–1440 分钟');
	}
	return {
		name,
		kind,
		url: url.toString(),
		secret: input.secret?.trim() || null,
		levels,
		scopeKind: input.center ? 'center' : input.region ? 'region' : 'all',
		scopeCode: input.center || input.region || null,
		mailTo: to,
		mailFrom: kind === 'email' ? input.from?.trim() || null : null,
		quietFrom,
		quietTo,
		escalateTo: input.escalateTo || null,
		escalateAfterMin: input.escalateTo ? (input.escalateAfter ?? 15) : null
	};
}

export async function createChannel(db: Database, input: ChannelInput, org: OrgIndex, actor: string): Promise<Channel> {
	const row = checkChannel(input, org);
	if (row.escalateTo) {
		const [target] = await db.select({ id: alertChannels.id }).from(alertChannels).where(eq(alertChannels.name, row.escalateTo));
		if (!target) fail('escalateTo', `no channel named "${row.escalateTo}"`, `没有名为 ${row.escalateTo} 的渠道`);
	}
	const [existing] = await db.select({ id: alertChannels.id }).from(alertChannels).where(eq(alertChannels.name, row.name));
	if (existing) fail('name', `a channel named "${row.name}" exists`, `已有名为 ${row.name} 的渠道`);
	const [created] = await db
		.insert(alertChannels)
		.values({ ...row, createdBy: actor })
		.returning();
	return created;
}

export async function listChannels(db: Executor): Promise<Channel[]> {
	return (db as Database).select().from(alertChannels).orderBy(asc(alertChannels.name));
}

export async function channelByName(db: Executor, name: string): Promise<Channel | undefined> {
	const [row] = await (db as Database).select().from(alertChannels).where(eq(alertChannels.name, name));
	return row;
}

/** Remove a channel and its deliveries not yet made (those made stay in the history). */
export async function deleteChannel(db: Database, name: string): Promise<boolean> {
	const ch = await channelByName(db, name);
	if (!ch) return false;
	await db.transaction(async (tx) => {
		await tx.delete(alertDeliveries).where(eq(alertDeliveries.channelId, ch.id));
		await tx.delete(alertChannels).where(eq(alertChannels.id, ch.id));
	});
	return true;
}

/** The URL without what it carries in secret (a robot's key or token, a password): for lists and logs. */
export function maskedUrl(raw: string): string {
	try {
		const u = new URL(raw);
		if (u.password) u.password = '***';
		for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***');
		return decodeURIComponent(u.toString());
	} catch {
		return '***';
	}
}

export function channelLine(c: Channel): string {
	const scope = c.scopeKind === 'all' ? 'all centers' : `${c.scopeKind} ${c.scopeCode}`;
	const parts = [c.name, c.kind, maskedUrl(c.url), (c.levels as AlertLevel[]).join(','), scope];
	if (c.secret) parts.push('signed');
	if (c.mailTo) parts.push(`to ${c.mailTo}`);
	if (c.quietFrom) parts.push(`quiet ${c.quietFrom}-${c.quietTo}`);
	if (c.escalateTo) parts.push(`red unacknowledged ${c.escalateAfterMin} min → ${c.escalateTo}`);
	return parts.join('  ');
}

/** Whether a channel takes an alert of this level and place. */
export function channelTakes(c: Channel, level: string, place: { centerCode: string | null; regionCode: string | null }, org: OrgIndex): boolean {
	if (!(c.levels as string[]).includes(level)) return false;
	if (c.scopeKind === 'all') return true;
	if (c.scopeKind === 'center') return place.centerCode === c.scopeCode;
	const region = place.centerCode ? (org.centers.get(place.centerCode)?.regionCode ?? place.regionCode) : place.regionCode;
	return !!region && org.subtree(c.scopeCode!).has(region);
}
