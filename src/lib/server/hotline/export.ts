/**
 * 工单导出: the console's filtered ticket list as an Excel workbook (the page's filter, every
 * page of it up to EXPORT_MAX rows, newest first), with names instead of codes and the caller
 * phone as the viewer may see it (masked for all but hotline operators).
 */
import ExcelJS from 'exceljs';
import type { TicketFilter } from '../../domain/hotline-figures';
import type { OrgIndex } from '../../domain/org';
import { translator } from '../../i18n';
import type { HotlineViewer } from './view';
import { ticketView } from './view';
import type { HotlineTickets } from './tickets';

/** The most rows one export holds (a year of a busy county's hotline); the sheet says when it stops there. */
export const EXPORT_MAX = 20_000;

export async function ticketsWorkbook(tickets: HotlineTickets, filter: TicketFilter, viewer: HotlineViewer, org: OrgIndex, now: number): Promise<{ body: Buffer; rows: number; truncated: boolean }> {
	const t = translator('zh');
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Hallwatch';
	const ws = wb.addWorksheet('热线工单');
	ws.columns = [
		{ header: '工单号', key: 'id', width: 24 },
		{ header: '受理时间', key: 'created', width: 18 },
		{ header: '渠道', key: 'channel', width: 8 },
		{ header: '类别', key: 'category', width: 10 },
		{ header: '诉求内容', key: 'summary', width: 40 },
		{ header: '来电号码', key: 'phone', width: 14 },
		{ header: '所属区域', key: 'region', width: 12 },
		{ header: '承办部门', key: 'dept', width: 18 },
		{ header: '状态', key: 'status', width: 10 },
		{ header: '签收', key: 'ack', width: 10 },
		{ header: '办理期限', key: 'due', width: 18 },
		{ header: '延期', key: 'extensions', width: 6 },
		{ header: '退单', key: 'returns', width: 6 },
		{ header: '办结时间', key: 'closed', width: 18 },
		{ header: '是否超期', key: 'late', width: 8 },
		{ header: '回访', key: 'callback', width: 10 },
		{ header: '满意度', key: 'satisfaction', width: 10 },
		{ header: '是否解决', key: 'solved', width: 8 },
		{ header: '督办', key: 'supervised', width: 6 },
		{ header: '部门回复', key: 'reply', width: 40 }
	];
	const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: viewer.tz, hour12: false }).slice(0, 16) : '');
	let cursor = null;
	let rows = 0;
	let truncated = false;
	for (;;) {
		const page = await tickets.list(filter, { reach: viewer.reach, tz: viewer.tz, now, cursor, limit: 1000, searchPhones: viewer.seesPhones });
		for (const s of page.rows) {
			if (rows >= EXPORT_MAX) {
				truncated = true;
				break;
			}
			const v = ticketView(s, org, viewer, now);
			ws.addRow({
				id: v.ticketId,
				created: when(v.createdAt),
				channel: v.channel ? t(`hl.channel.${v.channel}` as 'hl.channel.phone') : '',
				category: v.category ?? '',
				summary: v.summary ?? '',
				phone: v.callerPhone ?? '',
				region: v.regionName ?? '',
				dept: v.departmentName ?? '',
				status: t(`hl.status.${v.status}` as 'hl.status.closed'),
				ack: v.ackOnTime === true ? '及时' : v.ackOnTime === false ? '超时' : v.acknowledgedAt ? '已签收' : '',
				due: when(v.dueAt),
				extensions: v.extensions || '',
				returns: v.returns || '',
				closed: when(v.closedAt),
				late: v.overdueNow || v.closedLate ? '是' : '',
				callback: v.callbackReached == null ? '' : v.callbackReached ? '已联系上' : '未联系上',
				satisfaction: v.satisfaction ? t(`hl.sat.${v.satisfaction}` as 'hl.sat.satisfied') : '',
				solved: v.solved == null ? '' : v.solved ? '是' : '否',
				supervised: v.supervisedLevel ?? '',
				reply: v.lastReply ?? ''
			});
			rows++;
		}
		if (truncated || !page.next) break;
		cursor = page.next;
	}
	ws.getRow(1).font = { bold: true };
	ws.views = [{ state: 'frozen', ySplit: 1 }];
	if (truncated) ws.addRow({ id: `（仅导出前 ${EXPORT_MAX} 件，请缩小筛选范围）` });
	return { body: Buffer.from(await wb.xlsx.writeBuffer()), rows, truncated };
}
