import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createControlClock } from './control/clock.js';
import { createControl } from './control/control.js';
import { createFaultList } from './control/faults.js';
import { createEmailService } from './email/email-service.js';
import { createEventService } from './events/event-service.js';
import { trackConcurrentClients } from './http/concurrent-clients.js';
import { createJwtSigner } from './keys/jwt-signer.js';
import { signOnPoolWhen } from './keys/signing-placement.js';
import { createLambdaRuntime } from './lambdas/lambda-runtime.js';
import { createPasswordHasher } from './passwords/password-hasher.js';
import type { Standin } from './standin.js';
import { createStores } from './store/index.js';
import type { Db } from './store/open-database.js';
import { prepareOnUse } from './store/prepare-on-use.js';

// One tracker per server, however many Standins it serves one after another.
const clientTrackers = new WeakMap<Server, () => boolean>();

/**
 * Everything one Standin holds over its database: what `app.standin` is. Routes and hooks read `app.standin` when
 * a request comes, never when they are registered, so that startStandin() can give a Fastify instance a new
 * Standin for the next test without any state of the last one (src/instance-pool.ts). Sets `config.now` to the
 * control clock, which the control API moves.
 */
export function createStandin(app: FastifyInstance, config: Config, db: Db): Standin {
  const clock = createControlClock(config.now);
  config.now = clock.now;
  const stores = createStores(prepareOnUse(db));
  // Password checks wait in a bounded queue (config limits; docs/hardening.md).
  const passwords = createPasswordHasher(config.passwordHashing, undefined, {
    queue: config.limits.passwordQueue,
    timeoutMs: config.limits.passwordQueueTimeoutMs,
  });
  let concurrentClients = clientTrackers.get(app.server);
  if (!concurrentClients) clientTrackers.set(app.server, (concurrentClients = trackConcurrentClients(app.server)));
  let port: number | undefined;
  let pageKey: string | undefined;
  const standin: Standin = {
    config,
    stores,
    passwords,
    jwt: createJwtSigner(
      stores.keys,
      (applicationId) => stores.applications.get(applicationId)?.oauthConfiguration.clientSecret,
      signOnPoolWhen({ concurrentClients, passwordChecksRunning: () => passwords.load().running }),
    ),
    // The port is read from the server once it listens (server.address() costs a system call per request).
    baseUrl: () => config.issuer ?? `http://localhost:${(port ??= listeningPort(app)) ?? config.port}`,
    issuerOf: (tenant) => tenant.issuer ?? standin.baseUrl(),
    control: createControl(stores, clock, createFaultList()),
    email: createEmailService(stores, app.log),
    lambdas: createLambdaRuntime({ lambdas: stores.lambdas, eventLogs: stores.eventLogs, now: config.now }),
    events: createEventService(stores, app.log),
    // Made by the first page that needs it: node:crypto loads on first use, and a start answers without it.
    get pageKey() {
      return (pageKey ??= randomBytes(32).toString('base64url'));
    },
  };
  return standin;
}

/**
 * The first half of stopping a Standin, before the server waits for open requests to end: a long poll on
 * /_standin/emails answers, webhook retries are cancelled and event waiters answered (a delivery under way ends on
 * its own timeouts).
 */
export function beginStopping(standin: Standin): void {
  standin.email.outbox.close();
  void standin.events.close();
}

/** The second half, once no request is open: the database, SMTP connections and retries, the lambda sandbox. */
export async function finishStopping(standin: Standin): Promise<void> {
  standin.control.discardSnapshot();
  standin.events.abandon(standin.config.now());
  standin.stores.db.close();
  // An email outcome arriving after the database closed is dropped.
  await standin.email.close();
  await standin.lambdas.close();
}

function listeningPort(app: FastifyInstance): number | undefined {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : undefined;
}
