/**
 * Notable live events as ticker items (cards, missed presence checks, overdue and near-due
 * items, supervisions, reopenings, bad reviews), labelled with the snapshot's names. Before
 * any event has arrived, the snapshot itself seeds the ticker (this month's cards, who missed
 * the latest check, overdue hotline tickets), so a fresh wall never shows an empty ticker.
 */
import type { LiveEvent } from '$lib/client/live.svelte';
import type { Snapshot } from '$lib/domain/snapshot';
import { ruleLabel } from '$lib/domain/rules';
import { reasonKey, type T } from '$lib/i18n/wall';
import { shortTime } from './format';
import { shortCenterName } from './region';

export type TickKind = 'red' | 'yellow' | 'bad' | 'warn' | 'info';

export interface TickItem {
	/** Identity of what the item is about (the same card from the snapshot and the stream is one item). */
	key: string;
	kind: TickKind;
	tag: string;
	text: string;
	time: string;
	/** Epoch ms, for ordering. */
	at: number;
}

/** The most items the ticker cycles through. */
export const MAX_TICKS = 30;

type Names = Snapshot['names'];
const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const join = (...parts: string[]) => parts.filter(Boolean).join(' · ');

/** A name from the snapshot's lists; else the code (a center's wall), or nothing (a region's: `bare`, its lists are empty and codes are not names). */
function namedOr(names: Names | undefined, kind: string, code: string, bare = false): string {
	if (!code) return '';
	const fallback = bare ? '' : code;
	if (kind === 'staff') return names?.staff?.[code] ?? fallback;
	if (kind === 'window') return names?.windows?.[code] ?? fallback;
	return names?.departments?.[code] ?? fallback;
}

function reasonLabel(reason: string, t: T): string {
	const key = reasonKey(reason);
	return key ? t(key) : reason;
}

/** One stream event as a ticker item, or null when it is not for the ticker. */
export function eventItem(e: LiveEvent, snap: Snapshot | null, t: T, now: number): TickItem | null {
	const d = e.data ?? {};
	const names = snap?.names;
	const at = Date.parse(e.occurredAt);
	const time = shortTime(e.occurredAt, now);
	// A region's or the deployment's wall lists centers, not their people: the event's center by name, then what has a name.
	const region = !!snap?.centers && !snap.scope?.startsWith('center:');
	const center = region && e.centerCode ? snap?.centers?.[e.centerCode]?.name : undefined;
	const place = center ? shortCenterName(center) : '';
	const nameOf = (kind: string, code: string) => namedOr(names, kind, code, region);
	const dept = nameOf('department', str(d.departmentCode));
	switch (e.type) {
		case 'card.issued': {
			const color = d.color === 'red' ? 'red' : 'yellow';
			const target = (d.target ?? {}) as { kind?: string; code?: string };
			const rule = str(d.rule);
			return {
				key: `card:${str(d.cardId)}`,
				kind: color,
				tag: t(color === 'red' ? 'cards.red' : 'cards.yellow'),
				text: join(place, nameOf(str(target.kind), str(target.code)), reasonLabel(str(d.reason), t), str(d.note), rule ? t('cards.byRule', { rule: ruleLabel(rule, t.lang) }) : t('cards.byHand')),
				time,
				at
			};
		}
		case 'card.revoked': {
			const card = snap?.cards?.latest?.find((c) => c.cardId === d.cardId);
			return { key: `revoked:${str(d.cardId)}`, kind: 'info', tag: t('ev.card.revoked'), text: join(card?.targetName ?? str(d.cardId), str(d.reason)), time, at };
		}
		case 'presence.check_missed':
			return {
				key: `missed:${str(d.checkId)}`,
				kind: 'bad',
				tag: t('ev.presence.check_missed'),
				text: join(place, nameOf('staff', str(d.staffCode)), nameOf('window', str(d.windowCode))),
				time,
				at
			};
		case 'case.overdue':
		case 'case.deadline_near':
			return {
				key: `${e.type}:${str(d.caseId)}`,
				kind: e.type === 'case.overdue' ? 'bad' : 'warn',
				tag: t(e.type === 'case.overdue' ? 'ev.case.overdue' : 'ev.case.deadline_near'),
				text: join(place, dept, t('ev.case', { id: str(d.caseId) })),
				time,
				at
			};
		case 'hotline.ticket_overdue':
			return { key: `hotline:${str(d.ticketId)}`, kind: 'bad', tag: t('ev.hotline.ticket_overdue'), text: join(place, dept, t('ev.ticket', { id: str(d.ticketId) })), time, at };
		case 'hotline.ticket_supervised':
			return { key: `supervised:${str(d.ticketId)}`, kind: 'warn', tag: t('ev.hotline.ticket_supervised'), text: join(t('ev.ticket', { id: str(d.ticketId) }), str(d.note)), time, at };
		case 'hotline.ticket_reopened':
			return { key: `reopened:${str(d.ticketId)}`, kind: 'warn', tag: t('ev.hotline.ticket_reopened'), text: join(t('ev.ticket', { id: str(d.ticketId) }), str(d.reason)), time, at };
		case 'evaluation.submitted': {
			const rating = Number(d.rating);
			if (!(rating <= 2)) return null;
			return {
				key: `review:${e.id}`,
				kind: 'warn',
				tag: t('ev.evaluation.submitted'),
				text: join(place, nameOf('window', str(d.windowCode)), nameOf('staff', str(d.staffCode)), dept, t('ev.rating', { n: rating })),
				time,
				at
			};
		}
		case 'alert.raised':
		case 'alert.updated': {
			const level = d.level === 'red' || d.level === 'orange' ? d.level : 'yellow';
			return { key: `alert:${str(d.alertId)}`, kind: level === 'red' ? 'red' : level === 'orange' ? 'bad' : 'warn', tag: t(`alert.${level}`), text: str(d.title), time, at };
		}
		case 'alert.resolved':
			return d.title ? { key: `alert:${str(d.alertId)}`, kind: 'info', tag: t('alert.resolved'), text: str(d.title), time, at } : null;
		default:
			return null;
	}
}

