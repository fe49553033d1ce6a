/**
 * `npm run simulate -- --url http://host:3000 --key KEY [--rate N] …`
 *
 * Drives any running Hallwatch deployment with a realistic, deterministic day of a government
 * service center (the demo simulator), over HTTP only, exactly as an external integrator would:
 * `PUT /api/v1/org` with the demo org (or a network's org, `--preset`), `GET /healthz`, then `POST /api/v1/events` in batches
 * (contract: ../shared/spec/ingest-v1.md §1 and §4).
 *
 * Only the pure simulator, demo org and domain modules are imported: nothing here opens a
 * database, so the target may be local, remote, PGlite or PostgreSQL.
 *
 * Time model: the simulated timeline starts `--hours` ago. History is replayed as fast as
 * `--rate` allows (or as fast as the server answers without `--rate`); every event keeps its
 * simulated `occurredAt`, which is never later than the real clock. Once the simulated clock
 * reaches the real clock, events are sent as the simulated day happens.
 *
 * Exit codes: 0 finished (Ctrl-C, SIGTERM or --duration), 1 the server refused us or could not
 * be reached, 2 usage error or the org the events name is absent, 130 a second Ctrl-C.
 */
import { parseArgs } from 'node:util';
import type { HallEvent } from '../src/lib/domain/catalog';
import { DEFAULT_TZ } from '../src/lib/domain/time';
import type { OrgData } from '../src/lib/domain/org';
import { demoOrg } from '../src/lib/server/sim/demo-org';
import { NetworkSimulator, networkOrg, PRESETS, shapeOf, type NetworkShape, type Preset } from '../src/lib/server/sim/network';
import { DaySimulator } from '../src/lib/server/sim/simulator';

const USAGE = `Usage: npm run simulate -- --url URL [--key KEY] [options]

Feed a running Hallwatch server with a realistic simulated day of the demo center
(盘锦市政务服务中心), or of a whole network of centers, through its public HTTP API,
like an external system would.

Required:
  --url URL        base URL of the server, e.g. http://localhost:3000
  --key KEY        ingest key; better: set HALLWATCH_KEY so the key stays out of shell history.
                   Needs every event type and, for the org upload, the org scope:
                     npm run key -- create --name sim --types '*,org'

Options:
  --rate N         events per second (average). The history is replayed at this rate, then the
                   simulation continues in real time. Default: no rate, i.e. replay the history
                   as fast as the server accepts it, then real time.
  --hours H        hours of history to replay before catching up with the clock (default 8;
                   0 = start in real time now; at most 744)
  --duration S     stop after S seconds (default: run until Ctrl-C)
  --seed N         simulator seed (default 1): the same seed gives the same events
  --prefix P       event id prefix (default sim-<seed>). Ids are deterministic, so re-running
                   re-sends the same ids and the server counts them as duplicates.
  --intensity X    volume multiplier for tickets, cases and hotline calls (default 1)
  --batch N        at most N events per request (default 200, at most 1000)
  --no-org         do not upload the org (PUT /api/v1/org) first

A network instead of the demo center (each center has its own simulated day, with volumes
by its windows and departments; the region's own center takes the 12345 calls):
  --preset P       prefecture: 600 centers × 8 windows in 17 counties (凉山州)
                   province:   3,000 centers × 10 windows, 14 cities, 122 counties (湖南省)
  --centers N      N centers (1–5000) in counties of about 25 (cities from 1,000 centers)
  --windows-per-center M
                   windows of each center with --centers (1–60, default 8)
  Planning the day of a network takes about 25 ms a center (a province: about a minute,
  with progress lines) and keeps its plan in memory (a province: about 1.5 GB).
  --help           show this text

Every 5 s one progress line is printed; Ctrl-C (or SIGTERM, or the end of --duration) lets
the request in flight finish, prints a summary and exits 0. A second Ctrl-C exits at once.

Examples:
  HALLWATCH_KEY=hwk_... npm run simulate -- --url http://localhost:3000 --rate 50
  npm run simulate -- --url https://hall.example.gov.cn --hours 0 --no-org
  npm run simulate -- --url http://localhost:3000 --preset prefecture --hours 2`;

// ── constants ────────────────────────────────────────────────────────────────────

