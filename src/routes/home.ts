import type { FastifyInstance } from 'fastify';
import { STANDIN_VERSION } from '../version.js';

/**
 * `GET /`: what a person who opens Standin's URL in a browser sees (FusionAuth shows its admin UI there):
 * where the endpoints are and which applications exist. Nothing secret: no client secrets, no users.
 */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (_request, reply) => {
    const tenant = app.standin.stores.tenants.list()[0];
    return reply.header('cache-control', 'no-store').view('home', {
      title: 'Home',
      version: STANDIN_VERSION,
      issuer: tenant ? app.standin.issuerOf(tenant) : app.standin.baseUrl(),
      applications: app.standin.stores.applications.list().map((application) => ({
        id: application.id,
        name: application.name,
        active: application.active,
        redirects: application.oauthConfiguration.authorizedRedirectURLs,
      })),
    });
  });
}
