import { buildApp, type StandinApp } from './app.js';
import { resolveConfig, type ConfigInput } from './config.js';
import type { Control } from './control/control.js';
import type { EmailFilter } from './email/outbox.js';
import type { EventFilter } from './events/event-service.js';
import { closeAndKeep, reuseInstance, reuseKeyOf } from './instance-pool.js';
import { publicUrl } from './listen-address.js';
import { seedImageKey } from './seed/seed-images.js';
import { currentCode } from './manage/two-factor.js';
import type { OutboxEmail } from './store/email-outbox.js';
import type { OutboxSms, SmsFilter } from './store/sms-outbox.js';
import type { WebhookEventLog } from './store/webhook-event-logs.js';

export { buildApp, type StandinApp } from './app.js';
export { ConfigError, PASSWORD_HASHING_PRESETS, type Config, type ConfigInput, type PasswordHashing } from './config.js';
export type { Kickstart, KickstartApiKey, KickstartRequest } from './kickstart/types.js';
export { KickstartError } from './kickstart/types.js';
export type { Control } from './control/control.js';
export type { ControlClock } from './control/clock.js';
export type { Fault, FaultInput, FaultList } from './control/faults.js';
export type { EmailFilter } from './email/outbox.js';
export type { OutboxEmail } from './store/email-outbox.js';
export type { OutboxSms, SmsFilter } from './store/sms-outbox.js';
export type { EventFilter } from './events/event-service.js';
export type { WebhookAttemptLog, WebhookEventLog } from './store/webhook-event-logs.js';
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

/** The SMS outbox on the value startStandin() returns: the same as `GET|DELETE /_standin/sms` (docs/test-control.md). */
export interface StandinSms {
  /** Every text Standin sent or tried to send through a messenger, newest first, optionally to one phone and/or of one type. */
  smsMessages(filter?: SmsFilter): OutboxSms[];
  /** Empties the SMS outbox; returns how many messages it held. */
  clearSms(): number;
}

/** The webhook event log on the value startStandin() returns: the same as `GET|DELETE /_standin/events` (docs/webhooks.md). */
export interface StandinEvents {
  /** Every event sent to a webhook, newest first, with its attempts; optionally of one type and/or tenant. */
  events(filter?: EventFilter & { limit?: number }): WebhookEventLog[];
  /**
   * The newest matching event whose deliveries have ended, already there or the first within `timeoutMs` (default
   * 5000, at most 60000); rejects when none comes.
   */
  waitForEvent(filter?: EventFilter & { timeoutMs?: number }): Promise<WebhookEventLog>;
  /** Empties the event log; returns how many events it held. */
  clearEvents(): number;
}

/** What `twoFactorCode()` and `GET /_standin/two-factor/{userId}/code` answer (docs/two-factor.md). */
export interface TwoFactorCode {
  code: string;
  methodId: string;
  /** This step's code was accepted already: move the clock on 30 s for the next one. */
  used: boolean;
  expiresInSeconds: number;
}

export interface RunningStandin extends StandinControls, StandinEmails, StandinSms, StandinEvents {
  /** The user's current TOTP code on Standin's clock (first authenticator method, or `methodId`; an email method's codes are in its emails); throws when there is none. */
  twoFactorCode(userId: string, methodId?: string): TwoFactorCode;
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
  const { freshSeed, ...given } = options;
  const input: ConfigInput = { port: 0, db: ':memory:', logLevel: 'warn', ...given };
  const config = resolveConfig(input);
  // A copy of a database this process already seeded from the same kickstart (seed/seed-images.ts), in an instance
  // closed by an earlier test with the same options when there is one (instance-pool.ts).
  const imageKey = freshSeed === true ? undefined : seedImageKey(config, input.now !== undefined);
  const reuse = reuseKeyOf(config, imageKey);
  let app = reuse === undefined ? undefined : await reuseInstance(reuse, input);
  if (!app) {
    app = await buildApp(input, { seedImageKey: imageKey });
    try {
      await app.listen({ port: app.standin.config.port, host: app.standin.config.host });
    } catch (error) {
      await app.close();
      throw error;
    }
  }
  const { port } = app.server.address() as { port: number };
  const defaultTenant = app.standin.stores.tenants.list()[0];
  let closing: Promise<void> | undefined;
  return {
    url: publicUrl(app.standin.config.host, port),
    issuer: defaultTenant ? app.standin.issuerOf(defaultTenant) : app.standin.baseUrl(),
    app,
    close: () => (closing ??= reuse === undefined ? app.close() : closeAndKeep(reuse, app)),
    ...controlsOf(app.standin.control),
    ...emailsOf(app),
    smsMessages: (filter = {}) => app.standin.stores.smsOutbox.list(filter),
    clearSms: () => app.standin.stores.smsOutbox.clear(),
    twoFactorCode(userId, methodId) {
      const code = currentCode(app.standin.stores, userId.toLowerCase(), app.standin.config.now(), methodId);
      if (!code) throw new Error(`user ${userId} has no two-factor method${methodId ? ` ${methodId}` : ''}`);
      return code;
    },
    ...eventsOf(app),
  };
}

function eventsOf(app: StandinApp): StandinEvents {
  const { events } = app.standin;
  return {
    events: (filter = {}) => events.list(filter),
    async waitForEvent({ timeoutMs = 5000, ...filter } = {}) {
      const event = await events.waitFor(filter, timeoutMs);
      if (!event) throw new Error(`no event${filter.type ? ` of type ${filter.type}` : ''} was sent within ${timeoutMs} ms`);
      return event;
    },
    clearEvents: () => events.clear(),
  };
}

function emailsOf(app: StandinApp): StandinEmails {
  const { outbox } = app.standin.email;
  return {
    emails: (filter = {}) => outbox.list(filter),
    async waitForEmail({ timeoutMs = 5000, ...filter } = {}) {
      const email = await outbox.waitFor(filter, timeoutMs);
      if (!email)
        throw new Error(
          `no email${filter.to ? ` to ${filter.to}` : ''}${filter.type ? ` of type ${filter.type}` : ''} arrived within ${timeoutMs} ms`,
        );
      return email;
    },
    clearEmails: () => outbox.clear(),
  };
}

function controlsOf(control: Control): StandinControls {
  const { clock, faults, reset, revoke, expire, sessions, refreshTokens } = control;
  return { clock, faults, reset, revoke, expire, sessions, refreshTokens };
}
