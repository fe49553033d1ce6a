// `npm start`: build when the build is missing or older than the sources, then run server.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const marker = path.join(root, 'build', 'handler.js');

function newest(dir) {
	let t = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
	}
	return t;
}

const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
const sources = Math.max(
	newest(path.join(root, 'src')),
	newest(path.join(root, 'static')),
	...['svelte.config.js', 'vite.config.ts', 'package.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs)
);
if (sources > built) {
	console.log('[hallwatch] building (sources changed since the last build)…');
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
		cwd: root,
		stdio: 'inherit',
		// A production build whatever the caller's NODE_ENV (vitest sets it to "test"): Vite picks the
		// "development" export conditions otherwise, and SvelteKit's `dev` becomes true in the build.
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
	fs.utimesSync(marker, new Date(), new Date());
}
await import(path.join(root, 'server.js'));
