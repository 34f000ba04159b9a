import { buildApp, type StandinApp } from './app.js';
import type { ConfigInput } from './config.js';
import type { Control } from './control/control.js';
import type { EmailFilter } from './email/outbox.js';
import { publicUrl } from './listen-address.js';
import type { OutboxEmail } from './store/email-outbox.js';

export { buildApp, type StandinApp } from './app.js';
export { ConfigError, PASSWORD_HASHING_PRESETS, type Config, type ConfigInput, type PasswordHashing } from './config.js';
export type { Kickstart, KickstartApiKey, KickstartRequest } from './kickstart/types.js';
export { KickstartError } from './kickstart/types.js';
export type { Control } from './control/control.js';
export type { ControlClock } from './control/clock.js';
export type { Fault, FaultInput, FaultList } from './control/faults.js';
export type { EmailFilter } from './email/outbox.js';
export type { OutboxEmail } from './store/email-outbox.js';
export type { RefreshTokenFamily, SsoSessionInfo, TokenCounts, TokenTarget } from './store/token-admin.js';

/** The test controls on the value startStandin() returns: the same operations as `/_standin/`. */
export type StandinControls = Pick<Control, 'clock' | 'faults' | 'reset' | 'revoke' | 'expire' | 'sessions' | 'refreshTokens'>;

/** The email outbox on the value startStandin() returns: the same as `GET|DELETE /_standin/emails` (docs/email.md). */
export interface StandinEmails {
  /** Every email Standin rendered, newest first, optionally to one address and/or of one type. */
  emails(filter?: EmailFilter & { limit?: number }): OutboxEmail[];
  /**
   * The newest matching email, already there or the first to arrive within `timeoutMs` (default 5000, at most
   * 60000); rejects when none comes, so a test fails with a clear message instead of reading `undefined`.
   */
  waitForEmail(filter?: EmailFilter & { timeoutMs?: number }): Promise<OutboxEmail>;
  /** Empties the outbox; returns how many emails it held. */
  clearEmails(): number;
}

export interface RunningStandin extends StandinControls, StandinEmails {
  /** Where it listens, e.g. `http://localhost:41234`. */
  url: string;
  /** The default tenant's issuer: the `iss` of its tokens. */
  issuer: string;
  app: StandinApp;
  close(): Promise<void>;
}

export interface StartOptions extends ConfigInput {
  /**
   * Seed this instance from scratch. By default an in-memory instance whose kickstart this process already
   * seeded starts as a copy of that seeded database: the same signing keys, password hashes and generated ids,
   * in a few milliseconds instead of a new seed (docs/performance.md). Each copy is still a database of its own.
   */
  freshSeed?: boolean;
}

/**
 * Starts a listening Standin for a test suite. Unlike the CLI it defaults to a random free port, an in-memory
 * database and warn-level logs, so each test worker can start its own; pass the CLI's options to change that.
 */
export async function startStandin(options: StartOptions = {}): Promise<RunningStandin> {
  const { freshSeed, ...input } = options;
  const app = await buildApp({ port: 0, db: ':memory:', logLevel: 'warn', ...input }, { reuseSeed: freshSeed !== true });
  try {
    await app.listen({ port: app.standin.config.port, host: app.standin.config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as { port: number };
  const defaultTenant = app.standin.stores.tenants.list()[0];
  return {
    url: publicUrl(app.standin.config.host, port),
    issuer: defaultTenant ? app.standin.issuerOf(defaultTenant) : app.standin.baseUrl(),
    app,
    close: () => app.close(),
    ...controlsOf(app.standin.control),
    ...emailsOf(app),
  };
}

function emailsOf(app: StandinApp): StandinEmails {
  const { outbox } = app.standin.email;
  return {
    emails: (filter = {}) => outbox.list(filter),
    async waitForEmail({ timeoutMs = 5000, ...filter } = {}) {
      const email = await outbox.waitFor(filter, timeoutMs);
      if (!email) throw new Error(`no email${filter.to ? ` to ${filter.to}` : ''}${filter.type ? ` of type ${filter.type}` : ''} arrived within ${timeoutMs} ms`);
      return email;
    },
    clearEmails: () => outbox.clear(),
  };
}

function controlsOf(control: Control): StandinControls {
  const { clock, faults, reset, revoke, expire, sessions, refreshTokens } = control;
  return { clock, faults, reset, revoke, expire, sessions, refreshTokens };
}
