import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { indicatorKey, parseLang, reasonKey, translator } from './index';
import { zh } from './zh';

const paramsOf = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
	it('has the same keys in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('has the same {params} in both languages, key by key', () => {
		// `worded` carries a text already worded in both languages ({zh} / {en}): the one exception.
		const differ = (Object.keys(zh) as Array<keyof typeof zh>).filter((k) => k !== 'worded' && JSON.stringify(paramsOf(zh[k])) !== JSON.stringify(paramsOf(en[k])));
		expect(differ.map((k) => `${k}: zh ${paramsOf(zh[k])} / en ${paramsOf(en[k])}`)).toEqual([]);
	});

	it('has the same area files in both languages, and no key in two areas', () => {
		const dir = path.resolve('src/lib/i18n');
		const areas = (lang: string) => fs.readdirSync(path.join(dir, lang)).filter((f) => f !== 'index.ts').sort();
		expect(areas('en')).toEqual(areas('zh'));
		const modules = import.meta.glob<Record<string, Record<string, string>>>(['./zh/*.ts', '!./zh/index.ts'], { eager: true });
		const seen = new Map<string, string>();
		const twice: string[] = [];
		for (const [file, mod] of Object.entries(modules))
			for (const area of Object.values(mod))
				for (const key of Object.keys(area)) {
					if (seen.has(key) && seen.get(key) !== file) twice.push(`${key}: ${seen.get(key)} and ${file}`);
					seen.set(key, file);
				}
		expect(twice).toEqual([]);
		expect(seen.size).toBe(Object.keys(zh).length);
	});

	it('keeps the wall to its own strings: its pages and components import $lib/i18n/wall, not every area', () => {
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
				const p = path.join(dir, e.name);
				if (e.isDirectory()) walk(p);
				else if (/\.(ts|svelte)$/.test(e.name) && /from '\$lib\/i18n'/.test(fs.readFileSync(p, 'utf8'))) offenders.push(p);
			}
		};
		walk(path.resolve('src/lib/wall'));
		walk(path.resolve('src/routes/wall'));
		expect(offenders).toEqual([]);
	});

	it('fills parameters and picks the language', () => {
		expect(translator('zh')('banner.stale', { time: '10:32:05' })).toBe('数据中断 · 数据截至 10:32:05');
		expect(translator('en')('banner.stale', { time: '10:32:05' })).toBe('Data feed lost · data as of 10:32:05');
		expect(translator('en').lang).toBe('en');
		expect(parseLang('en')).toBe('en');
		expect(parseLang('fr')).toBe('zh');
		expect(parseLang(null)).toBe('zh');
	});

	it('words a message given as a parameter in the same language, and leaves unknown parameters visible', () => {
		const t = translator('zh');
		expect(t('banner.stale', { time: { key: 'unit.people' } })).toBe('数据中断 · 数据截至 人');
		expect(translator('en').say({ key: 'banner.stale', params: { time: { key: 'page.hall' } } })).toBe(`Data feed lost · data as of ${translator('en')('page.hall')}`);
		expect(t('banner.stale')).toBe('数据中断 · 数据截至 {time}');
	});

	it('labels catalog reasons and indicators, and leaves unknown ones alone', () => {
		expect(reasonKey('absent')).toBe('reason.absent');
		expect(reasonKey('new_reason')).toBeNull();
		expect(indicatorKey('one_door_rate')).toBe('indicator.one_door_rate');
		expect(indicatorKey('custom_rate')).toBeNull();
	});
});
