/**
 * A local-only control channel: a Unix socket in DATA_DIR (mode 0600), so operator commands
 * reach the running server instead of opening its embedded database a second time.
 * One JSON request per connection: {group, argv, actor} → {lines, exitCode}.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { CommandResult } from './commands';

export const socketPath = (dataDir: string) => path.join(dataDir, 'control.sock');

export interface ControlRequest {
	group: string;
	argv: string[];
	actor: string;
}

export function serveControl(dataDir: string, handle: (req: ControlRequest) => Promise<CommandResult>): Promise<net.Server> {
	const file = socketPath(dataDir);
	fs.rmSync(file, { force: true }); // we hold the data-dir lock: any socket file left is stale
	const server = net.createServer((conn) => {
		let buf = '';
		conn.setEncoding('utf8');
		conn.on('data', async (chunk) => {
			buf += chunk;
			if (buf.length > 64 * 1024) return conn.destroy();
			const nl = buf.indexOf('\n');
			if (nl < 0) return;
			let res: CommandResult;
			try {
				const req = JSON.parse(buf.slice(0, nl)) as ControlRequest;
				res = await handle(req);
			} catch (err) {
				res = { lines: [`Error: ${(err as Error).message}`], exitCode: 1 };
			}
			conn.end(JSON.stringify(res) + '\n');
		});
		conn.on('error', () => conn.destroy());
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(file, () => {
			fs.chmodSync(file, 0o600);
			resolve(server);
		});
	});
}

/** Ask the running server; null when no server listens on this DATA_DIR. */
export function askServer(dataDir: string, req: ControlRequest, timeoutMs = 30_000): Promise<CommandResult | null> {
	const file = socketPath(dataDir);
	if (!fs.existsSync(file)) return Promise.resolve(null);
	return new Promise((resolve, reject) => {
		const conn = net.createConnection(file);
		let buf = '';
		const timer = setTimeout(() => {
			conn.destroy();
			reject(new Error(`the server on ${dataDir} did not answer within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		conn.setEncoding('utf8');
		conn.on('connect', () => conn.write(JSON.stringify(req) + '\n'));
		conn.on('data', (c) => (buf += c));
		conn.on('end', () => {
			clearTimeout(timer);
			try {
				resolve(JSON.parse(buf) as CommandResult);
			} catch {
				reject(new Error('the server sent an unreadable answer'));
			}
		});
		conn.on('error', (err: NodeJS.ErrnoException) => {
			clearTimeout(timer);
			if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(null); // stale socket: no server
			else reject(err);
		});
	});
}
