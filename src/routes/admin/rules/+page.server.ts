import { fail } from '@sveltejs/kit';
import { calendarDayProblem, mergeCalendarDays, parseCalendarCsv, parseDayKind, type CalendarConfig, type CalendarDay } from '$lib/domain/calendar';
import { applyRuleForm, paramKeys, RULE_IDS, RULE_PARAMS, type RuleForm, type RuleId } from '$lib/domain/rules';
import { monthKey } from '$lib/domain/time';
import { auditRequest } from '$lib/server/audit';
import { saveCalendar, saveRuleSettings } from '$lib/server/rules/settings';
import type { Actions, PageServerLoad } from './$types';

/** 红黄牌规则与工作日历: the rules in force with this month's cards per rule, and the calendar by year. */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const { settings, calendarConfig, calendar } = rt.rules();
	const month = monthKey(Date.now(), rt.org().timezoneOf(null));
	const issued = Object.fromEntries(RULE_IDS.map((r) => [r, { yellow: 0, red: 0 }])) as Record<RuleId, { yellow: number; red: number }>;
	for (const c of rt.projector.state.cards.values())
		if (c.rule && c.rule in issued && !c.revoked && c.day.startsWith(month)) issued[c.rule as RuleId][c.color]++;
	const years = [...new Set([...calendar.years(), new Date().getFullYear()])].sort((a, b) => b - a);
	return {
		rules: RULE_IDS.map((id) => ({
			id,
			enabled: settings[id].enabled,
			since: settings[id].since == null ? null : new Date(settings[id].since!).toISOString(),
			params: paramKeys(id).map((key) => ({ key, value: (settings[id].params as Record<string, number>)[key], ...(RULE_PARAMS[id] as Record<string, { default: number; min: number; max: number }>)[key] })),
			issued: issued[id]
		})),
		calendar: years.map((year) => ({
			year,
			days: calendarConfig.days.filter((d) => d.date.startsWith(`${year}-`)),
			workingDays: calendar.workingDaysBetween(Date.parse(`${year - 1}-12-31T12:00:00+08:00`), Date.parse(`${year}-12-31T12:00:00+08:00`))
		}))
	};
};

type Event = Parameters<Actions[string]>[0];

/** Store the calendar, tell every instance, audit the dates that changed (before → after). */
async function storeCalendar(event: Event, before: CalendarConfig, after: CalendarConfig, action: string) {
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

export const actions: Actions = {
	saveRules: async (event) => {
		const rt = event.locals.services;
		const data = await event.request.formData();
		const form = {} as RuleForm;
		for (const id of RULE_IDS)
			form[id] = { enabled: data.get(`${id}.enabled`) === 'on', params: Object.fromEntries(paramKeys(id).map((k) => [k, String(data.get(`${id}.${k}`) ?? '')])) };
		const before = rt.rules().settings;
		const r = applyRuleForm(before, form, Date.now());
		if (!r.ok) return fail(400, { action: 'saveRules', field: r.field, error: r.error, values: Object.fromEntries([...data].map(([k, v]) => [k, String(v)])) });
		await saveRuleSettings(rt.handle.db, r.settings);
		await rt.reloadRules();
		await auditRequest(rt.handle.db, event, 'rules.update', 'rules', { before, after: r.settings });
		return { saved: 'rules' };
	},
	addDay: async (event) => {
		const data = await event.request.formData();
		const kind = parseDayKind(String(data.get('kind') ?? ''));
		const day: CalendarDay = { date: String(data.get('date') ?? '').trim(), kind: kind ?? ('' as never) };
		const name = String(data.get('name') ?? '').trim();
		if (name) day.name = name;
		const problem = calendarDayProblem(day);
		if (problem) return fail(400, { action: 'addDay', field: problem.split(':')[0], error: problem, values: { date: day.date, kind: String(data.get('kind') ?? ''), name } });
		const before = event.locals.services.rules().calendarConfig;
		await storeCalendar(event, before, mergeCalendarDays(before, [day]), 'calendar.add');
		return { saved: 'day', date: day.date };
	},
	removeDay: async (event) => {
		const date = String((await event.request.formData()).get('date') ?? '');
		const before = event.locals.services.rules().calendarConfig;
		if (!before.days.some((d) => d.date === date)) return fail(400, { action: 'removeDay', field: 'date', error: `date: ${date || 'nothing'} is not in the calendar` });
		await storeCalendar(event, before, { days: before.days.filter((d) => d.date !== date) }, 'calendar.remove');
		return { saved: 'removed', date };
	},
	importCsv: async (event) => {
		const data = await event.request.formData();
		const csv = String(data.get('csv') ?? '');
		const replace = data.get('replace') === 'on';
		const { days, errors } = parseCalendarCsv(csv);
		if (errors.length || !days.length)
			return fail(400, { action: 'importCsv', field: 'csv', error: errors.length ? errors.join('\n') : 'csv: no dates found (one a line: 2027-01-01,holiday,元旦)', values: { csv } });
		const before = event.locals.services.rules().calendarConfig;
		const years = new Set(days.map((d) => d.date.slice(0, 4)));
		const base = replace ? { days: before.days.filter((d) => !years.has(d.date.slice(0, 4))) } : before;
		const changed = await storeCalendar(event, before, mergeCalendarDays(base, days), 'calendar.import');
		return { saved: 'imported', imported: days.length, changed };
	}
};

