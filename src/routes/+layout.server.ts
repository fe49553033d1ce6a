import { parseLang } from '$lib/i18n';
import type { LayoutServerLoad } from './$types';

/** Every page knows who is signed in (names and roles only) and the console language. */
export const load: LayoutServerLoad = ({ locals, cookies, url }) => {
	const u = locals.user;
	return {
		user: u ? { username: u.username, displayName: u.displayName, roles: u.roles, mustChangePassword: u.mustChangePassword } : null,
		lang: parseLang(url.searchParams.get('lang') ?? cookies.get('lang'))
	};
};
