/**
 * Ingest API (spec §1) over real HTTP against the production server: per-event results in
 * request order, every rejection the contract names with its status and an error naming the
 * field, idempotency, key scopes and revocation, rate limiting, the quarantine and its replay,
 * and `PUT /api/v1/org`.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, cst, freshPostgres, provisioned, startServer, TEST_ORG, ticketEvents, type Backend, type TestServer } from './harness';

let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${n++}`;
const ago = (ms = 1000) => cst(Date.now() - ms);

const ticket = (over: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
	id: uid('tk'),
	type: 'queue.ticket_issued',
	occurredAt: ago(),
	source: 'queue-machine-1',
	data: { centerCode: 'HC1', ticketNo: `A${n}`, departmentCode: 'GSJ', ...data },
	...over
});
const windowOpen = (windowCode: string, over: Record<string, unknown> = {}) => ({
	id: uid('ws'),
	type: 'window.status_changed',
	occurredAt: ago(),
	data: { windowCode, status: 'open' },
	...over
});

/** A raw request, for bodies and headers the JSON helper would not send. */
async function raw(server: TestServer, init: { body?: BodyInit; headers?: Record<string, string>; method?: string; path?: string; duplex?: 'half' }) {
	const r = await fetch(server.url + (init.path ?? '/api/v1/events'), { method: init.method ?? 'POST', ...init } as RequestInit);
	const text = await r.text();
	let body: any = text;
	try {
		body = JSON.parse(text);
	} catch {
		/* keep text */
	}
	return { status: r.status, body, headers: r.headers };
}

/** Requests one after another over ONE keep-alive connection (as most HTTP client libraries do). */
async function overOneConnection(server: TestServer, reqs: Array<{ body: string; headers: Record<string, string>; path?: string; method?: string }>): Promise<number[]> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const statuses: number[] = [];
	const sockets = new Set<unknown>();
	try {
		for (const r of reqs) {
			statuses.push(
				await new Promise<number>((resolve, reject) => {
					const req = http.request(
						server.url + (r.path ?? '/api/v1/events'),
						{ method: r.method ?? 'POST', agent, headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) }, timeout: 10_000 },
						(res) => {
							res.resume();
							res.on('end', () => resolve(res.statusCode!));
						}
					);
					req.on('socket', (s) => sockets.add(s));
					req.on('timeout', () => req.destroy(new Error(`no reply within 10 s (after ${statuses.join(',')})`)));
					req.on('error', reject);
					req.end(r.body);
				})
			);
		}
	} finally {
		agent.destroy();
	}
	expect(sockets.size, 'requests went over one connection').toBe(1);
	return statuses;
}

async function setup(backend: Backend, env: Record<string, string> = {}) {
	const pg = backend === 'postgres' ? await freshPostgres() : null;
	const server = await startServer({ backend, databaseUrl: pg?.url, env });
	return { server, pg };
}

