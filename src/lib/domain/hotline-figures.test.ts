import { describe, expect, it } from 'vitest';
import { emptyCounts, rankByComposite, yearToDate, decodeCursor, dateBounds, drillDown, encodeCursor, filterQuery, hotlineFigures, monthRange, NO_FILTER, parseTicketFilter, rankDepartments } from './hotline-figures';

describe('hotline figures', () => {
	it('computes the rates from counts (the Ordos 2012 figures by hand)', () => {
		// 受理 23328, 办结 22586: 96.8 %; 22000 on time: 97.4 %; 回访 17577: 77.8 %; 17560 of 17570 reached satisfied: 99.9 %.
		const f = hotlineFigures({ ...emptyCounts(), received: 23328, closed: 22586, closedOnTime: 22000, callbacks: 17577, reached: 17570, satisfied: 17560, unsatisfied: 10 });
		expect(f).toMatchObject({ closureRate: 96.8, onTimeRate: 97.4, callbackRate: 77.8, satisfactionRate: 99.9 });
		// Small numbers: 2 of 3 closed = 66.7; 1 of 2 on time = 50; 1 callback of 2 = 50; 1 of 1 = 100.
		expect(hotlineFigures({ ...emptyCounts(), received: 3, closed: 2, closedOnTime: 1, callbacks: 1, reached: 1, satisfied: 1, unsatisfied: 0 })).toMatchObject({
			closureRate: 66.7,
			onTimeRate: 50,
			callbackRate: 50,
			satisfactionRate: 100
		});
		expect(hotlineFigures({ ...emptyCounts(), received: 0, closed: 0, closedOnTime: 0, callbacks: 0, reached: 0, satisfied: 0, unsatisfied: 0 })).toMatchObject({ closureRate: null, onTimeRate: null, callbackRate: null, satisfactionRate: null });
	});

	it('ranks departments by closure rate, then on-time rate, then satisfaction; ties share a rank', () => {
		const d = (code: string, received: number, closed: number, onTime: number, reached = 0, satisfied = 0) => ({
			departmentCode: code,
			name: code,
			...hotlineFigures({ ...emptyCounts(), received, closed, closedOnTime: onTime, callbacks: reached, reached, satisfied, unsatisfied: reached - satisfied })
		});
		const r = rankDepartments([d('A', 10, 9, 9), d('B', 10, 10, 8), d('C', 10, 10, 10, 2, 1), d('D', 10, 10, 10, 2, 1), d('E', 0, 0, 0)]);
		expect(r.map((x) => [x.departmentCode, x.rank])).toEqual([
			['C', 1],
			['D', 1],
			['B', 3],
			['A', 4],
			['E', 5]
		]);
	});

	it('the assessment figures of tickets, by hand', () => {
		// 40 received, 30 of them closed now (cohort 75 %), 38 closed this month (95 %: 8 of last month's);
		// 50 assigned: 44 judged, 40 in time (90.9 %); 2 returned (4 %), 3 extended (6 %);
		// 20 said solved or not, 18 solved (90 %); 25 reached, 24 satisfied (96 %); 10 merged of 50 taken (20 %).
		const f = hotlineFigures({ ...emptyCounts(), received: 40, cohortClosed: 30, closed: 38, closedOnTime: 38, assigned: 50, ackJudged: 44, ackOnTime: 40, returned: 2, extended: 3, solvedAsked: 20, solved: 18, reached: 25, satisfied: 24, callbacks: 25, merged: 10 });
		expect(f).toMatchObject({ cohortClosureRate: 75, closureRate: 95, acknowledgedOnTimeRate: 90.9, returnRate: 4, extensionRate: 6, resolvedRate: 90, satisfactionRate: 96, repeatRate: 20 });
		// (90.9 × 30 + 90 × 35 + 96 × 35) ÷ 100 = 27.27 + 31.5 + 33.6 = 92.37 → 92.4; with 100/0/0: 90.9.
		expect(f.composite).toBe(92.4);
		expect(hotlineFigures({ ...emptyCounts(), ackJudged: 44, ackOnTime: 40 }, { response: 100, resolved: 0, satisfaction: 0 }).composite).toBe(90.9);
		// Around a month's end the contract rate passes 100 %, the cohort rate never does.
		expect(hotlineFigures({ ...emptyCounts(), received: 100, closed: 104, cohortClosed: 90 })).toMatchObject({ closureRate: 104, cohortClosureRate: 90 });
	});

	it('ranks by the composite; none last; year to date spans January to the month', () => {
		const r = rankByComposite([
			{ departmentCode: 'A', composite: 90 },
			{ departmentCode: 'B', composite: null },
			{ departmentCode: 'C', composite: 95 },
			{ departmentCode: 'D', composite: 90 }
		]);
		expect(r.map((x) => [x.departmentCode, x.compositeRank])).toEqual([
			['C', 1],
			['A', 2],
			['D', 2],
			['B', null]
		]);
		expect(yearToDate('2026-11', 'Asia/Shanghai')).toEqual({ from: '2026-01-01', to: '2026-11-30', start: Date.parse('2026-01-01T00:00:00+08:00'), end: Date.parse('2026-12-01T00:00:00+08:00') });
	});

	it('bounds a month in the center zone', () => {
		const m = monthRange('2026-02', 'Asia/Shanghai');
		expect(m).toEqual({ from: '2026-02-01', to: '2026-02-28', start: Date.parse('2026-02-01T00:00:00+08:00'), end: Date.parse('2026-03-01T00:00:00+08:00') });
		expect(monthRange('2026-12', 'Asia/Shanghai').end).toBe(Date.parse('2027-01-01T00:00:00+08:00'));
	});
});

