import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/domain/roles';
import type { PageServerLoad } from './$types';

/** `/` sends each visitor on: signed in → their home page; a display token → the wall; else sign in. */
export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, homeFor(locals.user.roles));
	const token = url.searchParams.get('token');
	if (token) redirect(303, `/wall?${url.searchParams}`);
	redirect(303, '/login');
};
