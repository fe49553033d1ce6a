import { loadBulletin } from '$lib/server/reports/page';
import type { PageServerLoad } from './$types';

/** The bulletin alone, for printing and for the server's PDF (same figures and texts as the page). */
export const load: PageServerLoad = async (event) => {
	const { figures, texts, version } = await loadBulletin(event);
	return { figures, texts, version };
};
