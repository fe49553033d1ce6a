/**
 * Test harness: start real Hallwatch server processes (PGlite in a temp DATA_DIR, or a fresh
 * PostgreSQL database when TEST_DATABASE_URL is set), create keys/tokens with the real CLI,
 * talk HTTP and WebSocket to them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { parse as devalueParse } from 'devalue';
import WebSocket from 'ws';
import { translator, type Lang } from '../../src/lib/i18n';

export const ROOT = process.cwd();

export type Backend = 'pglite' | 'postgres';

/** Backends to run database/integration suites on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

/** A fresh, empty PostgreSQL database for one test file; dropped by `drop()`. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
	const base = process.env.TEST_DATABASE_URL;
	if (!base) throw new Error('TEST_DATABASE_URL is not set');
	const name = `hw_test_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const u = new URL(base);
	u.pathname = `/${name}`;
	return {
		url: u.toString(),
		async drop() {
			const a = postgres(base, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

export interface ServerOptions {
	backend: Backend;
	/** Reuse a data dir / database (restart tests). */
	dataDir?: string;
	databaseUrl?: string;
	port?: number;
	env?: Record<string, string>;
}

export class TestServer {
	proc: ChildProcess | null = null;
	output = '';
	readonly url: string;
	constructor(
		readonly port: number,
		readonly dataDir: string,
		readonly databaseUrl: string | undefined,
		readonly env: Record<string, string>
	) {
		this.url = `http://127.0.0.1:${port}`;
	}

	get baseEnv(): Record<string, string> {
		// The alert rules are off unless a test turns them on: the alerts they raise would be further events in every log.
		const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: this.dataDir, SIMULATE: '0', ALERTS: 'off', ...this.env };
		if (this.databaseUrl) env.DATABASE_URL = this.databaseUrl;
		else delete env.DATABASE_URL;
		return env;
	}

	async start(): Promise<void> {
		this.output = '';
		const proc = spawn(process.execPath, ['server.js'], { cwd: ROOT, env: this.baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		this.proc = proc;
		proc.stdout!.on('data', (d) => (this.output += d));
		proc.stderr!.on('data', (d) => (this.output += d));
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${this.output}`);
			try {
				const r = await fetch(`${this.url}/healthz`);
				if (r.status === 200) return;
			} catch {
				/* not up yet */
			}
			await sleep(100);
		}
		// Do not leave it running (it would hold its port and DATA_DIR after the test run).
		proc.kill('SIGKILL');
		this.proc = null;
		throw new Error(`server did not become ready:\n${this.output}`);
	}

	/** SIGTERM and wait for a clean exit. */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
		const p = this.proc;
		if (!p || p.exitCode !== null) return p?.exitCode ?? null;
		const done = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
		p.kill(signal);
		const code = await done;
		this.proc = null;
		return code;
	}

	/** Kill without a chance to clean up (power cut). */
	async kill(): Promise<void> {
		await this.stop('SIGKILL');
	}

	/** Run an operator command (npm run key|token|admin …) against this server's data. */
	cli(group: string, ...args: string[]): { code: number; stdout: string; stderr: string; last: string } {
		const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/cli.ts', group, ...args], {
			cwd: ROOT,
			env: this.baseEnv,
			encoding: 'utf8',
			timeout: 60_000
		});
		const lines = r.stdout.trim().split('\n');
		return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, last: lines[lines.length - 1] };
	}

	async post(pathname: string, body: unknown, key: string | null, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
		const r = await fetch(this.url + pathname, {
			method: pathname === '/api/v1/org' ? 'PUT' : 'POST',
			headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});
		const text = await r.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* keep text */
		}
		return { status: r.status, body: parsed, headers: r.headers };
	}

	async snapshot(token: string, query = ''): Promise<any> {
		const r = await fetch(`${this.url}/api/v1/snapshot?token=${encodeURIComponent(token)}${query}`);
		if (r.status !== 200) throw new Error(`snapshot ${r.status}: ${await r.text()}`);
		return r.json();
	}
}

export async function startServer(opts: ServerOptions): Promise<TestServer> {
	const port = opts.port ?? (await freePort());
	const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
	const s = new TestServer(port, dataDir, opts.backend === 'postgres' ? opts.databaseUrl : undefined, opts.env ?? {});
	await s.start();
	return s;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A WebSocket client that records every message. */
export class StreamClient {
	messages: any[] = [];
	/** Date.now() at which each message of `messages` arrived (same index). */
	times: number[] = [];
	ws: WebSocket;
	opened: Promise<void>;
	closed: Promise<void>;
	constructor(url: string) {
		this.ws = new WebSocket(url);
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
			this.ws.once('error', reject);
		});
		this.closed = new Promise((resolve) => this.ws.once('close', () => resolve()));
		this.ws.on('message', (m) => {
			this.messages.push(JSON.parse(String(m)));
			this.times.push(Date.now());
		});
	}
	static async connect(server: TestServer, token: string, query = ''): Promise<StreamClient> {
		const c = new StreamClient(`ws://127.0.0.1:${server.port}/api/v1/stream?token=${encodeURIComponent(token)}${query}`);
		await c.opened;
		return c;
	}
	/** Wait until some message satisfies `pred`. */
	async waitFor(pred: (m: any) => boolean, timeoutMs = 5000): Promise<any> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.messages.find(pred);
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`no matching message in ${timeoutMs} ms; got ${this.messages.map((m) => m.type).join(',')}`);
			await sleep(20);
		}
	}
	/** Every event delivered so far (from delta messages), in order. */
	get events(): any[] {
		return this.messages.filter((m) => m.type === 'delta').flatMap((m) => m.events ?? []);
	}
	/**
	 * The figures as a client sees them: the last `snapshot` message (or resumed delta, which
	 * carries all figures), with every later `delta` (figures = changed leaves, arrays whole)
	 * merged in. Without `seq`, `asOf` and `type`.
	 */
	get figures(): any {
		let start = -1;
		for (let i = this.messages.length - 1; i >= 0; i--)
			if (this.messages[i].type === 'snapshot' || this.messages[i].resumed === true) {
				start = i;
				break;
			}
		if (start < 0) return null;
		const { type: _t, seq: _s, asOf: _a, ...base } = this.messages[start];
		let out: any = structuredClone(this.messages[start].resumed === true ? this.messages[start].figures : base);
		for (const m of this.messages.slice(start + 1)) if (m.type === 'delta' && m.figures) out = mergeFigures(out, m.figures);
		return out;
	}
	/** Largest seq any message brought so far (-1 before the first). */
	get lastSeq(): number {
		let s = -1;
		for (const m of this.messages) if (typeof m.seq === 'number' && m.seq > s) s = m.seq;
		return s;
	}
	close(): void {
		this.ws.close();
	}
}

