import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { resolveConfig, type ConfigInput } from './config.js';
import { createJwtSigner } from './keys/jwt-signer.js';
import { createPasswordHasher } from './passwords/password-hasher.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { viewsPlugin } from './plugins/views.js';
import { hostedBackendRoutes } from './routes/app/index.js';
import { assetRoutes } from './routes/assets.js';
import { apiRoutes } from './routes/api/index.js';
import { homeRoutes } from './routes/home.js';
import { oauth2Routes } from './routes/oauth2/index.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { seedIfEmpty, type SeedReport } from './seed/seed-if-empty.js';
import type { Standin } from './standin.js';
import { createStores } from './store/index.js';
import { openDatabase } from './store/open-database.js';

export interface StandinApp extends FastifyInstance {
  /** What start-up seeded, for the banner: nothing when the database already held data. */
  seedReport: SeedReport;
}

// Header and body fields that carry secrets never reach the log (security checklist L6).
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/**
 * Builds a ready, seeded Standin that does not listen: tests `inject` into it, the CLI and startStandin()
 * listen on it. Opening the database, migrating and seeding all happen here, so a bad database or
 * kickstart fails the build and leaves nothing half-done.
 */
export async function buildApp(input: ConfigInput = {}): Promise<StandinApp> {
  const config = resolveConfig(input);
  const app = Fastify({
    logger: { level: config.logLevel, redact: REDACT },
    // Never a request that waits forever on a box left running (security checklist §3.4).
    requestTimeout: 30_000,
    bodyLimit: 1024 * 1024,
  }) as unknown as StandinApp;

  const db = openDatabase(config.db);
  app.addHook('onClose', async () => db.close());
  const stores = createStores(db);
  const standin: Standin = {
    config,
    stores,
    passwords: createPasswordHasher(config.passwordHashing),
    jwt: createJwtSigner(stores.keys),
    baseUrl: () => config.issuer ?? `http://localhost:${listeningPort(app) ?? config.port}`,
    issuerOf: (tenant) => tenant.issuer ?? standin.baseUrl(),
  };
  app.decorate('standin', standin);
  app.decorate('seedReport', { source: 'none', ignored: [] } satisfies SeedReport);

  try {
    await app.register(cookie);
    await app.register(securityHeadersPlugin);
    await app.register(viewsPlugin);
    await app.register(assetRoutes);
    await app.register(homeRoutes);
    await app.register(wellKnownRoutes);
    await app.register(apiRoutes, { prefix: '/api' });
    await app.register(oauth2Routes, { prefix: '/oauth2' });
    await app.register(hostedBackendRoutes, { prefix: '/app' });
    app.seedReport = await seedIfEmpty(app, config.kickstart);
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

function listeningPort(app: FastifyInstance): number | undefined {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : undefined;
}
