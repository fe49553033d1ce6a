/**
 * How guessable a password is: zxcvbn-ts with its common-password list (passwords-common, 49k
 * leaked passwords) and keyboard layouts. Server only: the word lists (~430 kB) must not reach
 * a browser bundle (src/lib/server is never bundled for the client; user-error.test.ts
 * checks nothing else imports them). The estimator is built on first use, not at start-up.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * zxcvbn's score 3: "safely unguessable", about 10^8 guesses and more; below that an attacker
 * with a leaked argon2 hash, or enough patience online, finds it.
 */
export const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | null = null;

/** Why a password is too easy to guess, in English and Chinese (zxcvbn's warning, worded for people). */
const WHY: Record<string, { en: string; zh: string }> = {
	straightRow: { en: 'a row of keys', zh: '键盘上的一排按键' },
	keyPattern: { en: 'a keyboard pattern', zh: '键盘上的按键组合' },
	simpleRepeat: { en: 'repeated characters', zh: '重复的字符' },
	extendedRepeat: { en: 'repeated characters', zh: '重复的字符' },
	sequences: { en: 'a sequence such as abc or 123', zh: '顺序字符（如 abc、123）' },
	recentYears: { en: 'a recent year', zh: '近年的年份' },
	dates: { en: 'a date', zh: '日期' },
	topTen: { en: 'one of the most common passwords', zh: '最常见的密码之一' },
	topHundred: { en: 'one of the most common passwords', zh: '最常见的密码之一' },
	common: { en: 'a common password', zh: '常见密码' },
	similarToCommon: { en: 'close to a common password', zh: '与常见密码相近' },
	wordByItself: { en: 'a single word', zh: '单个单词' },
	namesByThemselves: { en: 'names alone', zh: '仅由姓名组成' },
	commonNames: { en: 'a common name', zh: '常见姓名' },
	userInputs: { en: 'your own names', zh: '本人的用户名或姓名' }
};
const SHORT_PATTERN = { en: 'a short or simple pattern', zh: '过短或过于简单的组合' };

/**
 * null when the password is hard enough to guess, else why not. `userInputs` (username, display
 * name) count as words an attacker tries first.
 */
export function weakness(password: string, userInputs: string[] = []): { en: string; zh: string } | null {
	estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs, useLevenshteinDistance: true });
	const r = estimator.check(password, userInputs.filter(Boolean));
	if (r.score >= MIN_SCORE) return null;
	return WHY[r.feedback.warning ?? ''] ?? SHORT_PATTERN;
}
