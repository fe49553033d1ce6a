/**
 * Operator commands of spec §4 (`npm run key|token|admin|quarantine`). The same functions run
 * inside the server (asked over the local control socket, so the embedded database is never
 * opened twice) or directly against the database when no server is running.
 */
import { desc, eq } from 'drizzle-orm';
import type { Role } from '../../domain/roles';
import { AccountError, Accounts } from '../auth/accounts';
import { SessionStore } from '../auth/session';
import { audit } from '../audit';
import { CredentialError, parseTypePatterns, type Credentials, type DisplayToken } from '../auth/credentials';
import type { Database } from '../db/client';
import { quarantine } from '../db/schema';
import { channelByName, channelLine, ChannelError, createChannel, deleteChannel, listChannels } from '../alerts/channels';
import { testChannel } from '../alerts/outbox';
import type { IngestService } from '../ingest/service';
import type { OrgIndex } from '../../domain/org';
import { createDisplayToken, createIngestKey, discardQuarantine, quarantineReason, reloadWalls, replayQuarantine, revokeDisplayToken, revokeIngestKey, type AuditFn } from '../admin/ops';
import type { ListedWall, WallCommand } from '../live/wall-registry';

export interface CommandContext {
	db: Database;
	credentials: Credentials;
	ingest: IngestService;
	org: () => OrgIndex;
	/** Present when running inside the server. */
	/** The wall displays of every instance: the running server's registry, or (PostgreSQL) one reading the database. */
	walls?: { command(msg: { type: WallCommand }, name?: string): Promise<number>; list(): Promise<ListedWall[]> };
	/** Who runs the command (for the audit log): the OS user at the terminal. */
	actor: string;
}

export interface CommandResult {
	/** Lines for the terminal; the last line is the secret where one was created (scripts read it). */
	lines: string[];
	exitCode?: number;
}

export class UsageError extends Error {}

type Args = Record<string, string | boolean>;

export function parseArgs(argv: string[]): { positional: string[]; args: Args } {
	const positional: string[] = [];
	const args: Args = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a.startsWith('--')) {
			const eq = a.indexOf('=');
			if (eq > 0) args[a.slice(2, eq)] = a.slice(eq + 1);
			else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args[a.slice(2)] = argv[++i];
			else args[a.slice(2)] = true;
		} else positional.push(a);
	}
	return { positional, args };
}

const str = (args: Args, name: string, required = true): string | undefined => {
	const v = args[name];
	if (typeof v === 'string' && v.trim()) return v.trim();
	if (required) throw new UsageError(`--${name}: is required`);
	return undefined;
};

/** `--center CODE` or `--region CODE` (not both), else every center. */
function scopeArgs(args: Args): DisplayToken['scope'] {
	const center = str(args, 'center', false);
	const region = str(args, 'region', false);
	if (center && region) throw new UsageError('give --center or --region, not both');
	return center ? { kind: 'center', code: center } : region ? { kind: 'region', code: region } : { kind: 'all' };
}

const scopeText = (scope: DisplayToken['scope']) => (scope.kind === 'all' ? 'all centers' : `${scope.kind} ${scope.code}`);

export const USAGE = `Usage:
  npm run key -- create --name NAME --types 'queue.*,window.*' [--center CODE | --region CODE]
        (types: event-type prefixes, "org", or "*"; a key of one center or region sends its events only)
  npm run key -- revoke --name NAME
  npm run key -- list
  npm run token -- create --name NAME [--center CODE | --region CODE]
  npm run token -- revoke --name NAME
  npm run token -- list
  npm run admin -- create --username NAME [--password PASS]     (without --password a one-time password is printed)
        [--roles admin,leader,supervisor,hotline_operator,department_handler,window_staff] [--scope center:CODE|region:CODE] [--staff STAFF_CODE] [--name NAME]
  npm run quarantine -- list [--limit N]
  npm run quarantine -- replay [--id N[,N…] | --all]
  npm run quarantine -- discard --id N[,N…] --reason TEXT
  npm run walls -- list | reload [--name TOKEN_NAME]
  npm run channel -- create --name NAME --kind webhook|wecom|dingtalk|email --url URL [--secret S]
        [--levels yellow,orange,red] [--center CODE | --region CODE] [--quiet 22:00-07:00]
        [--escalate-to NAME [--escalate-after MIN]] [--to a@x,b@y --from hallwatch@x]   (email: --url smtp://host:port)
  npm run channel -- list | test --name NAME | delete --name NAME`;

