import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { isOpenIdConnect, type IdentityProvider } from '../../model/identity-provider.js';
import { isUuid, type JsonObject } from '../../model/json.js';
import { discoverProvider } from '../../oauth/relying-party.js';
import { permittedApiKey } from './api-key-access.js';
import { namedTenantId } from './tenant-scope.js';

const querystring = {
  type: 'object',
  properties: { domain: { type: 'string', maxLength: 320 }, tenantId: { type: 'string', maxLength: 64 } },
} as const;

/**
 * `GET /api/identity-provider/lookup?domain=` (https://fusionauth.io/docs/apis/identity-providers, "Lookup an Identity
 * Provider"): the enabled provider whose managed `domains` hold the domain of an email address (or the domain itself),
 * for a login page of the application's own that asks for the email first; an empty 404 when no provider manages it.
 * Open to anyone, as in FusionAuth. A provider scoped to the tenant the request names (`tenantId`, the
 * `X-FusionAuth-TenantId` header or a tenant-bound key) wins over a global one; with no tenant named, only global
 * providers answer. Standin's own login page does not follow `domains` (docs/identity-providers.md).
 */
export async function identityProviderLookupRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { domain?: string; tenantId?: string } }>(
    '/identity-provider/lookup',
    { config: { public: true }, schema: { querystring } },
    async (request) => {
      // Read for its tenant: a tenant-bound key looks up in its own tenant.
      permittedApiKey(request);
      const given = request.query.domain?.trim() ?? '';
      const errors = new FieldErrors();
      if (given === '') errors.add('domain', 'missing', 'You must specify the [domain] parameter: an email address or its domain.');
      const asked = request.query.tenantId;
      if (asked !== undefined && !isUuid(asked))
        errors.add('tenantId', 'invalid', `The [tenantId] parameter [${request.query.tenantId ?? ''}] is not an Id.`);
      errors.throwIfAny();
      const named = namedTenantId(request);
      // The tenant of a key or header wins over the one asked for, as it scopes every other request.
      const tenantId = (named ?? asked)?.toLowerCase();
      const domain = given.slice(given.lastIndexOf('@') + 1).toLowerCase();
      const managing = app.standin.stores.identityProviders
        .list()
        .filter((provider) => provider.enabled && provider.domains.some((managed) => managed.trim().toLowerCase() === domain));
      const provider =
        (tenantId === undefined ? undefined : managing.find((candidate) => candidate.tenantId === tenantId)) ??
        managing.find((candidate) => candidate.tenantId === undefined);
      if (!provider) throw ApiError.notFound();
      return { identityProvider: await lookupView(provider) };
    },
  );
}

/**
 * What the Lookup API answers of a provider: FusionAuth's subset (the applications it is enabled for, its endpoints to
 * send the browser to), never its client secret. The endpoints are the ones given, else the ones its discovery
 * document names; left out when the provider cannot be reached. An External JWT provider's are the ones given, which
 * FusionAuth keeps for this answer only (https://fusionauth.io/docs/apis/identity-providers/external-jwt).
 */
async function lookupView(provider: IdentityProvider): Promise<JsonObject> {
  let endpoints: JsonObject = {};
  const { authorization_endpoint, token_endpoint } = provider.oauth2;
  if (!isOpenIdConnect(provider)) {
    endpoints = {
      ...(authorization_endpoint === undefined ? {} : { authorization_endpoint }),
      ...(token_endpoint === undefined ? {} : { token_endpoint }),
    };
  } else if (authorization_endpoint !== undefined && token_endpoint !== undefined) {
    endpoints = { authorization_endpoint, token_endpoint };
  } else if (provider.oauth2.issuer !== undefined) {
    try {
      const metadata = (await discoverProvider(provider.oauth2)).serverMetadata();
      endpoints = {
        ...(metadata.authorization_endpoint === undefined ? {} : { authorization_endpoint: metadata.authorization_endpoint }),
        ...(metadata.token_endpoint === undefined ? {} : { token_endpoint: metadata.token_endpoint }),
      };
    } catch {
      endpoints = {};
    }
  }
  return {
    applicationIds: Object.entries<{ enabled: boolean }>(provider.applicationConfiguration)
      .filter(([, config]) => config.enabled)
      .map(([applicationId]) => applicationId),
    id: provider.id,
    insertInstant: provider.insertInstant,
    lastUpdateInstant: provider.lastUpdateInstant,
    name: provider.name,
    oauth2: endpoints,
    ...(provider.tenantId === undefined ? {} : { tenantId: provider.tenantId }),
    type: provider.type,
  };
}
