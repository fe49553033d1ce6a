import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin, ViteDevServer } from 'vite';
import { defineConfig } from 'vitest/config';

/** Hallwatch's WebSocket paths: the live stream and the window terminal's socket. */
const WS_PATH = /^\/api\/v1\/(stream|terminal)(\?|$)/;

/**
 * Dev only: serve Hallwatch's WebSockets on Vite's own port. Only WS_PATH upgrades are taken
 * (noServer + path filter); Vite's HMR socket is left alone (tests/integration/dev-server.test.ts).
 * The runtime module is loaded through Vite so it is the same instance SvelteKit's routes use.
 */
function hallwatchStream(): Plugin {
	return {
		name: 'hallwatch-stream',
		configureServer(server: ViteDevServer) {
			server.httpServer?.on('upgrade', async (req, socket, head) => {
				if (!WS_PATH.test(req.url ?? '')) return;
				try {
					const { startRuntime } = await server.ssrLoadModule('/src/lib/server/runtime.ts');
					const { loadConfig } = await server.ssrLoadModule('/src/lib/server/config.ts');
					const rt = await startRuntime(loadConfig());
					if (!rt.handleUpgrade(req, socket, head)) socket.destroy();
				} catch (err) {
					server.config.logger.error(`stream upgrade failed: ${(err as Error).message}`);
					socket.destroy();
				}
			});
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), hallwatchStream()],
	server: { port: Number(process.env.PORT ?? 5173) },
	// Self-hosted fonts stay files: the CSP allows fonts from 'self' only, not data: URLs.
	build: { assetsInlineLimit: (file: string) => (/\.woff2?$/.test(file) ? false : undefined) },
	test: {
		projects: [
			{
				extends: true,
				// Correctness, not speed (benchmarks measure speed): a loaded CI machine took 5.2 s for
				// a week of simulated days, over vitest's 5 s default.
				test: { name: 'unit', include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 30_000 }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 120_000,
					hookTimeout: 180_000,
					fileParallelism: false
				}
			}
		]
	}
});
