/**
 * `npm run simulate` (scripts/simulate.ts) against a real server: the script runs as a child
 * process and talks to the server over HTTP only, like any external sender.
 *
 * The simulated day follows the real clock, so how many events the last 4 hours hold depends on
 * when the test runs (a night holds few). The expectations are computed with the same pure
 * simulator: roughly rate × duration when the history holds more than that, else what it holds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg } from '../../src/lib/server/sim/demo-org';
import { DaySimulator } from '../../src/lib/server/sim/simulator';
import { BACKENDS, freshPostgres, ROOT, startServer, type TestServer } from './harness';

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Run `tsx scripts/simulate.ts ARGS` (what `npx tsx` / `npm run simulate` run) and wait for it. */
function simulate(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Run> {
	const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), ...env };
	if (!('HALLWATCH_KEY' in env)) delete childEnv.HALLWATCH_KEY;
	const proc = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/simulate.ts', ...args], {
		cwd: ROOT,
		env: childEnv,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	proc.stdout.on('data', (d) => (stdout += d));
	proc.stderr.on('data', (d) => (stderr += d));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`simulate did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
		}, timeoutMs);
		proc.on('error', reject);
		proc.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** The counters of the summary block (`  accepted    1200` …). */
function summaryOf(run: Run): Record<'sent' | 'accepted' | 'duplicates' | 'rejected' | 'retries', number> {
	const get = (name: string) => {
		const m = new RegExp(`^\\s+${name}\\s+(\\d+)`, 'm').exec(run.stdout);
		if (!m) throw new Error(`no "${name}" in the summary:\n${run.stdout}\n${run.stderr}`);
		return Number(m[1]);
	};
	return { sent: get('sent'), accepted: get('accepted'), duplicates: get('duplicates'), rejected: get('rejected'), retries: get('retries') };
}

const PROGRESS = /^\[\s*\d+s\] (replay|live)\s+sim \d\d:\d\d\s+sent \d+\s+accepted \d+\s+duplicates \d+\s+rejected \d+\s+rate \d+(\.\d+)? ev\/s\s+retries \d+$/gm;

/** Events the simulator holds between `hours` ago and now (the replay, as the script plans it). */
function eventsInHistory(hours: number, seed: number): number {
	const now = Date.now();
	const start = now - hours * 3_600_000;
	const sim = new DaySimulator({ org: demoOrg(), seed, idPrefix: `sim-${seed}`, since: start });
	return sim.eventsBetween(start, now).length;
}

async function seqOf(server: TestServer): Promise<number> {
	const r = await fetch(`${server.url}/healthz`);
	expect(r.status).toBe(200);
	return ((await r.json()) as { seq: number }).seq;
}

describe.each(BACKENDS)('npm run simulate on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let key: string;

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url, env: { SIMULATE: '0' } });
		const k = server.cli('key', 'create', '--name', 'sim', '--types', '*,org');
		if (k.code !== 0) throw new Error(`key create failed: ${k.stderr}${k.stdout}`);
		key = k.last;
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
	});

	it('--help prints the usage; a missing --url is a usage error', async () => {
		const help = await simulate(['--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('Usage: npm run simulate -- --url URL');
		expect(help.stdout).toContain('HALLWATCH_KEY');
		const bad = await simulate(['--key', 'x']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('--url is required');
	});

	it('exits 2 with a clear message when the key has no org scope and the server lacks the org', async () => {
		const k = server.cli('key', 'create', '--name', 'sim-noorg', '--types', '*');
		expect(k.code).toBe(0);
		const run = await simulate(['--url', server.url, '--rate', '200', '--duration', '6', '--hours', '24', '--seed', '3'], { HALLWATCH_KEY: k.last });
		expect(run.code, run.stdout + run.stderr).toBe(2);
		expect(run.stderr).toContain('may not upload org data (403');
		expect(run.stderr).toContain(`npm run key -- create --name sim --types '*,org'`);
		expect(run.stderr).toMatch(/does not have the demo org \(data\.\w+: unknown \w+ "/);
		// Only the probe event was sent (and quarantined), not a flood of them.
		expect(summaryOf(run).sent).toBe(1);
		expect(run.stdout + run.stderr).not.toContain(k.last);
	});

	it('a bad key exits non-zero with a clear message and is never printed', async () => {
		const bogus = 'hwk_not_a_real_key_0123456789';
		const run = await simulate(['--url', server.url, '--rate', '50', '--duration', '3'], { HALLWATCH_KEY: bogus });
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('the server refused the ingest key (401');
		expect(run.stderr).toContain('HALLWATCH_KEY');
		expect(run.stdout + run.stderr).not.toContain(bogus);
	});

	let first: ReturnType<typeof summaryOf>;
	const args = () => ['--url', server.url, '--key', key, '--rate', '200', '--duration', '6', '--hours', '4'];

	it('uploads the org, replays at --rate, prints progress and a summary, exits 0', async () => {
		const available = eventsInHistory(4, 1);
		const before = await seqOf(server);
		const run = await simulate(args());
		const after = await seqOf(server);
		const output = run.stdout + run.stderr;
		expect(run.code, output).toBe(0);
		expect(run.stdout).toMatch(/^org: the demo org uploaded \(regions 7, centers 1, departments 24, windows 45, staff \d+\)$/m);
		expect(run.stdout).toContain('note: event ids are deterministic');
		expect(run.stdout.match(PROGRESS)?.length ?? 0, output).toBeGreaterThanOrEqual(1);
		expect(run.stdout).toContain('summary (--duration 6 s reached):');
		expect(output).not.toContain(key);

		first = summaryOf(run);
		expect(first.rejected, output).toBe(0);
		expect(first.duplicates).toBe(0);
		expect(first.accepted).toBe(first.sent);
		// Roughly rate × duration (1200), or all of the history when it holds fewer events (at night);
		// at most a first batch and a few real-time events above that.
		const expected = Math.min(200 * 6, available);
		expect(first.accepted, output).toBeGreaterThanOrEqual(Math.floor(expected * 0.75) - 5);
		expect(first.accepted, output).toBeLessThanOrEqual(Math.ceil(200 * 6 * 1.1) + 30);
		// The log grew by the accepted events, plus what the server derived from them (missed checks, deadlines).
		expect(after - before).toBeGreaterThanOrEqual(first.accepted);
		expect(after - before).toBeLessThanOrEqual(Math.ceil(first.accepted * 1.25) + 50);
	});

	it('a second identical run re-sends the same ids: duplicates, nothing new counted twice', async () => {
		expect(first, 'the previous test must have run').toBeDefined();
		const run = await simulate(args());
		const output = run.stdout + run.stderr;
		expect(run.code, output).toBe(0);
		const second = summaryOf(run);
		expect(second.rejected, output).toBe(0);
		expect(second.duplicates, output).toBeGreaterThan(0);
		// The replay starts a few seconds later on the simulated timeline: nearly all of it overlaps.
		expect(second.duplicates, output).toBeGreaterThanOrEqual(Math.floor(Math.min(first.accepted, second.sent) * 0.5));
	});

	it('paces a busy history at --rate (24 h always hold a working day)', async () => {
		const before = await seqOf(server);
		const run = await simulate(['--url', server.url, '--rate', '300', '--duration', '6', '--hours', '24', '--seed', '9', '--batch', '100'], { HALLWATCH_KEY: key });
		const after = await seqOf(server);
		const output = run.stdout + run.stderr;
		expect(run.code, output).toBe(0);
		const s = summaryOf(run);
		expect(s.rejected, output).toBe(0);
		expect(s.accepted, output).toBeGreaterThanOrEqual(300 * 6 * 0.75);
		expect(s.accepted, output).toBeLessThanOrEqual(300 * 6 * 1.1 + 30);
		expect(after - before).toBeGreaterThanOrEqual(s.accepted);
		// The progress line's current rate is about --rate while the replay is paced.
		const rates = [...run.stdout.matchAll(/^\[\s*\d+s\] replay .* rate (\d+(?:\.\d+)?) ev\/s/gm)].map((m) => Number(m[1]));
		expect(rates.length, output).toBeGreaterThanOrEqual(1);
		expect(rates[0], output).toBeGreaterThan(300 * 0.5);
		expect(rates[0], output).toBeLessThan(300 * 1.3);
	});

	it('--centers N --windows-per-center M simulates a network: its org in parts, every event placed in it', async () => {
		const bad = await simulate(['--url', server.url, '--preset', 'county'], { HALLWATCH_KEY: key });
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('--preset: expected prefecture or province, found "county"');
		const both = await simulate(['--url', server.url, '--preset', 'prefecture', '--centers', '3'], { HALLWATCH_KEY: key });
		expect(both.code).toBe(2);
		expect(both.stderr).toContain('not both');

		const before = await seqOf(server);
		const run = await simulate(['--url', server.url, '--rate', '400', '--duration', '6', '--hours', '24', '--seed', '5', '--centers', '150', '--windows-per-center', '4'], { HALLWATCH_KEY: key }, 120_000);
		const output = run.stdout + run.stderr;
		expect(run.code, output).toBe(0);
		expect(run.stdout).toContain('network: 150 centers, 600 windows, 7 regions (150 centers × 4 windows)');
		expect(run.stdout).toMatch(/^org: part 1\/\d+ uploaded$/m);
		expect(run.stdout).toMatch(/^org: the org of 150 centers × 4 windows uploaded \(regions 7, centers 150, departments \d+, windows 600, staff 600\)$/m);
		const s = summaryOf(run);
		expect(s.rejected, output).toBe(0);
		expect(s.accepted, output).toBeGreaterThanOrEqual(400 * 6 * 0.75);
		expect((await seqOf(server)) - before, output).toBeGreaterThanOrEqual(s.accepted);
	});
});
