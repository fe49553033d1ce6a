// The first step of `npm test`: make sure the machine can run the whole suite. The end-to-end
// tests drive Debian's Chromium with CJK fonts (browser downloads are not possible here). When
// they are missing and we may install packages (root with apt-get), install them, showing it;
// otherwise stop with the one command that does (or CHROMIUM_PATH for a browser elsewhere).
import { execSync, spawnSync } from 'node:child_process';

const has = (cmd) => spawnSync('/bin/sh', ['-c', cmd], { stdio: 'ignore' }).status === 0;
const chromium = () => !!process.env.CHROMIUM_PATH || has('command -v chromium || command -v chromium-browser');
const fonts = () => has('fc-list 2>/dev/null | grep -qi "Noto Sans CJK"');

if (chromium() && fonts()) process.exit(0);

const missing = [!chromium() && 'chromium', !fonts() && 'fonts-noto-cjk'].filter(Boolean);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !has('command -v apt-get')) {
	console.error(`[test] the end-to-end tests need ${missing.join(' and ')}: run  sudo apt-get install -y chromium fonts-noto-cjk  (or set CHROMIUM_PATH), then npm test again`);
	process.exit(1);
}
console.log(`[test] installing ${missing.join(' and ')} (Debian packages, once; a few minutes)…`);
try {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execSync('apt-get update -qq', { stdio: 'inherit', env });
	execSync('apt-get install -y -qq chromium fonts-noto-cjk', { stdio: 'inherit', env });
} catch {
	console.error('[test] apt-get could not install chromium fonts-noto-cjk; install them by hand and run npm test again');
	process.exit(1);
}
console.log('[test] chromium and fonts-noto-cjk installed');
