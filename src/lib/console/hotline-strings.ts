/**
 * Words the hotline console's pages share (statuses, channels, callbacks, event types, form
 * fields) and the sentences of refused inputs, in both languages. A refused action names its
 * field: `诉求内容：不能为空` / `Summary: must not be empty`.
 */
import type { HotlineProblem } from '$lib/domain/hotline';
import type { Lang } from '$lib/i18n';
import { local } from '$lib/i18n/local';

export const hotlineWords = local(
	{
		'status.received': '已受理',
		'status.assigned': '已转办',
		'status.replied': '已回复',
		'status.closed': '已办结',
		'status.reopened': '退回重办',
		'status.open': '未办结',
		'channel.phone': '电话',
		'channel.mailbox': '市长信箱',
		'channel.web': '网站',
		'channel.wechat': '微信',
		'sat.satisfied': '满意',
		'sat.basic': '基本满意',
		'sat.unsatisfied': '不满意',
		'event.hotline.ticket_created': '受理',
		'event.hotline.ticket_assigned': '转办',
		'event.hotline.ticket_replied': '部门回复',
		'event.hotline.ticket_closed': '办结',
		'event.hotline.ticket_reopened': '退回重办',
		'event.hotline.callback_recorded': '回访',
		'event.hotline.ticket_supervised': '督办',
		'event.hotline.ticket_overdue': '超期',
		'field.ticketId': '工单',
		'field.callerPhone': '来电号码',
		'field.channel': '渠道',
		'field.category': '类别',
		'field.summary': '诉求内容',
		'field.regionCode': '所属区域',
		'field.departmentCode': '承办部门',
		'field.days': '办理时限（工作日）',
		'field.reply': '回复内容',
		'field.reason': '退回原因',
		'field.reached': '是否联系上',
		'field.satisfaction': '满意度',
		'field.level': '督办级别',
		'field.note': '督办意见',
		'field.defaultDays': '未列出类别的时限',
		'field.limits': '类别',
		'problem.unknownTicket': '没有这张工单',
		'problem.closedAlready': '工单已办结',
		'problem.notDispatched': '工单尚未转办到部门',
		'problem.notClosed': '工单尚未办结',
		'problem.badPhone': '请填写电话号码（数字，可含 + - 空格 括号）',
		'problem.phoneRequired': '电话和微信来件需填写来电号码',
		'problem.chooseOne': '请选择一项',
		'problem.required': '不能为空',
		'problem.unknownCategory': '没有“{value}”这个类别',
		'problem.tooLong': '不能超过 {max} 个字',
		'problem.unknownRegion': '没有“{value}”这个区域',
		'problem.unknownDepartment': '没有“{value}”这个部门（或不在您的范围内）',
		'problem.badDays': '请填写 1–{max} 的整数',
		'problem.badLevel': '请选择 1–5 级',
		'problem.noCategory': '至少保留一个类别',
		'problem.badCategory': '类别名称“{value}”无效（1–100 个字，首尾无空格）',
		'problem.duplicateCategory': '类别“{value}”重复',
		'problem.rejected': '未能保存：{error}'
	},
	{
		'status.received': 'received',
		'status.assigned': 'dispatched',
		'status.replied': 'replied',
		'status.closed': 'closed',
		'status.reopened': 'reopened',
		'status.open': 'not closed',
		'channel.phone': 'phone',
		'channel.mailbox': "mayor's mailbox",
		'channel.web': 'website',
		'channel.wechat': 'WeChat',
		'sat.satisfied': 'satisfied',
		'sat.basic': 'basically satisfied',
		'sat.unsatisfied': 'unsatisfied',
		'event.hotline.ticket_created': 'Taken',
		'event.hotline.ticket_assigned': 'Dispatched',
		'event.hotline.ticket_replied': 'Department replied',
		'event.hotline.ticket_closed': 'Closed',
		'event.hotline.ticket_reopened': 'Reopened',
		'event.hotline.callback_recorded': 'Callback',
		'event.hotline.ticket_supervised': 'Supervised',
		'event.hotline.ticket_overdue': 'Overdue',
		'field.ticketId': 'Ticket',
		'field.callerPhone': 'Caller phone',
		'field.channel': 'Channel',
		'field.category': 'Category',
		'field.summary': 'Summary',
		'field.regionCode': 'Region',
		'field.departmentCode': 'Department',
		'field.days': 'Time limit (working days)',
		'field.reply': 'Reply',
		'field.reason': 'Reason',
		'field.reached': 'Reached',
		'field.satisfaction': 'Satisfaction',
		'field.level': 'Level',
		'field.note': 'Note',
		'field.defaultDays': 'Limit of categories not listed',
		'field.limits': 'Categories',
		'problem.unknownTicket': 'no such ticket',
		'problem.closedAlready': 'the ticket is closed already',
		'problem.notDispatched': 'the ticket has not been dispatched to a department',
		'problem.notClosed': 'the ticket is not closed',
		'problem.badPhone': 'expected a phone number (digits, + - spaces, brackets)',
		'problem.phoneRequired': 'required for phone and WeChat tickets',
		'problem.chooseOne': 'choose one',
		'problem.required': 'must not be empty',
		'problem.unknownCategory': 'unknown category "{value}"',
		'problem.tooLong': 'at most {max} characters',
		'problem.unknownRegion': 'unknown region "{value}"',
		'problem.unknownDepartment': 'unknown department "{value}" (or outside your scope)',
		'problem.badDays': 'expected a whole number 1–{max}',
		'problem.badLevel': 'choose a level 1–5',
		'problem.noCategory': 'keep at least one category',
		'problem.badCategory': 'invalid category name "{value}" (1–100 characters, no spaces around)',
		'problem.duplicateCategory': 'category "{value}" is listed twice',
		'problem.rejected': 'not saved: {error}'
	}
);

type Word = Parameters<ReturnType<typeof hotlineWords>>[0];

/** `诉求内容：不能为空` — the field's label, then what is wrong. */
export function problemText(p: HotlineProblem, lang: Lang): string {
	const t = hotlineWords(lang);
	const [head, ...rest] = p.field.split('.');
	const field = rest.length ? `${t(`field.${head}` as Word)} ${rest.join('.')}` : t(`field.${head}` as Word);
	return `${field}${lang === 'en' ? ': ' : '：'}${t(`problem.${p.code}` as Word, p.params)}`;
}

/** A word of the table by a key built at run time (`status.${s}`), or the key's last part. */
export function hotlineWord(lang: Lang, key: string): string {
	const t = hotlineWords(lang);
	const s = t(key as Word);
	return s === key ? key.slice(key.lastIndexOf('.') + 1) : s;
}