/** Items from the snapshot itself, for a ticker that has not seen events yet. */
export function snapshotItems(snap: Snapshot | null, t: T, now: number): TickItem[] {
	if (!snap) return [];
	const out: TickItem[] = [];
	for (const c of snap.cards?.latest ?? []) {
		if (c.revoked) continue;
		out.push({
			key: `card:${c.cardId}`,
			kind: c.color,
			tag: t(c.color === 'red' ? 'cards.red' : 'cards.yellow'),
			text: join(c.targetName || c.targetCode, c.departmentName && c.departmentName !== c.targetName ? c.departmentName : '', reasonLabel(c.reason, t), c.note ?? '', c.rule ? t('cards.byRule', { rule: ruleLabel(c.rule, t.lang) }) : t('cards.byHand')),
			time: shortTime(c.at, now),
			at: Date.parse(c.at)
		});
	}
	const round = snap.presence?.latestRound;
	if (round)
		for (const m of round.missed)
			out.push({
				key: `missed-round:${m.staffCode}:${round.at}`,
				kind: 'bad',
				tag: t('ev.presence.check_missed'),
				text: join(m.name, m.windowName ?? ''),
				time: shortTime(round.at, now),
				at: Date.parse(round.at)
			});
	for (const o of snap.hotline?.overdue ?? [])
		out.push({
			key: `hotline:${o.ticketId}`,
			kind: 'bad',
			tag: t('ev.hotline.ticket_overdue'),
			text: join(o.category, o.departmentName ?? '', o.daysOverdue > 0 ? t('hotline.days', { n: o.daysOverdue }) : t('hotline.lessThanDay')),
			time: '',
			at: 0
		});
	return out;
}

/** Live events first (newest first), then snapshot items not already covered; at most MAX_TICKS. */
export function tickerItems(events: LiveEvent[], snap: Snapshot | null, t: T, now: number): TickItem[] {
	const seen = new Set<string>();
	const out: TickItem[] = [];
	const add = (item: TickItem | null) => {
		if (!item || seen.has(item.key) || out.length >= MAX_TICKS) return;
		seen.add(item.key);
		out.push(item);
	};
	for (const e of events) add(eventItem(e, snap, t, now));
	const seeds = snapshotItems(snap, t, now).sort((a, b) => b.at - a.at);
	for (const s of seeds) add(s);
	return out;
}
