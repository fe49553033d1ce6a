/**
 * Roles of people who sign in, and where each lands after signing in. Wall displays are not a
 * role: they hold display tokens (read-only, scoped) and never sign in.
 */
export const ROLES = [
	'admin', // everything: users, keys, tokens, org data, rules
	'leader', // 中心领导: all read views and reports, publishes bulletins
	'supervisor', // 督查科: presence checks, cards, rules' results
	'hotline_operator', // 市长热线: hotline tickets, sees full caller phones
	'department_handler', // 承办单位: the hotline tickets assigned to their department (签收, 退单, 延期, 回复), nothing else
	'window_staff' // 窗口人员: their own window's terminal only
] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** What a signed-in user may see: everything, one center, or one region (and its centers). */
export type UserScope = { kind: 'all' } | { kind: 'center'; code: string } | { kind: 'region'; code: string };

/** The page a user lands on after signing in: the first of their roles in this order. */
export function homeFor(roles: readonly Role[]): string {
	if (roles.includes('admin')) return '/admin';
	// Leaders land on the reports (monthly bulletin, scores), whose navigation leads to the wall:
	// the wall itself has no navigation (it is made for screens without mouse or keyboard).
	if (roles.includes('leader')) return '/reports';
	if (roles.includes('supervisor')) return '/supervision';
	if (roles.includes('hotline_operator')) return '/hotline';
	if (roles.includes('department_handler')) return '/hotline/department';
	if (roles.includes('window_staff')) return '/terminal';
	return '/account';
}
