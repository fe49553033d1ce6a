import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './catalog';
import { catalogDoc, renderCatalogMarkdown, spliceCatalog } from './catalog-doc';

describe('API docs come from the catalog', () => {
	it('docs/api.md holds the catalog exactly as generated (run npm run docs:api after changing catalog.ts)', () => {
		const doc = fs.readFileSync('docs/api.md', 'utf8');
		expect(spliceCatalog(doc, renderCatalogMarkdown())).toBe(doc);
	});

	it('documents every event type with a JSON Schema of its data', () => {
		const docs = catalogDoc();
		expect(docs.map((d) => d.type)).toEqual(EVENT_TYPES);
		const called = docs.find((d) => d.type === 'queue.ticket_called')!.schema as { required: string[] };
		expect(called.required).toEqual(['centerCode', 'ticketNo', 'windowCode']);
	});
});
