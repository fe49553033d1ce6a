/**
 * HTTP edge of ingest (spec §1): auth, rate limit, content type, size, JSON and batch shape,
 * then the ingest service. Status codes are the contract's: 200 with per-event results,
 * 400 / 401 / 403 / 413 / 415 / 429 / 503. Nothing is stored unless the reply is 200.
 */
import { isUtf8 } from 'node:buffer';
import { checkOrgRefs, orgRefProblems, parseOrgBody, type OrgData, type OrgKind } from '../../domain/org';
import { isEventType } from '../../domain/catalog';
import { storableProblem } from '../../domain/storable';
import { typeAllowed, type IngestKey } from '../auth/credentials';
import { isUnavailable } from '../db/client';
import { invalidUtf8At } from '../http/utf8';
import { saveOrg } from '../org/store';
import { ShuttingDownError } from './service';
import type { Services } from '../services';

/** What the HTTP edge of ingest needs. */
export type IngestEdge = Pick<Services, 'config' | 'credentials' | 'ingest' | 'org' | 'reloadOrg' | 'handle'>;

export const MAX_BODY_BYTES = 1 << 20;
export const MAX_EVENTS = 1000;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
const fail = (status: number, error: string, headers: Record<string, string> = {}) => json(status, { error }, headers);

/** Token bucket per key: `rate` requests per second, bursts up to `rate`. */
export class RateLimiter {
	private buckets = new Map<string, { tokens: number; at: number }>();
	constructor(private rate: number) {}
	/** Seconds to wait, or 0 when the request may go. */
	take(key: string, now = Date.now()): number {
		if (!this.rate) return 0;
		let b = this.buckets.get(key);
		if (!b) this.buckets.set(key, (b = { tokens: this.rate, at: now }));
		b.tokens = Math.min(this.rate, b.tokens + ((now - b.at) / 1000) * this.rate);
		b.at = now;
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - b.tokens) / this.rate));
	}
}

const limiters = new WeakMap<IngestEdge, RateLimiter>();
function limiterFor(rt: IngestEdge): RateLimiter {
	let l = limiters.get(rt);
	if (!l) limiters.set(rt, (l = new RateLimiter(rt.config.ingestRatePerSec)));
	return l;
}

async function authKey(rt: IngestEdge, request: Request): Promise<IngestKey | Response> {
	const m = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
	if (!m) return fail(401, 'Authorization: expected "Bearer <ingest key>"', { 'www-authenticate': 'Bearer' });
	const key = await rt.credentials.verifyKey(m[1]);
	if (!key) return fail(401, 'Authorization: unknown or revoked ingest key', { 'www-authenticate': 'Bearer' });
	return key;
}

/**
 * Read a JSON body of at most MAX_BODY_BYTES, or a ready error response. JSON is UTF-8 (RFC
 * 8259): a body that is not is refused naming the byte (0-based), not decoded with U+FFFD in
 * place of what the sender meant.
 */
async function readJson(request: Request): Promise<unknown | Response> {
	const ct = (request.headers.get('content-type') ?? '').toLowerCase();
	if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(ct))
		return fail(415, `Content-Type: expected application/json, found ${ct ? `"${ct}"` : 'none'}`);
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > MAX_BODY_BYTES) return fail(413, `body: ${declared} bytes is over the limit of ${MAX_BODY_BYTES} bytes (1 MiB); send smaller batches`);
	const reader = request.body?.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (reader)
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > MAX_BODY_BYTES) {
				// Read the rest and drop it: cancelling the stream destroys the connection, and the
				// sender would see a reset (and retry) instead of this 413.
				try {
					while (!(await reader.read()).done);
				} catch {
					/* the adapter's own BODY_SIZE_LIMIT ended the stream */
				}
				return fail(413, `body: over the limit of ${MAX_BODY_BYTES} bytes (1 MiB); send smaller batches`);
			}
			chunks.push(value);
		}
	const bytes = Buffer.concat(chunks);
	if (!isUtf8(bytes)) return fail(400, `body: invalid UTF-8 at byte ${invalidUtf8At(bytes)}`);
	const text = bytes.toString('utf8');
	if (!text.trim()) return fail(400, 'body: empty; expected one event object or {"events": [...]}');
	try {
		return JSON.parse(text);
	} catch (err) {
		return fail(400, `body: not valid JSON (${(err as Error).message})`);
	}
}

