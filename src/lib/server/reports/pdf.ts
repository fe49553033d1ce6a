/**
 * PDFs of the bulletin's print page, rendered by headless Chromium (playwright-core, Debian's
 * `chromium`, or CHROMIUM_PATH). The server opens its own print page as the requesting user (their
 * session cookie in a fresh browser context), waits for the fonts, and prints A4 with the page's
 * own @page rules (margins, page numbers). One browser, started on the first request and closed
 * after a minute unused; renders take turns (two shared cores: one at a time) in a bounded
 * queue: one rendering and MAX_WAITING waiting, beyond that `PdfBusyError` (the route answers
 * 429 with Retry-After) instead of requests piling up for tens of seconds. A published
 * version's PDF never changes: `PdfStore` keeps it and serves it without rendering.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';

const IDLE_MS = 60_000;
const RENDER_TIMEOUT_MS = 60_000;
/** Renders waiting behind the one running; more are refused. */
export const MAX_WAITING = 2;

let browser: Promise<Browser> | null = null;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
let queue: Promise<unknown> = Promise.resolve();
let executable: string | null = null;
/** Renders taken and not finished (the running one and those waiting). */
let pending = 0;
/** How long a render takes, averaged (for Retry-After); a first guess until one has run. */
let renderMs = 5_000;

export class PdfUnavailableError extends Error {}

/** The queue is full: try again after `retryAfterSec`. */
export class PdfBusyError extends Error {
	constructor(readonly retryAfterSec: number) {
		super(`busy rendering other PDFs: try again in ${retryAfterSec} s`);
	}
}

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
	// Free in about the time the renders ahead take, the running one counted whole.
	if (pending >= 1 + MAX_WAITING) throw new PdfBusyError(Math.max(1, Math.ceil((pending * renderMs) / 1000)));
	pending++;
	const job = queue.then(async () => {
		const started = Date.now();
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
			const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
			renderMs = Math.round((renderMs + (Date.now() - started)) / 2);
			return pdf;
		} finally {
			await context.close().catch(() => {});
			scheduleClose();
		}
	});
	const done = job.finally(() => pending--);
	queue = done.catch(() => {});
	return done;
}

/**
 * The PDFs of published versions, one file per version and language in `dir` (DATA_DIR/pdf:
 * each instance keeps its own, nothing to migrate or share). A version is frozen at publishing,
 * so its PDF is rendered once; two first downloads at once share one render.
 */
export class PdfStore {
	private rendering = new Map<string, Promise<Buffer>>();
	constructor(private dir: string) {}

	/** The stored PDF of `key`, or `render()` it, store it (atomically) and hand it out. */
	async get(key: { scope: string; month: string; version: number; lang: string }, render: () => Promise<Buffer>): Promise<{ pdf: Buffer; cached: boolean }> {
		// Codes are [A-Za-z0-9._-]; encoded, the scope's ":" cannot make two keys one file.
		const file = path.join(this.dir, `${encodeURIComponent(key.scope)}_${key.month}_v${key.version}_${key.lang}.pdf`);
		try {
			return { pdf: await fs.readFile(file), cached: true };
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
		}
		let job = this.rendering.get(file);
		if (!job) {
			job = render()
				.then(async (pdf) => {
					await fs.mkdir(this.dir, { recursive: true });
					const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
					await fs.writeFile(tmp, pdf);
					await fs.rename(tmp, file);
					return pdf;
				})
				.finally(() => this.rendering.delete(file));
			this.rendering.set(file, job);
		}
		return { pdf: await job, cached: false };
	}
}
