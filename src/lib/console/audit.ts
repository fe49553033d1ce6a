/**
 * The audit log as people read it: an action by its name (登录, not auth.login), the one who
 * acted by their name (李督查, not user:li; 系统, 命令行（root）, 接入密钥（name）). Codes the
 * dictionaries do not know are shown as they are.
 */
import { isMessageKey, type T } from '$lib/i18n';

export function auditActionLabel(t: T, action: string): string {
	const key = `auditAction.${action}`;
	return isMessageKey(key) ? t(key) : action;
}

/** `names`: actor → the account's name (from the server's `namesOf`). */
export function auditActorLabel(t: T, actor: string, names: Record<string, string>): string {
	if (names[actor]) return names[actor];
	if (actor === 'system') return t('audit.system');
	const [kind, ...rest] = actor.split(':');
	const name = rest.join(':');
	if (kind === 'cli' && name) return t('audit.cli', { name });
	if (kind === 'key' && name) return t('audit.key', { name });
	if (kind === 'terminal' && name) return t('audit.terminal', { name });
	if (kind === 'user' && name) return name;
	return actor;
}
