/**
 * The alerts page's use cases: the alerts an actor's scope reaches (filtered), acknowledging
 * one with a note, resolving one by hand. Both are `alert.*` events through the ingest path
 * as the system's own (their ids come from the alert, so a second click is a duplicate), with
 * the person in `by`; an alert outside the actor's reach answers as unknown.
 */
import type { AlertLevel, AlertState } from '../../domain/evolve/alerts';
import type { OrgIndex } from '../../domain/org';
import { derivedId, type LiveState } from '../../domain/projection';
import { NotInScope, type Actor } from '../auth/reach';
import type { IngestService } from '../ingest/service';
import { UserError } from '../user-error';

export class AlertError extends UserError {}

export interface AlertFilter {
	status: 'open' | 'unacknowledged' | 'resolved' | 'all';
	level: AlertLevel | null;
	kind: string | null;
	centerCode: string | null;
}

interface Deps {
	state: () => LiveState;
	org: () => OrgIndex;
	ingest: IngestService;
	now?: () => number;
}

const RANK = { yellow: 1, orange: 2, red: 3 } as const;

export class AlertDesk {
	constructor(private deps: Deps) {}
	private now = () => (this.deps.now ?? Date.now)();

	/** The alerts the actor reaches, newest first: open ones by level (red first), then the rest. */
	list(actor: Actor, f: AlertFilter, limit = 300): AlertState[] {
		const out: AlertState[] = [];
		for (const a of this.deps.state().alerts.values()) {
			if (!actor.reach.place(a.place)) continue;
			if (f.status === 'open' && a.resolvedAt != null) continue;
			if (f.status === 'unacknowledged' && (a.resolvedAt != null || a.ackedAt != null)) continue;
			if (f.status === 'resolved' && a.resolvedAt == null) continue;
			if (f.level && a.level !== f.level) continue;
			if (f.kind && a.kind !== f.kind) continue;
			if (f.centerCode && a.place.centerCode !== f.centerCode) continue;
			out.push(a);
		}
		out.sort((a, b) => Number(a.resolvedAt != null) - Number(b.resolvedAt != null) || RANK[b.level] - RANK[a.level] || b.raisedAt - a.raisedAt);
		return out.slice(0, limit);
	}

	private mine(alertId: string, actor: Actor): AlertState {
		const a = this.deps.state().alerts.get(alertId);
		if (!a || !actor.reach.place(a.place)) throw new NotInScope('alertId', `alertId: no alert "${alertId}"`, '没有这条告警');
		return a;
	}

	private async append(type: 'alert.acknowledged' | 'alert.resolved', a: AlertState, data: Record<string, unknown>): Promise<number> {
		const place = { ...(a.place.centerCode ? { centerCode: a.place.centerCode } : a.place.regionCode ? { regionCode: a.place.regionCode } : {}) };
		const res = await this.deps.ingest.appendDerived([{ id: derivedId(type, a.alertId), type, occurredAt: new Date(this.now()).toISOString(), data: { alertId: a.alertId, title: a.title, ...data, ...place } }]);
		const r = res.results[0];
		if (r.status === 'rejected') throw new AlertError(`alertId: ${r.error ?? 'rejected'}`, 'alertId', `未被接受：${r.error ?? '已拒绝'}`);
		return r.seq ?? 0;
	}

	async acknowledge(alertId: string, note: string | undefined, actor: Actor): Promise<number> {
		const a = this.mine(alertId, actor);
		if (a.resolvedAt != null) throw new AlertError('alertId: the alert is already resolved', 'alertId', '这条告警已解除');
		if (a.ackedAt != null) throw new AlertError(`alertId: already acknowledged by ${a.ackedBy}`, 'alertId', `这条告警已由 ${a.ackedBy} 确认`);
		const text = note?.trim();
		return this.append('alert.acknowledged', a, { by: actor.username, ...(text ? { note: text } : {}) });
	}

	async resolve(alertId: string, note: string | undefined, actor: Actor): Promise<number> {
		const a = this.mine(alertId, actor);
		if (a.resolvedAt != null) throw new AlertError('alertId: the alert is already resolved', 'alertId', '这条告警已解除');
		const text = note?.trim();
		return this.append('alert.resolved', a, { by: actor.username, ...(text ? { note: text } : {}) });
	}
}
