/**
 * Unexpected errors (SvelteKit's `handleError`, hooks.server.ts): a 500 is always a bug. The
 * person gets a generic message with an error id to quote, never a stack trace or a message;
 * the server log gets the id, the method and route, and what went wrong, without personal data:
 * never the URL's query, headers, cookies, the body or who asked; of the error, its class and
 * code, the first line of its message (drizzle puts a query's parameters on the next lines)
 * with phone-like numbers masked, its stack frames and its cause.
 */
import { randomBytes } from 'node:crypto';
import { maskText } from '../privacy';

const FRAMES = 12;

/** An error for the log: class, code, first message line (masked, cut to 300 characters), frames, causes. */
export function describeError(err: unknown, depth = 0): string {
	if (!(err instanceof Error)) return `a thrown ${err === null ? 'null' : typeof err}`;
	const code = (err as { code?: unknown }).code;
	const first = maskText(err.message.split('\n', 1)[0]).slice(0, 300);
	const frames = (err.stack ?? '')
		.split('\n')
		.filter((l) => /^\s+at /.test(l))
		.slice(0, FRAMES);
	const cause = err.cause !== undefined && depth < 3 ? [`  cause: ${describeError(err.cause, depth + 1)}`] : [];
	return [`${err.name}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''}: ${first}`, ...frames, ...cause].join('\n');
}

/** Log an unexpected error with a new id; the answer people see. */
export function unexpectedError(err: unknown, request: { method: string; route: string | null }, log: (line: string) => void = console.error): App.Error {
	const id = randomBytes(6).toString('hex');
	log(`[hallwatch] error ${id}: ${request.method} ${request.route ?? '(no route)'}: ${describeError(err)}`);
	return { message: `服务器内部错误（错误编号 ${id}）· Internal error (error id ${id})`, id };
}
