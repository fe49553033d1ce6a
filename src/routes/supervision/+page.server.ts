import { fail, type RequestEvent } from '@sveltejs/kit';
import { cardRows, cardTallies } from '$lib/domain/cards';
import type { RoundTarget } from '$lib/domain/presence';
import { monthKey, DEFAULT_TZ } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { actorOf, NotInScope } from '$lib/server/auth/reach';
import type { EvidenceFile } from '$lib/server/supervision/cards';
import { supervisionFilter } from '$lib/server/supervision/scope';
import { UserError } from '$lib/server/user-error';
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
	return {
		centers: centers.map((c) => ({ code: c.code, name: c.name })),
		center: f.centerCode,
		filter: f.cards,
		rounds: f.centerCode ? await rt.rounds.today(f.centerCode) : [],
		cards: visible.slice(0, 200).map((r) => ({ ...r, evidence: evidence.get(r.cardId) ?? [] })),
		total: visible.length,
		tallies: cardTallies(rows),
		choices: {
			departments: departments.map((d) => ({ code: d.code, name: d.name })),
			windows: windows.map((w) => ({ code: w.code, name: w.name })),
			staff: staff.map((s) => ({ code: s.code, name: s.name }))
		},
		names: {
			staff: Object.fromEntries(staff.map((s) => [s.code, s.name])),
			windows: Object.fromEntries(windows.map((w) => [w.code, w.name]))
		},
		month: monthKey(Date.now(), f.tz ?? DEFAULT_TZ)
	};
};

/** A refused action: 404 for what lies outside the scope (as if it did not exist, and audited), else 400. */
async function refused(event: RequestEvent, form: string, err: unknown, extra: Record<string, unknown> = {}) {
	if (!(err instanceof UserError)) throw err;
	if (err instanceof NotInScope) await auditRequest(event.locals.services.handle.db, event, 'access.out_of_scope', event.url.search.slice(1), { field: err.field, error: err.message });
	return fail(err instanceof NotInScope ? 404 : 400, { form, field: err.field, error: err.message, zh: err.zh, ...extra });
}

export const actions: Actions = {
	startRound: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const centerCode = String(form.get('center') ?? '');
		const { reach } = actorOf(event.locals.user!, rt.org());
		const kind = String(form.get('target') ?? 'all');
		const target: RoundTarget =
			kind === 'department' ? { kind: 'department', code: String(form.get('department') ?? '') } : kind === 'windows' ? { kind: 'windows', codes: form.getAll('windows').map(String) } : { kind: 'all' };
		try {
			const r = await rt.rounds.start({ centerCode, target, respondWithinSec: Number(form.get('respondWithinSec') ?? 120), sample: Number(form.get('sample') ?? 0) || 0, issuedBy: event.locals.user!.username, reach });
			await auditRequest(rt.handle.db, event, 'presence.round_start', r?.id ?? null, { centerCode, target, checks: r?.checks ?? 0 });
			return { form: 'round', started: r };
		} catch (err) {
			return refused(event, 'round', err);
		}
	},
	issueCard: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const targetKind = String(form.get('targetKind') ?? '');
		const targetCode = String(form.get(`target_${targetKind}`) ?? form.get('targetCode') ?? '');
		const evidence: EvidenceFile[] = [];
		for (const v of form.getAll('evidence')) if (v instanceof File && v.size > 0) evidence.push({ name: v.name, type: v.type, bytes: new Uint8Array(await v.arrayBuffer()) });
		const input = { color: String(form.get('color') ?? ''), targetKind, targetCode, reason: String(form.get('reason') ?? ''), note: String(form.get('note') ?? '') };
		try {
			const { cardId } = await rt.cardDesk.issue({ ...input, evidence }, actorOf(event.locals.user!, rt.org()));
			await auditRequest(rt.handle.db, event, 'card.issue', cardId, { after: { ...input, evidence: evidence.map((f) => ({ name: f.name, size: f.bytes.length })) } });
			return { form: 'card', issued: cardId };
		} catch (err) {
			return refused(event, 'card', err, { values: input });
		}
	},
	revokeCard: async (event) => {
		const rt = event.locals.services;
		const form = await event.request.formData();
		const cardId = String(form.get('cardId') ?? '');
		const reason = String(form.get('reason') ?? '');
		try {
			await rt.cardDesk.revoke(cardId, reason, actorOf(event.locals.user!, rt.org()));
			await auditRequest(rt.handle.db, event, 'card.revoke', cardId, { before: { revoked: false }, after: { revoked: true, reason } });
			return { form: 'revoke', revoked: cardId };
		} catch (err) {
			return refused(event, 'revoke', err, { cardId });
		}
	}
};
