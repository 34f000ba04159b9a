import type { FastifyInstance } from 'fastify';
import { canonicalId, canonicalizeIds } from '../model/ids.js';

const TENANT_HEADER = 'x-fusionauth-tenantid';

/**
 * Where FusionAuth ids enter Standin, they are made lower case once, for every route family: the path
 * parameters, the query, the `X-FusionAuth-TenantId` header, and then the parsed body (a JSON body all the
 * way down, except the caller's free-form `data` and `claims`; a form body's top-level `client_id` and
 * `*Id` fields). So `/api/application/E9FDB985-…`, `"applicationId": "E9FDB985-…"` and
 * `client_id=E9FDB985-…` all name the application stored as `e9fdb985-…`, on routes that exist today and on
 * any added later, with no lower-casing in the handlers. Only values shaped like UUIDs under id names change:
 * a login id, an email, a state or a code keeps its case (model/ids.ts; docs/identifiers-and-unmodelled.md).
 * The one other entry is HTTP Basic, decoded in oauth/client-authentication.ts.
 *
 * Added on the root before the route families, so their hooks (API-key and tenant checks, faults) already
 * see canonical ids.
 */
export function addCanonicalIdHooks(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    canonicalizeIds(request.params, 'path', false);
    canonicalizeIds(request.query, 'query', false);
    const tenant = request.headers[TENANT_HEADER];
    if (typeof tenant === 'string') request.headers[TENANT_HEADER] = canonicalId(tenant);
  });
  // After the body is parsed and before the route's schema sees it.
  app.addHook('preValidation', async (request) => {
    const form = request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true;
    canonicalizeIds(request.body, form ? 'query' : 'json', !form);
  });
}
