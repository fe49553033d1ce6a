/**
 * Operator commands (spec §4): `npm run key|token|admin|quarantine|walls -- …`.
 * Embedded database: asks the running server over DATA_DIR/control.sock, so the PGlite
 * directory is never opened by two processes; with no server running it opens the database
 * itself (taking the same lock). PostgreSQL: connects directly.
 */
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/lib/server/config';
import { Credentials } from '../src/lib/server/auth/credentials';
import { runCommand, USAGE, type CommandResult } from '../src/lib/server/control/commands';
import { askServer } from '../src/lib/server/control/socket';
import { DataDirLockedError, openDatabase } from '../src/lib/server/db/client';
import { IngestService } from '../src/lib/server/ingest/service';
import { InstancePresence } from '../src/lib/server/live/instance-presence';
import { WallRegistry } from '../src/lib/server/live/wall-registry';
import { loadOrg } from '../src/lib/server/org/store';

const [group, ...argv] = process.argv.slice(2);
if (!group || argv.includes('--help') || argv.length === 0) {
	console.log(USAGE);
	process.exit(group ? 0 : 2);
}
const config = loadConfig();
const actor = os.userInfo().username;

async function direct(): Promise<CommandResult> {
	const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrationsFolder: path.join(config.rootDir, 'drizzle') });
	try {
		const org = await loadOrg(handle.db);
		const ingest = new IngestService({ db: handle.db, org: () => org, onCommitted: () => {}, notify: handle.kind === 'postgres', durable: () => handle.flushCommits() });
		// PostgreSQL: the walls of every running instance, from the database (reload by NOTIFY).
		const walls =
			handle.kind === 'postgres'
				? new WallRegistry({ db: handle.db, presence: new InstancePresence({ db: handle.db, instanceId: `cli:${os.hostname()}:${process.pid}` }), notify: true })
				: undefined;
		return await runCommand({ db: handle.db, credentials: new Credentials(handle.db), ingest, org: () => org, walls, actor: `cli:${actor}` }, group, argv);
	} finally {
		await handle.close();
	}
}

try {
	let res: CommandResult | null = null;
	if (!config.databaseUrl) res = await askServer(config.dataDir, { group, argv, actor });
	res ??= await direct();
	for (const line of res.lines) (res.exitCode ? console.error : console.log)(line);
	process.exit(res.exitCode ?? 0);
} catch (err) {
	if (err instanceof DataDirLockedError) console.error(`Error: ${err.message}`);
	else console.error(`Error: ${(err as Error).message}`);
	process.exit(1);
}