/** Contract limits (spec §1): 1000 events and 1 MiB per request. */
const MAX_EVENTS_PER_REQUEST = 1000;
const MAX_BODY_BYTES = 1 << 20;
/** The simulator looks back a month at most. */
const MAX_HOURS = 31 * 24;
/** How much simulated time is planned into the send buffer at once during the replay. */
const CHUNK_MS = 10 * 60_000;
/** In real time, new events are collected this often. */
const LIVE_TICK_MS = 1000;
/** Token bucket tick: with --rate, batches of about rate/10 events every 100 ms. */
const PACE_TICK_MS = 100;
const PROGRESS_EVERY_MS = 5000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Exponential backoff for 503 / network errors: 0.5 s doubling up to 30 s, with jitter. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** After a stop request, the batch in flight may still be retried this long. */
const FLUSH_GRACE_MS = 10_000;
/** At start-up (org upload, health check), give up on an unreachable server after this many tries. */
const STARTUP_ATTEMPTS = 5;
/** Rejection errors printed in full; later ones are only counted. */
const MAX_PRINTED_REJECTIONS = 5;
const KEY_HINT = `npm run key -- create --name sim --types '*,org'`;

const EXIT_OK = 0;
const EXIT_SERVER = 1;
const EXIT_USAGE = 2;

// ── output (the key is never printed) ─────────────────────────────────────────────

let secret = '';
/** Replace the ingest key wherever it might appear (defence in depth: we never format it in). */
const redact = (s: string) => (secret.length >= 4 ? s.split(secret).join('***') : s);
const out = (s: string) => void process.stdout.write(redact(s) + '\n');
const err = (s: string) => void process.stderr.write(redact(s) + '\n');

class UsageError extends Error {}
/** Ends the program with a message and an exit code (thrown, caught in main). */
class Fatal extends Error {
	constructor(
		message: string,
		readonly code: number
	) {
		super(message);
	}
}

// ── options ──────────────────────────────────────────────────────────────────────

interface Options {
	base: URL;
	key: string;
	/** Events per second, or null: as fast as the server takes them (replay) / natural pace (live). */
	rate: number | null;
	hours: number;
	durationSec: number | null;
	seed: number;
	prefix: string;
	intensity: number;
	batch: number;
	uploadOrg: boolean;
	/** A network to simulate instead of the demo center. */
	network: { shape: NetworkShape; label: string } | null;
}

function numberOption(name: string, raw: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
	if (raw === undefined) return undefined;
	const n = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name}: expected ${expected}, found "${raw}"`);
	return n;
}

/** Parse argv; returns null when --help was asked for. */
function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options | null {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				url: { type: 'string' },
				key: { type: 'string' },
				rate: { type: 'string' },
				hours: { type: 'string' },
				duration: { type: 'string' },
				seed: { type: 'string' },
				prefix: { type: 'string' },
				intensity: { type: 'string' },
				batch: { type: 'string' },
				'no-org': { type: 'boolean' },
				preset: { type: 'string' },
				centers: { type: 'string' },
				'windows-per-center': { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	const values = parsed.values;
	if (values.help) return null;

	if (!values.url) throw new UsageError('--url is required (for example --url http://localhost:3000)');
	let base: URL;
	try {
		base = new URL(values.url);
	} catch {
		throw new UsageError(`--url: expected an http(s) URL, found "${values.url}"`);
	}
	if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--url: expected http:// or https://, found "${base.protocol}"`);
	// Keep a path prefix (a server behind a reverse proxy at /hallwatch/) and resolve API paths under it.
	if (!base.pathname.endsWith('/')) base.pathname += '/';
	base.search = '';
	base.hash = '';

	const key = (values.key ?? env.HALLWATCH_KEY ?? '').trim();
	if (!key) throw new UsageError(`an ingest key is required: --key KEY or the environment variable HALLWATCH_KEY (create one with: ${KEY_HINT})`);

	const seed = numberOption('seed', values.seed, (n) => Number.isSafeInteger(n), 'an integer') ?? 1;
	const prefix = values.prefix ?? `sim-${seed}`;
	// The simulator builds ids as `${prefix}-…`; it keeps [A-Za-z0-9._:-] and 24 characters at most.
	if (!/^[A-Za-z0-9._:-]{1,24}$/.test(prefix)) throw new UsageError(`--prefix: expected 1–24 characters of A–Z a–z 0–9 . _ : -, found "${prefix}"`);

	let network: Options['network'] = null;
	if (values.preset !== undefined) {
		if (!(values.preset in PRESETS)) throw new UsageError(`--preset: expected ${Object.keys(PRESETS).join(' or ')}, found "${values.preset}"`);
		if (values.centers !== undefined || values['windows-per-center'] !== undefined) throw new UsageError('--preset: give either --preset or --centers (with --windows-per-center), not both');
		network = { shape: PRESETS[values.preset as Preset], label: values.preset };
	} else if (values.centers !== undefined) {
		const centers = numberOption('centers', values.centers, (n) => Number.isInteger(n) && n >= 1 && n <= 5000, 'a whole number of centers from 1 to 5000')!;
		const perCenter = numberOption('windows-per-center', values['windows-per-center'], (n) => Number.isInteger(n) && n >= 1 && n <= 60, 'a whole number of windows from 1 to 60') ?? 8;
		network = { shape: shapeOf(centers, perCenter), label: `${centers} centers × ${perCenter} windows` };
	} else if (values['windows-per-center'] !== undefined) throw new UsageError('--windows-per-center: goes with --centers N');

	return {
		network,
		base,
		key,
		rate: numberOption('rate', values.rate, (n) => n > 0, 'a number of events per second above 0') ?? null,
		hours: numberOption('hours', values.hours, (n) => n >= 0 && n <= MAX_HOURS, `a number of hours from 0 to ${MAX_HOURS}`) ?? 8,
		durationSec: numberOption('duration', values.duration, (n) => n > 0, 'a number of seconds above 0') ?? null,
		seed,
		prefix,
		intensity: numberOption('intensity', values.intensity, (n) => n > 0 && n <= 1000, 'a number above 0 (1 = a normal day)') ?? 1,
		batch: numberOption('batch', values.batch, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_EVENTS_PER_REQUEST, `an integer from 1 to ${MAX_EVENTS_PER_REQUEST}`) ?? 200,
		uploadOrg: !values['no-org']
	};
}

