import { z } from 'zod';
import { ALERT_KINDS, ALERT_PARAMS, alertParamKeys, applyAlertForm, rulesOfCenter, type AlertKind, type AlertRulesForm } from '$lib/domain/alerts';
import { auditRequest } from '$lib/server/audit';
import { channelByName, createChannel, deleteChannel, listChannels, maskedUrl } from '$lib/server/alerts/channels';
import { deliveriesOf, testChannel } from '$lib/server/alerts/outbox';
import { field, formAction, Refused, worded } from '$lib/server/http/form';
import { param, parseQuery, type Shape } from '$lib/server/http/params';
import { saveAlertSettings } from '$lib/server/rules/settings';
import type { Actions, PageServerLoad } from './$types';

type ParamDef = { default: number; min: number; max: number };
const defOf = (k: AlertKind, p: string) => (ALERT_PARAMS[k] as Record<string, ParamDef>)[p];

/** 告警与推送: the rules of the defaults or of one center, the channels, dead deliveries, every sender's freshness. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const rt = locals.services;
	const org = rt.org();
	const q = parseQuery(url, { center: param.code().optional() });
	const center = q.center && org.centers.has(q.center) ? q.center : null;
	const settings = rt.rules().alerts;
	const rules = rulesOfCenter(settings, center);
	const now = Date.now();
	const channels = await listChannels(rt.handle.db);
	const dead = await deliveriesOf(rt.handle.db, { status: 'dead', limit: 100 });
	return {
		center,
		own: center ? !!settings.centers[center] : false,
		centers: [...org.centers.values()].map((c) => ({ code: c.code, name: c.name, own: !!settings.centers[c.code] })),
		hours: rules.hours,
		rules: ALERT_KINDS.map((kind) => ({ kind, enabled: rules.rules[kind].enabled, params: alertParamKeys(kind).map((key) => ({ key, value: rules.rules[kind].params[key], ...defOf(kind, key) })) })),
		channels: channels.map((c) => ({ name: c.name, kind: c.kind, url: maskedUrl(c.url), levels: c.levels as string[], scope: c.scopeKind === 'all' ? null : (org.centers.get(c.scopeCode ?? '')?.name ?? org.regions.get(c.scopeCode ?? '')?.name ?? c.scopeCode), signed: !!c.secret, quiet: c.quietFrom ? `${c.quietFrom}-${c.quietTo}` : null, escalateTo: c.escalateTo, escalateAfter: c.escalateAfterMin })),
		dead: dead.map((d) => ({ id: d.id, channel: d.channelName, alertTitle: (d.payload as { alert?: { title?: string } }).alert?.title ?? d.alertId, event: d.event, attempts: d.attempts, lastStatus: d.lastStatus, lastAnswer: d.lastAnswer, createdAt: d.createdAt.toISOString() })),
		sources: [...rt.projector.state.sources].map(([name, s]) => ({ name, place: s.centerCode ? (org.centers.get(s.centerCode)?.name ?? s.centerCode) : null, lastEventAt: new Date(s.lastEventAt).toISOString(), silentMin: Math.floor((now - s.lastEventAt) / 60_000) })).sort((a, b) => b.silentMin - a.silentMin)
	};
};

const RULES: Shape = {
	center: field.hidden(z.string().max(64).default('')),
	hours: param.text(200).describe('al.adm.hours'),
	...Object.fromEntries(ALERT_KINDS.flatMap((k) => [[`${k}.enabled`, field.flag()], ...alertParamKeys(k).map((p) => [`${k}.${p}`, param.int(defOf(k, p).min, defOf(k, p).max).describe(`al.p.${p === 'minutes' ? 'minutes' : p}` as 'al.p.yellow')])]))
};
const CHANNEL = {
	name: param.text(64).describe('al.adm.name'),
	kind: param.oneOf(['webhook', 'wecom', 'dingtalk', 'email']).describe('al.adm.kind'),
	url: param.text(1000).describe('al.adm.url'),
	secret: field.secret(z.string().max(200).default('')),
	levels: field.list(param.oneOf(['yellow', 'orange', 'red'])),
	center: z.string().max(64).default(''),
	to: z.string().max(1000).default(''),
	quiet: z.string().max(20).default(''),
	escalateTo: z.string().max(64).default(''),
	escalateAfter: z.string().max(5).default('')
};
const NAMED = { name: field.hidden(param.text(64)) };

export const actions: Actions = {
	saveRules: formAction('saveRules', RULES, async (input, event) => {
		const rt = event.locals.services;
		const center = String(input.center ?? '');
		if (center && !rt.org().centers.has(center)) throw new Refused({ center: worded(`没有代码为 ${center} 的中心`, `no center "${center}"`) });
		const form: AlertRulesForm = { hours: String(input.hours), rules: Object.fromEntries(ALERT_KINDS.map((k) => [k, { enabled: !!input[`${k}.enabled`], params: Object.fromEntries(alertParamKeys(k).map((p) => [p, String(input[`${k}.${p}`])])) }])) };
		const r = applyAlertForm(form);
		if (!r.ok) throw new Refused({ [r.field]: worded(r.error, r.error) });
		const before = rt.rules().alerts;
		const after = structuredClone(before);
		if (center) after.centers[center] = r.rules;
		else after.defaults = r.rules;
		await saveAlertSettings(rt.handle.db, after);
		await rt.reloadRules();
		await auditRequest(rt.handle.db, event, 'alerts.rules', center || 'defaults', { before: center ? (before.centers[center] ?? null) : before.defaults, after: r.rules });
		return { saved: 'rules' as const };
	}),
	useDefaults: formAction('useDefaults', { center: field.hidden(param.code()) }, async ({ center }, event) => {
		const rt = event.locals.services;
		const after = structuredClone(rt.rules().alerts);
		delete after.centers[center];
		await saveAlertSettings(rt.handle.db, after);
		await rt.reloadRules();
		await auditRequest(rt.handle.db, event, 'alerts.rules', center, { after: 'defaults' });
		return { saved: 'defaults' as const };
	}),
	addChannel: formAction('addChannel', CHANNEL, async (input, event) => {
		const rt = event.locals.services;
		const after = input.escalateAfter.trim();
		const ch = await createChannel(
			rt.handle.db,
			{ name: input.name, kind: input.kind, url: input.url, secret: input.secret, levels: input.levels, center: input.center.trim() || null, to: input.to, quiet: input.quiet.trim() || null, escalateTo: input.escalateTo.trim() || null, escalateAfter: after ? Number(after) : null },
			rt.org(),
			event.locals.user!.username
		);
		await auditRequest(rt.handle.db, event, 'channel.create', ch.name, { kind: ch.kind, levels: ch.levels, scope: ch.scopeKind === 'all' ? 'all' : `${ch.scopeKind}:${ch.scopeCode}` });
		return { saved: 'channel' as const };
	}),
	deleteChannel: formAction('deleteChannel', NAMED, async ({ name }, event) => {
		const rt = event.locals.services;
		if (!(await deleteChannel(rt.handle.db, name))) throw new Refused({ name: worded(`没有名为 ${name} 的渠道`, `no channel "${name}"`) });
		await auditRequest(rt.handle.db, event, 'channel.delete', name, null);
		return { saved: 'deleted' as const };
	}),
	testChannel: formAction('testChannel', NAMED, async ({ name }, event) => {
		const rt = event.locals.services;
		const ch = await channelByName(rt.handle.db, name);
		if (!ch) throw new Refused({ name: worded(`没有名为 ${name} 的渠道`, `no channel "${name}"`) });
		const res = await testChannel(ch, event.locals.user!.username, rt.config.deliveryTimeoutMs);
		await auditRequest(rt.handle.db, event, 'channel.test', name, { ok: res.ok, status: res.status });
		return { saved: 'tested' as const, name, answer: `${res.ok ? '✓' : '✗'} ${res.status ?? ''} ${res.answer}`.trim() };
	})
};
