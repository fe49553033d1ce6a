/**
 * What the bench's parts share: output, percentiles, a registry of everything started (undone on
 * any exit, errors and Ctrl-C), temporary directories and databases, and the servers (the real
 * production server from a private copy of build/, see `privateBuild`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import buildIfStale from '../tests/integration/global-setup';
import { freePort, freshPostgres, sleep, TestServer, type Backend } from '../tests/integration/harness';

export const ROOT = process.cwd();
export const MIGRATIONS = path.join(ROOT, 'drizzle');
export const T0 = performance.now();
let DEADLINE = Infinity;
let OVERALL_MS = Infinity;
/** The whole run stops itself after `overallMs` (set once by the bench). */
export function setDeadline(at: number, overallMs: number): void {
	DEADLINE = at;
	OVERALL_MS = overallMs;
}

// ── output ─────────────────────────────────────────────────────────────────────

export const say = (msg: string) => console.log(`[bench +${((performance.now() - T0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
export const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) : 'n/a');

export function percentile(sorted: ArrayLike<number>, q: number): number {
	if (!sorted.length) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[i];
}
/** Middle value (mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export const now = () => performance.timeOrigin + performance.now();

export function checkDeadline(what: string): void {
	if (Date.now() > DEADLINE) throw new Error(`overall time limit (${OVERALL_MS / 60_000} min) reached during ${what}`);
}

// ── cleanup: everything started is registered here and undone on any exit ───────

const cleanups: Array<{ name: string; fn: () => Promise<void> }> = [];
export function onCleanup(name: string, fn: () => Promise<void>): () => Promise<void> {
	const item = { name, fn };
	cleanups.push(item);
	return async () => {
		const i = cleanups.indexOf(item);
		if (i < 0) return;
		cleanups.splice(i, 1);
		await withTimeout(fn(), 40_000, name);
	};
}
export async function cleanupAll(): Promise<void> {
	while (cleanups.length) {
		const c = cleanups.pop()!;
		try {
			await withTimeout(c.fn(), 40_000, c.name);
		} catch (err) {
			console.error(`[bench] cleanup of ${c.name} failed: ${(err as Error).message}`);
		}
	}
}
export async function withTimeout<T>(p: Promise<T>, limit: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		return await Promise.race([p, new Promise<T>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what}: timed out after ${limit} ms`)), limit)))]);
	} finally {
		clearTimeout(timer);
	}
}
let exiting = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
	process.on(sig, () => {
		if (exiting) return;
		exiting = true;
		console.error(`[bench] ${sig}: stopping everything it started`);
		void cleanupAll().finally(() => process.exit(130));
	});