// ── small helpers ────────────────────────────────────────────────────────────────

/** Sleep `ms`, or less when `signal` aborts (resolves either way). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (ms <= 0 || signal?.aborted) return resolve();
		const done = () => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal?.addEventListener('abort', done, { once: true });
	});
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries never bunch up nor come at once. */
function backoffMs(attempt: number): number {
	const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
	return cap / 2 + Math.random() * (cap / 2);
}

/** `Retry-After` as ms: delta-seconds or an HTTP date; null when absent or unreadable. */
function retryAfterMs(headers: Headers): number | null {
	const v = headers.get('retry-after');
	if (!v) return null;
	if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
	const at = Date.parse(v);
	return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Clock of the demo center's zone (Asia/Shanghai), for the simulated time. */
function clockFormat(tz: string) {
	const hm = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	const dhm = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	return { hm: (ms: number) => hm.format(ms), full: (ms: number) => dhm.format(ms).replace(',', '') };
}

// ── HTTP ─────────────────────────────────────────────────────────────────────────

interface Reply {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON body, or undefined when the body is not JSON. */
	body: unknown;
}

/** A network-level failure (refused, reset, DNS, timeout): retry-safe thanks to idempotent ids. */
class NetworkError extends Error {}

class Client {
	constructor(
		private base: URL,
		private key: string,
		/** Aborts requests in flight on a hard stop (second Ctrl-C). */
		private hardStop: AbortSignal
	) {}

	url(path: string): string {
		return new URL(path, this.base).toString();
	}

	async request(method: 'GET' | 'PUT' | 'POST', path: string, payload?: string, auth = true): Promise<Reply> {
		const headers: Record<string, string> = { 'user-agent': 'hallwatch-simulate/1', accept: 'application/json' };
		if (payload !== undefined) headers['content-type'] = 'application/json';
		if (auth) headers.authorization = `Bearer ${this.key}`;
		let res: Response;
		let text: string;
		try {
			res = await fetch(this.url(path), {
				method,
				headers,
				body: payload,
				signal: AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), this.hardStop])
			});
			text = await res.text();
		} catch (e) {
			const error = e as Error & { cause?: { code?: string; message?: string } };
			const why = error.name === 'TimeoutError' ? `no answer within ${secs(REQUEST_TIMEOUT_MS)}` : (error.cause?.code ?? error.cause?.message ?? error.message);
			throw new NetworkError(`${method} ${this.url(path)}: ${why}`);
		}
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			body = undefined;
		}
		return { status: res.status, headers: res.headers, text, body };
	}
}

/** The server's `{"error": "..."}`, or the raw body (shortened). */
function errorText(r: Reply): string {
	const e = (r.body as { error?: unknown } | undefined)?.error;
	if (typeof e === 'string') return e;
	const t = r.text.trim().replace(/\s+/g, ' ');
	return t ? (t.length > 300 ? `${t.slice(0, 300)}…` : t) : '(empty body)';
}

/** A request at start-up: retried a few times on 503 and network errors, then fatal. */
async function startupRequest(client: Client, what: string, send: () => Promise<Reply>): Promise<Reply> {
	for (let attempt = 0; ; attempt++) {
		let problem: string;
		try {
			const r = await send();
			if (r.status !== 503 && r.status !== 502 && r.status !== 504) return r;
			problem = `${r.status} ${errorText(r)}`;
		} catch (e) {
			if (!(e instanceof NetworkError)) throw e;
			problem = e.message;
		}
		if (attempt + 1 >= STARTUP_ATTEMPTS) throw new Fatal(`${what}: the server cannot be reached or is unavailable (${problem}); is --url right and the server running?`, EXIT_SERVER);
		const wait = backoffMs(attempt + 1);
		err(`${what}: ${problem}; retrying in ${secs(wait)}`);
		await sleep(wait);
	}
}

