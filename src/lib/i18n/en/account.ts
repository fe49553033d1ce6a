/** account: strings of its pages in English (the keys of zh/account.ts). */
import type { account as zh } from '../zh/account';

export const account: Record<keyof typeof zh, string> = {
	// ── 登录 /login
	'login.title': 'Sign in',
	'login.username': 'Username',
	'login.password': 'Password',
	'login.submit': 'Sign in',
	'login.busy': 'Signing in…',
	'login.missingUsername': 'Enter your username',
	'login.missingPassword': 'Enter your password',
	'login.invalid': 'Wrong username or password',
	'login.invalidRemaining': 'Wrong username or password. {n} more failures stop sign-ins to this account from this address for a while',
	'login.locked': 'Too many failed sign-ins to this account from this address: try again after {until}, or ask an administrator to unlock it',
	'login.ip_blocked': 'Too many failed sign-ins from this address: try again after {until}',
	'login.hint': 'Forgot your password? Ask an administrator to reset it',

	// ── 首次设置 /setup
	'setup.title': 'First run: create the administrator',
	'setup.intro': 'There is no account yet. Create the first administrator; add other users under Administration afterwards.',
	'setup.username': 'Username (letters, digits, . _ -)',
	'setup.displayName': 'Full name',
	'setup.password': 'Password (at least 10 characters)',
	'setup.confirm': 'Password again',
	'setup.submit': 'Create and sign in',
	'setup.errConfirm': 'confirm: the two passwords differ',

	// ── 我的账户 /account
	'account.title': 'My account',
	'account.first': 'You are using a one-time password set by an administrator: choose your own first.',
	'account.username': 'Username',
	'account.roles': 'Roles',
	'account.scope': 'Scope',
	'account.all': 'all centers',
	'account.change': 'Change password',
	'account.current': 'Current password',
	'account.password': 'New password (at least 10 characters)',
	'account.confirm': 'New password again',
	'account.submit': 'Save new password',
	'account.changed': 'Password changed; sessions on other devices were signed out.',
	'account.errConfirm': 'confirm: the two new passwords differ'
};
