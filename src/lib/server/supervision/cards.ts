/**
 * 红黄牌 by hand: a supervisor issues a card (with optional evidence files) or revokes one with a
 * reason. Both are catalog events through the ingest path (sender `user:USERNAME`); evidence is
 * stored in `card_evidence` under a random key and served only to supervisors whose scope
 * reaches the card. Every target, card and file is checked against the actor's `Reach`: one
 * outside it answers as unknown. The month's Excel export
 * is built here from the same rows the page shows.
 */
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { asc, eq, inArray } from 'drizzle-orm';
import { CARD_REASONS } from '../../domain/catalog';
import { cardTallies, type CardRow } from '../../domain/cards';
import type { OrgIndex } from '../../domain/org';
import { ruleLabel } from '../../domain/rules';
import type { LiveState } from '../../domain/projection';
import type { Database } from '../db/client';
import { cardEvidence } from '../db/schema';
import type { IngestService } from '../ingest/service';
import { NotInScope, type Actor, type Reach } from '../auth/reach';
import { UserError } from '../user-error';

export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
const EVIDENCE_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/;

/** A card that cannot be issued or revoked as asked (英文 message, 中文 `zh`). */
export class CardError extends UserError {}

export interface EvidenceFile {
	name: string;
	type: string;
	bytes: Uint8Array;
}

interface Deps {
	db: Database;
	state: () => LiveState;
	org: () => OrgIndex;
	ingest: IngestService;
	now?: () => number;
}

export class CardDesk {
	constructor(private deps: Deps) {}
	private now = () => (this.deps.now ?? Date.now)();

	async issue(
		p: { color: string; targetKind: string; targetCode: string; reason: string; note?: string; evidence?: EvidenceFile[] },
		actor: Actor
	): Promise<{ cardId: string; seq: number }> {
		const username = actor.username;
		if (p.color !== 'yellow' && p.color !== 'red') throw new CardError('color: choose yellow or red', 'color', '请选择黄牌或红牌');
		if (!['staff', 'window', 'department'].includes(p.targetKind)) throw new CardError('targetKind: choose staff, window or department', 'targetKind', '请选择对象：人员、窗口或部门');
		actor.reach.require(p.targetKind as 'staff' | 'window' | 'department', p.targetCode, 'targetCode');
		if (!(CARD_REASONS as readonly string[]).includes(p.reason)) throw new CardError(`reason: choose one of ${CARD_REASONS.join(', ')}`, 'reason', '请选择亮牌原因');
		const note = p.note?.trim() || undefined;
		if (note && note.length > 1000) throw new CardError('note: at most 1000 characters', 'note', '说明最多 1000 个字');
		for (const f of p.evidence ?? []) {
			if (f.bytes.length > MAX_EVIDENCE_BYTES) throw new CardError(`evidence: "${f.name}" is larger than 5 MB`, 'evidence', `证据文件“${f.name}”超过 5 MB`);
			if (!EVIDENCE_TYPES.test(f.type)) throw new CardError(`evidence: "${f.name}" is ${f.type || 'of unknown type'}; photos (PNG, JPEG, GIF, WebP) or PDF only`, 'evidence', `证据文件“${f.name}”的类型不支持：只接受照片（PNG、JPEG、GIF、WebP）或 PDF`);
		}
		const d = new Date(this.now());
		const cardId = `card-${d.toISOString().slice(0, 7).replace('-', '')}-${randomBytes(4).toString('hex')}`;
		const res = await this.deps.ingest.ingest(
			`user:${username}`,
			[{ id: cardId, type: 'card.issued', occurredAt: d.toISOString(), data: { cardId, color: p.color, target: { kind: p.targetKind, code: p.targetCode }, reason: p.reason, ...(note ? { note } : {}), issuedBy: username } }],
			['card.issued']
		);
		const r = res.results[0];
		if (r.status === 'rejected') throw new CardError(r.error ?? 'rejected', 'card', `亮牌未被接受：${r.error ?? '已拒绝'}`);
		if (p.evidence?.length)
			await this.deps.db.insert(cardEvidence).values(
				p.evidence.map((f) => ({ key: evidenceKey(), cardId, filename: f.name.slice(0, 200), contentType: f.type, size: f.bytes.length, data: Buffer.from(f.bytes).toString('base64'), uploadedBy: username }))
			);
		return { cardId, seq: r.seq ?? 0 };
	}

	async revoke(cardId: string, reason: string, actor: Actor): Promise<{ seq: number }> {
		const username = actor.username;
		const c = this.deps.state().cards.get(cardId);
		if (!c || !actor.reach.place(c.place)) throw new NotInScope('cardId', `cardId: no card "${cardId}" this month`, '本月没有这张牌');
		if (c.revoked) throw new CardError('cardId: already revoked', 'cardId', '这张牌已撤销');
		const why = reason.trim();
		if (!why) throw new CardError('reason: say why the card is revoked', 'reason', '请填写撤销原因');
		if (why.length > 1000) throw new CardError('reason: at most 1000 characters', 'reason', '撤销原因最多 1000 个字');
		const res = await this.deps.ingest.ingest(
			`user:${username}`,
			[{ id: `revoke-${cardId}`, type: 'card.revoked', occurredAt: new Date(this.now()).toISOString(), data: { cardId, reason: why, revokedBy: username } }],
			['card.revoked']
		);
		const r = res.results[0];
		if (r.status === 'rejected') throw new CardError(r.error ?? 'rejected', 'cardId', `撤销未被接受：${r.error ?? '已拒绝'}`);
		return { seq: r.seq ?? 0 };
	}

	/** Evidence files (names and keys) per card, of the cards the reach covers. */
	evidenceOf(cardIds: string[], reach: Reach): Promise<Map<string, EvidenceItem[]>> {
		return this.filesOf(cardIds.filter((id) => this.reaches(id, reach)));
	}