/** Deep-merge a delta's changed leaves into figures (arrays and scalars replace). */
export function mergeFigures(base: any, patch: any): any {
	if (patch === null || typeof patch !== 'object' || Array.isArray(patch) || base === null || typeof base !== 'object' || Array.isArray(base)) return structuredClone(patch);
	const out: any = { ...base };
	for (const [k, v] of Object.entries(patch)) out[k] = mergeFigures(base[k], v);
	return out;
}

/** A snapshot without `seq` and `asOf`, to compare figures. */
export function figuresOf(snapshot: any): any {
	const { seq: _s, asOf: _a, type: _t, resumed: _r, since: _n, events: _e, ...rest } = snapshot;
	// How long each sender has been silent is the clock's figure (as of the minute), not the log's.
	if (Array.isArray(rest.sources)) rest.sources = rest.sources.map(({ silentSec: _x, ...s }: any) => s);
	return rest;
}

/** Resident memory (kB) of a process, from /proc (Linux). */
export function rssKb(pid: number): number {
	const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) : NaN;
}

/** Poll `fn` until it returns a truthy value (returned) or time runs out (throws with the last value). */
export async function until<T>(fn: () => Promise<T> | T, timeoutMs = 15_000, every = 50): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: T | undefined;
	for (;;) {
		last = await fn();
		if (last) return last;
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
		await sleep(every);
	}
}

/** A small org for tests: one city, two counties, one center, departments, windows, staff. */
export const TEST_ORG = {
	regions: [
		{ code: 'C1', name: '测试市', level: 'city' },
		{ code: 'D1', name: '东区', parentCode: 'C1', level: 'county' },
		{ code: 'D2', name: '西区', parentCode: 'C1', level: 'county' }
	],
	centers: [
		{ code: 'HC1', name: '测试市政务服务中心', regionCode: 'C1' },
		{ code: 'HC2', name: '东区政务服务中心', regionCode: 'D1' }
	],
	departments: [
		{ code: 'GSJ', name: '市工商局', centerCode: 'HC1' },
		{ code: 'GAJ', name: '市公安局', centerCode: 'HC1' },
		{ code: 'DGS', name: '东区工商分局', centerCode: 'HC2' }
	],
	windows: [
		{ code: 'W01', name: '01号窗口', centerCode: 'HC1', departmentCode: 'GSJ' },
		{ code: 'W02', name: '02号窗口', centerCode: 'HC1', departmentCode: 'GAJ' },
		{ code: 'E01', name: '东01号窗口', centerCode: 'HC2', departmentCode: 'DGS' }
	],
	staff: [
		{ code: 'S001', name: '张伟', departmentCode: 'GSJ', windowCode: 'W01' },
		{ code: 'S002', name: '王芳', departmentCode: 'GAJ', windowCode: 'W02' },
		{ code: 'S003', name: '李娜', departmentCode: 'DGS', windowCode: 'E01' }
	]
};