/** The org in requests of at most ORG_PART items (well under 1 MiB), regions and centers first. */
const ORG_PART = 3000;
function orgParts(org: OrgData): Array<Partial<OrgData>> {
	const kinds = ['regions', 'centers', 'departments', 'windows', 'staff'] as const;
	if (kinds.every((k) => org[k].length <= 500)) return [org];
	const parts: Array<Partial<OrgData>> = [];
	for (const kind of kinds) for (let i = 0; i < org[kind].length; i += ORG_PART) parts.push({ [kind]: org[kind].slice(i, i + ORG_PART) });
	return parts;
}

// ── pacing ───────────────────────────────────────────────────────────────────────

/**
 * Token bucket for --rate: tokens (events) accrue at `rate` per second. A batch waits for about
 * rate/10 tokens (one 100 ms tick), so requests go out every ~100 ms; after a slow request the
 * saved-up tokens let the next batch be larger (up to one second's worth, at most a batch), so
 * the average stays at the rate as long as the server keeps up.
 */
class TokenBucket {
	private tokens: number;
	private at = Date.now();
	target: number;
	private burst: number;
	constructor(
		private readonly rate: number,
		private readonly maxBatch: number
	) {
		this.target = Math.max(1, Math.min(maxBatch, Math.round((rate * PACE_TICK_MS) / 1000)));
		this.burst = Math.max(this.target, Math.min(maxBatch, Math.ceil(rate)));
		this.tokens = this.target; // the first batch goes at once
	}
	/**
	 * The server limits requests per second (429): send the same events in fewer, larger batches.
	 * Returns false when batches are already as large as allowed.
	 */
	coarsen(): boolean {
		if (this.target >= this.maxBatch) return false;
		this.target = Math.min(this.maxBatch, this.target * 2);
		this.burst = Math.max(this.burst, this.target);
		return true;
	}
	private refill(): void {
		const now = Date.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
		this.at = now;
	}
	/** Wait for tokens, then take up to `max` of them; 0 when `signal` aborted the wait. */
	async take(max: number, signal: AbortSignal): Promise<number> {
		const want = Math.min(max, this.target);
		for (;;) {
			this.refill();
			if (this.tokens >= want) {
				const n = Math.max(1, Math.min(max, Math.floor(this.tokens)));
				this.tokens -= n;
				return n;
			}
			if (signal.aborted) return 0;
			await sleep(Math.ceil(((want - this.tokens) / this.rate) * 1000), signal);
		}
	}
}

// ── the run ──────────────────────────────────────────────────────────────────────

interface EventResult {
	id: string;
	status: 'accepted' | 'duplicate' | 'rejected';
	error?: string;
}
interface IngestReply {
	accepted: number;
	duplicates: number;
	rejected: number;
	results: EventResult[];
}

function isIngestReply(b: unknown): b is IngestReply {
	const r = b as IngestReply | undefined;
	return !!r && typeof r.accepted === 'number' && typeof r.duplicates === 'number' && typeof r.rejected === 'number' && Array.isArray(r.results);
}

class Stats {
	/** When sending began (reset by `begin`). */
	startedAt = Date.now();
	sent = 0;
	requests = 0;
	accepted = 0;
	duplicates = 0;
	rejected = 0;
	retries = 0;
	/** Events of a batch given up because the server stayed unreachable after a stop request. */
	abandoned = 0;
	/** Events not sent because the key may not send their type. */
	skipped = 0;
	printedRejections = 0;
	/** For the current-rate figure of the progress line. */
	private lastTick = { at: this.startedAt, sent: 0 };
	begin(): void {
		this.startedAt = Date.now();
		this.lastTick = { at: this.startedAt, sent: 0 };
	}
	currentRate(): number {
		const now = Date.now();
		const rate = ((this.sent - this.lastTick.sent) * 1000) / Math.max(1, now - this.lastTick.at);
		this.lastTick = { at: now, sent: this.sent };
		return rate;
	}
}

