import type { Server } from 'node:http';
import { attachSeededStandin, type StandinApp } from './app.js';
import type { Config, ConfigInput } from './config.js';
import { beginStopping, finishStopping } from './create-standin.js';
import { closeConnectionsOnceAnswered } from './http/close-connections.js';
import { abortFaultDelays } from './plugins/fault-hooks.js';
import { seedImage } from './seed/seed-images.js';

/**
 * Instances closed by startStandin()'s `close()`, kept for the next start with the same options: building the
 * Fastify instance and registering its routes was most of a repeated start (bench/README.md). A kept instance is
 * only the server and its routes: its Standin (database, services, every count and cache) is stopped when it is
 * closed, and the next start gives it a new one over a copy of the seeded database (create-standin.ts), so no state
 * of one test reaches the next.
 */
const idle = new Map<string, StandinApp[]>();
// A test process has one or two kickstarts; more kept instances would only hold memory.
const MAX_IDLE = 4;
let idleCount = 0;

/** What makes two startStandin() instances interchangeable, and the seed image they start from. */
export interface ReuseKey {
  key: string;
  imageKey: string;
}

/**
 * The instances interchangeable with one for `config`, or undefined when it cannot be reused: the same options, the
 * kickstart by its seed image's key (`seedImageKey`, seed/seed-images.ts), so only in-memory instances of a
 * kickstart without a clock of the caller's. `localhost` is left out: Fastify listens on each of its addresses with
 * servers of its own.
 */
export function reuseKeyOf(config: Config, imageKey: string | undefined): ReuseKey | undefined {
  if (imageKey === undefined || config.host === 'localhost') return undefined;
  const options = JSON.stringify(config, (name, value: unknown) => (name === 'kickstart' || name === 'now' ? undefined : value));
  return { key: `${imageKey} ${options}`, imageKey };
}

/** A kept instance, given a new Standin for `input` and listening again; undefined when none is kept. */
export async function reuseInstance({ key, imageKey }: ReuseKey, input: ConfigInput): Promise<StandinApp | undefined> {
  const app = idle.get(key)?.pop();
  if (!app) return undefined;
  idleCount -= 1;
  const image = seedImage(imageKey);
  if (!image) return undefined;
  attachSeededStandin(app, input, image);
  try {
    await listen(app.server, app.standin.config);
  } catch (error) {
    await finishStopping(app.standin);
    throw error;
  }
  return app;
}

/**
 * Stops an instance as `app.close()` would (long polls answered, delays and retries cancelled, requests in flight
 * answered, connections closed, then the database and the services), and keeps it for the next start with the same
 * key while a copy of its seed is kept.
 */
export async function closeAndKeep({ key, imageKey }: ReuseKey, app: StandinApp): Promise<void> {
  abortFaultDelays(app);
  beginStopping(app.standin);
  await closeServer(app.server);
  await finishStopping(app.standin);
  if (idleCount >= MAX_IDLE || !seedImage(imageKey)) return;
  idle.set(key, [...(idle.get(key) ?? []), app]);
  idleCount += 1;
}

/** Resolves once every connection has ended: the requests in flight answered, the other connections closed. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
    closeConnectionsOnceAnswered(server);
  });
}

function listen(server: Server, { port, host }: { port: number; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
