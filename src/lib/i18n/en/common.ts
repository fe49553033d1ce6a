/** The console's frame and what every form shares, in English. */
import type { common as zh } from '../zh/common';

export const common: Record<keyof typeof zh, string> = {
	'shell.product': 'Hallwatch service-center supervision',
	'shell.wall': 'Wall',
	'shell.supervision': 'Supervision',
	'shell.department': 'Department tickets',
	'shell.hotline': 'Hotline',
	'shell.reports': 'Reports',
	'shell.admin': 'Administration',
	'shell.terminal': 'Window terminal',
	'shell.logout': 'Sign out',
	'shell.lang': '中文',
	'shell.menu': 'Menu',

	'role.admin': 'Administrator',
	'role.leader': 'Leader',
	'role.supervisor': 'Supervisor',
	'role.hotline_operator': 'Hotline operator',
	'role.department_handler': 'Department handler',
	'role.window_staff': 'Window staff',

	'common.save': 'Save',
	'common.saved': 'Saved.',
	'common.cancel': 'Cancel',
	'common.filter': 'Filter',
	'common.clear': 'Clear',
	'common.none': 'none',
	'common.copy': 'Copy',
	'common.copied': 'Copied',

	'csv.line': 'Line',
	'csv.field': 'Field',
	'csv.problem': 'Problem',
	'csv.more': '{n} more rows not listed',
	'csv.previewTitle': 'Preview: {file} ({encoding})',

	'form.required': 'is required',
	'form.expectedText': 'expected text',
	'form.tooLong': 'at most {max} characters',
	'form.noControl': 'no control characters',
	'form.wholeNumber': 'expected a whole number from {min} to {max}',
	'form.number': 'expected a number from {min} to {max}',
	'form.day': 'expected a date YYYY-MM-DD',
	'form.month': 'expected a month YYYY-MM',
	'form.oneOf': 'expected one of {values}',
	'form.invalid': 'invalid ({detail})',
	'form.fieldProblem': '{field}: {problem}',
	worded: '{en}'
};
