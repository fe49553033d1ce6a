import { consoleOps } from '$lib/server/admin/console';
import { field, formAction, Refused } from '$lib/server/http/form';
import { param } from '$lib/server/http/params';
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

const UPLOAD = { region: param.code().describe('maps.region'), file: field.file('maps.errNoFile') };
const REMOVE = { region: field.hidden(param.code()) };

export const actions: Actions = {
	upload: formAction('upload', UPLOAD, async ({ region, file }, event) => {
		const { rt, audit } = consoleOps(event);
		const org = rt.org();
		if (!org.regions.has(region)) throw new Refused({ region: { key: 'maps.errRegion' } });
		const children = org.childrenOf(region).map((r) => ({ code: r.code, name: r.name }));
		if (!children.length) throw new Refused({ region: { key: 'maps.errNoChildren' } });
		if (file.size === 0) throw new Refused({ file: { key: 'maps.errNoFile' } });
		if (file.size > MAX_MAP_BYTES) throw new Refused({ file: { key: 'maps.errTooLarge', params: { size: file.size, max: MAX_MAP_BYTES } } });
		const parsed = parseRegionMap(await file.text(), children);
		if (!parsed.ok) throw new Refused({ file: { key: parsed.error === 'json' ? 'maps.errJson' : parsed.error === 'shape' ? 'maps.errShape' : 'maps.errNone', params: { detail: parsed.detail ?? '' } } });
		await saveRegionMap(rt.handle.db, region, { ...parsed.map, fileName: file.name });
		await audit('map.upload', region, { fileName: file.name, bytes: file.size, matched: parsed.map.matched.length, unmatched: parsed.map.unmatched, missing: parsed.map.missing });
		return { uploaded: { region, matched: parsed.map.matched.length, unmatched: parsed.map.unmatched, missing: parsed.map.missing.map((c) => org.regions.get(c)?.name ?? c) } };
	}),
	remove: formAction('remove', REMOVE, async ({ region }, event) => {
		const { rt, audit } = consoleOps(event);
		if (!(await deleteRegionMap(rt.handle.db, region))) throw new Refused({ region: { key: 'maps.errNoMap' } });
		await audit('map.delete', region, null);
		return { removed: region };
	})
};
