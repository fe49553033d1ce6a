// @ts-nocheck -- plain JavaScript loaded by path in a worker thread (see below); exercised by every database test.
// The embedded database (PGlite, PostgreSQL in WASM) in a worker thread of its own, so that its
// work (every query runs synchronously in WASM) never holds up the server's event loop: a large
// insert or a checkpoint runs on the other core while the walls keep being served. The main
// thread talks to it through PGliteRemote (pglite-remote.ts); this file is plain JavaScript,
// loaded by path, outside the server bundle.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const pg = await PGlite.create(workerData.dataDir);
/** Open transactions by id: the PGlite transaction, and how to end it. */
const txs = new Map();
let nextTx = 1;

const identity = (v) => v;
/** Query options from the main thread: parsers travel as the type ids whose text is kept as it is. */
function options(o) {
	if (!o) return undefined;
	const { identityTypes, ...rest } = o;
	if (identityTypes) rest.parsers = Object.fromEntries(identityTypes.map((t) => [t, identity]));
	return rest;
}

function errorOf(err) {
	const out = { message: String(err?.message ?? err) };
	for (const k of ['name', 'code', 'severity', 'detail', 'hint', 'position', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine']) if (err && err[k] !== undefined) out[k] = err[k];
	return out;
}

const plain = (r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows });

parentPort.on('message', async (m) => {
	const reply = (body) => parentPort.postMessage({ id: m.id, ...body });
	try {
		switch (m.op) {
			case 'query': {
				const target = m.tx ? txs.get(m.tx)?.client : pg;
				if (!target) throw new Error(`transaction ${m.tx} is not open`);
				return reply({ result: plain(await target.query(m.sql, m.params, options(m.options))) });
			}
			case 'exec': {
				const target = m.tx ? txs.get(m.tx)?.client : pg;
				if (!target) throw new Error(`transaction ${m.tx} is not open`);
				return reply({ result: (await target.exec(m.sql)).map(plain) });
			}
			case 'begin': {
				const tx = nextTx++;
				const entry = { client: null, end: null, done: null };
				const ended = new Promise((resolve, reject) => (entry.end = { resolve, reject }));
				txs.set(tx, entry);
				entry.done = pg.transaction(async (client) => {
					entry.client = client;
					reply({ tx });
					await ended;
				});
				// It failed to start (or ended): answer the begin if it was never answered.
				entry.done.catch((err) => {
					if (!entry.client) {
						txs.delete(tx);
						reply({ error: errorOf(err) });
					}
				});
				return;
			}
			case 'end': {
				const t = txs.get(m.tx);
				if (!t) throw new Error(`transaction ${m.tx} is not open`);
				const done = t.done;
				if (m.commit) t.end.resolve();
				else t.end.reject(new Error('rolled back'));
				try {
					await done;
					reply({ result: null });
				} catch (err) {
					// A rollback asked for is no error; a failed commit is.
					if (m.commit) reply({ error: errorOf(err) });
					else reply({ result: null });
				} finally {
					txs.delete(m.tx);
				}
				return;
			}
			case 'close':
				await pg.close();
				return reply({ result: null });
			default:
				throw new Error(`unknown operation ${m.op}`);
		}
	} catch (err) {
		reply({ error: errorOf(err) });
	}
});

parentPort.postMessage({ ready: true });
