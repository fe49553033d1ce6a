/**
 * PDFs of the bulletin's print page, rendered by headless Chromium (playwright-core, Debian's
 * `chromium`, or CHROMIUM_PATH). The server opens its own print page as the requesting user (their
 * session cookie in a fresh browser context), waits for the fonts, and prints A4 with the page's
 * own @page rules (margins, page numbers). One browser, started on the first request and closed
 * after a minute unused; renders take turns (two shared cores: one at a time).
 */
import { execSync } from 'node:child_process';
import type { Browser } from 'playwright-core';

const IDLE_MS = 60_000;
const RENDER_TIMEOUT_MS = 60_000;

let browser: Promise<Browser> | null = null;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
let queue: Promise<unknown> = Promise.resolve();
let executable: string | null = null;

export class PdfUnavailableError extends Error {}

function chromiumPath(): string {
	if (executable) return executable;
	if (process.env.CHROMIUM_PATH) return (executable = process.env.CHROMIUM_PATH);
	try {
		executable = execSync('command -v chromium || command -v chromium-browser', { shell: '/bin/sh', encoding: 'utf8' }).trim();
	} catch {
		executable = '';
	}
	if (!executable) throw new PdfUnavailableError('chromium not found: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)');
	return executable;
}

async function getBrowser(): Promise<Browser> {
	if (!browser) {
		const { chromium } = await import('playwright-core');
		browser = chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] }).catch((err) => {
			browser = null;
			throw err;
		});
		void browser.then((b) => b.on('disconnected', () => (browser = null)));
	}
	return browser;
}

function scheduleClose(): void {
	if (idleTimer) clearTimeout(idleTimer);
	idleTimer = setTimeout(() => void closePdfBrowser(), IDLE_MS);
	idleTimer.unref?.();
}

export async function closePdfBrowser(): Promise<void> {
	if (idleTimer) clearTimeout(idleTimer);
	idleTimer = null;
	const b = browser;
	browser = null;
	if (b) await (await b.catch(() => null))?.close().catch(() => {});
}

/**
 * Print `url` (a page of this server) to PDF as the holder of `cookie`. The page marks itself
 * ready with `data-ready` on its root once its content is there; the fonts are awaited too.
 */
export function renderPdf(url: string, cookie: { name: string; value: string } | null): Promise<Buffer> {
	const job = queue.then(async () => {
		const b = await getBrowser();
		const context = await b.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
		try {
			if (cookie) await context.addCookies([{ name: cookie.name, value: cookie.value, url: new URL(url).origin }]);
			const page = await context.newPage();
			page.setDefaultTimeout(RENDER_TIMEOUT_MS);
			const res = await page.goto(url, { waitUntil: 'load' });
			if (!res || !res.ok()) throw new Error(`print page answered ${res?.status() ?? 'nothing'}`);
			await page.waitForSelector('[data-ready]');
			await page.evaluate(() => document.fonts.ready.then(() => undefined));
			await page.emulateMedia({ media: 'print' });
			return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
		} finally {
			await context.close().catch(() => {});
			scheduleClose();
		}
	});
	queue = job.catch(() => {});
	return job;
}
