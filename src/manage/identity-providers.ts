import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.js';
import {
  buildIdentityProvider,
  IDENTITY_PROVIDER_TYPES,
  OPENID_CONNECT,
  refuseUnmodelledType,
  type OpenIdConnectIdentityProvider,
} from '../model/identity-provider.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';

const contextOf = (stores: Stores, allowMissingLambda: boolean) => ({
  applicationExists: (id: string) => stores.applications.get(id) !== undefined,
  tenantExists: (id: string) => stores.tenants.get(id) !== undefined,
  lambdaTypeOf: (id: string) => stores.lambdas.get(id)?.type,
  allowMissingLambda,
});

/** FusionAuth's Create an Identity Provider, for the OpenID Connect type (https://fusionauth.io/docs/apis/identity-providers/openid-connect). */
/** `replaying`: a kickstart's request, which may name a reconcile lambda Standin does not have (model/identity-provider.ts). */
export function createIdentityProvider(
  stores: Stores,
  now: number,
  id: string | undefined,
  input: JsonObject,
  replaying = false,
): OpenIdConnectIdentityProvider {
  refuseUnmodelledType(input);
  const providerId = id?.toLowerCase() ?? randomUUID();
  refuseDuplicateId(stores.identityProviders.get(providerId) !== undefined, 'identityProviderId', 'An identity provider', providerId);
  const provider = buildIdentityProvider(input, { id: providerId, now, ...contextOf(stores, replaying) });
  stores.identityProviders.insert(provider);
  return provider;
}

/** PUT replaces the provider with `input`; PATCH merges `input` into it (RFC 7396). The type and tenant stay. */
export function updateIdentityProvider(
  stores: Stores,
  now: number,
  existing: OpenIdConnectIdentityProvider,
  input: JsonObject,
  mode: 'replace' | 'merge',
  replaying = false,
): OpenIdConnectIdentityProvider {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const provider = buildIdentityProvider(isObject(next) ? next : {}, { id: existing.id, now, existing, ...contextOf(stores, replaying) });
  stores.identityProviders.update(provider);
  return provider;
}

/**
 * FusionAuth's Search for Identity Providers (https://fusionauth.io/docs/apis/identity-providers, since 1.45.0): by
 * `name` (wildcards), `type`, `applicationId` (enabled for that application), `tenantId` (scoped to that tenant),
 * ordered by `enabled`, `id`, `insertInstant`, `name` (the default) or `type`. A `type` other than OpenID Connect is
 * `[NotModelled]`, as the Retrieve by type answers it: Standin stores no provider of another type.
 */
export function searchIdentityProviders(stores: Stores, criteria: unknown, prefix: string): Found<OpenIdConnectIdentityProvider> {
  const type = isObject(criteria) ? criteria.type : undefined;
  if (
    typeof type === 'string' &&
    type.trim() !== '' &&
    type.trim() !== OPENID_CONNECT &&
    (IDENTITY_PROVIDER_TYPES as readonly string[]).includes(type.trim())
  ) {
    throw ApiError.general(
      '[NotModelled]',
      `Standin models the OpenIDConnect identity provider only, not [${type.trim()}]; see docs/identity-providers.md.`,
    );
  }
  return searchObjects(
    stores.identityProviders.list(),
    criteria,
    {
      orderBy: {
        enabled: (provider) => (provider.enabled ? 1 : 0),
        id: (provider) => provider.id,
        insertInstant: (provider) => provider.insertInstant,
        name: (provider) => provider.name,
        type: (provider) => provider.type,
      },
      defaultOrder: 'name',
      text: { name: (provider) => provider.name },
      exact: { type: { values: IDENTITY_PROVIDER_TYPES, of: (provider) => provider.type } },
      ids: {
        applicationId: (provider, id) => provider.applicationConfiguration[id]?.enabled === true,
        tenantId: (provider, id) => provider.tenantId === id,
      },
    },
    prefix,
  );
}
