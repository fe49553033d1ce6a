import { z } from 'zod';
import { calendarDayProblem, mergeCalendarDays, parseCalendarCsv, type CalendarConfig, type CalendarDay } from '$lib/domain/calendar';
import { applyRuleForm, paramKeys, RULE_IDS, RULE_PARAMS, type RuleForm, type RuleId } from '$lib/domain/rules';
import { monthKey } from '$lib/domain/time';
import type { MessageKey } from '$lib/i18n';
import { auditRequest } from '$lib/server/audit';
import { field, formAction, Refused, worded } from '$lib/server/http/form';
import { param, type Shape } from '$lib/server/http/params';
import { saveCalendar, saveRuleSettings } from '$lib/server/rules/settings';
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

type ParamDef = { default: number; min: number; max: number };
const defOf = (id: RuleId, key: string) => (RULE_PARAMS[id] as Record<string, ParamDef>)[key];

/** 红黄牌规则与工作日历: the rules in force with this month's cards per rule, and the calendar by year. */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const { settings, calendarConfig, calendar } = rt.rules();
	const month = monthKey(Date.now(), rt.org().timezoneOf(null));
	const issued = Object.fromEntries(RULE_IDS.map((r) => [r, { yellow: 0, red: 0 }])) as Record<RuleId, { yellow: number; red: number }>;
	for (const c of rt.projector.state.cards.values()) if (c.rule && c.rule in issued && !c.revoked && c.day.startsWith(month)) issued[c.rule as RuleId][c.color]++;
	const years = [...new Set([...calendar.years(), new Date().getFullYear()])].sort((a, b) => b - a);
	return {
		rules: RULE_IDS.map((id) => ({
			id,
			enabled: settings[id].enabled,
			since: settings[id].since == null ? null : new Date(settings[id].since!).toISOString(),
			params: paramKeys(id).map((key) => ({ key, value: (settings[id].params as Record<string, number>)[key], ...defOf(id, key) })),
			issued: issued[id]
		})),
		calendar: years.map((year) => ({
			year,
			days: calendarConfig.days.filter((d) => d.date.startsWith(`${year}-`)),
			workingDays: calendar.workingDaysBetween(Date.parse(`${year - 1}-12-31T12:00:00+08:00`), Date.parse(`${year}-12-31T12:00:00+08:00`))
		}))
	};
};

/** Store the calendar, tell every instance, audit the dates that changed (before → after). */
async function storeCalendar(event: RequestEvent, before: CalendarConfig, after: CalendarConfig, action: string) {
	const rt = event.locals.services;
	const was = new Map(before.days.map((d) => [d.date, d]));
	const now = new Map(after.days.map((d) => [d.date, d]));
	const dates = [...new Set([...was.keys(), ...now.keys()])].filter((d) => JSON.stringify(was.get(d) ?? null) !== JSON.stringify(now.get(d) ?? null)).sort();
	await saveCalendar(rt.handle.db, after);
	await rt.reloadRules();
	await auditRequest(rt.handle.db, event, action, 'calendar', {
		before: dates.map((d) => was.get(d) ?? { date: d, kind: null }),
		after: dates.map((d) => now.get(d) ?? { date: d, kind: null })
	});
	return dates.length;
}

/** Every rule's switch and parameters (`window_idle.enabled`, `window_idle.idleMinutes`), each within its range. */
const RULES: Shape = Object.fromEntries(
	RULE_IDS.flatMap((id) => [
		[`${id}.enabled`, field.flag()],
		...paramKeys(id).map((k) => [`${id}.${k}`, param.int(defOf(id, k).min, defOf(id, k).max).describe(`rules.${id}.${k}` as MessageKey)])
	])
);
const DAY = { date: param.day().describe('rules.date'), kind: param.oneOf(['holiday', 'workday']).describe('rules.kind'), name: param.text(40).optional().describe('rules.name') };
const CSV = { csv: z.string().default(''), replace: field.flag() };

export const actions: Actions = {
	saveRules: formAction('saveRules', RULES, async (input, event) => {
		const rt = event.locals.services;
		const form = Object.fromEntries(RULE_IDS.map((id) => [id, { enabled: !!input[`${id}.enabled`], params: Object.fromEntries(paramKeys(id).map((k) => [k, String(input[`${id}.${k}`])])) }])) as RuleForm;
		const before = rt.rules().settings;
		const r = applyRuleForm(before, form, Date.now());
		if (!r.ok) throw new Refused({ [r.field]: worded(r.error, r.error) });
		await saveRuleSettings(rt.handle.db, r.settings);
		await rt.reloadRules();
		await auditRequest(rt.handle.db, event, 'rules.update', 'rules', { before, after: r.settings });
		return { saved: 'rules' as const };
	}),
	addDay: formAction('addDay', DAY, async ({ date, kind, name }, event) => {
		const day: CalendarDay = { date, kind, ...(name ? { name } : {}) };
		const problem = calendarDayProblem(day);
		if (problem) throw new Refused({ [problem.split(':')[0]]: problem.includes('weekday') ? { key: 'rules.errWeekday', params: { date } } : worded(problem, problem) });
		const before = event.locals.services.rules().calendarConfig;
		await storeCalendar(event, before, mergeCalendarDays(before, [day]), 'calendar.add');
		return { saved: 'day' as const, date: day.date };
	}),
	removeDay: formAction('removeDay', { date: field.hidden(param.day()) }, async ({ date }, event) => {
		const before = event.locals.services.rules().calendarConfig;
		if (!before.days.some((d) => d.date === date)) throw new Refused({ date: { key: 'rules.errNotInCalendar', params: { date } } });
		await storeCalendar(event, before, { days: before.days.filter((d) => d.date !== date) }, 'calendar.remove');
		return { saved: 'removed' as const, date };
	}),
	importCsv: formAction('importCsv', CSV, async ({ csv, replace }, event) => {
		const { days, errors } = parseCalendarCsv(csv);
		if (errors.length) throw new Refused({ csv: worded(errors.join('\n'), errors.join('\n')) });
		if (!days.length) throw new Refused({ csv: { key: 'rules.errNoDates' } });
		const before = event.locals.services.rules().calendarConfig;
		const years = new Set(days.map((d) => d.date.slice(0, 4)));
		const base = replace ? { days: before.days.filter((d) => !years.has(d.date.slice(0, 4))) } : before;
		const changed = await storeCalendar(event, before, mergeCalendarDays(base, days), 'calendar.import');
		return { saved: 'imported' as const, imported: days.length, changed };
	})
};
