/**
 * Additive counters: the unit of every rollup (daily/monthly per center, region, department,
 * window). Adding two counter sets is how rollups merge, how a region sums its centers and
 * how a late event corrects an old day. Pure.
 */
export const COUNTER_KEYS = [
	// hall / queue (排队叫号)
	'ticketsIssued',
	'ticketsCalled',
	/** Tickets issued that day still waiting (issued − called − no-show, for that day's tickets). */
	'waiting',
	'waitSum',
	'waitCount',
	'servicesStarted',
	'servicesCompleted',
	'completedDone',
	'completedTransferred',
	'completedIncomplete',
	'serviceSum',
	'serviceCount',
	'noShows',
	// attendance and presence checks (在岗确认)
	'clockIns',
	'clockOuts',
	'checksIssued',
	'checksConfirmed',
	'checksMissed',
	'checksLateConfirmed',
	// cards (红黄牌), by issue day; a revoke takes them back out
	'yellowCards',
	'redCards',
	/** Of those, the cards the bad-review rule issued (`rule: bad_review`): the score may leave them out (the review counts already). */
	'ruleBadReviewYellow',
	'ruleBadReviewRed',
	// cases (办件)
	'casesAccepted',
	'casesAcceptedImmediate',
	'casesAcceptedOnline',
	'casesCompleted',
	'casesCompletedImmediate',
	'casesCompletedOnTime',
	'casesCompletedEarly',
	'casesDeadlineNear',
	'casesOverdue',
	// evaluations (好差评)
	'ratings',
	'ratingsGood',
	'ratingsBad',
	// hotline (市长热线)
	'hotlineReceived',
	'hotlineAssigned',
	'hotlineReplied',
	'hotlineClosed',
	'hotlineClosedOnTime',
	'hotlineReopened',
	'hotlineCallbacks',
	'hotlineReached',
	'hotlineSatisfied',
	'hotlineBasic',
	'hotlineUnsatisfied',
	'hotlineSupervised',
	'hotlineOverdue',
	/** Closed (and still closed) of the tickets received in this period, counted on the day received: the cohort closure rate's numerator. */
	'hotlineClosedOfReceived',
	/** 签收: acknowledgements; judged = assignments whose acknowledge limit passed or that were acknowledged (on the judging day); on time = within the limit. */
	'hotlineAcknowledged',
	'hotlineAckJudged',
	'hotlineAckOnTime',
	/** 退单, and the center's decisions on them. */
	'hotlineReturned',
	'hotlineReturnApproved',
	'hotlineReturnRefused',
	/** 延期: requests, approved ones (the due time moved). */
	'hotlineExtensionRequested',
	'hotlineExtended',
	/** 重复件: tickets merged into another (they leave received/closed). */
	'hotlineMerged',
	/** 解决率: reached callbacks that say solved or not, and those solved. */
	'hotlineSolvedAsked',
	'hotlineSolved',
	/** Calls (from the telephony system): offered, answered, answered within 15 s, abandoned, and the answered calls' waits. */
	'callsOffered',
	'callsAnswered',
	'callsAnswered15',
	'callsAbandoned',
	'callWaitSum'
] as const;

export type CounterKey = (typeof COUNTER_KEYS)[number];
export type Counters = Record<CounterKey, number>;

export function emptyCounters(): Counters {
	const c = {} as Counters;
	for (const k of COUNTER_KEYS) c[k] = 0;
	return c;
}

/** a += b (only the keys b has); returns a. */
export function addInto(a: Counters, b: Partial<Counters>): Counters {
	for (const k in b) {
		const v = b[k as CounterKey];
		if (v) a[k as CounterKey] = (a[k as CounterKey] ?? 0) + v;
	}
	return a;
}

export function sumCounters(list: Iterable<Partial<Counters> | undefined>): Counters {
	const total = emptyCounters();
	for (const c of list) if (c) addInto(total, c);
	return total;
}

/** Keep only the non-zero keys (compact storage and transport). */
export function compact(c: Partial<Counters>): Partial<Counters> {
	const out: Partial<Counters> = {};
	for (const k in c) if (c[k as CounterKey]) out[k as CounterKey] = c[k as CounterKey];
	return out;
}