export async function handleEventsPost(rt: IngestEdge, request: Request): Promise<Response> {
	try {
		const key = await authKey(rt, request);
		if (key instanceof Response) return key;
		const wait = limiterFor(rt).take(key.name);
		if (wait) return fail(429, `rate limited: at most ${rt.config.ingestRatePerSec} requests per second per key; retry after ${wait} s`, { 'retry-after': String(wait) });
		const body = await readJson(request);
		if (body instanceof Response) return body;
		let raws: unknown[];
		if (body && typeof body === 'object' && !Array.isArray(body) && 'events' in body) {
			const list = (body as { events: unknown }).events;
			if (!Array.isArray(list)) return fail(400, 'events: expected a list of events');
			if (list.length > MAX_EVENTS) return fail(413, `events: ${list.length} events is over the limit of ${MAX_EVENTS} per request; split the batch`);
			raws = list;
		} else if (body && typeof body === 'object' && !Array.isArray(body) && 'type' in body) {
			const type = (body as { type: unknown }).type;
			if (typeof type === 'string' && isEventType(type) && !typeAllowed(key.types, type))
				return fail(403, `type: this ingest key may not send "${type}" (it may send ${key.types.join(', ')})`);
			raws = [body];
		} else return fail(400, 'body: expected one event object (with "type") or {"events": [...]}');
		const res = await rt.ingest.ingest(key.name, raws, key.types, { scope: key.scope });
		return json(200, res);
	} catch (err) {
		if (err instanceof ShuttingDownError) return fail(503, err.message, { 'retry-after': '5', connection: 'close' });
		if (isUnavailable(err)) return fail(503, 'database unavailable: nothing was stored; retry (ids make retries safe)', { 'retry-after': '5' });
		throw err;
	}
}

/** `PUT /api/v1/org`: upsert by code; invalid items are reported and skipped, valid ones stored. */
export async function handleOrgPut(rt: IngestEdge, request: Request): Promise<Response> {
	try {
		const key = await authKey(rt, request);
		if (key instanceof Response) return key;
		// `org` is a scope of its own (docs/api.md, spec §4): `*` means every event type, not org writes.
		if (!key.types.includes('org')) return fail(403, 'this ingest key has no "org" scope');
		const body = await readJson(request);
		if (body instanceof Response) return body;
		const unstorable = storableProblem(body, 'org');
		if (unstorable) return json(400, { upserted: 0, errors: [unstorable.startsWith('org.') ? unstorable.slice(4) : unstorable.replace(/^org/, 'body')] });
		const { data, errors, indexes } = parseOrgBody(body);
		// Drop items whose references do not resolve (cascading), keep the rest.
		let valid: OrgData = data;
		for (let round = 0; round < 6; round++) {
			const problems = orgRefProblems(valid, rt.org());
			if (!problems.length) break;
			const drop = new Map<OrgKind, Set<number>>();
			for (const p of problems) {
				errors.push(renumber(p.message, p.kind, p.index, valid, data, indexes));
				(drop.get(p.kind) ?? drop.set(p.kind, new Set()).get(p.kind)!).add(p.index);
			}
			valid = Object.fromEntries(
				(Object.keys(valid) as OrgKind[]).map((k) => [k, (valid[k] as unknown[]).filter((_, i) => !drop.get(k)?.has(i))])
			) as unknown as OrgData;
		}
		if (checkOrgRefs(valid, rt.org()).length) return fail(400, 'org: references could not be resolved');
		const total = Object.values(valid).reduce((s, l) => s + (l as unknown[]).length, 0);
		if (!total && errors.length) return json(400, { upserted: 0, errors });
		const counts = await saveOrg({ db: rt.handle.db, reloadOrg: () => rt.reloadOrg() }, valid, (counts) => ({ actor: `key:${key.name}`, action: 'org.upsert', detail: { counts, errors: errors.length } }));
		return json(200, { upserted: counts, errors });
	} catch (err) {
		if (isUnavailable(err)) return fail(503, 'database unavailable: nothing was stored; retry', { 'retry-after': '5' });
		throw err;
	}
}

/** Messages name the index in the request body, not in the filtered list. */
function renumber(message: string, kind: OrgKind, index: number, current: OrgData, original: OrgData, indexes: Record<OrgKind, number[]>): string {
	const item = (current[kind] as unknown[])[index];
	const orig = indexes[kind][(original[kind] as unknown[]).indexOf(item)];
	return message.replace(`${kind}[${index}]`, `${kind}[${orig}]`);
}
