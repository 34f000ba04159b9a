import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { createIdentityProvider, searchIdentityProviders, updateIdentityProvider } from '../../manage/identity-providers.js';
import { isReplaying } from '../../kickstart/replay-requests.js';
import { requireMember } from '../../manage/request-body.js';
import {
  IDENTITY_PROVIDER_TYPES,
  MODELLED_IDENTITY_PROVIDER_TYPES,
  unmodelledTypeError,
  type IdentityProvider,
} from '../../model/identity-provider.js';
import type { JsonObject } from '../../model/json.js';
import { refuseUnmodelledIdentityProvider } from './refuse-unmodelled.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';
import { requireInstanceKey } from './webhook.js';

interface Params {
  identityProviderId?: string;
}

const listQuery = {
  type: 'object',
  properties: { type: { type: 'string', enum: [...IDENTITY_PROVIDER_TYPES] } },
} as const;

/**
 * FusionAuth's Identity Provider API for the OpenID Connect type (https://fusionauth.io/docs/apis/identity-providers/openid-connect)
 * and the External JWT type (https://fusionauth.io/docs/apis/identity-providers/external-jwt):
 * create with or without an id, retrieve one, all, or all of a type (`?type=`), replace, merge-patch, delete, search. Every
 * other type is refused with `[NotModelled]`, and so is a setting Standin's login would not follow
 * (docs/identity-providers.md). Providers hold client secrets and may serve every tenant, so a tenant-bound API key
 * may not use this API.
 */
export async function identityProviderRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('identityProviderId');
  const load = (id: string | undefined) => {
    const provider = id === undefined ? undefined : app.standin.stores.identityProviders.get(id);
    if (!provider) throw ApiError.notFound();
    return provider;
  };
  const write = (request: FastifyRequest, existing: IdentityProvider | undefined, build: (input: JsonObject) => IdentityProvider) => {
    const input = requireMember(request.body, 'identityProvider');
    // Built first (field errors, the type), then checked for what Standin would not act on, then stored.
    return app.standin.stores.db.transaction(() => {
      const provider = build(input);
      refuseUnmodelledIdentityProvider(request, provider, existing);
      return provider;
    })();
  };

  await app.register(async (scoped) => {
    scoped.addHook('preHandler', requireInstanceKey);
    searchRoutes(scoped, '/identity-provider/search', (search) => {
      const { results, total } = searchIdentityProviders(app.standin.stores, search.criteria, search.prefix);
      return { identityProviders: results, total };
    });
    // FusionAuth's Start API begins the logins FusionAuth must start itself (HYPR, SAML v2: its docs have no Start for
    // OpenID Connect, where the application runs the redirect and completes with POST /api/identity-provider/login).
    scoped.post('/identity-provider/start', async () => {
      throw ApiError.general(
        '[NotModelled]',
        'Standin does not model POST /api/identity-provider/start: it begins HYPR and SAML v2 logins, types Standin does not model. For OpenID Connect, send the browser to the provider and complete the login with POST /api/identity-provider/login; see docs/identity-providers.md.',
        404,
      );
    });
    for (const url of ['/identity-provider', '/identity-provider/:identityProviderId']) {
      scoped.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
        identityProvider: write(request, undefined, (input) =>
          createIdentityProvider(app.standin.stores, app.standin.config.now(), request.params.identityProviderId, input, isReplaying(app)),
        ),
      }));
    }
    scoped.get<{ Querystring: { type?: string } }>('/identity-provider', { schema: { querystring: listQuery } }, async (request) => {
      const { type } = request.query;
      if (type !== undefined && !MODELLED_IDENTITY_PROVIDER_TYPES.includes(type)) throw unmodelledTypeError(type);
      const providers = app.standin.stores.identityProviders.list();
      return { identityProviders: type === undefined ? providers : providers.filter((provider) => provider.type === type) };
    });
    scoped.get<{ Params: Params }>('/identity-provider/:identityProviderId', { schema: { params } }, async (request) => ({
      identityProvider: load(request.params.identityProviderId),
    }));
    for (const [method, mode] of [
      ['put', 'replace'],
      ['patch', 'merge'],
    ] as const) {
      scoped[method]<{ Params: Params }>('/identity-provider/:identityProviderId', { schema: { params } }, async (request) => {
        const existing = load(request.params.identityProviderId);
        return {
          identityProvider: write(request, existing, (input) =>
            updateIdentityProvider(app.standin.stores, app.standin.config.now(), existing, input, mode, isReplaying(app)),
          ),
        };
      });
    }
    scoped.delete<{ Params: Params }>('/identity-provider/:identityProviderId', { schema: { params } }, async (request, reply) => {
      app.standin.stores.identityProviders.delete(load(request.params.identityProviderId).id);
      return reply.code(200).send();
    });
  });
}
