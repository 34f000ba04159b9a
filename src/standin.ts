import type { Config } from './config.js';
import type { Control } from './control/control.js';
import type { EmailService } from './email/email-service.js';
import type { EventService } from './events/event-service.js';
import type { JwtSigner } from './keys/jwt-signer.js';
import type { LambdaRuntime } from './lambdas/lambda-runtime.js';
import type { PasswordHasher } from './passwords/password-hasher.js';
import type { Stores } from './store/index.js';

/** What routes and the seeder share, decorated onto the Fastify instance as `app.standin`. */
export interface Standin {
  config: Config;
  stores: Stores;
  passwords: PasswordHasher;
  jwt: JwtSigner;
  /**
   * Where Standin is reached: `--issuer` if given, else `http://localhost:<port>` with the port it listens on.
   * The issuer and the browser's endpoint URLs come from it, never from the Host header (docs/hardening.md, "Issuer").
   */
  baseUrl(): string;
  /** The issuer of a tenant: its own `issuer` if set, else the base URL. */
  issuerOf: (tenant: { issuer?: string }) => string;
  /** The test controls (clock, faults, reset, revoke, listings); also served under `/_standin/`. */
  control: Control;
  /** The outbox and SMTP delivery (docs/email.md); emails are sent with email/send-templated-email.ts. */
  email: EmailService;
  /** Runs lambdas in their sandbox, started with the first run (docs/lambdas.md). */
  lambdas: LambdaRuntime;
  /** Webhook delivery: the bounded queue, retries and waiters (docs/webhooks.md); events are sent with events/emit.ts. */
  events: EventService;
  /**
   * A secret only this Standin holds, made when first read: the verification gate's forms are signed with it and the
   * browser's cookie together, so that only a gate Standin showed after a login can act for its user
   * (http/csrf.ts); a browser chooses its own cookie.
   */
  pageKey: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    standin: Standin;
  }
}
