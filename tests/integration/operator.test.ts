/**
 * Running it (spec §4): one Hallwatch per DATA_DIR, operator commands while the server runs
 * (through the control socket on PGlite) and while it is stopped (directly), the secret alone on
 * the last line, and a clean SIGTERM shutdown (exit 0, lock and socket removed).
 *
 * The tests of a backend share one server and run in order: running → stopped → restarted → killed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, cst, freePort, freshPostgres, provisioned, ROOT, startServer, StreamClient, TestServer } from './harness';

const KEY_RE = /^hwk_[A-Za-z0-9_-]{20,}$/;
const TOKEN_RE = /^hwd_[A-Za-z0-9_-]{20,}$/;

let n = 0;
const ticket = () => ({
	id: `op-${Date.now().toString(36)}-${n++}`,
	type: 'queue.ticket_issued',
	occurredAt: cst(Date.now() - 1000),
	data: { centerCode: 'HC1', ticketNo: `O${n}` }
});

describe.each(BACKENDS)('operator on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let creds: { key: string; token: string };
	let runningKey = '';
	let issuedAtStop = -1;
	const lockFile = () => path.join(server.dataDir, 'hallwatch.lock');
	const sockFile = () => path.join(server.dataDir, 'control.sock');
	const issued = async (token = creds.token) => (await server.snapshot(token, '&center=HC1')).hall.ticketsIssuedToday as number;

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url });
		creds = await provisioned(server);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
	});

	it.runIf(backend === 'pglite')('a second server on the same DATA_DIR refuses to start, saying so; the first keeps working', async () => {
		const firstPid = server.proc!.pid;
		expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).pid).toBe(firstPid);
		const second = new TestServer(await freePort(), server.dataDir, undefined, {});
		const err = await second.start().then(
			() => null,
			(e: Error) => e
		);
		expect(err, 'the second server started').not.toBe(null);
		expect(second.proc!.exitCode).toBe(1);
		expect(second.output).toContain(`[hallwatch] could not start: DATA_DIR ${server.dataDir} is in use by another Hallwatch (pid ${firstPid}`);
		expect(second.output).toContain('stop the other one, or set DATA_DIR to another folder');
		// The first still owns its lock and socket, and works.
		expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).pid).toBe(firstPid);
		expect(fs.existsSync(sockFile())).toBe(true);
		const before = await issued();
		const res = await server.post('/api/v1/events', ticket(), creds.key);
		expect(res.status).toBe(200);
		expect(res.body.accepted).toBe(1);
		expect(await issued()).toBe(before + 1);
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		const list = server.cli('key', 'list');
		expect(list.code, list.stderr).toBe(0);
	});

	it('key / token / admin commands work while the server runs and print the secret alone on the last line', async () => {
		const k = server.cli('key', 'create', '--name', 'running-key', '--types', 'queue.*');
		expect(k.code, k.stderr).toBe(0);
		expect(k.last).toMatch(KEY_RE);
		expect(k.stdout.trim().split('\n')).toEqual(['Ingest key "running-key" created for queue.* (all centers). It is shown once; store it now:', k.last]);
		runningKey = k.last;
		// Usable at once by the running server.
		const before = await issued();
		const res = await server.post('/api/v1/events', ticket(), k.last);
		expect(res.status).toBe(200);
		expect(res.body.accepted).toBe(1);
		expect(await issued()).toBe(before + 1);

		const dup = server.cli('key', 'create', '--name', 'running-key', '--types', 'queue.*');
		expect(dup.code).toBe(2);
		expect(dup.stderr).toContain('Error: an active ingest key named "running-key" exists');
		const badTypes = server.cli('key', 'create', '--name', 'k2', '--types', 'QUEUE');
		expect(badTypes.code).toBe(2);
		expect(badTypes.stderr).toContain('--types: "QUEUE" is not a type or prefix');

		const t = server.cli('token', 'create', '--name', 'running-wall', '--center', 'HC1');
		expect(t.code, t.stderr).toBe(0);
		expect(t.last).toMatch(TOKEN_RE);
		expect(t.stdout.trim().split('\n')).toHaveLength(2);
		const snap = await server.snapshot(t.last);
		expect(snap.hall.ticketsIssuedToday).toBe(before + 1);
		const other = await fetch(`${server.url}/api/v1/snapshot?token=${t.last}&center=HC2`);
		expect(other.status).toBe(403);
		const badCenter = server.cli('token', 'create', '--name', 'w2', '--center', 'NOPE');
		expect(badCenter.code).toBe(2);
		expect(badCenter.stderr).toContain('--center: unknown center "NOPE"');

		const a = server.cli('admin', 'create', '--username', 'ops-lead', '--password', 'correct horse battery');
		expect(a.code, a.stderr).toBe(0);
		expect(a.last).toBe('User admin "ops-lead" created.');
		const again = server.cli('admin', 'create', '--username', 'ops-lead', '--password', 'correct horse battery');
		expect(again.code).toBe(2);
		expect(again.stderr).toContain('--username: "ops-lead" is taken');
		const short = server.cli('admin', 'create', '--username', 'ops2', '--password', 'short');
		expect(short.code).toBe(2);
		expect(short.stderr).toContain('--password: at least 10 characters');
		const oneTime = server.cli('admin', 'create', '--username', 'ops3');
		expect(oneTime.code, oneTime.stderr).toBe(0);
		expect(oneTime.last).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(oneTime.stdout).toContain('One-time password');

		// Through npm, as operators type it: npm's own header lines come first, the secret is still last.
		const viaNpm = spawnSync('npm', ['run', 'key', '--', 'create', '--name', 'npm-key', '--types', 'hotline.*'], { cwd: ROOT, env: server.baseEnv, encoding: 'utf8', timeout: 60_000 });
		expect(viaNpm.status, viaNpm.stderr).toBe(0);
		const lastLine = viaNpm.stdout.trim().split('\n').pop()!;
		expect(lastLine).toMatch(KEY_RE);
		const hot = await server.post('/api/v1/events', ticket(), lastLine);
		expect(hot.status).toBe(403); // a hotline key may not send queue events: it is that key

		// Usage errors exit 2 with the usage text.
		const unknown = server.cli('key', 'frobnicate');
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain('Usage:');
	});

	it('SIGTERM shuts down cleanly: exit code 0, "stopped cleanly", lock and socket removed', async () => {
		const stream = await StreamClient.connect(server, creds.token, '&center=HC1');
		await stream.waitFor((m) => m.type === 'snapshot');
		const before = await issued();
		const res = await server.post('/api/v1/events', { events: [ticket(), ticket()] }, creds.key);
		expect(res.body.accepted).toBe(2);
		const t0 = Date.now();
		const code = await server.stop('SIGTERM');
		const took = Date.now() - t0;
		expect(code).toBe(0);
		expect(took).toBeLessThan(10_000);
		expect(server.output).toContain('[hallwatch] SIGTERM: shutting down');
		expect(server.output).toContain('[hallwatch] stopped cleanly');
		expect(server.output).not.toMatch(/\[500\]|Error:/);
		// The wall was disconnected, not left hanging.
		await Promise.race([stream.closed, new Promise((_, rej) => setTimeout(() => rej(new Error('stream still open after shutdown')), 2000))]);
		if (backend === 'pglite') {
			expect(fs.existsSync(lockFile()), 'lock file left').toBe(false);
			expect(fs.existsSync(sockFile()), 'socket file left').toBe(false);
		}
		issuedAtStop = before + 2;
	});

	it('with the server stopped, the commands work directly; the restarted server honours what they made', async () => {
		expect(server.proc).toBe(null);
		const k = server.cli('key', 'create', '--name', 'offline-key', '--types', '*');
		expect(k.code, k.stderr).toBe(0);
		expect(k.last).toMatch(KEY_RE);
		const t = server.cli('token', 'create', '--name', 'offline-wall');
		expect(t.code, t.stderr).toBe(0);
		expect(t.last).toMatch(TOKEN_RE);
		const a = server.cli('admin', 'create', '--username', 'offline-admin', '--password', 'another long password');
		expect(a.code, a.stderr).toBe(0);
		const r = server.cli('key', 'revoke', '--name', 'running-key');
		expect(r.code, r.stderr).toBe(0);
		if (backend === 'pglite') expect(fs.existsSync(lockFile()), 'the CLI left its lock behind').toBe(false);

		await server.start();
		expect(await issued(t.last)).toBe(issuedAtStop);
		const res = await server.post('/api/v1/events', ticket(), k.last);
		expect(res.status).toBe(200);
		expect(res.body.accepted).toBe(1);
		const revoked = await server.post('/api/v1/events', ticket(), runningKey);
		expect(revoked.status).toBe(401);
		const dup = server.cli('admin', 'create', '--username', 'offline-admin', '--password', 'another long password');
		expect(dup.code).toBe(2);
		expect(dup.stderr).toContain('is taken');
	});

	it.runIf(backend === 'pglite')('after a SIGKILL the stale lock and socket do not block the CLI or a restart', async () => {
		const before = await issued();
		const res = await server.post('/api/v1/events', ticket(), creds.key);
		expect(res.body.accepted).toBe(1);
		await server.kill();
		expect(fs.existsSync(lockFile())).toBe(true);
		expect(fs.existsSync(sockFile())).toBe(true);
		const k = server.cli('key', 'create', '--name', 'after-crash', '--types', 'queue.*');
		expect(k.code, k.stderr).toBe(0);
		expect(k.last).toMatch(KEY_RE);
		await server.start();
		expect(await issued()).toBe(before + 1);
		const ok = await server.post('/api/v1/events', ticket(), k.last);
		expect(ok.status).toBe(200);
		const cli = server.cli('token', 'list');
		expect(cli.code, cli.stderr).toBe(0);
		expect(cli.stdout).toContain('offline-wall');
	});
});