describe.each(BACKENDS)('ingest on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let creds: { key: string; token: string };
	let queueKey: string;

	beforeAll(async () => {
		({ server, pg } = await setup(backend));
		creds = await provisioned(server);
		const q = server.cli('key', 'create', '--name', 'queue-only', '--types', 'queue.*');
		expect(q.code, q.stderr).toBe(0);
		queueKey = q.last;
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
	});

	const issued = async () => (await server.snapshot(creds.token, '&center=HC1')).hall.ticketsIssuedToday as number;
	const seqNow = async () => (await server.snapshot(creds.token)).seq as number;

	it('accepts a single event: 200 with one result carrying its seq, and the snapshot counts it', async () => {
		const before = await issued();
		const seq0 = await seqNow();
		const ev = ticket();
		const res = await server.post('/api/v1/events', ev, creds.key);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: 0, results: [{ id: ev.id, status: 'accepted', seq: seq0 + 1 }] });
		expect(await issued()).toBe(before + 1);
		expect(await seqNow()).toBe(seq0 + 1);
	});

	it('accepts a batch with per-event results in request order', async () => {
		const before = await issued();
		const seq0 = await seqNow();
		const evs = [ticket(), windowOpen('W01'), ticket(), ticket()];
		const res = await server.post('/api/v1/events', { events: evs }, creds.key);
		expect(res.status).toBe(200);
		expect(res.body.accepted).toBe(4);
		expect(res.body.results.map((r: any) => [r.id, r.status, r.seq])).toEqual(evs.map((e, i) => [e.id, 'accepted', seq0 + 1 + i]));
		expect(await issued()).toBe(before + 3);
	});

	it('mixes accepted, rejected and duplicate events in one batch; results stay in request order', async () => {
		const before = await issued();
		const good1 = ticket();
		const bad = ticket({}, { windowCode: undefined, departmentCode: 'NOPE' });
		const good2 = ticket();
		const dupOfGood1 = { ...good1 };
		const res = await server.post('/api/v1/events', { events: [good1, bad, 17, good2, dupOfGood1] }, creds.key);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 2 });
		expect(res.body.results.map((r: any) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'accepted', 'duplicate']);
		expect(res.body.results.map((r: any) => r.id)).toEqual([good1.id, bad.id, '', good2.id, good1.id]);
		expect(res.body.results[1].error).toBe('data.departmentCode: unknown department "NOPE" in center "HC1"');
		expect(res.body.results[2].error).toBe('event: expected an object, found number 17');
		expect(res.body.results[4].error).toMatch(/^id: repeats the id of event 0 in this batch/);
		expect(res.body.results[3].seq).toBe(res.body.results[0].seq + 1);
		expect(await issued()).toBe(before + 2);
	});

	it('400 for a body that is not JSON or not an event/batch, and stores nothing', async () => {
		const seq0 = await seqNow();
		const cases: Array<[string, RegExp]> = [
			['{"id": "x", "type": ', /^body: not valid JSON/],
			['not json at all', /^body: not valid JSON/],
			['', /^body: empty/],
			['   ', /^body: empty/],
			['[{"id":"a"}]', /^body: expected one event object \(with "type"\) or \{"events": \[\.\.\.\]\}/],
			['"a string"', /^body: expected one event object/],
			['42', /^body: expected one event object/],
			['null', /^body: expected one event object/],
			['{"id": "x", "occurredAt": "2026-01-01T00:00:00+08:00"}', /^body: expected one event object/],
			['{"events": {"id": "x"}}', /^events: expected a list of events/],
			['{"events": "nope"}', /^events: expected a list of events/]
		];
		for (const [body, error] of cases) {
			const res = await server.post('/api/v1/events', body, creds.key);
			expect(res.status, body).toBe(400);
			expect(res.body.error, body).toMatch(error);
		}
		expect(await seqNow()).toBe(seq0);
	});

	it('415 for a content type that is not JSON, naming what was found', async () => {
		const body = JSON.stringify(ticket());
		for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
			const res = await raw(server, { body, headers: { 'content-type': ct, authorization: `Bearer ${creds.key}` } });
			expect(res.status, ct).toBe(415);
			expect(res.body.error).toContain('Content-Type: expected application/json');
			expect(res.body.error).toContain(ct.split(';')[0]);
		}
		// No content type at all.
		const none = await raw(server, { body: new Blob([body]), headers: { authorization: `Bearer ${creds.key}` } });
		expect(none.status).toBe(415);
		expect(none.body.error).toBe('Content-Type: expected application/json, found none');
		// JSON with a charset, and +json types, are JSON.
		const ok = await raw(server, { body: JSON.stringify(ticket()), headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${creds.key}` } });
		expect(ok.status).toBe(200);
		expect(ok.body.accepted).toBe(1);
	});

	it('413 for a body over 1 MiB (declared or streamed) and for more than 1000 events; nothing stored', async () => {
		const seq0 = await seqNow();
		// Valid JSON just over 1 MiB: one event with a long comment-like field.
		const big = ticket({}, { pad: 'x'.repeat(1024 * 1024) });
		const r1 = await server.post('/api/v1/events', big, creds.key);
		expect(r1.status).toBe(413);
		expect(r1.body.error).toMatch(/^body: \d+ bytes is over the limit of 1048576 bytes \(1 MiB\)/);
		// Far over the limit (beyond the adapter's own limit too): still a 413, not a crash.
		const r2 = await server.post('/api/v1/events', { events: [ticket({}, { pad: 'y'.repeat(3 * 1024 * 1024) })] }, creds.key);
		expect(r2.status).toBe(413);
		expect(r2.body.error).toMatch(/over the limit of 1048576 bytes \(1 MiB\)/);
		// Chunked, without Content-Length: the limit is enforced while reading, and the sender
		// still gets the 413 (not a connection reset it would take for a network fault).
		const chunked = (chunks: number) => {
			const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
			let sent = 0;
			return new ReadableStream<Uint8Array>({
				pull(c) {
					if (sent === 0) c.enqueue(new TextEncoder().encode('{"events": ['));
					if (sent++ < chunks) c.enqueue(chunk);
					else {
						c.enqueue(new TextEncoder().encode(']}'));
						c.close();
					}
				}
			});
		};
		for (const chunks of [20, 48]) {
			const r3 = await raw(server, { body: chunked(chunks), duplex: 'half', headers: { 'content-type': 'application/json', authorization: `Bearer ${creds.key}` } });
			expect(r3.status, `${chunks} × 64 KiB`).toBe(413);
			expect(r3.body.error).toBe('body: over the limit of 1048576 bytes (1 MiB); send smaller batches');
		}
		// Exactly 1000 events is fine, 1001 is not.
		const r4 = await server.post('/api/v1/events', { events: ticketEvents('HC1', 1001) }, creds.key);
		expect(r4.status).toBe(413);
		expect(r4.body.error).toBe('events: 1001 events is over the limit of 1000 per request; split the batch');
		expect(await seqNow()).toBe(seq0);
		const r5 = await server.post('/api/v1/events', { events: ticketEvents('HC1', 1000) }, creds.key);
		expect(r5.status).toBe(200);
		expect(r5.body.accepted).toBe(1000);
		expect(await seqNow()).toBe(seq0 + 1000);
	});

	it('a reply sent before the body was read (413, 401, 403, 415) leaves a keep-alive connection usable', async () => {
		const json = { 'content-type': 'application/json', authorization: `Bearer ${creds.key}` };
		const bigBatch = JSON.stringify({ events: ticketEvents('HC1', 600).map((e) => ({ ...e, data: { ...e.data, serviceName: 'x'.repeat(150) } })) });
		expect(bigBatch.length).toBeGreaterThan(150_000);
		const tooBig = JSON.stringify(ticket({}, { pad: 'x'.repeat(1_200_000) }));
		const statuses = await overOneConnection(server, [
			{ body: tooBig, headers: json },
			{ body: JSON.stringify(ticket()), headers: json },
			{ body: bigBatch, headers: { 'content-type': 'application/json', authorization: 'Bearer hwk_wrong' } },
			{ body: JSON.stringify(ticket()), headers: json },
			{ path: '/api/v1/org', method: 'PUT', body: JSON.stringify({ ...TEST_ORG, pad: 'p'.repeat(300_000) }), headers: { 'content-type': 'application/json', authorization: `Bearer ${queueKey}` } },
			{ body: JSON.stringify(ticket()), headers: json },
			{ body: bigBatch, headers: { ...json, 'content-type': 'text/plain' } },
			{ body: bigBatch, headers: json }
		]);
		expect(statuses).toEqual([413, 200, 401, 200, 403, 200, 415, 200]);
	});

	it('401 with no key, a malformed header or an unknown key', async () => {
		const body = JSON.stringify(ticket());
		const seq0 = await seqNow();
		for (const auth of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Token ${creds.key}`]) {
			const res = await raw(server, { body, headers: { 'content-type': 'application/json', ...(auth !== undefined ? { authorization: auth } : {}) } });
			expect(res.status, String(auth)).toBe(401);
			expect(res.body.error).toBe('Authorization: expected "Bearer <ingest key>"');
			expect(res.headers.get('www-authenticate')).toBe('Bearer');
		}
		for (const key of ['hwk_not-a-real-key', creds.key + 'x', creds.token]) {
			const res = await server.post('/api/v1/events', ticket(), key);
			expect(res.status).toBe(401);
			expect(res.body.error).toBe('Authorization: unknown or revoked ingest key');
		}
		expect(await seqNow()).toBe(seq0);
	});

	it('401 for a key revoked with the CLI while the server runs (PGlite: at once, the control socket clears the cache; PostgreSQL: within the 5 s cache)', async () => {
		const name = uid('rv');
		const k = server.cli('key', 'create', '--name', name, '--types', 'queue.*');
		expect(k.code, k.stderr).toBe(0);
		const ok = await server.post('/api/v1/events', ticket(), k.last); // now in the verification cache
		expect(ok.status).toBe(200);
		expect(ok.body.accepted).toBe(1);
		const r = server.cli('key', 'revoke', '--name', name);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toContain(`Ingest key "${name}" revoked.`);
		let res = await server.post('/api/v1/events', ticket(), k.last);
		if (backend === 'postgres') {
			// No control socket: the CLI revokes in the database directly, and the server's 5 s
			// verification cache may still let the key through until it expires.
			const deadline = Date.now() + 6000;
			while (res.status === 200 && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 250));
				res = await server.post('/api/v1/events', ticket(), k.last);
			}
		}
		expect(res.status).toBe(401);
		expect(res.body.error).toBe('Authorization: unknown or revoked ingest key');
		const again = server.cli('key', 'revoke', '--name', name);
		expect(again.code).toBe(1);
		expect(again.stderr).toContain(`No active ingest key named "${name}"`);
	});

	it('403 for a single event of a type the key may not send; in a batch only that event is rejected', async () => {
		const seq0 = await seqNow();
		const single = await server.post('/api/v1/events', windowOpen('W01'), queueKey);
		expect(single.status).toBe(403);
		expect(single.body.error).toBe('type: this ingest key may not send "window.status_changed" (it may send queue.*)');
		expect(await seqNow()).toBe(seq0);
		const org = await server.post('/api/v1/org', { regions: [{ code: 'ZZ', name: 'x' }] }, queueKey);
		expect(org.status).toBe(403);
		expect(org.body.error).toContain('"org" scope');

		const t1 = ticket();
		const w = windowOpen('W02');
		const t2 = ticket();
		const res = await server.post('/api/v1/events', { events: [t1, w, t2] }, queueKey);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
		expect(res.body.results[1]).toEqual({ id: w.id, status: 'rejected', error: 'type: this ingest key may not send "window.status_changed" (it may send queue.*)' });
		expect(res.body.results[0].status).toBe('accepted');
		expect(res.body.results[2].status).toBe('accepted');
		// The queue key's single queue event is fine.
		const ok = await server.post('/api/v1/events', ticket(), queueKey);
		expect(ok.status).toBe(200);
	});

	it('rejects every invalid event with an error naming the field, and still accepts the valid one beside them', async () => {
		const before = await issued();
		const cases: Array<[unknown, string | RegExp]> = [
			[{ ...ticket(), type: 'queue.ticket_printed' }, 'type: unknown event type "queue.ticket_printed" (see the catalog in docs/api.md)'],
			[{ ...ticket(), type: 'presence.check_missed' }, 'type: "presence.check_missed" is derived by Hallwatch itself and cannot be sent'],
			[{ ...ticket(), id: undefined }, 'id: is required'],
			[{ ...ticket(), id: 'has space' }, 'id: expected 1–128 characters of A–Z a–z 0–9 . _ : -, found "has space"'],
			[{ ...ticket(), id: 'x'.repeat(129) }, /^id: expected 1–128 characters/],
			[{ ...ticket(), id: 12 }, 'id: expected string, found number 12'],
			[{ ...ticket(), type: undefined }, 'type: is required'],
			[{ ...ticket(), occurredAt: undefined }, 'occurredAt: is required'],
			[{ ...ticket(), occurredAt: '2026-11-22 09:15:02' }, 'occurredAt: expected an RFC 3339 time with offset (2026-11-22T09:15:02+08:00), found "2026-11-22 09:15:02"'],
			[{ ...ticket(), occurredAt: '2026-11-22T09:15:02' }, /^occurredAt: expected an RFC 3339 time with offset/],
			[{ ...ticket(), data: undefined }, 'data: is required'],
			[{ ...ticket(), data: [] }, /^data: expected record, found an array/],
			[ticket({}, { ticketNo: undefined }), 'data.ticketNo: is required'],
			[ticket({}, { ticketNo: '' }), 'data.ticketNo: must not be empty'],
			[ticket({}, { centerCode: 7 }), 'data.centerCode: expected string, found number 7'],
			[ticket({}, { channel: 'fax' }), 'data.channel: expected one of "walk_in", "appointment", found "fax"'],
			[{ id: uid('ev'), type: 'evaluation.submitted', occurredAt: ago(), data: { rating: '5', windowCode: 'W01' } }, 'data.rating: expected number, found "5"'],
			[{ id: uid('ev'), type: 'evaluation.submitted', occurredAt: ago(), data: { rating: 6 } }, 'data.rating: must be at most 5, found number 6'],
			[{ id: uid('ca'), type: 'case.accepted', occurredAt: ago(), data: { caseId: 'C1', departmentCode: 'GSJ', itemName: 'x', immediate: 'yes', online: true, promisedDays: 1 } }, 'data.immediate: expected boolean, found "yes"'],
			[{ id: uid('ca'), type: 'case.accepted', occurredAt: ago(), data: { caseId: 'C1', departmentCode: 'GSJ', itemName: 'x', immediate: true, online: true } }, 'data.dueAt: is required when data.promisedDays is not given'],
			[{ id: uid('in'), type: 'indicator.reported', occurredAt: ago(), data: { regionCode: 'C1', period: '2026-13', indicator: 'online_entry_rate', value: 50 } }, 'data.period: expected a period YYYY-MM, found "2026-13"'],
			// Unknown org codes: the code and the center in the error.
			[{ id: uid('tc'), type: 'queue.ticket_called', occurredAt: ago(), data: { centerCode: 'HC1', ticketNo: 'A1', windowCode: 'A99' } }, 'data.windowCode: unknown window "A99" in center "HC1"'],
			[{ id: uid('tc'), type: 'queue.ticket_called', occurredAt: ago(), data: { centerCode: 'HC1', ticketNo: 'A1', windowCode: 'W01', staffCode: 'S999' } }, 'data.staffCode: unknown staff member "S999" in center "HC1"'],
			[{ id: uid('tc'), type: 'queue.ticket_called', occurredAt: ago(), data: { centerCode: 'HC1', ticketNo: 'A1', windowCode: 'E01' } }, 'data.windowCode: window "E01" belongs to center "HC2", not "HC1"'],
			[ticket({}, { centerCode: 'HC9' }), 'data.centerCode: unknown center "HC9"'],
			[ticket({}, { departmentCode: 'XYZ' }), 'data.departmentCode: unknown department "XYZ" in center "HC1"'],
			[{ id: uid('ck'), type: 'attendance.clock_in', occurredAt: ago(), data: { staffCode: 'S404', method: 'face' } }, /^data\.staffCode: unknown staff member "S404"/],
			[{ id: uid('cd'), type: 'card.issued', occurredAt: ago(), data: { cardId: 'k1', color: 'red', target: { kind: 'window', code: 'W77' }, reason: 'absent' } }, 'data.target.code: unknown window "W77"'],
			[ticket({ occurredAt: '0000-01-01T00:00:00Z' }), 'occurredAt: 0000-01-01T00:00:00Z is before 1900-01-01; expected the time the event happened'],
			// More than 5 minutes in the future.
			[ticket({ occurredAt: cst(Date.now() + 6 * 60_000) }), /^occurredAt: .* is more than 5 minutes in the future \(server time /]
		];
		const valid = ticket();
		const res = await server.post('/api/v1/events', { events: [...cases.map((c) => c[0]), valid] }, creds.key);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: cases.length });
		cases.forEach(([ev, err], i) => {
			const r = res.body.results[i];
			expect(r.status, JSON.stringify(ev)).toBe('rejected');
			if (typeof err === 'string') expect(r.error, JSON.stringify(ev)).toBe(err);
			else expect(r.error, JSON.stringify(ev)).toMatch(err);
			expect(r.id).toBe(typeof (ev as any).id === 'string' ? (ev as any).id : '');
		});
		expect(res.body.results[cases.length]).toMatchObject({ id: valid.id, status: 'accepted' });
		expect(await issued()).toBe(before + 1);
		// A single invalid event is a 200 with one rejected result, not an error status.
		const one = await server.post('/api/v1/events', ticket({}, { ticketNo: 5 }), creds.key);
		expect(one.status).toBe(200);
		expect(one.body).toEqual({ accepted: 0, duplicates: 0, rejected: 1, results: [{ id: expect.any(String), status: 'rejected', error: 'data.ticketNo: expected string, found number 5' }] });
	});

	it('accepts an event up to 5 minutes in the future, and a late one', async () => {
		const res = await server.post('/api/v1/events', { events: [ticket({ occurredAt: cst(Date.now() + 4 * 60_000) }), ticket({ occurredAt: ago(3 * 3_600_000) })] }, creds.key);
		expect(res.status).toBe(200);
		expect(res.body.accepted).toBe(2);
	});

	it('idempotency: a duplicate id inside a batch and a later re-send are duplicates, counted once', async () => {
		const before = await issued();
		const seq0 = await seqNow();
		const a = ticket();
		const b = ticket();
		const first = await server.post('/api/v1/events', { events: [a, b, { ...a }] }, creds.key);
		expect(first.body.results.map((r: any) => r.status)).toEqual(['accepted', 'accepted', 'duplicate']);
		expect(first.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 0 });
		// Re-sent later (a retry), alone and in a batch with a new one.
		const single = await server.post('/api/v1/events', a, creds.key);
		expect(single.status).toBe(200);
		expect(single.body).toEqual({ accepted: 0, duplicates: 1, rejected: 0, results: [{ id: a.id, status: 'duplicate' }] });
		const c = ticket();
		const again = await server.post('/api/v1/events', { events: [b, c, a] }, creds.key);
		expect(again.body.results.map((r: any) => r.status)).toEqual(['duplicate', 'accepted', 'duplicate']);
		expect(again.body.results[1].seq).toBe(seq0 + 3);
		expect(await issued()).toBe(before + 3);
		expect(await seqNow()).toBe(seq0 + 3);
		// The same id from another sender is another event (ids are unique per sender).
		const other = await server.post('/api/v1/events', { ...a }, queueKey);
		expect(other.body.results[0].status).toBe('accepted');
		expect(await issued()).toBe(before + 4);
	});

	it('PUT /api/v1/org: upsert is idempotent, partial errors name the item index, no org scope → 403', async () => {
		const snap0 = await server.snapshot(creds.token, '&center=HC1');
		const again = await server.post('/api/v1/org', TEST_ORG, creds.key);
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ upserted: { regions: 3, centers: 2, departments: 3, windows: 3, staff: 3 }, errors: [] });
		const snap1 = await server.snapshot(creds.token, '&center=HC1');
		expect(snap1.hall.windowsTotal).toBe(snap0.hall.windowsTotal);
		expect(snap1.hall.windowsTotal).toBe(2);

		// Renaming by upsert changes the name, not the count.
		const renamed = await server.post('/api/v1/org', { windows: [{ ...TEST_ORG.windows[0], name: '01号综合窗口' }] }, creds.key);
		expect(renamed.status).toBe(200);
		expect(renamed.body.upserted.windows).toBe(1);
		expect((await server.snapshot(creds.token, '&center=HC1')).hall.windowsTotal).toBe(2);

		const partial = await server.post(
			'/api/v1/org',
			{
				windows: [
					{ code: 'W03', name: '03号窗口', centerCode: 'HC1', departmentCode: 'GSJ' },
					{ code: 'W04', name: '04号窗口', centerCode: 'NOPE', departmentCode: 'GSJ' },
					{ code: 5, name: 'bad' },
					{ code: 'W05', name: '05号窗口', centerCode: 'HC1', departmentCode: 'NODEPT' }
				],
				staff: [{ code: 'S010', name: '赵六', departmentCode: 'GSJ', windowCode: 'W04' }],
				gadgets: []
			},
			creds.key
		);
		expect(partial.status).toBe(200);
		expect(partial.body.upserted).toMatchObject({ windows: 1, staff: 0 });
		const errs: string[] = partial.body.errors;
		expect(errs, JSON.stringify(errs)).toContain('windows[1].centerCode: unknown center "NOPE"');
		expect(errs, JSON.stringify(errs)).toContain('windows[3].departmentCode: unknown department "NODEPT"');
		expect(errs, JSON.stringify(errs)).toContain('staff[0].windowCode: unknown window "W04"');
		expect(errs.some((e) => e.startsWith('windows[2].code: expected string, found number 5'))).toBe(true);
		expect(errs.some((e) => e.startsWith('gadgets: unknown list'))).toBe(true);
		expect((await server.snapshot(creds.token, '&center=HC1')).hall.windowsTotal).toBe(3);

		const allBad = await server.post('/api/v1/org', { centers: [{ code: 'HCX', name: 'x', regionCode: 'NOWHERE' }] }, creds.key);
		expect(allBad.status).toBe(400);
		expect(allBad.body.errors).toEqual(['centers[0].regionCode: unknown region "NOWHERE"']);

		const nul = await server.post('/api/v1/org', { windows: [{ code: 'W06', name: '06号\u0000窗口', centerCode: 'HC1', departmentCode: 'GSJ' }] }, creds.key);
		expect(nul.status).toBe(400);
		expect(nul.body.errors).toEqual(['windows[0].name: contains the NUL character (\\u0000)']);

		const notJson = await server.post('/api/v1/org', '{bad', creds.key);
		expect(notJson.status).toBe(400);
		const noKey = await server.post('/api/v1/org', TEST_ORG, null);
		expect(noKey.status).toBe(401);
		const textType = await raw(server, { method: 'PUT', path: '/api/v1/org', body: JSON.stringify(TEST_ORG), headers: { 'content-type': 'text/plain', authorization: `Bearer ${creds.key}` } });
		expect(textType.status).toBe(415);
	});
});

