// Production entry: the adapter-node handler plus the WebSocket stream on the same port.
// `npm start` runs this after building (scripts/start.js). Env: PORT, HOST, DATA_DIR, DATABASE_URL, SIMULATE.
import http from 'node:http';
import process from 'node:process';

// Ingest enforces its own 1 MiB limit with a clear 413; let the adapter pass slightly larger bodies to it.
process.env.BODY_SIZE_LIMIT ??= '2M';

// adapter-node takes every request for https unless ORIGIN is set: then a service center's plain
// http LAN address would fail SvelteKit's CSRF origin check and get Secure cookies the browser
// drops. Without ORIGIN, each request carries its real scheme (X-Forwarded-Proto is believed only
// with TRUST_PROXY=1, behind a reverse proxy that sets it).
const PROTO_HEADER = 'x-hallwatch-protocol';
const trustProxy = process.env.TRUST_PROXY === '1';
if (!process.env.ORIGIN) process.env.PROTOCOL_HEADER = PROTO_HEADER;
// Behind a reverse proxy every request comes from the proxy's address: the sign-in throttle
// (per account and address) and the audit log need the client's, which the proxy appends to
// X-Forwarded-For (the last hop is the one the proxy saw). Believed only with TRUST_PROXY=1.
if (trustProxy) {
	process.env.ADDRESS_HEADER ??= 'x-forwarded-for';
	process.env.XFF_DEPTH ??= '1';
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '0.0.0.0';

let handler;
try {
	// Importing the handler runs SvelteKit's init hook, which starts the Hallwatch runtime.
	({ handler } = await import('./build/handler.js'));
} catch (err) {
	console.error(`[hallwatch] could not start: ${err?.message ?? err}`);
	process.exit(1);
}
const runtime = globalThis[Symbol.for('hallwatch.runtime')]?.runtime;
if (!runtime) {
	console.error('[hallwatch] runtime did not start');
	process.exit(1);
}

// SvelteKit's CSRF check answers form content types (text/plain, urlencoded, multipart) on POST/PUT
// with 403 before any route runs. The ingest endpoints take keys, not cookies, and refuse every
// non-JSON body anyway: give their senders the contract's 415 instead (spec §1).
const KEY_ENDPOINTS = new Set(['/api/v1/events', '/api/v1/org']);
const FORM_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
function app(req, res) {
	// A reply sent before the request body was read (401, 413, 429 …) would leave the rest of the
	// body in the connection, paused, and a keep-alive client's next request on it would hang:
	// read and drop it (up to 64 MiB, then the connection is closed).
	res.once('finish', () => {
		if (req.complete || req.destroyed) return;
		let dropped = 0;
		req.removeAllListeners('data');
		req.on('data', (chunk) => {
			if ((dropped += chunk.length) > 64 << 20) req.destroy();
		});
		req.resume();
	});
	if (!process.env.ORIGIN) {
		const forwarded = trustProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() : '';
		req.headers[PROTO_HEADER] = forwarded === 'https' || forwarded === 'http' ? forwarded : req.socket.encrypted ? 'https' : 'http';
	}
	const ct = req.headers['content-type'] ?? '';
	if ((req.method === 'POST' || req.method === 'PUT') && FORM_TYPE.test(ct) && KEY_ENDPOINTS.has((req.url ?? '').split('?')[0])) {
		req.resume(); // the body is dropped
		res.writeHead(415, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
		res.end(JSON.stringify({ error: `Content-Type: expected application/json, found "${ct.toLowerCase()}"` }));
		return;
	}
	handler(req, res);
}

const server = http.createServer(app);
server.on('upgrade', (req, socket, head) => {
	if (!runtime.handleUpgrade(req, socket, head)) socket.destroy();
});
server.keepAliveTimeout = 65_000;

server.listen(port, host, () => {
	const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	const base = `http://${shown}:${port}`;
	console.log(`[hallwatch] listening on ${base}`);
	const demo = runtime.demo?.creds;
	if (demo) {
		console.log(`[hallwatch] demo ingest key:    ${demo.ingestKey}`);
		console.log(`[hallwatch] demo display token: ${demo.displayToken}`);
		console.log(`[hallwatch] wall:  ${base}/wall?token=${demo.displayToken}&center=PJ-001`);
		console.log(`[hallwatch] plain: ${base}/?token=${demo.displayToken}`);
	}
});
server.on('error', (err) => {
	console.error(`[hallwatch] ${err.code === 'EADDRINUSE' ? `port ${port} is in use (set PORT)` : err.message}`);
	void runtime.stop().finally(() => process.exit(1));
});

let closing = false;
async function shutdown(signal) {
	if (closing) return;
	closing = true;
	console.log(`[hallwatch] ${signal}: shutting down`);
	const force = setTimeout(() => process.exit(1), 15_000);
	force.unref();
	server.close();
	server.closeIdleConnections?.();
	try {
		await runtime.stop();
	} finally {
		server.closeAllConnections?.();
		process.exit(0);
	}
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