class Simulation {
	private readonly stats = new Stats();
	private readonly sim: { eventsBetween(from: number, to: number): HallEvent[] };
	private readonly org: OrgData;
	/** What the org is called in messages: the demo org or the network's size. */
	private readonly orgName: string;
	private readonly client: Client;
	private readonly clock: ReturnType<typeof clockFormat>;
	private readonly tz: string;
	/** Soft stop: no new batch is started; the one in flight finishes. */
	private readonly stop = new AbortController();
	/** Hard stop (second Ctrl-C): abort everything. */
	private readonly hard = new AbortController();
	private stopReason = '';
	private stopAt = 0;
	/** The simulated timeline: events in (start, fetchedTo] have been planned into the buffer. */
	private readonly start: number;
	private fetchedTo: number;
	private buffer: HallEvent[] = [];
	private pos = 0;
	private lastSentAt: number | null = null;
	/** True once the simulated clock has reached the real clock. */
	private live = false;
	/** False until we know the server has the org the events name (see probeOrg). */
	private orgKnown = false;
	/** Set once sending began: only then is a summary worth printing. */
	running = false;
	/** With --rate: the pacing token bucket. */
	private bucket: TokenBucket | null = null;
	/** Types the server said this key may not send: not sent again (they would only fill the quarantine). */
	private readonly deniedTypes = new Set<string>();

	constructor(private readonly opts: Options) {
		const org = (this.org = opts.network ? networkOrg(opts.network.shape) : demoOrg());
		this.orgName = opts.network ? `the org of ${opts.network.label}` : 'the demo org';
		this.tz = org.centers[0]?.timezone ?? DEFAULT_TZ;
		this.clock = clockFormat(this.tz);
		this.client = new Client(opts.base, opts.key, this.hard.signal);
		this.start = Date.now() - Math.round(opts.hours * 3_600_000);
		this.fetchedTo = this.start;
		// Follow-ups (calls, completions, replies …) of items created before the replay starts are
		// left out: this server never saw those items.
		const common = { org, seed: opts.seed, idPrefix: opts.prefix, intensity: opts.intensity, since: this.start };
		if (opts.network) {
			const network = new NetworkSimulator({ ...common, keepPlan: true });
			out(`network: ${org.centers.length} centers, ${org.windows.length} windows, ${org.regions.length} regions (${opts.network.label})`);
			this.sim = { eventsBetween: (from, to) => this.planned(network, from, to) };
		} else this.sim = new DaySimulator(common);
	}

	/** A network's events; planning a new day takes a while, so it prints progress when it does. */
	private planned(network: NetworkSimulator, from: number, to: number): HallEvent[] {
		const t0 = Date.now();
		let said = t0;
		const events = network.eventsBetween(from, to, (done, total) => {
			const now = Date.now();
			if (now - said < 2000 && !(done === total && said > t0)) return;
			said = now;
			out(`planning the day: ${done}/${total} centers (${secs(now - t0)})`);
		});
		return events;
	}

	/** Called on SIGINT/SIGTERM and at the end of --duration. A second signal exits at once. */
	requestStop(reason: string, signal = false): void {
		if (this.stop.signal.aborted) {
			if (signal) {
				err('second interrupt: exiting without waiting for the request in flight');
				this.hard.abort();
				if (this.running) this.printSummary();
				process.exit(130);
			}
			return;
		}
		this.stopReason = reason;
		this.stopAt = Date.now();
		if (signal) err(`${reason}: finishing the request in flight (Ctrl-C again to exit at once)`);
		this.stop.abort();
	}

	// ── start-up: org and health ──

	async uploadOrg(): Promise<void> {
		if (!this.opts.uploadOrg) {
			out(`org: upload skipped (--no-org); the server must already have ${this.orgName}`);
			return;
		}
		// Upserts by code, under the 1 MiB a request: a network goes in parts, in the order its references need.
		const parts = orgParts(this.org);
		const upserted: Record<string, number> = {};
		let r: Reply | null = null;
		for (const [i, part] of parts.entries()) {
			const payload = JSON.stringify(part);
			r = await startupRequest(this.client, 'org upload', () => this.client.request('PUT', 'api/v1/org', payload));
			if (r.status !== 200) break;
			const body = r.body as { upserted?: Record<string, number>; errors?: string[] } | undefined;
			for (const [k, n] of Object.entries(body?.upserted ?? {})) upserted[k] = (upserted[k] ?? 0) + n;
			for (const e of (body?.errors ?? []).slice(0, MAX_PRINTED_REJECTIONS)) err(`org: item skipped: ${e}`);
			if (parts.length > 1) out(`org: part ${i + 1}/${parts.length} uploaded`);
		}
		if (r?.status === 200) {
			const counts = Object.entries(upserted)
				.map(([k, n]) => `${k} ${n}`)
				.join(', ');
			out(`org: ${this.orgName} uploaded (${counts || 'ok'})`);
			this.orgKnown = true;
			return;
		}
		if (!r) return;
		if (r.status === 401) throw new Fatal(`the server refused the ingest key (401: ${errorText(r)}). Check --key or HALLWATCH_KEY; an admin creates a key with: ${KEY_HINT}`, EXIT_SERVER);
		if (r.status === 403) {
			err(`org: this ingest key may not upload org data (403: ${errorText(r)}).`);
			err(`     Use a key with the org scope (${KEY_HINT}), or pass --no-org when the org is already loaded.`);
			err(`     Continuing: checking whether the server already has ${this.orgName} …`);
			return;
		}
		if (r.status === 404 || r.status === 405) throw new Fatal(`org upload: ${r.status} from ${this.client.url('api/v1/org')}; is --url a Hallwatch server?`, EXIT_SERVER);
		throw new Fatal(`org upload failed (${r.status}): ${errorText(r)}`, EXIT_SERVER);
	}

