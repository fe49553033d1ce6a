import { z } from 'zod';
import { cardRows, cardTallies, cardTargetName } from '$lib/domain/cards';
import type { RoundTarget } from '$lib/domain/presence';
import { monthKey, DEFAULT_TZ } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { actorOf } from '$lib/server/auth/reach';
import { field, formAction } from '$lib/server/http/form';
import { param } from '$lib/server/http/params';
import type { EvidenceFile } from '$lib/server/supervision/cards';
import { supervisionFilter } from '$lib/server/supervision/scope';
import type { Actions, PageServerLoad } from './$types';

/** 督查工作台: presence rounds (start one now, today's results) and red/yellow cards. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const rt = locals.services;
	const org = rt.org();
	const { reach } = actorOf(locals.user!, org);
	const centers = reach.centers();
	const f = supervisionFilter(url, centers, org);
	const rows = cardRows(rt.projector.state, org, { ...f.cards, includeRevoked: true }, f.tz);
	const visible = rows.filter((r) => f.cards.includeRevoked || !r.revoked);
	const evidence = await rt.cardDesk.evidenceOf(visible.slice(0, 200).map((r) => r.cardId), reach);
	// The chosen center's people and windows only: never the names of the whole deployment.
	const inCenter = <T extends { code: string }>(kind: 'department' | 'window' | 'staff', items: Iterable<T>) => (f.centerCode ? [...items].filter((x) => reach.centerOf(kind, x.code) === f.centerCode) : []);
	const departments = inCenter('department', org.departments.values());
	const windows = inCenter('window', org.windows.values());
	const staff = inCenter('staff', org.staff.values());
	const rounds = f.centerCode ? await rt.rounds.today(f.centerCode) : [];
	// Who started today's rounds, by name (the rounds keep usernames).
	const issuers = new Set(rounds.map((r) => r.issuedBy));
	const users = issuers.size ? (await rt.accounts.list()).filter((u) => issuers.has(u.username)) : [];
	return {
		centers: centers.map((c) => ({ code: c.code, name: c.name })),
		center: f.centerCode,
		filter: f.cards,
		rounds,
		cards: visible.slice(0, 200).map((r) => ({ ...r, evidence: evidence.get(r.cardId) ?? [] })),
		total: visible.length,
		tallies: cardTallies(rows),
		choices: {
			departments: departments.map((d) => ({ code: d.code, name: d.name })),
			windows: windows.map((w) => ({ code: w.code, name: w.name, staffName: staff.find((s) => s.windowCode === w.code)?.name ?? null })),
			staff: staff.map((s) => ({ code: s.code, name: s.name }))
		},
		names: {
			staff: Object.fromEntries(staff.map((s) => [s.code, s.name])),
			windows: Object.fromEntries(windows.map((w) => [w.code, w.name])),
			users: Object.fromEntries(users.map((u) => [u.username, u.displayName]))
		},
		month: monthKey(Date.now(), f.tz ?? DEFAULT_TZ)
	};
};

const text = z.string().default('');
/** The round form: the page's center (hidden), who (everyone on duty, a department or some windows), the time to respond, a sample. */
const ROUND = {
	center: field.hidden(param.code()),
	target: param.oneOf(['all', 'department', 'windows']).default('all'),
	department: text,
	windows: field.list(z.string()),
	respondWithinSec: param.int(5, 3600).describe('sv.respond').default(120),
	sample: param.int(0, 100_000).describe('sv.sample').default(0)
};
/** The card form; its target is read by the kind chosen (`target_staff`, `target_window`, `target_department`). */
const CARD = { color: text, targetKind: text, targetCode: text, reason: text, note: text, evidence: field.files() };
const REVOKE = { cardId: text, reason: text };

export const actions: Actions = {
	startRound: formAction('round', ROUND, async (f, event) => {
		const rt = event.locals.services;
		const { reach } = actorOf(event.locals.user!, rt.org());
		const target: RoundTarget = f.target === 'department' ? { kind: 'department', code: f.department } : f.target === 'windows' ? { kind: 'windows', codes: f.windows } : { kind: 'all' };
		const r = await rt.rounds.start({ centerCode: f.center, target, respondWithinSec: f.respondWithinSec, sample: f.sample, issuedBy: event.locals.user!.username, reach });
		await auditRequest(rt.handle.db, event, 'presence.round_start', r?.id ?? null, { centerCode: f.center, target, checks: r?.checks ?? 0 });
		return { form: 'round', started: r };
	}),
	issueCard: formAction('card', CARD, async ({ evidence: files, ...f }, event, form) => {
		const rt = event.locals.services;
		const input = { color: f.color, targetKind: f.targetKind, targetCode: String(form.get(`target_${f.targetKind}`) ?? f.targetCode), reason: f.reason, note: f.note };
		const evidence: EvidenceFile[] = await Promise.all(files.map(async (v) => ({ name: v.name, type: v.type, bytes: new Uint8Array(await v.arrayBuffer()) })));
		const { cardId } = await rt.cardDesk.issue({ ...input, evidence }, actorOf(event.locals.user!, rt.org()));
		await auditRequest(rt.handle.db, event, 'card.issue', cardId, { after: { ...input, evidence: evidence.map((e) => ({ name: e.name, size: e.bytes.length })) } });
		return { form: 'card', issued: { cardId, color: input.color, who: cardTargetName(rt.org(), input.targetKind, input.targetCode) } };
	}),
	revokeCard: formAction('revoke', REVOKE, async ({ cardId, reason }, event) => {
		const rt = event.locals.services;
		await rt.cardDesk.revoke(cardId, reason, actorOf(event.locals.user!, rt.org()));
		await auditRequest(rt.handle.db, event, 'card.revoke', cardId, { before: { revoked: false }, after: { revoked: true, reason } });
		const c = rt.projector.state.cards.get(cardId);
		return { form: 'revoke', revoked: { cardId, color: c?.color ?? 'yellow', who: cardTargetName(rt.org(), c?.targetKind ?? 'staff', c?.targetCode ?? '') } };
	})
};
