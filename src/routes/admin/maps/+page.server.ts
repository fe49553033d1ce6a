import { consoleOps, refuse } from '$lib/server/admin/console';
import { deleteRegionMap, listRegionMaps, MAX_MAP_BYTES, parseRegionMap, saveRegionMap } from '$lib/server/maps';
import type { Actions, PageServerLoad } from './$types';

/** 区域地图: the regions with child regions, and the map of each one's children uploaded for its wall. */
export const load: PageServerLoad = async ({ locals }) => {
	const rt = locals.services;
	const org = rt.org();
	const maps = new Map((await listRegionMaps(rt.handle.db)).map((m) => [m.region, m]));
	const regions = [...org.regions.values()]
		.filter((r) => org.childrenOf(r.code).length > 0)
		.map((r) => {
			const m = maps.get(r.code);
			return {
				code: r.code,
				name: r.name,
				children: org.childrenOf(r.code).length,
				map: m ? { fileName: m.fileName, matched: m.matched, unmatched: m.unmatched, missing: m.missing.map((c) => org.regions.get(c)?.name ?? c), updatedAt: m.updatedAt.toISOString() } : null
			};
		});
	return { regions, maxBytes: MAX_MAP_BYTES };
};

export const actions: Actions = {
	upload: async (event) => {
		const { rt, audit } = consoleOps(event);
		const form = await event.request.formData();
		const region = String(form.get('region') ?? '');
		const file = form.get('file');
		const org = rt.org();
		if (!org.regions.has(region)) return refuse('upload', { region: { key: 'errRegion' } });
		const children = org.childrenOf(region).map((r) => ({ code: r.code, name: r.name }));
		if (!children.length) return refuse('upload', { region: { key: 'errNoChildren' } }, { region });
		if (!(file instanceof File) || file.size === 0) return refuse('upload', { file: { key: 'errNoFile' } }, { region });
		if (file.size > MAX_MAP_BYTES) return refuse('upload', { file: { key: 'errTooLarge', params: { size: file.size, max: MAX_MAP_BYTES } } }, { region });
		const parsed = parseRegionMap(await file.text(), children);
		if (!parsed.ok) return refuse('upload', { file: { key: parsed.error === 'json' ? 'errJson' : parsed.error === 'shape' ? 'errShape' : 'errNone', params: { detail: parsed.detail ?? '' } } }, { region });
		await saveRegionMap(rt.handle.db, region, { ...parsed.map, fileName: file.name });
		await audit('map.upload', region, { fileName: file.name, bytes: file.size, matched: parsed.map.matched.length, unmatched: parsed.map.unmatched, missing: parsed.map.missing });
		return { uploaded: { region, matched: parsed.map.matched.length, unmatched: parsed.map.unmatched, missing: parsed.map.missing.map((c) => org.regions.get(c)?.name ?? c) } };
	},
	remove: async (event) => {
		const { rt, audit } = consoleOps(event);
		const region = String((await event.request.formData()).get('region') ?? '');
		if (!(await deleteRegionMap(rt.handle.db, region))) return refuse('remove', { region: { key: 'errNoMap' } }, { region });
		await audit('map.delete', region, null);
		return { removed: region };
	}
};
