import { redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { cleanTexts, MAX_TEXT, TEXT_SECTIONS } from '$lib/domain/bulletin';
import { scopeLabel } from '$lib/domain/snapshot';
import { previousMonth } from '$lib/domain/time';
import type { MessageKey } from '$lib/i18n';
import { auditRequest } from '$lib/server/audit';
import { formAction, onlyFor, type FormInput } from '$lib/server/http/form';
import { currentFigures, publish, PublishError, saveDraft } from '$lib/server/reports/bulletins';
import { loadBulletin, monthParam, reportScope, scopeQuery, thisMonth } from '$lib/server/reports/page';
import type { Actions, PageServerLoad } from './$types';

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
		published: event.url.searchParams.get('published') === '1',
		// Who published each version, by name (the versions keep `user:USERNAME`).
		names: await event.locals.services.accounts.namesOf([...view.versions.map((v) => v.publishedBy), ...(view.draft?.updatedBy ? [view.draft.updatedBy] : [])])
	};
};

function nextMonth(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The leader's texts (导语, 存在问题, 下步工作安排; each at most MAX_TEXT characters, named when longer) and the reason of a new version. */
const TEXTS = Object.fromEntries(TEXT_SECTIONS.map((k) => [k, z.string().max(MAX_TEXT, 'form.tooLong').default('').describe(`bulletin.section.${k}` as MessageKey)])) as Record<(typeof TEXT_SECTIONS)[number], z.ZodDefault<z.ZodString>>;
const PUBLISH = { ...TEXTS, reason: z.string().default('') };
const textsOf = (f: FormInput<typeof TEXTS>) => cleanTexts(Object.fromEntries(TEXT_SECTIONS.map((k) => [k, f[k]])));
/** Where this bulletin is: its month (the path) and scope (the query). */
const placeOf = (event: RequestEvent) => {
	const scope = reportScope(event);
	return { scope, month: monthParam(event.params.month ?? '', event.locals.services.org(), scope) };
};
const leaders = <R>(form: string, action: (event: RequestEvent) => Promise<R>) => onlyFor(['leader'], form, 'bulletin.leaderOnly', action);

export const actions: Actions = {
	saveDraft: leaders(
		'saveDraft',
		formAction('saveDraft', TEXTS, async (f, event) => {
			const { month, scope } = placeOf(event);
			await saveDraft(event.locals.services.handle.db, month, scope, textsOf(f), `user:${event.locals.user!.username}`);
			return { saved: true };
		})
	),
	publish: leaders(
		'publish',
		formAction('publish', PUBLISH, async (f, event) => {
			const rt = event.locals.services;
			const { month, scope } = placeOf(event);
			const texts = textsOf(f);
			const by = `user:${event.locals.user!.username}`;
			let version: number;
			try {
				const figures = await currentFigures({ db: rt.handle.db, state: rt.projector.state, org: rt.org(), scoring: rt.rules().scoring }, month, scope);
				version = await publish(rt.handle.db, { month, scope, figures, texts, by, reason: f.reason }, (tx, v) =>
					auditRequest(tx, event, 'bulletin.publish', `${month} ${scopeLabel(scope)}`, { month, scope: scopeLabel(scope), version: v, reason: f.reason.trim() || null, seq: figures.seq, complete: figures.complete })
				);
			} catch (err) {
				// Keep what was written: the draft is saved even when publishing was refused.
				if (err instanceof PublishError) await saveDraft(rt.handle.db, month, scope, texts, by);
				throw err;
			}
			const q = new URLSearchParams(scopeQuery(event.url));
			q.set('v', String(version));
			q.set('published', '1');
			redirect(303, `/reports/bulletin/${month}?${q}`);
		})
	)
};
