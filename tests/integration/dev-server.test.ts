/**
 * `npm run dev`: Hallwatch's WebSockets (the stream and the window terminal's socket) share
 * Vite's port through the plugin in vite.config.ts, and Vite's own HMR socket keeps working
 * beside them. Runs `vite dev` as a real process on PGlite (the plugin does not depend on the
 * database; the production server is covered by every other suite).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort, provisioned, ROOT, sleep, StreamClient, TestServer, ticketEvents } from './harness';

/** Open a WebSocket; resolve with the first message, or with the HTTP status of a refused upgrade. */
function firstReply(url: string, protocols?: string | string[]): Promise<{ status: number; message?: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, protocols);
		const timer = setTimeout(() => {
			ws.terminate();
			reject(new Error(`no reply from ${url}`));
		}, 15_000);
		ws.once('message', (data) => {
			clearTimeout(timer);
			ws.close();
			resolve({ status: 101, message: String(data) });
		});
		ws.once('unexpected-response', (_req, res) => {
			clearTimeout(timer);
			resolve({ status: res.statusCode ?? 0 });
			ws.terminate();
		});
		ws.once('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
	});
}

describe('vite dev', () => {
	let server: TestServer;
	let creds: { key: string; token: string };

	beforeAll(async () => {
		const port = await freePort();
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-dev-'));
		server = new TestServer(port, dataDir, undefined, {});
		// Vite in development, whatever vitest set NODE_ENV to.
		const env = { ...server.baseEnv, NODE_ENV: 'development' };
		const proc = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		server.proc = proc;
		proc.stdout!.on('data', (d) => (server.output += d));
		proc.stderr!.on('data', (d) => (server.output += d));
		const deadline = Date.now() + 150_000;
		for (;;) {
			if (proc.exitCode !== null) throw new Error(`vite dev exited with ${proc.exitCode}:\n${server.output}`);
			if (Date.now() > deadline) throw new Error(`vite dev did not become ready:\n${server.output}`);
			const ok = await fetch(`${server.url}/healthz`).then((r) => r.status === 200, () => false);
			if (ok) break;
			await sleep(250);
		}
		creds = await provisioned(server);
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('serves the stream on the dev port: snapshot on connect, then an ingested event', async () => {
		const client = await StreamClient.connect(server, creds.token, '&center=HC1&events=all');
		const snap = await client.waitFor((m) => m.type === 'snapshot', 30_000);
		expect(snap.hall.ticketsIssuedToday).toBe(0);
		const res = await server.post('/api/v1/events', { events: ticketEvents('HC1', 2) }, creds.key);
		expect(res.body).toMatchObject({ accepted: 2 });
		await client.waitFor((m) => m.type === 'delta' && m.figures?.hall?.ticketsIssuedToday === 2, 10_000);
		client.close();
	});

	it('routes the terminal socket to Hallwatch too: without a session it is refused with 401, not dropped', async () => {
		const reply = await firstReply(`ws://127.0.0.1:${server.port}/api/v1/terminal`);
		expect(reply.status).toBe(401);
	});

	it('leaves Vite’s HMR socket alone', async () => {
		const client = await fetch(`${server.url}/@vite/client`).then((r) => r.text());
		const token = /wsToken\s*=\s*"([^"]+)"/.exec(client)?.[1];
		expect(token, 'the HMR token in /@vite/client').toBeTruthy();
		const reply = await firstReply(`ws://127.0.0.1:${server.port}/?token=${encodeURIComponent(token!)}`, 'vite-hmr');
		expect(reply.status).toBe(101);
		expect(JSON.parse(reply.message!)).toMatchObject({ type: 'connected' });
	});
});