	/** One file by its key, if its card is within the reach (else null, as for a key that does not exist). */
	evidence(key: string, reach: Reach): Promise<EvidenceBody | null> {
		return this.file(key, (cardId) => this.reaches(cardId, reach));
	}

	/** Evidence of the cards to a staff member or their window (what their terminal lists). */
	evidenceOfOwn(cardIds: string[], staffCode: string): Promise<Map<string, EvidenceItem[]>> {
		return this.filesOf(cardIds.filter((id) => this.owns(id, staffCode)));
	}

	/** One file of a card to this staff member or their window (else null). */
	ownEvidence(key: string, staffCode: string): Promise<EvidenceBody | null> {
		return this.file(key, (cardId) => this.owns(cardId, staffCode));
	}

	private async filesOf(cardIds: string[]): Promise<Map<string, EvidenceItem[]>> {
		const out = new Map<string, EvidenceItem[]>();
		if (!cardIds.length) return out;
		const rows = await this.deps.db
			.select({ key: cardEvidence.key, cardId: cardEvidence.cardId, filename: cardEvidence.filename, size: cardEvidence.size })
			.from(cardEvidence)
			.where(inArray(cardEvidence.cardId, cardIds))
			.orderBy(asc(cardEvidence.id));
		for (const r of rows) out.set(r.cardId, [...(out.get(r.cardId) ?? []), { key: r.key, filename: r.filename, size: r.size }]);
		return out;
	}

	private async file(key: string, allowed: (cardId: string) => boolean): Promise<EvidenceBody | null> {
		const [row] = await this.deps.db.select().from(cardEvidence).where(eq(cardEvidence.key, key));
		if (!row || !allowed(row.cardId)) return null;
		return { filename: row.filename, contentType: row.contentType, bytes: Buffer.from(row.data, 'base64') };
	}

	/** A card is reached where its target is placed (cards of past years, no longer in memory, by no one but the deployment's). */
	private reaches(cardId: string, reach: Reach): boolean {
		const c = this.deps.state().cards.get(cardId);
		return c ? reach.place(c.place) : reach.everything;
	}

	/** A card to this staff member, or to the window they sit at. */
	private owns(cardId: string, staffCode: string): boolean {
		const c = this.deps.state().cards.get(cardId);
		if (!c) return false;
		if (c.targetKind === 'staff') return c.targetCode === staffCode;
		return c.targetKind === 'window' && c.targetCode != null && this.deps.org().staff.get(staffCode)?.windowCode === c.targetCode;
	}
}

export interface EvidenceItem {
	key: string;
	filename: string;
	size: number;
}

export interface EvidenceBody {
	filename: string;
	contentType: string;
	bytes: Buffer;
}

/** An evidence file as its own response: shown inline (images, PDF), never sniffed, nothing it could load. */
export function evidenceResponse(file: EvidenceBody): Response {
	const inline = /^image\/|^application\/pdf$/.test(file.contentType);
	return new Response(new Uint8Array(file.bytes), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
			'cache-control': 'private, max-age=3600'
		}
	});
}

/** A new evidence key: 160 random bits, base32 (32 characters). */
const evidenceKey = () => encodeBase32LowerCaseNoPadding(randomBytes(20));

/** The month's cards as a workbook: the list, and tallies by department and by staff member. */
export async function cardsWorkbook(
	month: string,
	rows: CardRow[],
	labels: { reason: (r: string) => string; color: (c: string) => string; kind: (k: string) => string },
	evidence: ReadonlyMap<string, ReadonlyArray<{ filename: string }>> = new Map()
): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Hallwatch';
	const list = wb.addWorksheet(`红黄牌 ${month}`);
	list.columns = [
		{ header: '时间', key: 'at', width: 20 },
		{ header: '颜色', key: 'color', width: 8 },
		{ header: '对象类型', key: 'kind', width: 10 },
		{ header: '对象', key: 'target', width: 16 },
		{ header: '部门', key: 'dept', width: 18 },
		{ header: '原因', key: 'reason', width: 14 },
		{ header: '说明', key: 'note', width: 30 },
		{ header: '证据', key: 'evidence', width: 24 },
		{ header: '来源', key: 'source', width: 22 },
		{ header: '状态', key: 'state', width: 8 },
		{ header: '撤销原因', key: 'revokeReason', width: 24 },
		{ header: '编号', key: 'id', width: 26 }
	];
	for (const r of rows)
		list.addRow({
			at: new Date(r.at).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }),
			color: labels.color(r.color),
			kind: labels.kind(r.targetKind),
			target: r.targetName,
			dept: r.departmentName ?? '',
			reason: labels.reason(r.reason),
			note: r.note ?? '',
			evidence: (evidence.get(r.cardId) ?? []).map((e) => e.filename).join('、'),
			source: r.rule ? `规则：${ruleLabel(r.rule, 'zh')}` : '人工',
			state: r.revoked ? '已撤销' : '有效',
			revokeReason: r.revokeReason ?? '',
			id: r.cardId
		});
	list.getRow(1).font = { bold: true };
	const t = cardTallies(rows);
	for (const [name, items] of [
		['按部门统计', t.byDepartment],
		['按人员统计', t.byStaff]
	] as const) {
		const ws = wb.addWorksheet(name);
		ws.columns = [
			{ header: '名称', key: 'name', width: 20 },
			{ header: '黄牌', key: 'yellow', width: 8 },
			{ header: '红牌', key: 'red', width: 8 }
		];
		for (const x of items) ws.addRow({ name: x.name, yellow: x.yellow, red: x.red });
		ws.getRow(1).font = { bold: true };
	}
	return Buffer.from(await wb.xlsx.writeBuffer());
}