	async checkHealth(): Promise<void> {
		const r = await startupRequest(this.client, 'health check', () => this.client.request('GET', 'healthz', undefined, false));
		if (r.status !== 200) throw new Fatal(`health check: GET ${this.client.url('healthz')} answered ${r.status}: ${errorText(r)}`, EXIT_SERVER);
		const h = (r.body ?? {}) as { database?: string; seq?: number };
		out(`server: ready (${h.database ?? 'database ?'}, seq ${h.seq ?? '?'})`);
		// The server rejects events more than 5 minutes in its future: warn about a skewed clock.
		const serverDate = Date.parse(r.headers.get('date') ?? '');
		if (!Number.isNaN(serverDate) && Math.abs(serverDate - Date.now()) > 60_000)
			err(`warning: this machine's clock differs from the server's by ${secs(Math.abs(serverDate - Date.now()))}; events may be rejected as "in the future"`);
	}

	// ── the send loop ──

	/** Simulated time up to which everything has been sent. */
	private simClock(): number {
		return this.pos < this.buffer.length ? (this.lastSentAt ?? this.start) : this.fetchedTo;
	}

	/** Events of types this key may send (see deniedTypes); the others are counted as skipped. */
	private allowed(events: HallEvent[]): HallEvent[] {
		if (!this.deniedTypes.size) return events;
		const kept = events.filter((e) => !this.deniedTypes.has(e.type));
		this.stats.skipped += events.length - kept.length;
		return kept;
	}

	/**
	 * Plan more of the timeline into the buffer. Replay: slices of CHUNK_MS until a full batch is
	 * waiting or the real clock is reached, so sparse night hours still fill whole requests. Real
	 * time: wait for the next tick, then take everything up to now.
	 */
	private async refill(): Promise<void> {
		let pending = this.buffer.slice(this.pos);
		if (this.live) {
			await sleep(this.fetchedTo + LIVE_TICK_MS - Date.now(), this.stop.signal);
			if (this.stop.signal.aborted) return;
			const now = Date.now();
			pending = pending.concat(this.allowed(this.sim.eventsBetween(this.fetchedTo, now)));
			this.fetchedTo = now;
		}
		while (!this.live && pending.length < this.opts.batch) {
			const now = Date.now();
			const to = Math.min(now, this.fetchedTo + CHUNK_MS);
			pending = pending.concat(this.allowed(this.sim.eventsBetween(this.fetchedTo, to)));
			this.fetchedTo = to;
			if (to === now) {
				this.live = true;
				out(`${this.opts.hours > 0 ? 'caught up with the clock' : 'started'} at ${this.clock.hm(now)}; continuing in real time`);
			}
		}
		this.buffer = pending;
		this.pos = 0;
	}

