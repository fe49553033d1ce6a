import { ALERT_KINDS } from '$lib/domain/alerts';
import { auditRequest } from '$lib/server/audit';
import { deliveriesOf } from '$lib/server/alerts/outbox';
import { actorOf } from '$lib/server/auth/reach';
import { field, formAction } from '$lib/server/http/form';
import { param, parseQuery } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

const QUERY = {
	status: param.oneOf(['open', 'unacknowledged', 'resolved', 'all']).optional(),
	level: param.oneOf(['yellow', 'orange', 'red']).optional(),
	kind: param.oneOf([...ALERT_KINDS]).optional(),
	center: param.code().optional(),
	alert: param.text(128).optional()
};

/** 告警: the alerts of the user's scope (filters), each with its deliveries; acknowledge, resolve. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const rt = locals.services;
	const org = rt.org();
	const actor = actorOf(locals.user!, org);
	const q = parseQuery(url, QUERY);
	const filter = { status: q.status ?? 'open', level: q.level ?? null, kind: q.kind ?? null, centerCode: q.center ?? null } as const;
	let list = rt.alertDesk.list(actor, filter);
	if (q.alert) list = list.filter((a) => a.alertId === q.alert);
	const shown = list.slice(0, 200);
	const deliveries = await deliveriesOf(rt.handle.db, { alertIds: shown.map((a) => a.alertId), limit: 2000 });
	const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());
	return {
		filter,
		centers: actor.reach.centers().map((c) => ({ code: c.code, name: c.name })),
		total: list.length,
		alerts: shown.map((a) => ({
			alertId: a.alertId,
			kind: a.kind,
			level: a.level,
			title: a.title,
			place: a.place.centerCode ? (org.centers.get(a.place.centerCode)?.name ?? null) : a.place.regionCode ? (org.regions.get(a.place.regionCode)?.name ?? null) : null,
			raisedAt: iso(a.raisedAt)!,
			value: a.value,
			threshold: a.threshold,
			causes: a.causes.length,
			ackedAt: iso(a.ackedAt),
			ackedBy: a.ackedBy,
			ackNote: a.ackNote,
			resolvedAt: iso(a.resolvedAt),
			resolvedBy: a.resolvedBy,
			deliveries: deliveries
				.filter((d) => d.alertId === a.alertId)
				.reverse()
				.map((d) => ({ id: d.id, channel: d.channelName ?? '—', kind: d.channelKind, event: d.event, status: d.status, attempts: d.attempts, lastStatus: d.lastStatus }))
		}))
	};
};

const ACT = { alertId: field.hidden(param.text(128)), note: param.text(1000).optional().describe('al.note') };

export const actions: Actions = {
	acknowledge: formAction('acknowledge', ACT, async ({ alertId, note }, event) => {
		const rt = event.locals.services;
		await rt.alertDesk.acknowledge(alertId, note, actorOf(event.locals.user!, rt.org()));
		await auditRequest(rt.handle.db, event, 'alert.acknowledge', alertId, note ? { note } : null);
		return { done: 'acknowledged' as const, alertId };
	}),
	resolve: formAction('resolve', ACT, async ({ alertId, note }, event) => {
		const rt = event.locals.services;
		await rt.alertDesk.resolve(alertId, note, actorOf(event.locals.user!, rt.org()));
		await auditRequest(rt.handle.db, event, 'alert.resolve', alertId, note ? { note } : null);
		return { done: 'resolved' as const, alertId };
	})
};
