/**
 * Sending one delivery to its channel (spec §5.4), one function per kind:
 *
 * - `webhook`: `POST` the JSON body as stored, with `X-Hallwatch-Delivery` (the same on every
 *   retry) and, with a secret, `X-Hallwatch-Signature: sha256=<hex HMAC-SHA256 of the raw body>`;
 *   a 2xx ends the retries;
 * - `wecom` (企业微信群机器人): `{"msgtype":"markdown","markdown":{"content":…}}`; it answers 200
 *   with `errcode` 0 when taken (anything else is a failure to retry);
 * - `dingtalk` (钉钉自定义机器人): `{"msgtype":"markdown","markdown":{"title","text"}}`; with a
 *   secret the URL carries `timestamp` (ms) and `sign` = Base64(HMAC-SHA256(secret,
 *   "timestamp\nsecret")), URL-encoded, as DingTalk documents; `errcode` 0 when taken;
 * - `email`: a plain-text mail through nodemailer over SMTP (the URL), to the channel's list.
 *
 * What the receiver answered (status and up to 500 characters of its body or error) is kept for
 * the admins; no secret is logged or kept in it.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Channel } from './channels';

export interface AlertBody {
	event: 'raised' | 'updated' | 'acknowledged' | 'resolved';
	/** Set on a red alert sent on to a channel because nobody acknowledged it in time. */
	escalation?: boolean;
	alert: {
		alertId: string;
		level: 'yellow' | 'orange' | 'red';
		kind: string;
		title: string;
		scope: { kind: string; code: string };
		place: string | null;
		raisedAt: string;
		value?: number | null;
		threshold?: number | null;
		causes?: unknown[];
		acknowledgedBy?: string | null;
		acknowledgedAt?: string | null;
		note?: string | null;
		resolvedAt?: string | null;
		resolvedBy?: string | null;
		url?: string | null;
	};
}

export interface SendResult {
	ok: boolean;
	status: number | null;
	answer: string;
}

const LEVEL_ZH = { yellow: '黄色', orange: '橙色', red: '红色' } as const;
const EVENT_ZH = { raised: '告警', updated: '告警升级', acknowledged: '已确认', resolved: '已解除' } as const;
const WECOM_COLOR = { yellow: 'comment', orange: 'warning', red: 'warning' } as const;

export function signBody(body: string, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** DingTalk's signature of a timestamp (ms), URL-encoded as it goes into the URL. */
export function dingtalkSign(timestamp: number, secret: string): string {
	return encodeURIComponent(createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
}

function headline(b: AlertBody): string {
	const what = b.escalation ? '告警升级（未确认）' : EVENT_ZH[b.event];
	return `【${LEVEL_ZH[b.alert.level]}${what}】${b.alert.title}`;
}

function lines(b: AlertBody): string[] {
	const a = b.alert;
	const out = [`级别：${LEVEL_ZH[a.level]}`, `发生时间：${localTime(a.raisedAt)}`];
	if (a.place) out.push(`地点：${a.place}`);
	if (b.event === 'acknowledged') out.push(`确认人：${a.acknowledgedBy ?? ''}${a.note ? `（${a.note}）` : ''}`);
	if (b.event === 'resolved') out.push(`解除时间：${a.resolvedAt ? localTime(a.resolvedAt) : ''}${a.resolvedBy ? `，${a.resolvedBy}` : '（原因已消除）'}`);
	if (a.url) out.push(`详情：${a.url}`);
	return out;
}

/** Beijing time (the centers' usual zone) for people reading it on a phone. */
function localTime(iso: string): string {
	const d = new Date(Date.parse(iso) + 8 * 3_600_000);
	return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
}

export function wecomPayload(b: AlertBody): unknown {
	const color = WECOM_COLOR[b.alert.level];
	return { msgtype: 'markdown', markdown: { content: [`## <font color="${color}">${headline(b)}</font>`, ...lines(b).map((l) => `> ${l}`)].join('\n') } };
}

export function dingtalkPayload(b: AlertBody): unknown {
	return { msgtype: 'markdown', markdown: { title: headline(b).slice(0, 60), text: [`### ${headline(b)}`, ...lines(b).map((l) => `- ${l}`)].join('\n') } };
}

export function mailOf(b: AlertBody): { subject: string; text: string } {
	return { subject: headline(b), text: [headline(b), '', ...lines(b), '', `alertId: ${b.alert.alertId}`].join('\n') };
}

const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 497)}…` : s);

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, robot: boolean): Promise<SendResult> {
	try {
		const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
		const text = clip(await r.text().catch(() => ''));
		if (r.status < 200 || r.status >= 300) return { ok: false, status: r.status, answer: text };
		if (robot) {
			// WeCom and DingTalk answer 200 with an error code of their own.
			let code: unknown = null;
			try {
				code = (JSON.parse(text) as { errcode?: unknown }).errcode;
			} catch {
				/* not JSON */
			}
			if (code !== 0) return { ok: false, status: r.status, answer: text || 'no errcode in the answer' };
		}
		return { ok: true, status: r.status, answer: text };
	} catch (err) {
		const e = err as Error & { cause?: { code?: string } };
		return { ok: false, status: null, answer: clip(e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${e.cause?.code ?? e.name}: ${e.message}`) };
	}
}

export async function send(channel: Channel, deliveryId: string, body: AlertBody, timeoutMs: number): Promise<SendResult> {
	switch (channel.kind) {
		case 'webhook': {
			const raw = JSON.stringify(body);
			const headers: Record<string, string> = { 'x-hallwatch-delivery': deliveryId, 'x-hallwatch-event': body.event };
			if (channel.secret) headers['x-hallwatch-signature'] = signBody(raw, channel.secret);
			return post(channel.url, raw, headers, timeoutMs, false);
		}
		case 'wecom':
			return post(channel.url, JSON.stringify(wecomPayload(body)), {}, timeoutMs, true);
		case 'dingtalk': {
			let url = channel.url;
			if (channel.secret) {
				const ts = Date.now();
				url += `${url.includes('?') ? '&' : '?'}timestamp=${ts}&sign=${dingtalkSign(ts, channel.secret)}`;
			}
			return post(url, JSON.stringify(dingtalkPayload(body)), {}, timeoutMs, true);
		}
		case 'email': {
			const transport = nodemailer.createTransport({ url: channel.url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
			try {
				const mail = mailOf(body);
				const info = await transport.sendMail({
					from: channel.mailFrom || 'hallwatch@localhost',
					to: channel.mailTo ?? '',
					subject: mail.subject,
					text: mail.text,
					headers: { 'X-Hallwatch-Delivery': deliveryId, 'X-Hallwatch-Alert': body.alert.alertId, 'X-Hallwatch-Event': body.event }
				});
				return { ok: true, status: 250, answer: clip(String(info.response ?? 'sent')) };
			} catch (err) {
				const e = err as Error & { responseCode?: number; response?: string };
				return { ok: false, status: e.responseCode ?? null, answer: clip(e.response ?? e.message) };
			} finally {
				transport.close();
			}
		}
		default:
			return { ok: false, status: null, answer: `unknown channel kind "${channel.kind}"` };
	}
}
