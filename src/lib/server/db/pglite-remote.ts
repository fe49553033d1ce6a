/**
 * The embedded database in its own thread (pglite-worker.js): a client with the parts of
 * PGlite's interface drizzle uses (`query`, `exec`, `transaction`), each call a message to the
 * worker. Queries run there, on the other core, so neither a big insert nor a checkpoint holds
 * up the server's event loop. Transactions keep PGlite's meaning: one at a time, others wait.
 */
import { Worker } from 'node:worker_threads';

type Options = { rowMode?: 'array' | 'object'; parsers?: Record<number, (v: string) => unknown> };

export interface RemoteResult {
	rows: unknown[];
	fields?: Array<{ name: string; dataTypeID: number }>;
	affectedRows?: number;
}

interface Client {
	query(sql: string, params?: unknown[], options?: Options): Promise<RemoteResult>;
	exec(sql: string): Promise<RemoteResult[]>;
}

/** A database error as PostgreSQL reported it (code, constraint …), rebuilt on this side. */
function errorFrom(e: Record<string, unknown>): Error {
	const err = new Error(String(e.message)) as Error & Record<string, unknown>;
	for (const [k, v] of Object.entries(e)) if (k !== 'message') err[k] = v;
	return err;
}

/** Drizzle's parsers are all "keep the text" for a few types: sent as those types' ids. */
function wire(options?: Options): Record<string, unknown> | undefined {
	if (!options) return undefined;
	const { parsers, ...rest } = options;
	return parsers ? { ...rest, identityTypes: Object.keys(parsers).map(Number) } : rest;
}

export class PGliteRemote implements Client {
	private next = 1;
	private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	private closed = false;

	private constructor(private worker: Worker) {
		worker.on('message', (m: { id?: number; result?: unknown; error?: Record<string, unknown>; tx?: number }) => {
			const w = m.id !== undefined ? this.waiting.get(m.id) : undefined;
			if (!w) return;
			this.waiting.delete(m.id!);
			if (m.error) w.reject(errorFrom(m.error));
			else w.resolve(m.tx ?? m.result);
		});
		worker.on('error', (err) => this.failAll(err));
		worker.on('exit', (code) => this.failAll(new Error(`the database worker stopped (exit code ${code})`)));
	}

	/** Start the worker on `dataDir` and wait until PGlite is open there. */
	static async open(script: URL | string, dataDir: string): Promise<PGliteRemote> {
		const worker = new Worker(script, { workerData: { dataDir } });
		await new Promise<void>((resolve, reject) => {
			const onMessage = (m: { ready?: boolean }) => {
				if (!m.ready) return;
				worker.off('error', reject);
				resolve();
			};
			worker.on('message', onMessage);
			worker.once('error', reject);
			worker.once('exit', (code) => reject(new Error(`the database worker stopped while opening (exit code ${code})`)));
		});
		return new PGliteRemote(worker);
	}

	private failAll(err: Error): void {
		this.closed = true;
		for (const w of this.waiting.values()) w.reject(err);
		this.waiting.clear();
	}

	private call<T>(msg: Record<string, unknown>): Promise<T> {
		if (this.closed) return Promise.reject(new Error('the database is closed'));
		const id = this.next++;
		return new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.worker.postMessage({ id, ...msg });
		});
	}

	query(sql: string, params?: unknown[], options?: Options): Promise<RemoteResult> {
		return this.call({ op: 'query', sql, params, options: wire(options) });
	}

	exec(sql: string): Promise<RemoteResult[]> {
		return this.call({ op: 'exec', sql });
	}

	/** Run `fn` in a transaction: committed when it resolves, rolled back when it throws. */
	async transaction<T>(fn: (tx: Client) => Promise<T>): Promise<T> {
		const tx = await this.call<number>({ op: 'begin' });
		const client: Client = {
			query: (sql, params, options) => this.call({ op: 'query', tx, sql, params, options: wire(options) }),
			exec: (sql) => this.call({ op: 'exec', tx, sql })
		};
		let out: T;
		try {
			out = await fn(client);
		} catch (err) {
			await this.call({ op: 'end', tx, commit: false }).catch(() => {});
			throw err;
		}
		await this.call({ op: 'end', tx, commit: true });
		return out;
	}

	async close(): Promise<void> {
		if (this.closed) return;
		await this.call({ op: 'close' }).catch(() => {});
		this.closed = true;
		await this.worker.terminate();
	}
}
