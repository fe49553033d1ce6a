import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { sql } from 'drizzle-orm';
import { parseEvent } from '../src/lib/domain/catalog';
import { OrgIndex } from '../src/lib/domain/org';
import { apply, createState, serializeState, parseBucketKey, type PlacedEvent } from '../src/lib/domain/projection';
import { compact } from '../src/lib/domain/counters';
import { openDatabase } from '../src/lib/server/db/client';
import { checkpoints } from '../src/lib/server/db/schema';
import { networkOrg, NetworkSimulator, PRESETS } from '../src/lib/server/sim/network';
const data = networkOrg(PRESETS.prefecture); const org = new OrgIndex(data);
const end = Date.parse('2026-12-03T10:30:00+08:00');
const raws = new NetworkSimulator({ org: data, seed: 7 }).eventsBetween(end - 4 * 3600_000, end);
const state = createState(true); let seq = 0;
for (const raw of raws.slice(0, 110_000)) { const r = parseEvent(raw, { now: end + 1000 }); if (!r.ok) continue; apply(state, { ...r.event, seq: ++seq, at: Date.parse(r.event.occurredAt), sender: 's', place: org.place(r.event) } as PlacedEvent, { tzOf: () => 'Asia/Shanghai' }); if (seq === 109_000) state.dirty = new Map(); }
let t = performance.now(); const json = serializeState(state); console.log('state MB', (json.length/1e6).toFixed(1), 'serialize', (performance.now()-t).toFixed(0), 'ms; dirty keys for 1000 events', state.dirty!.size);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-'));
const h = await openDatabase({ databaseUrl: process.env.PGURL ?? null, dataDir: dir, migrationsFolder: path.resolve('drizzle') });
for (let rep = 0; rep < 3; rep++) {
  const rows = [...state.dirty!].map(([key, delta]) => ({ ...parseBucketKey(key), counters: compact(delta) }));
  t = performance.now();
  await h.db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const values = sql.join(rows.slice(i, i + 500).map((r) => sql`(${r.kind}, ${r.code}, ${r.period}, ${JSON.stringify(r.counters)}::jsonb, ${seq})`), sql`, `);
      await tx.execute(sql`insert into rollups (scope_kind, scope_code, period, counters, seq) values ${values} on conflict (scope_kind, scope_code, period) do update set counters = (select coalesce(jsonb_object_agg(k, coalesce((rollups.counters ->> k)::float8, 0) + coalesce((excluded.counters ->> k)::float8, 0)), '{}'::jsonb) from (select jsonb_object_keys(rollups.counters) as k union select jsonb_object_keys(excluded.counters)) as keys), seq = excluded.seq`);
    }
  });
  const t1 = performance.now();
  await h.db.insert(checkpoints).values({ name: 'live', seq, state: json }).onConflictDoUpdate({ target: checkpoints.name, set: { seq, state: json } });
  const t2 = performance.now();
  await h.flushCommits(); const t3 = performance.now();
  console.log(`rollups ${rows.length} rows: ${(t1 - t).toFixed(0)} ms; checkpoint row ${(t2 - t1).toFixed(0)} ms; wal flush ${(t3-t2).toFixed(0)} ms`);
}
await h.close(); fs.rmSync(dir, { recursive: true, force: true });