describe.each(BACKENDS)('quarantine on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let creds: { key: string; token: string };

	beforeAll(async () => {
		({ server, pg } = await setup(backend));
		creds = await provisioned(server);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
	});

	it('keeps rejected events with their reason and replays them once the missing window exists', async () => {
		const snap0 = await server.snapshot(creds.token, '&center=HC1');
		expect(snap0.hall.windowsOpen).toBe(0);
		const empty = server.cli('quarantine', 'list');
		expect(empty.code).toBe(0);
		expect(empty.last).toBe('The quarantine is empty.');

		const open = windowOpen('W09', { id: 'ws-W09-open' });
		const call = { id: 'tc-W09-A1', type: 'queue.ticket_called', occurredAt: ago(500), data: { centerCode: 'HC1', ticketNo: 'A1', windowCode: 'W09' } };
		const issue = { id: 'ti-A1', type: 'queue.ticket_issued', occurredAt: ago(60_000), data: { centerCode: 'HC1', ticketNo: 'A1' } };
		const hopeless = ticket({ id: 'tk-hopeless' }, { ticketNo: 42 });
		const res = await server.post('/api/v1/events', { events: [issue, open, call, hopeless] }, creds.key);
		expect(res.status).toBe(200);
		expect(res.body.results.map((r: any) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected']);
		expect(res.body.results[1].error).toBe('data.windowCode: unknown window "W09"');
		expect(res.body.results[2].error).toBe('data.windowCode: unknown window "W09" in center "HC1"');

		const list = server.cli('quarantine', 'list');
		expect(list.code, list.stderr).toBe(0);
		const rows = list.stdout.trim().split('\n');
		expect(rows).toHaveLength(3);
		const row = (id: string) => rows.find((l) => l.split('\t')[4] === id)!;
		expect(row('ws-W09-open').split('\t').slice(3)).toEqual(['window.status_changed', 'ws-W09-open', 'data.windowCode: unknown window "W09"']);
		expect(row('tc-W09-A1')).toContain('data.windowCode: unknown window "W09" in center "HC1"');
		expect(row('tk-hopeless')).toContain('data.ticketNo: expected string, found number 42');
		const snap1 = await server.snapshot(creds.token, '&center=HC1');
		expect(snap1.seq).toBe(snap0.seq + 1);
		expect(snap1.hall.waitingNow).toBe(1);

		// Replaying before the fix changes nothing.
		const early = server.cli('quarantine', 'replay', '--all');
		expect(early.code).toBe(1);
		expect(early.stderr).toContain('Replayed 3: 0 accepted, 0 duplicates, 3 still rejected.');

		const org = await server.post('/api/v1/org', { windows: [{ code: 'W09', name: '09号窗口', centerCode: 'HC1', departmentCode: 'GSJ' }] }, creds.key);
		expect(org.status).toBe(200);
		const replay = server.cli('quarantine', 'replay', '--all');
		expect(replay.stderr + replay.stdout).toContain('Replayed 3: 2 accepted, 0 duplicates, 1 still rejected.');
		expect(replay.code).toBe(1); // one is still rejected
		expect(replay.stderr).toContain('data.ticketNo: expected string, found number 42');

		const snap2 = await server.snapshot(creds.token, '&center=HC1');
		expect(snap2.seq).toBe(snap1.seq + 2);
		expect(snap2.hall.windowsOpen).toBe(1);
		expect(snap2.hall.waitingNow).toBe(0);
		expect(snap2.hall.windowsTotal).toBe(3);

		const after = server.cli('quarantine', 'list');
		expect(after.stdout.trim().split('\n')).toHaveLength(1);
		expect(after.stdout).toContain('tk-hopeless');
		// Replaying again does not store anything twice; resending the replayed events is a duplicate.
		const again = server.cli('quarantine', 'replay', '--all');
		expect(again.stderr).toContain('Replayed 1: 0 accepted, 0 duplicates, 1 still rejected.');
		const resend = await server.post('/api/v1/events', { events: [open, call] }, creds.key);
		expect(resend.body.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate']);
		expect((await server.snapshot(creds.token)).seq).toBe(snap2.seq);
		// Discard the hopeless one: the quarantine is empty.
		const id = after.stdout.trim().split('\t')[0].slice(1);
		const discard = server.cli('quarantine', 'discard', '--id', id, '--reason', 'sender bug, fixed upstream');
		expect(discard.code, discard.stderr).toBe(0);
		expect(server.cli('quarantine', 'list').last).toBe('The quarantine is empty.');
	});

	it('a replay keeps the sender’s key scope: an event its key may not send stays rejected', async () => {
		const k = server.cli('key', 'create', '--name', 'q-scope', '--types', 'queue.*');
		expect(k.code, k.stderr).toBe(0);
		const w = windowOpen('W01', { id: 'ws-scope-1' });
		const res = await server.post('/api/v1/events', { events: [w, ticket()] }, k.last);
		expect(res.body.results.map((r: any) => r.status)).toEqual(['rejected', 'accepted']);
		const seq0 = (await server.snapshot(creds.token)).seq;
		const replay = server.cli('quarantine', 'replay', '--all');
		expect(replay.stderr).toContain('Replayed 1: 0 accepted, 0 duplicates, 1 still rejected.');
		expect(replay.stderr).toContain('may not send "window.status_changed"');
		expect((await server.snapshot(creds.token)).seq).toBe(seq0);
	});
});

describe.each(BACKENDS)('rate limit on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let key: string;

	beforeAll(async () => {
		({ server, pg } = await setup(backend, { INGEST_RATE_LIMIT: '2' }));
		const k = server.cli('key', 'create', '--name', 'rl', '--types', '*,org');
		expect(k.code, k.stderr).toBe(0);
		key = k.last;
		const org = await server.post('/api/v1/org', TEST_ORG, key);
		expect(org.status === 200 || org.status === 429).toBe(true);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
	});

	it('429 with Retry-After past the per-key rate; nothing stored for the refused requests', async () => {
		await new Promise((r) => setTimeout(r, 1100)); // refill the bucket
		const evs = Array.from({ length: 8 }, () => ticket());
		const replies = await Promise.all(evs.map((e) => server.post('/api/v1/events', e, key)));
		const statuses = replies.map((r) => r.status);
		const ok = replies.filter((r) => r.status === 200);
		const limited = replies.filter((r) => r.status === 429);
		expect(ok.length + limited.length, statuses.join(',')).toBe(8);
		expect(ok.length).toBeGreaterThanOrEqual(1);
		expect(ok.length).toBeLessThanOrEqual(4);
		expect(limited.length).toBeGreaterThanOrEqual(4);
		for (const r of limited) {
			const after = Number(r.headers.get('retry-after'));
			expect(Number.isInteger(after)).toBe(true);
			expect(after).toBeGreaterThanOrEqual(1);
			expect(r.body.error).toMatch(/^rate limited: at most 2 requests per second per key; retry after \d+ s$/);
		}
		// The limited ones were not stored: resending them after the wait accepts them.
		await new Promise((r) => setTimeout(r, 1000 * Number(limited[0].headers.get('retry-after')) + 100));
		const retry = await server.post('/api/v1/events', { events: evs }, key);
		expect(retry.status).toBe(200);
		expect(retry.body.accepted).toBe(limited.length);
		expect(retry.body.duplicates).toBe(ok.length);
	});
});