describe('ticket list filter', () => {
	it('reads a query string, leaving out what makes no sense', () => {
		const f = parseTicketFilter(new URLSearchParams('status=closed&department=GSJ&overdue=1&from=2026-11-01&to=2026-11-31&on=closed&ontime=0&callback=reached&satisfaction=good&q=%20路灯%20&supervised=1'));
		expect(f).toEqual({ ...NO_FILTER, status: 'closed', departmentCode: 'GSJ', overdue: true, from: '2026-11-01', to: null, on: 'closed', onTime: false, callback: 'reached', satisfaction: 'good', q: '路灯', supervised: true });
		expect(parseTicketFilter(new URLSearchParams('status=bogus&callback=maybe'))).toEqual(NO_FILTER);
	});

	it('round-trips through a link, and bounds its dates', () => {
		const f = { ...NO_FILTER, status: 'open' as const, category: '城市管理', from: '2026-11-01', to: '2026-11-30' };
		expect(parseTicketFilter(new URLSearchParams(filterQuery(f)))).toEqual(f);
		expect(filterQuery({})).toBe('');
		expect(dateBounds(f, 'Asia/Shanghai')).toEqual({ start: Date.parse('2026-11-01T00:00:00+08:00'), end: Date.parse('2026-12-01T00:00:00+08:00') });
	});

	it('drills every figure down to the tickets behind it', () => {
		const m = { from: '2026-11-01', to: '2026-11-30' };
		expect(filterQuery(drillDown('received', m))).toBe('from=2026-11-01&to=2026-11-30');
		expect(filterQuery(drillDown('closureRate', m, 'GSJ'))).toBe('status=closed&department=GSJ&from=2026-11-01&to=2026-11-30&on=closed');
		expect(drillDown('onTimeRate', m)).toMatchObject({ status: 'closed', on: 'closed', onTime: true });
		expect(drillDown('callbackRate', m)).toMatchObject({ callback: 'any' });
		expect(drillDown('satisfactionRate', m)).toMatchObject({ callback: 'reached', satisfaction: 'good' });
		expect(filterQuery(drillDown('cohortClosureRate', m))).toBe('status=closed&from=2026-11-01&to=2026-11-30');
		expect(filterQuery(drillDown('acknowledgedOnTimeRate', m, 'GSJ'))).toBe('department=GSJ&from=2026-11-01&to=2026-11-30&on=assigned&ack=1');
		expect(filterQuery(drillDown('repeatRate', m))).toBe('from=2026-11-01&to=2026-11-30&merged=1');
		expect(parseTicketFilter(new URLSearchParams(filterQuery(drillDown('resolvedRate', m))))).toMatchObject({ solved: true, callback: 'reached', status: 'closed' });
	});

	it('encodes a keyset cursor', () => {
		const c = { createdAt: 1795368380908, ticketId: 'RX-2026~1/中' };
		expect(decodeCursor(encodeCursor(c))).toEqual(c);
		expect(decodeCursor('nonsense')).toBeNull();
		expect(decodeCursor(null)).toBeNull();
	});
});
