import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** The one route that answers before the seed is done: it says the server accepts requests, nothing more. */
const STATUS_ROUTE = '/api/status';

export interface SeedGate {
  /**
   * Runs `seed` once the server listens, so that none of its work on the main thread delays `listen`; from now
   * until it settles, requests from the network wait for it.
   */
  run(seed: () => Promise<void>): Promise<void>;
}

/**
 * Lets the server listen while the default seed is still being made (its signing key and password hashes are
 * computed on libuv's thread pool): requests from the network wait until the seed is committed, so none sees a
 * half-seeded database, except `GET /api/status`, which answers at once as FusionAuth's does once it accepts
 * requests. The seed's own requests (replayed in-process with `inject`) pass. Must be added before the routes.
 */
export function addSeedGate(app: FastifyInstance): SeedGate {
  let pending: Promise<void> | undefined;
  let listened = false;
  let onListening!: () => void;
  const listening = new Promise<void>((resolve) => (onListening = resolve));
  app.addHook('onListen', (done) => {
    listened = true;
    onListening();
    done();
  });
  app.addHook('onRequest', (request, _reply, done) => {
    if (pending === undefined || !(request.raw.socket instanceof Socket) || request.routeOptions.url === STATUS_ROUTE) {
      done();
      return;
    }
    pending.then(() => {
      done();
    }, done);
  });
  // Closing waits for a seed that started, so that it never writes to a closed database.
  app.addHook('preClose', async () => {
    if (listened) await pending?.catch(() => undefined);
  });
  return {
    run(seed) {
      const running = listening.then(seed);
      pending = running;
      running.then(
        () => {
          pending = undefined;
        },
        () => undefined,
      );
      return running;
    },
  };
}
