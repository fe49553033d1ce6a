import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';

/** Debian's chromium (browser downloads are not possible here); override with CHROMIUM_PATH. */
function chromiumPath(): string {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	try {
		return execSync('command -v chromium || command -v chromium-browser', { shell: '/bin/sh' }).toString().trim();
	} catch {
		throw new Error('chromium not found: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)');
	}
}

export default defineConfig({
	testDir: 'tests/e2e',
	// The soak (tests/e2e/soak.spec.ts, 10 minutes) is part of the run; `npm run test:soak` runs it
	// alone (SOAK_MINUTES to change its length).
	timeout: 60_000,
	workers: 1,
	reporter: [['list']],
	outputDir: 'test-results',
	globalSetup: './tests/e2e/global-setup.ts',
	use: {
		browserName: 'chromium',
		launchOptions: {
			executablePath: chromiumPath(),
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync']
		},
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai'
	}
});
