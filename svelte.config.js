import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// The service worker (offline start) is registered by the wall only, for /wall: src/lib/wall/offline.ts.
		serviceWorker: { register: false },
		// CSRF: SvelteKit's origin check stays on (default).
		csp: { mode: 'hash', directives: { 'default-src': ['self'], 'connect-src': ['self', 'ws:', 'wss:'], 'img-src': ['self', 'data:'], 'style-src': ['self', 'unsafe-inline'] } }
	}
};

export default config;
