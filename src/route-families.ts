import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { addSharedParts, sharedOptions } from './app-shared-parts.js';
import type { Config } from './config.js';
import { requestIdFromRoot, type RouteFamily } from './http/lazy-route-families.js';

/**
 * The routes the root instance leaves to instances of their own, built on first use (http/lazy-route-families.ts):
 * the API but its status routes (`/api/status`, `/api/health`, `/api/system/version`); the hosted pages, the home page
 * `/` among them, with the OAuth endpoints and the hosted backend (which calls `/oauth2/*` through its own instance);
 * and the test controls. Together some 570 of Standin's 580 routes, and all that reads a cookie or renders a page. Their
 * modules are imported when the family is built: the bundle (scripts/bundle.mjs) evaluates a module on its first
 * import, and most of Standin's modules are only ever imported by routes.
 */
export function routeFamilies(root: FastifyInstance, config: Config): RouteFamily[] {
  const family = (name: string, where: Pick<RouteFamily, 'prefixes' | 'paths'>, register: (app: FastifyInstance) => Promise<void>): RouteFamily => ({
    name,
    ...where,
    build: () => buildFamily(root, config, register),
  });
  return [
    family('API', { prefixes: ['/api'] }, async (app) => {
      const { apiRoutes } = await import('./routes/api/index.js');
      await app.register(apiRoutes, { prefix: '/api' });
    }),
    family('hosted pages and OAuth', { prefixes: ['/oauth2', '/password', '/app', '/email', '/registration'], paths: ['/'] }, async (app) => {
      const { homeRoutes } = await import('./routes/home.js');
      const { oauth2Routes } = await import('./routes/oauth2/index.js');
      const { passwordRoutes } = await import('./routes/password/index.js');
      const { hostedBackendRoutes } = await import('./routes/app/index.js');
      const { emailRoutes, registrationVerifyRoutes } = await import('./routes/email/index.js');
      await homeRoutes(app);
      await app.register(oauth2Routes, { prefix: '/oauth2' });
      await app.register(passwordRoutes, { prefix: '/password' });
      await app.register(hostedBackendRoutes, { prefix: '/app' });
      await app.register(emailRoutes, { prefix: '/email' });
      await app.register(registrationVerifyRoutes, { prefix: '/registration' });
    }),
    family('test controls', { prefixes: ['/_standin'] }, async (app) => {
      const { inspectRoutes } = await import('./routes/inspect.js');
      const { controlRoutes } = await import('./routes/control/index.js');
      await app.register(inspectRoutes, { prefix: '/_standin' });
      await app.register(controlRoutes, { prefix: '/_standin' });
    }),
  ];
}

/**
 * A family's instance: the root's options, shared parts and Standin (read through the root, which startStandin()
 * may give another), cookies and pages, the root's logger with the request lines left to the root, and never a
 * server of its own.
 */
async function buildFamily(root: FastifyInstance, config: Config, register: (app: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  let ownRequests = 0;
  const app = Fastify({
    ...sharedOptions(config),
    loggerInstance: root.log,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdFromRoot(() => `family-${++ownRequests}`),
  });
  try {
    app.decorate('standin', { getter: () => root.standin });
    await addSharedParts(app, root);
    // Imported with the first family: the root reads no cookie and renders no page, so a start loads neither.
    const [{ default: cookie }, { viewsPlugin }] = await Promise.all([import('@fastify/cookie'), import('./plugins/views.js')]);
    await app.register(cookie);
    await app.register(viewsPlugin);
    await register(app);
    await app.ready();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
