import { z } from 'zod';
import { consoleOps } from '$lib/server/admin/console';
import { reloadWalls } from '$lib/server/admin/ops';
import { formAction, Refused } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('admin:walls');
	const rt = locals.services;
	const org = rt.org();
	const scopeName = (scope: string) => {
		const [kind, code] = scope.split(':');
		return kind === 'center' ? (org.centers.get(code)?.name ?? null) : kind === 'region' ? (org.regions.get(code)?.name ?? null) : null;
	};
	return {
		walls: (await rt.walls.list())
			.map((c) => ({ ...c, scopeName: scopeName(c.scope) }))
			.sort((a, b) => a.name.localeCompare(b.name) || a.connectedAt.localeCompare(b.connectedAt)),
		heartbeatMs: rt.config.heartbeatMs,
		now: new Date().toISOString()
	};
};

export const actions: Actions = {
	/** Reload the displays of one token (`name`), or all of them. */
	reload: formAction('reload', { name: z.string().trim().optional() }, async ({ name }, event) => {
		const { ctx, audit } = consoleOps(event);
		if (name && !(await event.locals.services.walls.list()).some((c) => c.name === name)) throw new Refused({ name: { key: 'walls.errNotConnected', params: { value: name } } });
		const n = await reloadWalls(ctx, audit, name);
		return { reloaded: { name: name ?? null, count: n } };
	})
};