export function tempDir(tag: string): { dir: string; remove: () => Promise<void> } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hw-bench-${tag}-`));
	const remove = onCleanup(`temp dir ${dir}`, async () => fs.rmSync(dir, { recursive: true, force: true }));
	return { dir, remove };
}

export async function freshDb(): Promise<{ url: string; drop: () => Promise<void> }> {
	const db = await freshPostgres();
	const drop = onCleanup(`database ${new URL(db.url).pathname.slice(1)}`, () => db.drop());
	return { url: db.url, drop };
}

/**
 * The bench runs its servers from a private copy of build/ + server.js: other runs (tests of
 * engineers working on the same tree) rebuild build/ in place, which would pull the lazily
 * loaded route chunks from under a server started earlier. The copy sits under
 * node_modules/.cache so the server still resolves the project's packages, and is removed on exit.
 */
let SERVER_SCRIPT = path.join(ROOT, 'server.js');
/** The server script the bench's servers run (the private copy once `privateBuild` made it). */
export const serverScript = () => SERVER_SCRIPT;
/** Extra node flags for the servers, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile them. */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
export function privateBuild(): void {
	const lock = path.join(ROOT, '.build.lock');
	const handler = path.join(ROOT, 'build', 'handler.js');
	const dest = path.join(ROOT, 'node_modules', '.cache', 'hallwatch-bench', String(process.pid));
	onCleanup(`private build copy ${dest}`, async () => {
		fs.rmSync(dest, { recursive: true, force: true });
		try {
			fs.rmdirSync(path.dirname(dest)); // only when no other bench run is using it
		} catch {
			/* not empty */
		}
	});
	for (let attempt = 1; attempt <= 10; attempt++) {
		const before = fs.statSync(handler, { throwIfNoEntry: false })?.mtimeMs;
		if (before !== undefined && !fs.existsSync(lock)) {
			fs.rmSync(dest, { recursive: true, force: true });
			fs.mkdirSync(dest, { recursive: true });
			fs.cpSync(path.join(ROOT, 'build'), path.join(dest, 'build'), { recursive: true });
			fs.copyFileSync(path.join(ROOT, 'server.js'), path.join(dest, 'server.js'));
			if (!fs.existsSync(lock) && fs.statSync(handler, { throwIfNoEntry: false })?.mtimeMs === before) {
				SERVER_SCRIPT = path.join(dest, 'server.js');
				say(`servers run from a private copy of build/ (built ${new Date(before).toISOString()})`);
				return;
			}
		}
		say(`build/ is being rebuilt by another run; waiting (${attempt}/10)`);
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
		buildIfStale();
	}
	throw new Error('could not take a consistent copy of build/ (another run keeps rebuilding it)');
}

/** The harness's TestServer, started from the private build copy; records its start-up time. */
export class BenchServer extends TestServer {
	startupMs = NaN;
	constructor(port: number, dataDir: string, databaseUrl: string | undefined, env: Record<string, string> = {}) {
		super(port, dataDir, databaseUrl, env);
	}
	override async start(): Promise<void> {
		this.output = '';
		const t0 = performance.now();
		const proc = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER_SCRIPT], { cwd: ROOT, env: this.baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		this.proc = proc;
		proc.stdout!.on('data', (d) => (this.output += d));
		proc.stderr!.on('data', (d) => (this.output += d));
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${this.output.slice(-2000)}`);
			try {
				const r = await fetch(`${this.url}/healthz`);
				await r.arrayBuffer();
				if (r.status === 200) {
					this.startupMs = performance.now() - t0;
					return;
				}
			} catch {
				/* not up yet */
			}
			await sleep(25);
		}
		throw new Error(`server did not become ready in 120 s:\n${this.output.slice(-2000)}`);
	}
}

/** A server on a fresh database (or on `data`), stopped (SIGKILL after 25 s) on cleanup. */
export async function launch(
	backend: Backend,
	data?: { dataDir?: string; databaseUrl?: string; env?: Record<string, string> }
): Promise<{ server: BenchServer; startupMs: number; stop: () => Promise<void> }> {
	let dataDir = data?.dataDir;
	let databaseUrl = data?.databaseUrl;
	const owned: Array<() => Promise<void>> = [];
	if (!dataDir) {
		const t = tempDir(`srv-${backend}`);
		dataDir = t.dir;
		owned.push(t.remove);
	}
	if (backend === 'postgres' && !databaseUrl) {
		const db = await freshDb();
		databaseUrl = db.url;
		owned.unshift(db.drop);
	}
	let server: BenchServer | null = null;
	// Registered before the start so a server that fails to become ready is stopped too.
	const stopProc = onCleanup(`server (${backend})`, async () => {
		if (server) await stopServer(server);
	});
	server = new BenchServer(await freePort(), dataDir, backend === 'postgres' ? databaseUrl : undefined, data?.env);
	try {
		await server.start();
	} catch (err) {
		await stopProc();
		for (const f of owned) await f();
		throw err;
	}
	const startupMs = server.startupMs;
	const s = server;
	return {
		server: s,
		startupMs,
		stop: async () => {
			await stopProc();
			for (const f of owned) await f();
		}
	};
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere). */
export function cpuSeconds(pid: number | undefined): number {
	try {
		const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
		return (Number(rest[11]) + Number(rest[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
	} catch {
		return NaN;
	}
}

export async function stopServer(s: TestServer): Promise<void> {
	const p = s.proc;
	if (!p || p.exitCode !== null || p.signalCode !== null) return;
	const exited = new Promise<void>((r) => p.once('exit', () => r()));
	p.kill('SIGTERM');
	const t = setTimeout(() => p.kill('SIGKILL'), 25_000);
	await exited;
	clearTimeout(t);
}

