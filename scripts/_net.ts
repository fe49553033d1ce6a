import { networkOrg, NetworkSimulator, PRESETS } from '../src/lib/server/sim/network';
import { OrgIndex, orgSchemas } from '../src/lib/domain/org';
for (const p of ['province'] as const) {
  let t=performance.now();
  const org = networkOrg(PRESETS[p]);
  console.log(p, 'org', (performance.now()-t).toFixed(0),'ms', Object.fromEntries(Object.entries(org).map(([k,v])=>[k,(v as unknown[]).length])));
  for (const k of Object.keys(orgSchemas) as Array<keyof typeof orgSchemas>) for (const x of org[k]) { const r = orgSchemas[k].safeParse(x); if (!r.success) { console.log('bad', k, x, r.error.issues[0]); break; } }
  const codes = new Set(); for (const k of ['regions','centers','departments','windows','staff'] as const) for (const x of org[k]) { if (codes.has(k+x.code)) console.log('dup', k, x.code); codes.add(k+x.code); }
  console.log(org.centers.slice(0,3).map(c=>c.name), org.centers.slice(-2).map(c=>c.name), org.regions.slice(0,4).map(r=>r.name+r.code));
  t=performance.now();
  const sim = new NetworkSimulator({ org, seed: 1 });
  const now = Date.parse('2026-12-03T12:00:00+08:00');
  const evs = sim.eventsBetween(now - 600_000 , now);
  console.log(p, 'sim', (performance.now()-t).toFixed(0), 'ms', evs.length, 'events; types', Object.entries(evs.reduce((m:Record<string,number>,e)=>(m[e.type]=(m[e.type]??0)+1,m),{})).sort((a,b)=>b[1]-a[1]).slice(0,8));
  const idx = new OrgIndex(org); let bad=0; for (const e of evs.slice(0,50000)) { const p2 = idx.checkRefs(e); if (p2) { bad++; if (bad<3) console.log(p2); } } console.log('bad refs', bad, 'max id', evs.reduce((m,e)=>Math.max(m,e.id.length),0));
}
