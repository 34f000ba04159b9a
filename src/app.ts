import { existsSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { addSharedParts, sharedOptions } from './app-shared-parts.js';
import { resolveConfig, type ConfigInput } from './config.js';
import { beginStopping, createStandin, finishStopping } from './create-standin.js';
import { answerBeforeRouting, type EarlyResponder } from './http/answer-before-routing.js';
import { closeConnectionsOnceAnswered, trackRequestsInFlight } from './http/close-connections.js';
import { LazyRouteFamilies } from './http/lazy-route-families.js';
import { requestLogLine } from './http/redact-url.js';
import { prefetchRsaKey } from './keys/generate-key.js';
import { isReplaying } from './kickstart/replay-requests.js';
import { routeFamilies } from './route-families.js';
import { apiStatusRoutes } from './routes/api/status.js';
import { assetRoutes } from './routes/assets.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { addSeedGate } from './seed/seed-gate.js';
import { seedIfEmpty, type SeedReport } from './seed/seed-if-empty.js';
import { keepSeedImage, seedImage, type SeedImage } from './seed/seed-images.js';
import { shedLoginsBeforeRouting } from './shed-logins-before-routing.js';
import { MEMORY, openDatabase, openDatabaseImage } from './store/open-database.js';

export interface StandinApp extends FastifyInstance {
  /** What start-up seeded, for the banner: nothing when the database already held data. */
  seedReport: SeedReport;
  /** Settles when the seed is committed: at once, unless `seedAfterListen` let it run after buildApp returned. */
  seeded: Promise<void>;
}

// Header and body fields that carry secrets never reach the log (docs/hardening.md, "Logs").
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/** How buildApp's log lines are written; the CLI chooses, as the only reader of the terminal. */
export interface LogOutput {
  /** One short line per request and event, for a person at a terminal; else JSON lines. */
  human?: boolean;
  /**
   * The CLI's: with no kickstart, the default seed (a signing key and two password hashes, made on the thread
   * pool) goes on after buildApp returns, and requests other than `/api/status` wait for it (seed/seed-gate.ts).
   */
  seedAfterListen?: boolean;
  /**
   * startStandin()'s: the key of this input's seed image (`seedImageKey`, seed/seed-images.ts). An in-memory
   * database seeded from a kickstart this process already seeded starts as a copy of that database, keys and
   * password hashes included; the first seed with this key is kept as the image.
   */
  seedImageKey?: string | undefined;
}

/**
 * Builds a ready, seeded Standin that does not listen: tests `inject` into it, the CLI and startStandin()
 * listen on it. Opening the database, migrating and seeding all happen here, so a bad database or
 * kickstart fails the build and leaves nothing half-done.
 */
export async function buildApp(input: ConfigInput = {}, output: LogOutput = {}): Promise<StandinApp> {
  const config = resolveConfig(input);
  // pino-pretty is loaded only for a person at a terminal: piped and in tests it would only slow the start.
  const human = output.human ? await import('./http/human-log.js') : undefined;
  // The kickstart's replayed requests write no request lines: the banner sums them up.
  const logOptions = { disableRequestLogging: () => isReplaying(app) };
  // Set once the instance is built: answers that must stay cheap under a flood, before Fastify routes a request.
  let answerFirst: EarlyResponder | undefined;
  const app = Fastify({
    ...sharedOptions(config),
    logger: {
      level: config.logLevel,
      redact: REDACT,
      serializers: { req: requestLogLine },
      ...(human ? { stream: human.humanLogStream() } : {}),
    },
    logController: human ? new human.HumanLogController(logOptions) : new LogController(logOptions),
    // Never a request that waits forever on a box left running (docs/hardening.md).
    requestTimeout: 30_000,
  }) as unknown as StandinApp;
  answerBeforeRouting(app.server, () => answerFirst);

  const imageKey = output.seedImageKey;
  const image = seedImage(imageKey);
  // A new database is seeded with a generated RS256 key: start making it on the thread pool now, while the
  // routes are registered (the CLI has asked for it already; the request is made once).
  if (!image && (config.db === MEMORY || !existsSync(config.db))) prefetchRsaKey();
  const db = image ? openDatabaseImage(image.bytes) : openDatabase(config.db);
  // Hooks, routes and handlers read `app.standin` when they run: startStandin() may give this instance another
  // Standin (create-standin.ts).
  app.decorate('standin', createStandin(app, config, db));
  app.decorate('seedReport', { source: 'none', ignored: [] } satisfies SeedReport);
  trackRequestsInFlight(app.server);
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    beginStopping(app.standin);
    // An app driven by inject() never listened: it has no connection, and no 'close' would end the poll.
    if (app.server.listening) closeConnectionsOnceAnswered(app.server);
  });
  // The route families' instances (route-families.ts) are closed with this one, whose Standin they share.
  const families = new LazyRouteFamilies(routeFamilies(app, config));
  app.addHook('onClose', async () => families.close());
  app.addHook('onClose', async () => finishStopping(app.standin));

  const gate = output.seedAfterListen === true && config.kickstart === undefined ? addSeedGate(app) : undefined;

  try {
    // Before every other hook: a request for a family's routes goes to the family's instance untouched.
    families.addHandOver(app);
    await addSharedParts(app, app);
    // Route files with no hooks of their own join the root context as functions (routes/api/index.ts says why).
    await assetRoutes(app);
    await wellKnownRoutes(app);
    // What a readiness check asks for; the rest of /api is a family of its own (route-families.ts).
    await app.register(apiStatusRoutes, { prefix: '/api' });
    const seed = async () => {
      if (image) app.seedReport = { ...image.report, ignored: [...image.report.ignored] };
      else {
        app.seedReport = await seedIfEmpty(app, config.kickstart);
        keepSeedImage(imageKey, db, app.seedReport, () => app.standin.stores.emailOutbox.list().length === 0);
      }
      // What reset returns to: the state right after the kickstart (or at start, on a database that had data).
      await app.standin.control.snapshot();
    };
    app.seeded = gate ? gate.run(seed) : seed();
    if (!gate) await app.seeded;
    let seeded = false;
    void app.seeded.then(
      () => (seeded = true),
      () => undefined,
    );
    answerFirst = shedLoginsBeforeRouting(app, () => seeded && !closing);
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/**
 * Gives a built instance a new Standin over a copy of a seeded database (seed/seed-images.ts), as buildApp would
 * have built it for `input`: for startStandin() to reuse an instance closed by an earlier test
 * (src/instance-pool.ts).
 */
export function attachSeededStandin(app: StandinApp, input: ConfigInput, image: SeedImage): StandinApp {
  const config = resolveConfig(input);
  app.standin = createStandin(app, config, openDatabaseImage(image.bytes));
  app.seedReport = { ...image.report, ignored: [...image.report.ignored] };
  // The database is in memory, so its copy is made at once (store/snapshot.ts).
  app.seeded = app.standin.control.snapshot();
  return app;
}
