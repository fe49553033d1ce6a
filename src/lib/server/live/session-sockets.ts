/**
 * WebSockets opened with a session end with it. Every socket a session opened (a wall or page
 * reading the stream, a window terminal) is registered here under its session id; `sweep()`
 * asks the database, in one query for all of them, which of those sessions are still valid
 * (not signed out, not expired, account not disabled; a change of roles or scope ends sessions
 * too) and closes the sockets of the others. The runtime sweeps at every heartbeat, so a socket
 * outlives its session by one heartbeat at most, whichever instance ended it; a sign-out on
 * this instance closes its sockets at once (`end`).
 */

/** Close code of a socket whose session ended (4000–4999: the application's own). */
export const SESSION_ENDED = 4001;

export type CloseSocket = (code: number, reason: string) => void;

export class SessionSockets {
	private bySession = new Map<string, Set<CloseSocket>>();

	constructor(private stillValid: (sessionIds: string[]) => Promise<Set<string>>) {}

	get size(): number {
		let n = 0;
		for (const s of this.bySession.values()) n += s.size;
		return n;
	}

	/** Register a socket of `sessionId`; returns what to call when the socket closes. */
	add(sessionId: string, close: CloseSocket): () => void {
		let set = this.bySession.get(sessionId);
		if (!set) this.bySession.set(sessionId, (set = new Set()));
		set.add(close);
		return () => {
			const s = this.bySession.get(sessionId);
			if (!s) return;
			s.delete(close);
			if (!s.size) this.bySession.delete(sessionId);
		};
	}

	/** The session ended here (sign-out): close its sockets now. */
	end(sessionId: string): number {
		const set = this.bySession.get(sessionId);
		if (!set) return 0;
		this.bySession.delete(sessionId);
		for (const close of set) close(SESSION_ENDED, 'session ended');
		return set.size;
	}

	/** Close the sockets of every session that is no longer valid. Returns how many were closed. */
	async sweep(): Promise<number> {
		if (!this.bySession.size) return 0;
		const ids = [...this.bySession.keys()];
		const valid = await this.stillValid(ids);
		let closed = 0;
		for (const id of ids) if (!valid.has(id)) closed += this.end(id);
		return closed;
	}
}