	async run(): Promise<void> {
		const { rate, batch, durationSec, hours } = this.opts;
		const bucket = (this.bucket = rate ? new TokenBucket(rate, batch) : null);
		const history = hours > 0 ? `replay ${hours} h of history from ${this.clock.full(this.start)} (${this.tz}) ${rate ? `at ${rate} ev/s` : 'as fast as the server accepts'}, then real time` : 'real time from now';
		out(`plan: ${history}; batches of at most ${bucket ? `${bucket.target} events every ${PACE_TICK_MS} ms (≤ ${batch})` : `${batch} events`}${durationSec ? `; stop after ${durationSec} s` : '; Ctrl-C to stop'}`);
		out(`note: event ids are deterministic (prefix "${this.opts.prefix}"): re-running re-sends the same ids, which the server counts as duplicates, not as new events. Use --seed or --prefix for a fresh set.`);

		this.running = true;
		this.stats.begin();
		const durationTimer = durationSec ? setTimeout(() => this.requestStop(`--duration ${durationSec} s reached`), durationSec * 1000) : null;
		const progress = setInterval(() => this.printProgress(), PROGRESS_EVERY_MS);
		try {
			while (!this.stop.signal.aborted) {
				const pending = this.buffer.length - this.pos;
				if (pending === 0 || (!this.live && pending < batch)) {
					await this.refill();
					continue;
				}
				// Until the org is known to be there, send one event first: if the server lacks the org, only it is quarantined.
				let n = Math.min(this.orgKnown ? batch : 1, this.buffer.length - this.pos);
				if (bucket) n = await bucket.take(n, this.stop.signal);
				if (n === 0 || this.stop.signal.aborted) break;
				let events = this.buffer.slice(this.pos, this.pos + n);
				let payload = JSON.stringify({ events });
				// Stay under the 1 MiB body limit whatever the events weigh (unused tokens are simply lost).
				while (Buffer.byteLength(payload) > MAX_BODY_BYTES - 1024 && events.length > 1) {
					events = events.slice(0, Math.ceil(events.length / 2));
					payload = JSON.stringify({ events });
				}
				const reply = await this.send(payload, events.length);
				if (!reply) break; // abandoned after a stop request
				this.pos += events.length;
				this.lastSentAt = Date.parse(events[events.length - 1].occurredAt);
				this.count(reply, events.length);
				if (!this.orgKnown) this.probeOrg(reply);
			}
		} finally {
			if (durationTimer) clearTimeout(durationTimer);
			clearInterval(progress);
		}
	}

	/**
	 * POST one batch until the server answers 200. 429: wait Retry-After. 503/502/504 and network
	 * errors: exponential backoff with jitter (ids make re-sending safe). 400/401/403/413/415 and
	 * other answers: fatal. Returns null when a stop request gave up on an unreachable server.
	 */
	private async send(payload: string, count: number): Promise<IngestReply | null> {
		for (let attempt = 0; ; attempt++) {
			let problem: string;
			let wait: number;
			try {
				const r = await this.client.request('POST', 'api/v1/events', payload);
				this.stats.requests++;
				if (r.status === 200) {
					if (!isIngestReply(r.body)) throw new Fatal(`POST /api/v1/events answered 200 with an unexpected body: ${errorText(r)}`, EXIT_SERVER);
					return r.body;
				}
				if (r.status === 429) {
					problem = `rate limited (429)`;
					wait = (retryAfterMs(r.headers) ?? backoffMs(attempt)) + Math.random() * 250;
					if (this.bucket?.coarsen()) problem += `; from now on up to ${this.bucket.target} events per request`;
				} else if (r.status === 502 || r.status === 503 || r.status === 504 || (r.status === 500 && attempt < 3)) {
					problem = `${r.status} ${errorText(r)}`;
					wait = Math.max(backoffMs(attempt), retryAfterMs(r.headers) ?? 0);
				} else throw this.refusal(r);
			} catch (e) {
				if (!(e instanceof NetworkError)) throw e;
				if (this.hard.signal.aborted) return null;
				problem = e.message;
				wait = backoffMs(attempt);
			}
			if (this.stop.signal.aborted) {
				const left = this.stopAt + FLUSH_GRACE_MS - Date.now();
				if (left <= 0) {
					err(`giving up on the batch in flight (${plural(count, 'event')} not confirmed: ${problem}); re-running re-sends them safely`);
					this.stats.abandoned += count;
					return null;
				}
				wait = Math.min(wait, left);
			}
			this.stats.retries++;
			err(`retry: ${problem}; re-sending ${plural(count, 'event')} in ${secs(wait)}`);
			await sleep(wait, this.hard.signal);
			if (this.hard.signal.aborted) return null;
		}
	}

	/** The Fatal error for a reply the sender cannot fix by retrying. */
	private refusal(r: Reply): Fatal {
		const msg = errorText(r);
		switch (r.status) {
			case 401:
				return new Fatal(`the server refused the ingest key (401: ${msg}). Check --key or HALLWATCH_KEY; an admin creates a key with: ${KEY_HINT}`, EXIT_SERVER);
			case 403:
				return new Fatal(`the ingest key may not send these events (403: ${msg}). Use a key with all types: ${KEY_HINT}`, EXIT_SERVER);
			case 413:
				return new Fatal(`request too large (413: ${msg}); try a smaller --batch`, EXIT_SERVER);
			case 404:
			case 405:
				return new Fatal(`POST ${this.client.url('api/v1/events')} answered ${r.status}; is --url a Hallwatch server? (${msg})`, EXIT_SERVER);
			default:
				return new Fatal(`POST /api/v1/events failed (${r.status}): ${msg}`, EXIT_SERVER);
		}
	}

