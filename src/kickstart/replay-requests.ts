import type { FastifyInstance } from 'fastify';
import type { Standin } from '../standin.js';
import { isBuiltInConnector } from '../model/connector.js';
import { ignoredConnectorRequest, ignoredIdentityProviderRequest, ignoredIntegrationRequest, isIgnoredEndpoint } from './ignored-endpoints.js';
import { KickstartError, type ResolvedKickstart } from './types.js';

// The Standins replaying a kickstart now, held by their Standin object, which the app and every plugin in it share.
// Their replayed requests write no request lines (the banner sums them up), and may attach what the API refuses.
const replaying = new WeakSet<Standin>();

/**
 * Whether `app` (the root app or any plugin's instance in it) is replaying its kickstart: buildApp's logger leaves
 * those requests out of the log.
 */
export function isReplaying(app: FastifyInstance): boolean {
  return replaying.has(app.standin);
}

/**
 * Replays a kickstart's requests, in order, through Standin's own `/api` handlers with the first API key,
 * as FusionAuth does (https://fusionauth.io/docs/get-started/download-and-install/development/kickstart).
 * Returns the requests it ignored; throws on the first one refused.
 */
export async function replayRequests(app: FastifyInstance, kickstart: ResolvedKickstart): Promise<string[]> {
  const { standin } = app;
  replaying.add(standin);
  try {
    return await replay(app, kickstart);
  } finally {
    replaying.delete(standin);
  }
}

async function replay(app: FastifyInstance, kickstart: ResolvedKickstart): Promise<string[]> {
  const authorization = kickstart.apiKeys[0]!.key;
  const ignored: string[] = [];
  for (const [index, request] of kickstart.requests.entries()) {
    const method = request.method ?? 'POST';
    // FusionAuth's own quickstart has a URL without the leading slash ("api/system-configuration").
    const url = `/${request.url.replace(/^\/+/, '')}`;
    const label = `requests[${index}] ${method} ${url}`;
    const path = new URL(url, 'http://kickstart').pathname;
    const isStoredProvider = (id: string) => app.standin.stores.identityProviders.get(id) !== undefined;
    const isStoredConnector = (id: string) => isBuiltInConnector(id) || app.standin.stores.connectors.get(id) !== undefined;
    if (
      isIgnoredEndpoint(path) ||
      ignoredIdentityProviderRequest(path, method, request.body, isStoredProvider) ||
      ignoredConnectorRequest(path, method, request.body, isStoredConnector) ||
      ignoredIntegrationRequest(path, method, request.body)
    ) {
      ignored.push(`${method} ${url}`);
      app.log.info(`kickstart: ${label} ignored: Standin does not model this FusionAuth API`);
      continue;
    }
    const response = await app.inject({
      method,
      url,
      headers: {
        authorization,
        'content-type': request.contentType ?? 'application/json',
        ...(request.tenantId === undefined ? {} : { 'x-fusionauth-tenantid': request.tenantId }),
      },
      ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
    });
    if (response.statusCode >= 300) {
      const detail = response.body === '' ? '' : `: ${response.body.slice(0, 2000)}`;
      throw new KickstartError(`${label} failed with HTTP ${response.statusCode}${detail}`);
    }
    app.log.debug(`kickstart: ${label} → ${response.statusCode}`);
  }
  return ignored;
}
