/**
 * What routes and use cases are given (as `event.locals.services`, placed by hooks.server.ts):
 * the services the composition root (runtime.ts) built. Routes take what they need from here and
 * never reach for a global.
 */
import type { OrgIndex } from '../domain/org';
import type { AlertDesk } from './alerts/desk';
import type { Accounts } from './auth/accounts';
import type { Credentials } from './auth/credentials';
import type { SessionStore } from './auth/session';
import type { Config } from './config';
import type { CommandContext } from './control/commands';
import type { DbHandle } from './db/client';
import type { HotlineDesk } from './hotline/desk';
import type { HotlineTickets } from './hotline/tickets';
import type { IngestService } from './ingest/service';
import type { Hub } from './live/hub';
import type { Projector } from './live/projector';
import type { SessionSockets } from './live/session-sockets';
import type { WallRegistry } from './live/wall-registry';
import type { RulesConfig } from './rules/settings';
import type { DemoRunner } from './sim/runner';
import type { CardDesk } from './supervision/cards';
import type { PresenceRounds } from './supervision/rounds';
import type { TerminalService } from './supervision/terminal';

export interface Services {
	config: Config;
	handle: DbHandle;
	org(): OrgIndex;
	reloadOrg(): Promise<void>;
	/** Card rules, the working-day calendar and the scoring rules in force (settings `rules`, `calendar`, `scoring`). */
	rules(): RulesConfig;
	/** Reload them after an admin saved (and tell the other instances). */
	reloadRules(): Promise<void>;
	/** The hotline settings were saved: the live figures take the new three-rate weights (every instance). */
	reloadHotline(): Promise<void>;
	credentials: Credentials;
	sessions: SessionStore;
	accounts: Accounts;
	ingest: IngestService;
	projector: Projector;
	hub: Hub;
	/** The wall displays of every instance (list, reload). */
	walls: WallRegistry;
	terminals: TerminalService;
	rounds: PresenceRounds;
	cardDesk: CardDesk;
	/** The `hotline_tickets` projection and the console's reads of it. */
	hotline: HotlineTickets;
	/** The hotline console's actions (events through the ingest path). */
	hotlineDesk: HotlineDesk;
	/** The alerts page's actions (acknowledge, resolve) and its list. */
	alertDesk: AlertDesk;
	isLeader(): boolean;
	demo: DemoRunner | null;
	startedAt: number;
	/** Sockets opened with a session: closed when it ends (sign-out closes them at once). */
	sessionSockets: SessionSockets;
	health(): Promise<{ ok: boolean; detail: Record<string, unknown> }>;
	commandContext(actor: string): CommandContext;
}

