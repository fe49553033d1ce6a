/**
 * PGlite runs PostgreSQL with fsync off (it cannot be turned on), so a commit reaches the OS
 * page cache but not the disk: it survives a process crash, not a power cut. Hallwatch makes
 * its own acknowledged commits durable:
 * - after each log commit, before the ingest reply, the WAL segments written since the last
 *   flush are fsynced (group commit: concurrent requests share one flush);
 * - every projection checkpoint, every data file changed since the last sweep is fsynced, so
 *   the pages PostgreSQL's own checkpoints wrote are on disk before their WAL is recycled.
 */
import fs from 'node:fs';
import path from 'node:path';

async function fsyncFile(file: string): Promise<void> {
	const fh = await fs.promises.open(file, 'r');
	try {
		await fh.sync();
	} finally {
		await fh.close();
	}
}

async function changedSince(dir: string, since: number, out: string[]): Promise<void> {
	let entries: fs.Dirent[];
	try {
		entries = await fs.promises.readdir(dir, { withFileTypes: true });
	} catch {
		return;
	}
	let dirChanged = false;
	for (const e of entries) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) await changedSince(p, since, out);
		else if (e.isFile()) {
			const st = await fs.promises.stat(p).catch(() => null);
			if (st && st.mtimeMs >= since) {
				out.push(p);
				dirChanged = true;
			}
		}
	}
	if (dirChanged) out.push(dir); // new or renamed files: their directory entry too
}

export class Durability {
	private walRunning: Promise<void> | null = null;
	private walQueued: Promise<void> | null = null;
	private lastWalFlush = 0;
	private lastSweep = 0;

	constructor(private pgDir: string) {}

	/** Make every commit made so far durable. Concurrent callers share flushes. */
	flushWal(): Promise<void> {
		if (!this.walRunning) {
			this.walRunning = this.doFlushWal().finally(() => (this.walRunning = null));
			return this.walRunning;
		}
		// A flush is running and may have started before our commit: queue one more after it.
		this.walQueued ??= this.walRunning.then(() => {
			this.walQueued = null;
			return this.flushWal();
		});
		return this.walQueued;
	}

	private async doFlushWal(): Promise<void> {
		const started = Date.now();
		const files: string[] = [];
		await changedSince(path.join(this.pgDir, 'pg_wal'), this.lastWalFlush - 2000, files);
		await Promise.all(files.map((f) => fsyncFile(f).catch(() => {})));
		this.lastWalFlush = started;
	}

	/** fsync every file of the database changed since the last sweep. */
	async sweep(): Promise<void> {
		const started = Date.now();
		const files: string[] = [];
		await changedSince(this.pgDir, this.lastSweep - 2000, files);
		for (const f of files) await fsyncFile(f).catch(() => {});
		this.lastSweep = started;
	}
}
