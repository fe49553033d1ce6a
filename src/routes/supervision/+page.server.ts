import { fail } from '@sveltejs/kit';
import { cardRows, cardTallies } from '$lib/domain/cards';
import type { RoundTarget } from '$lib/domain/presence';
import { monthKey, DEFAULT_TZ } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { CardError, type EvidenceFile } from '$lib/server/supervision/cards';
import { RoundError } from '$lib/server/supervision/rounds';
import { centersFor, supervisionFilter } from '$lib/server/supervision/scope';
import type { Actions, PageServerLoad } from './$types';

/** 督查工作台: presence rounds (start one now, today's results) and red/yellow cards. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const rt = getRuntime();
	const org = rt.org();
	const centers = centersFor(locals.user!, org);
	const f = supervisionFilter(url, centers, org);
	const rows = cardRows(rt.projector.state, org, { ...f.cards, includeRevoked: true }, f.tz);
	const visible = rows.filter((r) => f.cards.includeRevoked || !r.revoked);
	const evidence = await rt.cardDesk.evidenceOf(visible.slice(0, 200).map((r) => r.cardId));
	return {
		centers: centers.map((c) => ({ code: c.code, name: c.name })),
		center: f.centerCode,
		filter: f.cards,
		rounds: f.centerCode ? await rt.rounds.today(f.centerCode) : [],
		cards: visible.slice(0, 200).map((r) => ({ ...r, evidence: evidence.get(r.cardId) ?? [] })),
		total: visible.length,
		tallies: cardTallies(rows),
		choices: f.centerCode
			? {
					departments: [...org.departments.values()].filter((d) => d.centerCode === f.centerCode).map((d) => ({ code: d.code, name: d.name })),
					windows: [...org.windows.values()].filter((w) => w.centerCode === f.centerCode).map((w) => ({ code: w.code, name: w.name })),
					staff: [...org.staff.values()].filter((s) => (s.windowCode ? org.windows.get(s.windowCode)?.centerCode : org.departments.get(s.departmentCode)?.centerCode) === f.centerCode).map((s) => ({ code: s.code, name: s.name }))
				}
			: { departments: [], windows: [], staff: [] },
		names: {
			staff: Object.fromEntries([...org.staff.values()].map((s) => [s.code, s.name])),
			windows: Object.fromEntries([...org.windows.values()].map((w) => [w.code, w.name]))
		},
		month: monthKey(Date.now(), f.tz ?? DEFAULT_TZ)
	};
};

export const actions: Actions = {
	startRound: async (event) => {
		const rt = getRuntime();
		const form = await event.request.formData();
		const centerCode = String(form.get('center') ?? '');
		if (!centersFor(event.locals.user!, rt.org()).some((c) => c.code === centerCode)) return fail(403, { form: 'round', field: 'center', error: `center: "${centerCode}" is outside your scope`, zh: `中心“${centerCode}”不在您的范围内` });
		const kind = String(form.get('target') ?? 'all');
		const target: RoundTarget =
			kind === 'department' ? { kind: 'department', code: String(form.get('department') ?? '') } : kind === 'windows' ? { kind: 'windows', codes: form.getAll('windows').map(String) } : { kind: 'all' };
		try {
			const r = await rt.rounds.start({ centerCode, target, respondWithinSec: Number(form.get('respondWithinSec') ?? 120), sample: Number(form.get('sample') ?? 0) || 0, issuedBy: event.locals.user!.username });
			await auditRequest(rt.handle.db, event, 'presence.round_start', r?.id ?? null, { centerCode, target, checks: r?.checks ?? 0 });
			return { form: 'round', started: r };
		} catch (err) {
			if (err instanceof RoundError) return fail(400, { form: 'round', field: err.field, error: err.message, zh: err.zh });
			throw err;
		}
	},
	issueCard: async (event) => {
		const rt = getRuntime();
		const form = await event.request.formData();
		const targetKind = String(form.get('targetKind') ?? '');
		const targetCode = String(form.get(`target_${targetKind}`) ?? form.get('targetCode') ?? '');
		const evidence: EvidenceFile[] = [];
		for (const v of form.getAll('evidence')) if (v instanceof File && v.size > 0) evidence.push({ name: v.name, type: v.type, bytes: new Uint8Array(await v.arrayBuffer()) });
		const input = { color: String(form.get('color') ?? ''), targetKind, targetCode, reason: String(form.get('reason') ?? ''), note: String(form.get('note') ?? '') };
		try {
			const { cardId } = await rt.cardDesk.issue({ ...input, evidence }, event.locals.user!.username);
			await auditRequest(rt.handle.db, event, 'card.issue', cardId, { after: { ...input, evidence: evidence.map((f) => ({ name: f.name, size: f.bytes.length })) } });
			return { form: 'card', issued: cardId };
		} catch (err) {
			if (err instanceof CardError) return fail(400, { form: 'card', field: err.field, error: err.message, zh: err.zh, values: input });
			throw err;
		}
	},
	revokeCard: async (event) => {
		const rt = getRuntime();
		const form = await event.request.formData();
		const cardId = String(form.get('cardId') ?? '');
		const reason = String(form.get('reason') ?? '');
		try {
			await rt.cardDesk.revoke(cardId, reason, event.locals.user!.username);
			await auditRequest(rt.handle.db, event, 'card.revoke', cardId, { before: { revoked: false }, after: { revoked: true, reason } });
			return { form: 'revoke', revoked: cardId };
		} catch (err) {
			if (err instanceof CardError) return fail(400, { form: 'revoke', field: err.field, error: err.message, zh: err.zh, cardId });
			throw err;
		}
	}
};
