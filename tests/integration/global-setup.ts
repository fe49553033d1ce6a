/**
 * Integration tests run the real production server (build/ + server.js) as child processes.
 * Build once when the sources are newer than the build.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newest(dir: string): number {
	let t = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
	}
	return t;
}

/** Several test runs may start at once: build under a lock directory so they take turns. */
function withLock(dir: string, fn: () => void): void {
	const deadline = Date.now() + 10 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(dir);
			break;
		} catch {
			const age = Date.now() - (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if (age > 5 * 60_000) fs.rmSync(dir, { recursive: true, force: true });
			if (Date.now() > deadline) throw new Error(`build lock ${dir} held too long`);
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
		}
	}
	try {
		fn();
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

export default function setup(): void {
	withLock(path.join(process.cwd(), '.build.lock'), build);
}

function build(): void {
	const root = process.cwd();
	const marker = path.join(root, 'build', 'handler.js');
	const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
	if (newest(path.join(root, 'src')) <= built) return;
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
		cwd: root,
		stdio: 'inherit',
		// A production build whatever the caller's NODE_ENV (vitest sets it to "test"): Vite picks the
		// "development" export conditions otherwise, and SvelteKit's `dev` becomes true in the build.
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (r.status !== 0) throw new Error('vite build failed');
	fs.utimesSync(marker, new Date(), new Date());
}
