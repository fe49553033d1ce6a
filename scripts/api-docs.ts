/**
 * Regenerates the event catalog section of docs/api.md from the zod schemas
 * (src/lib/domain/catalog.ts), between the `catalog:start` / `catalog:end` markers.
 * `npm run docs:api`; a unit test fails when docs/api.md is out of date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderCatalogMarkdown, spliceCatalog } from '../src/lib/domain/catalog-doc';

const file = path.resolve('docs/api.md');
const before = fs.readFileSync(file, 'utf8');
const after = spliceCatalog(before, renderCatalogMarkdown());
if (after === before) console.log('docs/api.md is up to date');
else {
	fs.writeFileSync(file, after);
	console.log('docs/api.md: catalog section regenerated');
}
