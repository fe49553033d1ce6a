import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshPostgres, provisioned, startServer, StreamClient, ticketEvents, type TestServer } from './harness';

describe.each(BACKENDS)('smoke on %s', (backend) => {
	let server: TestServer;
	let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
	let creds: { key: string; token: string };

	beforeAll(async () => {
		if (backend === 'postgres') pg = await freshPostgres();
		server = await startServer({ backend, databaseUrl: pg?.url });
		creds = await provisioned(server);
	});
	afterAll(async () => {
		await server?.stop();
		await pg?.drop();
	});

	it('ingests a batch, shows it in the snapshot and streams the change', async () => {
		const client = await StreamClient.connect(server, creds.token, '&center=HC1&events=all');
		const first = await client.waitFor((m) => m.type === 'snapshot');
		expect(first.hall.ticketsIssuedToday).toBe(0);
		const res = await server.post('/api/v1/events', { events: ticketEvents('HC1', 3) }, creds.key);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
		const snap = await server.snapshot(creds.token, '&center=HC1');
		expect(snap.hall.ticketsIssuedToday).toBe(3);
		expect(snap.hall.waitingNow).toBe(3);
		const delta = await client.waitFor((m) => m.type === 'delta' && m.figures?.hall?.ticketsIssuedToday === 3, 2000);
		expect(delta.seq).toBe(snap.seq);
		expect(client.events.map((e: any) => e.type)).toEqual(['queue.ticket_issued', 'queue.ticket_issued', 'queue.ticket_issued']);
		client.close();
	});
});
