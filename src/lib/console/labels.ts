/** Labels shared by console pages: roles in both languages. */
import type { Role } from '$lib/domain/roles';
import type { Lang } from '$lib/i18n';

const ROLE_LABELS: Record<Lang, Record<Role, string>> = {
	zh: { admin: '系统管理员', leader: '中心领导', supervisor: '督查人员', hotline_operator: '热线话务员', window_staff: '窗口人员' },
	en: { admin: 'Administrator', leader: 'Leader', supervisor: 'Supervisor', hotline_operator: 'Hotline operator', window_staff: 'Window staff' }
};

export const roleLabels = (lang: Lang) => (role: Role) => ROLE_LABELS[lang][role] ?? role;
