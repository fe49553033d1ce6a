// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			/** Every service of the running Hallwatch (placed by hooks.server.ts; routes never reach for a global). */
			services: import('$lib/server/services').Services;
			/** The signed-in person (a valid session), or null. */
			user: import('$lib/server/auth/session').SessionUser | null;
			/** Their session (id is the SHA-256 of the cookie's token, never the token). */
			session: import('$lib/server/auth/session').Session | null;
			/** A wall display that presented a display token (read-only), or null. */
			viewer: import('$lib/server/auth/viewer').Viewer | null;
		}
		interface Error {
			message: string;
			/** An unexpected error's id, as logged on the server (hooks.server.ts handleError). */
			id?: string;
		}
	}
}

export {};