/** RFC 3339 with +08:00 for an epoch ms. */
export function cst(ms: number): string {
	const d = new Date(ms + 8 * 3_600_000);
	return d.toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

let counter = 0;
export function ticketEvents(center: string, n: number, at = Date.now() - 1000): any[] {
	const out = [];
	for (let i = 0; i < n; i++)
		out.push({ id: `t-${Date.now().toString(36)}-${counter++}`, type: 'queue.ticket_issued', occurredAt: cst(at), data: { centerCode: center, ticketNo: `A${counter}`, departmentCode: 'GSJ' } });
	return out;
}

/** Set up a server with org data, an ingest key (all types + org) and a display token. */
export async function provisioned(server: TestServer): Promise<{ key: string; token: string }> {
	const k = server.cli('key', 'create', '--name', `k${Date.now().toString(36)}`, '--types', '*,org');
	if (k.code !== 0) throw new Error(`key create failed: ${k.stderr}${k.stdout}`);
	const t = server.cli('token', 'create', '--name', `t${Date.now().toString(36)}`);
	if (t.code !== 0) throw new Error(`token create failed: ${t.stderr}${t.stdout}`);
	const org = await server.post('/api/v1/org', TEST_ORG, k.last);
	if (org.status !== 200) throw new Error(`org upsert failed: ${JSON.stringify(org.body)}`);
	return { key: k.last, token: t.last };
}

/** The password `createUser` gives an account: strong, and without the username in it (the password rules refuse that). */
export function testPassword(username: string): string {
	return `quiet harbor ${createHash('sha256').update(username).digest('hex').slice(0, 8)}`;
}

/** An account made by the operator CLI (`npm run admin -- create`), with a known password. */
export function createUser(server: TestServer, username: string, roles: string[], opts: { staff?: string; scope?: string; password?: string } = {}): { username: string; password: string } {
	const password = opts.password ?? testPassword(username);
	const args = ['create', '--username', username, '--password', password, '--roles', roles.join(',')];
	if (opts.staff) args.push('--staff', opts.staff);
	if (opts.scope) args.push('--scope', opts.scope);
	const r = server.cli('admin', ...args);
	if (r.code !== 0) throw new Error(`user create failed: ${r.stderr}${r.stdout}`);
	return { username, password };
}

/** A browser-like HTTP session: keeps cookies, sends the Origin header on form posts (CSRF check). */
export class WebSession {
	cookies = new Map<string, string>();
	constructor(readonly server: TestServer) {}

	get cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	/** Raw Set-Cookie headers of the last response. */
	lastSetCookie: string[] = [];

	async request(pathname: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		if (this.cookies.size) headers.set('cookie', this.cookieHeader);
		const r = await fetch(this.server.url + pathname, { ...init, headers, redirect: 'manual' });
		this.lastSetCookie = r.headers.getSetCookie();
		for (const c of this.lastSetCookie) {
			const [pair, ...attrs] = c.split(';');
			const at = pair.indexOf('=');
			const name = pair.slice(0, at).trim();
			const value = pair.slice(at + 1).trim();
			const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
			if (!value || expired) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
		return r;
	}

	get(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
		return this.request(pathname, { headers });
	}

	/** Post a form as a browser does (SvelteKit form action); `enhanced` asks for the JSON answer. */
	async form(pathname: string, fields: Record<string, string | string[]>, opts: { enhanced?: boolean; origin?: string } = {}): Promise<Response> {
		const body = new URLSearchParams();
		for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
		const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: opts.origin ?? this.server.url };
		// SvelteKit answers a form action with JSON unless the client accepts HTML (a plain form post).
		if (opts.enhanced) Object.assign(headers, { 'x-sveltekit-action': 'true', accept: 'application/json' });
		else headers.accept = 'text/html';
		return this.request(pathname, { method: 'POST', body, headers });
	}

	/** Post a multipart form (file uploads) to a form action, asking for the JSON answer. */
	async multipart(pathname: string, body: FormData): Promise<Response> {
		return this.request(pathname, { method: 'POST', body, headers: { origin: this.server.url, 'x-sveltekit-action': 'true', accept: 'application/json' } });
	}

	/** A form action's JSON answer (`{ type, status, data }`, data in SvelteKit's devalue form). */
	async action(pathname: string, fields: Record<string, string | string[]>): Promise<{ type: string; status: number; data: any }> {
		const r = await this.form(pathname, fields, { enhanced: true });
		const body = (await r.json()) as { type: string; status: number; data?: string };
		return { type: body.type, status: body.status, data: body.data ? devalueParse(body.data) : null };
	}

	/** Sign in through the login form; returns the response (303 to the home page on success). */
	signIn(username: string, password: string): Promise<Response> {
		return this.form('/login', { username, password });
	}
}

/**
 * A refused form's problem for `field` (the one shape: `{ form, errors: { field: { key, params } }, values }`)
 * as the page shows it, in `lang` (English by default).
 */
export function problem(data: any, field: string, lang: Lang = 'en'): string | undefined {
	const m = data?.errors?.[field];
	return m ? translator(lang).say(m) : undefined;
}