	private count(reply: IngestReply, sent: number): void {
		const s = this.stats;
		s.sent += sent;
		s.accepted += reply.accepted;
		s.duplicates += reply.duplicates;
		s.rejected += reply.rejected;
		reply.results.forEach((r) => {
			if (r.status !== 'rejected') return;
			// "type: this ingest key may not send "x.y" (it may send …)": stop sending that type.
			const denied = /^type: this ingest key may not send "([^"]+)"/.exec(r.error ?? '')?.[1];
			if (denied && !this.deniedTypes.has(denied)) {
				this.deniedTypes.add(denied);
				err(`skipping ${denied} from now on: this key may not send it (for every type: ${KEY_HINT})`);
			}
			if (s.printedRejections >= MAX_PRINTED_REJECTIONS) return;
			s.printedRejections++;
			err(`rejected: ${r.id}: ${r.error ?? '(no reason given)'}${s.printedRejections === MAX_PRINTED_REJECTIONS ? ' (further rejections are only counted)' : ''}`);
		});
		// The rest of the buffer: drop the events of types just found denied.
		if (this.deniedTypes.size) {
			this.buffer = this.allowed(this.buffer.slice(this.pos));
			this.pos = 0;
		}
	}

	/**
	 * The first batch after a skipped or refused org upload holds one event, and every demo event
	 * names org codes (center, window, staff, department or region): rejected for an unknown code
	 * means the server lacks the demo org, and sending more would only fill its quarantine.
	 */
	private probeOrg(reply: IngestReply): void {
		const r = reply.results[0];
		if (r?.status === 'rejected' && /unknown (center|window|department|staff|region) "/.test(r.error ?? ''))
			throw new Fatal(
				`the server does not have ${this.orgName} (${r.error}). Upload it with a key that has the org scope (${KEY_HINT}) by running without --no-org.`,
				EXIT_USAGE
			);
		this.orgKnown = true;
	}

	// ── reporting ──

	printProgress(): void {
		const s = this.stats;
		const elapsed = Math.round((Date.now() - s.startedAt) / 1000);
		out(
			`[${String(elapsed).padStart(5)}s] ${this.live ? 'live  ' : 'replay'} sim ${this.clock.hm(this.simClock())}  sent ${s.sent}  accepted ${s.accepted}  duplicates ${s.duplicates}  rejected ${s.rejected}  rate ${s.currentRate().toFixed(1)} ev/s  retries ${s.retries}`
		);
	}

	/** Why the run ended, for the summary (set on a fatal error). */
	setStopReason(reason: string): void {
		this.stopReason ||= reason;
	}

	printSummary(): void {
		const s = this.stats;
		const ms = Date.now() - s.startedAt;
		const lines = [
			`summary (${this.stopReason || 'stopped'}):`,
			`  elapsed     ${secs(ms)}`,
			`  sent        ${plural(s.sent, "event")} in ${plural(s.requests, "request")} (${((s.sent * 1000) / Math.max(1, ms)).toFixed(1)} ev/s on average)`,
			`  accepted    ${s.accepted}`,
			`  duplicates  ${s.duplicates}`,
			`  rejected    ${s.rejected}`,
			`  retries     ${s.retries}`,
			`  simulated   ${this.clock.full(this.start)} → ${this.clock.full(this.simClock())} (${this.tz})${this.live ? ', caught up with the clock' : ''}`
		];
		if (s.skipped) lines.push(`  skipped     ${s.skipped} (types this key may not send: ${[...this.deniedTypes].join(', ')})`);
		if (s.abandoned) lines.push(`  unconfirmed ${s.abandoned} (server unreachable at stop; re-run to resend them, duplicates are counted once)`);
		for (const l of lines) out(l);
	}
}

// ── main ─────────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
	let opts: Options | null;
	try {
		opts = parseOptions(process.argv.slice(2), process.env);
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		err(`error: ${e.message}\n`);
		err(USAGE);
		return EXIT_USAGE;
	}
	if (!opts) {
		out(USAGE);
		return EXIT_OK;
	}
	secret = opts.key;

	const simulation = new Simulation(opts);
	process.on('SIGINT', () => simulation.requestStop('interrupted (SIGINT)', true));
	process.on('SIGTERM', () => simulation.requestStop('terminated (SIGTERM)', true));

	out(`hallwatch simulate → ${opts.base.toString()}`);
	try {
		await simulation.uploadOrg();
		await simulation.checkHealth();
		await simulation.run();
	} catch (e) {
		if (!(e instanceof Fatal)) throw e;
		err(`error: ${e.message}`);
		simulation.setStopReason('stopped by an error');
		if (simulation.running) simulation.printSummary();
		return e.code;
	}
	simulation.printSummary();
	return EXIT_OK;
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		err(`error: ${(e as Error)?.stack ?? String(e)}`);
		process.exit(EXIT_SERVER);
	}
);
