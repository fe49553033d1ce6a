/**
 * Card rules over HTTP against the real server: a presence check left unconfirmed is judged
 * missed and then carded by rule, once (yellow, then red for the day's second miss), visible in
 * the snapshot and the stream with its rule and causes; an admin switches the rule off on
 * /admin/rules (audited) and later misses get no card.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSettings, RULE_IDS } from '../../src/lib/domain/rules';
import { parse as devalueParse } from 'devalue';
import { BACKENDS, createUser, cst, freshPostgres, problem, provisioned, sleep, startServer, StreamClient, until, WebSession, type TestServer } from './harness';

/** The rules form as the page posts it: every rule on with its defaults, minus `off`, plus `over`. */
function rulesForm(off: string[] = [], over: Record<string, string> = {}): Record<string, string> {
	const d = defaultRuleSettings();
	const out: Record<string, string> = {};
	for (const r of RULE_IDS) {
		if (!off.includes(r)) out[`${r}.enabled`] = 'on';
		for (const [k, v] of Object.entries(d[r].params)) out[`${r}.${k}`] = String(v);
	}
	return { ...out, ...over };
}

describe.each(BACKENDS)('card rules on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
	let creds: { key: string; token: string };
	let admin: WebSession;
	let stream: StreamClient;

	const snap = () => server.snapshot(creds.token, '&center=HC1');
	const ruleCards = async (checkPrefix: string) => (await snap()).cards.latest.filter((c: any) => c.rule === 'presence_missed' && c.cardId.includes(checkPrefix));
	/** Issue a presence check to S001 that nobody confirms; resolves with its deadline. */
	const unconfirmedCheck = async (checkId: string) => {
		const occurredAt = cst(Date.now());
		const r = await server.post('/api/v1/events', { id: `iss-${checkId}`, type: 'presence.check_issued', occurredAt, data: { checkId, staffCode: 'S001', windowCode: 'W01', respondWithinSec: 5 } }, creds.key);
		expect(r.body.accepted, JSON.stringify(r.body)).toBe(1);
		return Date.parse(occurredAt) + 5000;
	};

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url, env: { INGEST_RATE_LIMIT: '0', DERIVE_EVERY_MS: '200' } });
		creds = await provisioned(server);
		const u = createUser(server, 'rules-admin', ['admin']);
		admin = new WebSession(server);
		expect((await admin.signIn(u.username, u.password)).status).toBe(303);
		stream = await StreamClient.connect(server, creds.token, '&center=HC1&events=all');
	});
	afterAll(async () => {
		stream?.close();
		await server?.stop();
		await pg?.drop();
		if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
	});

	it('a missed presence check gets a yellow card by rule, once, linking the miss', async () => {
		const before = await snap();
		const deadline = await unconfirmedCheck('rc-1');
		const card = await until(async () => (await ruleCards('rc-1'))[0], deadline - Date.now() + 5000, 100);
		expect(card).toMatchObject({ cardId: 'r:presence_missed:rc-1', color: 'yellow', targetKind: 'staff', targetCode: 'S001', targetName: '张伟', reason: 'absent', rule: 'presence_missed', revoked: false });
		expect(Date.parse(card.at)).toBe(deadline);
		// The stream carried the miss, then the card naming its rule and the miss behind it.
		const missed = (await stream.waitFor((m) => (m.events ?? []).some((e: any) => e.type === 'presence.check_missed' && e.data.checkId === 'rc-1'))).events.find((e: any) => e.data.checkId === 'rc-1');
		const issued = (await stream.waitFor((m) => (m.events ?? []).some((e: any) => e.type === 'card.issued' && e.data.cardId === card.cardId))).events.find((e: any) => e.data.cardId === card.cardId);
		expect(issued.id).toBe('sys:card.issued:r:presence_missed:rc-1');
		expect(issued.data).toMatchObject({ rule: 'presence_missed', color: 'yellow', causes: [{ type: 'presence.check_missed', seq: missed.seq, id: missed.id }] });
		expect(issued.seq).toBeGreaterThan(missed.seq);
		// Once: later ticks (every 200 ms) add nothing.
		await sleep(1500);
		const after = await snap();
		expect(await ruleCards('rc-1')).toHaveLength(1);
		expect(after.cards.yellowToday - before.cards.yellowToday).toBe(1);
		expect(after.presence.missedToday - before.presence.missedToday).toBe(1);
		expect(stream.events.filter((e: any) => e.type === 'card.issued')).toHaveLength(1);
	});

	it('a second miss the same day gets a red card', async () => {
		const before = await snap();
		const deadline = await unconfirmedCheck('rc-2');
		const card = await until(async () => (await ruleCards('rc-2'))[0], deadline - Date.now() + 5000, 100);
		expect(card).toMatchObject({ color: 'red', rule: 'presence_missed', targetCode: 'S001' });
		const issued = (await stream.waitFor((m) => (m.events ?? []).some((e: any) => e.type === 'card.issued' && e.data.cardId === card.cardId))).events.find((e: any) => e.data.cardId === card.cardId);
		expect(issued.data.causes.map((c: any) => c.id)).toEqual(['sys:presence.check_missed:rc-2', 'sys:presence.check_missed:rc-1']);
		await sleep(1000);
		const after = await snap();
		expect(after.cards.redToday - before.cards.redToday).toBe(1);
		expect(after.cards.yellowToday).toBe(before.cards.yellowToday);
	});

	it('the admin page: shows the rules, refuses a bad parameter naming the field', async () => {
		const page = await admin.get('/admin/rules');
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('在岗抽查未确认');
		expect(html).toContain('2026 年');
		const r = await admin.form('/admin/rules?/saveRules', rulesForm([], { 'window_idle.idleMinutes': '0' }), { enhanced: true });
		const body = await r.json();
		expect(body.type).toBe('failure');
		expect(body.status).toBe(400);
		const data = devalueParse(body.data);
		expect(Object.keys(data.errors)).toEqual(['window_idle.idleMinutes']);
		expect(problem(data, 'window_idle.idleMinutes', 'zh')).toBe('持续时间：应为 1 到 240 的整数');
	});

	it('switched off on /admin/rules (audited): later misses get no card', async () => {
		const r = await admin.form('/admin/rules?/saveRules', rulesForm(['presence_missed']), { enhanced: true });
		expect(r.status).toBe(200);
		expect((await r.json()).type).toBe('success');
		const audit = await (await admin.get('/admin/audit?action=rules.update')).text();
		expect(audit).toContain('<td>修改记牌规则</td>'); // the action as people read it (auditAction.rules.update)
		expect(audit).toContain('user:rules-admin');
		const detail = JSON.parse(/<pre[^>]*>([\s\S]*?)<\/pre>/.exec(audit)![1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
		expect(detail.before.presence_missed).toMatchObject({ enabled: true, params: { redFromMiss: 2 } });
		expect(detail.after.presence_missed).toMatchObject({ enabled: false, params: { redFromMiss: 2 } });
		expect(detail.after.window_idle.enabled).toBe(true);
		const before = await snap();
		const deadline = await unconfirmedCheck('rc-3');
		await until(async () => (await snap()).presence.missedToday === before.presence.missedToday + 1, deadline - Date.now() + 5000, 100);
		await sleep(1500); // several judge ticks after the miss
		const after = await snap();
		expect(await ruleCards('rc-3')).toEqual([]);
		expect([after.cards.yellowToday, after.cards.redToday]).toEqual([before.cards.yellowToday, before.cards.redToday]);
		expect(stream.events.filter((e: any) => e.type === 'card.issued').map((e: any) => e.data.cardId)).toEqual(['r:presence_missed:rc-1', 'r:presence_missed:rc-2']);
	});
});