export async function runCommand(ctx: CommandContext, group: string, argv: string[]): Promise<CommandResult> {
	const { positional, args } = parseArgs(argv);
	const verb = positional[0];
	const log: AuditFn = (action, target, detail, db = ctx.db) => audit(db, { actor: ctx.actor, action, target, detail });
	try {
		switch (`${group} ${verb}`) {
			case 'key create': {
				const name = str(args, 'name')!;
				const types = parseTypePatterns(str(args, 'types')!);
				const scope = scopeArgs(args);
				const key = await createIngestKey(ctx, log, name, types, scope);
				return { lines: [`Ingest key "${name}" created for ${types.join(', ')} (${scopeText(scope)}). It is shown once; store it now:`, key] };
			}
			case 'key revoke': {
				const name = str(args, 'name')!;
				if (!(await revokeIngestKey(ctx, log, name))) return { lines: [`No active ingest key named "${name}".`], exitCode: 1 };
				return { lines: [`Ingest key "${name}" revoked.`] };
			}
			case 'key list': {
				const keys = await ctx.credentials.listKeys();
				return {
					lines: keys.length
						? keys.map((k) => `${k.name}\t${k.types.join(',')}\t${k.scopeKind}${k.scopeCode ? ' ' + k.scopeCode : ''}\t${k.revokedAt ? 'revoked ' + k.revokedAt.toISOString() : 'active'}\tlast used ${k.lastUsedAt?.toISOString() ?? 'never'}`)
						: ['No ingest keys.']
				};
			}
			case 'token create': {
				const name = str(args, 'name')!;
				const scope = scopeArgs(args);
				const token = await createDisplayToken(ctx, log, name, scope);
				return { lines: [`Display token "${name}" created (${scopeText(scope)}). Shown once:`, token] };
			}
			case 'token revoke': {
				const name = str(args, 'name')!;
				if (!(await revokeDisplayToken(ctx, log, name))) return { lines: [`No active display token named "${name}".`], exitCode: 1 };
				return { lines: [`Display token "${name}" revoked.`] };
			}
			case 'token list': {
				const tokens = await ctx.credentials.listTokens();
				return {
					lines: tokens.length
						? tokens.map((t) => `${t.name}\t${t.scopeKind}${t.scopeCode ? ' ' + t.scopeCode : ''}\t${t.revokedAt ? 'revoked' : 'active'}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}`)
						: ['No display tokens.']
				};
			}
			case 'admin create': {
				// The first admin (no default password), or any account for scripts and tests:
				// --roles leader,supervisor  --scope center:CODE|region:CODE  --staff STAFF_CODE
				const username = str(args, 'username')!;
				const given = str(args, 'password', false);
				const roles = (str(args, 'roles', false) ?? 'admin').split(',').map((r) => r.trim());
				const scope = str(args, 'scope', false) ?? 'all';
				const accounts = new Accounts(ctx.db, new SessionStore(ctx.db));
				let created;
				try {
					created = await accounts.create(
						{
							username,
							displayName: str(args, 'name', false),
							roles: roles as Role[],
							scopeKind: scope.split(':')[0] as 'all',
							scopeCode: scope.split(':').slice(1).join(':') || null,
							staffCode: str(args, 'staff', false) ?? null,
							password: given
						},
						ctx.org()
					);
				} catch (err) {
					if (err instanceof AccountError) throw new UsageError(`--${err.field === 'staffCode' ? 'staff' : err.field === 'scopeCode' ? 'scope' : err.field}: ${err.message.replace(/^\w+: /, '')}`);
					throw err;
				}
				await audit(ctx.db, { actor: ctx.actor, action: 'user.create', target: username, detail: { after: { roles: created.user.roles, scope: created.user.scope, staffCode: created.user.staffCode } } });
				const what = `${created.user.roles.join(',')} "${username}"`;
				return created.oneTimePassword
					? { lines: [`User ${what} created. One-time password (change it at first sign-in):`, created.oneTimePassword] }
					: { lines: [`User ${what} created.`] };
			}
			case 'quarantine list': {
				const limit = Number(str(args, 'limit', false) ?? 50);
				const rows = await ctx.db.select().from(quarantine).where(eq(quarantine.status, 'open')).orderBy(desc(quarantine.id)).limit(limit);
				return {
					lines: rows.length
						? rows.map((r) => `#${r.id}\t${r.receivedAt.toISOString()}\t${r.sender}\t${r.type ?? '?'}\t${r.eventId ?? '?'}\t${quarantineReason(r.error)}`)
						: ['The quarantine is empty.']
				};
			}
			case 'quarantine replay': {
				const ids = args.all ? 'all' : idList(str(args, 'id')!);
				const res = await replayQuarantine(ctx, log, ids);
				return {
					lines: [
						`Replayed ${res.replayed}: ${res.accepted} accepted, ${res.duplicates} duplicates, ${res.stillRejected.length} still rejected.`,
						...res.stillRejected.slice(0, 50).map((r) => `#${r.id}\t${r.error}`)
					],
					exitCode: res.stillRejected.length ? 1 : 0
				};
			}
			case 'quarantine discard': {
				const ids = idList(str(args, 'id')!);
				const reason = str(args, 'reason')!;
				const n = await discardQuarantine(ctx, log, ids, reason);
				return { lines: [`Discarded ${n}${n < ids.length ? ` (${ids.length - n} not open)` : ''}.`], exitCode: n < ids.length ? 1 : 0 };
			}
			case 'walls list': {
				if (!ctx.walls) return { lines: ['No server is running.'], exitCode: 1 };
				const list = await ctx.walls.list();
				return {
					lines: list.length
						? list.map((c) => `${c.name}\t${c.scope}\tconnected ${c.connectedAt}\tlast heartbeat ${c.lastHeartbeatAt}\ton ${c.instance}${c.lagging ? '\tlagging' : ''}`)
						: ['No walls connected.']
				};
			}
			case 'walls reload': {
				if (!ctx.walls) return { lines: ['No server is running: walls reload on their own when it starts.'], exitCode: 1 };
				const name = str(args, 'name', false);
				const n = await reloadWalls({ ...ctx, walls: ctx.walls }, log, name);
				return { lines: [`Reload sent to ${n} connected display(s).`] };
			}
			case 'channel create':
			case 'channel add': {
				const levels = str(args, 'levels', false)?.split(',');
				const after = str(args, 'escalate-after', false);
				let ch;
				try {
					ch = await createChannel(
						ctx.db,
						{ name: str(args, 'name')!, kind: str(args, 'kind')!, url: str(args, 'url')!, secret: str(args, 'secret', false), levels, center: str(args, 'center', false), region: str(args, 'region', false), to: str(args, 'to', false), from: str(args, 'from', false), quiet: str(args, 'quiet', false), escalateTo: str(args, 'escalate-to', false), escalateAfter: after === undefined ? null : Number(after) },
						ctx.org(),
						ctx.actor
					);
				} catch (err) {
					if (err instanceof ChannelError) throw new UsageError(`--${err.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${err.message.replace(/^\w+: /, '')}`);
					throw err;
				}
				await log('channel.create', ch.name, { kind: ch.kind, levels: ch.levels, scope: ch.scopeKind === 'all' ? 'all' : `${ch.scopeKind}:${ch.scopeCode}` });
				return { lines: [`Channel created: ${channelLine(ch)}`] };
			}
			case 'channel list': {
				const list = await listChannels(ctx.db);
				return { lines: list.length ? list.map(channelLine) : ['No alert channels.'] };
			}
			case 'channel test': {
				const ch = await channelByName(ctx.db, str(args, 'name')!);
				if (!ch) return { lines: [`No channel named "${str(args, 'name')}".`], exitCode: 1 };
				const res = await testChannel(ch, ctx.actor, 10_000);
				await log('channel.test', ch.name, { ok: res.ok, status: res.status });
				return { lines: [`${res.ok ? 'Delivered' : 'Failed'}: ${res.status ?? 'no answer'} ${res.answer}`.trim()], exitCode: res.ok ? 0 : 1 };
			}
			case 'channel delete':
			case 'channel remove': {
				const name = str(args, 'name')!;
				if (!(await deleteChannel(ctx.db, name))) return { lines: [`No channel named "${name}".`], exitCode: 1 };
				await log('channel.delete', name, null);
				return { lines: [`Channel "${name}" deleted.`] };
			}
			default:
				throw new UsageError(`unknown command "${group} ${verb ?? ''}".`);
		}
	} catch (err) {
		if (err instanceof UsageError || err instanceof CredentialError) return { lines: [`Error: ${err.message}`, '', USAGE], exitCode: 2 };
		throw err;
	}
}

function idList(v: string): number[] {
	const ids = v.split(',').map((s) => Number(s.trim()));
	if (ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new UsageError(`--id: expected quarantine numbers like 12 or 12,13 (found "${v}")`);
	return ids;
}
