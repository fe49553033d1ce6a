import { fail, redirect } from '@sveltejs/kit';
import { cleanTexts, MAX_TEXT, TEXT_SECTIONS } from '$lib/domain/bulletin';
import { scopeLabel } from '$lib/domain/snapshot';
import { previousMonth } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { currentFigures, publish, PublishError, saveDraft } from '$lib/server/reports/bulletins';
import { loadBulletin, monthParam, reportScope, scopeQuery, thisMonth } from '$lib/server/reports/page';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** 月度通报 of a month: a published version (`?v=N`) or the current figures with the leader's draft. */
export const load: PageServerLoad = async (event) => {
	const view = await loadBulletin(event);
	return {
		...view,
		scopeLabel: scopeLabel(view.scope),
		query: scopeQuery(event.url),
		canPublish: event.locals.user!.roles.includes('leader'),
		previousMonth: previousMonth(view.month),
		nextMonth: view.month < thisMonth(event.locals.services.org(), view.scope) ? nextMonth(view.month) : null,
		published: event.url.searchParams.get('published') === '1'
	};
};

function nextMonth(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The texts as posted (every section; too long is refused, naming the section). */
async function postedTexts(event: RequestEvent) {
	const form = await event.request.formData();
	const raw = Object.fromEntries(TEXT_SECTIONS.map((k) => [k, String(form.get(k) ?? '')]));
	const tooLong = TEXT_SECTIONS.find((k) => raw[k].length > MAX_TEXT);
	return { form, texts: cleanTexts(raw), tooLong };
}

function leaderOnly(event: RequestEvent) {
	return event.locals.user!.roles.includes('leader') ? null : fail(403, { error: 'only a leader (中心领导) writes and publishes bulletins', field: null });
}

export const actions: Actions = {
	saveDraft: async (event) => {
		const refused = leaderOnly(event);
		if (refused) return refused;
		const scope = reportScope(event);
		const month = monthParam(event.params.month, event.locals.services.org(), scope);
		const { texts, tooLong } = await postedTexts(event);
		if (tooLong) return fail(400, { error: `${tooLong}: at most ${MAX_TEXT} characters`, field: tooLong, texts });
		await saveDraft(event.locals.services.handle.db, month, scope, texts, `user:${event.locals.user!.username}`);
		return { saved: true };
	},
	publish: async (event) => {
		const refused = leaderOnly(event);
		if (refused) return refused;
		const rt = event.locals.services;
		const scope = reportScope(event);
		const month = monthParam(event.params.month, event.locals.services.org(), scope);
		const { form, texts, tooLong } = await postedTexts(event);
		if (tooLong) return fail(400, { error: `${tooLong}: at most ${MAX_TEXT} characters`, field: tooLong, texts });
		const reason = String(form.get('reason') ?? '');
		const by = `user:${event.locals.user!.username}`;
		let version: number;
		try {
			const figures = await currentFigures({ db: rt.handle.db, state: rt.projector.state, org: rt.org(), scoring: rt.rules().scoring }, month, scope);
			version = await publish(rt.handle.db, { month, scope, figures, texts, by, reason }, (tx, v) =>
				auditRequest(tx, event, 'bulletin.publish', `${month} ${scopeLabel(scope)}`, { month, scope: scopeLabel(scope), version: v, reason: reason.trim() || null, seq: figures.seq, complete: figures.complete })
			);
		} catch (err) {
			if (err instanceof PublishError) {
				// Keep what was written: the draft is saved even when publishing was refused.
				await saveDraft(rt.handle.db, month, scope, texts, by);
				return fail(400, { error: err.message, field: err.field, texts, reason });
			}
			throw err;
		}
		const q = new URLSearchParams(scopeQuery(event.url));
		q.set('v', String(version));
		q.set('published', '1');
		redirect(303, `/reports/bulletin/${month}?${q}`);
	}
};
