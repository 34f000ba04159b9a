import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { buildExternalJwtIdentityProvider, EXTERNAL_JWT } from '../model/external-jwt-identity-provider.js';
import {
  buildIdentityProvider,
  IDENTITY_PROVIDER_TYPES,
  MODELLED_IDENTITY_PROVIDER_TYPES,
  refuseUnmodelledType,
  unmodelledTypeError,
  type IdentityProvider,
} from '../model/identity-provider.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';

const contextOf = (stores: Stores, allowMissingLambda: boolean) => ({
  applicationExists: (id: string) => stores.applications.get(id) !== undefined,
  tenantExists: (id: string) => stores.tenants.get(id) !== undefined,
  lambdaTypeOf: (id: string) => stores.lambdas.get(id)?.type,
  // A key verifies with its public part, or with its secret for HMAC (the built-in client-secret keys hold neither).
  keyVerifies: (id: string) => {
    const stored = stores.keys.get(id);
    return stored !== undefined && (stored.key.publicKey !== undefined || (stored.key.type === 'HMAC' && stored.privateKey !== undefined));
  },
  allowMissingLambda,
});

/** Builds a provider of the type `input` names (or `existing` has), with that type's fields and defaults. */
function build(stores: Stores, input: JsonObject, id: string, now: number, replaying: boolean, existing?: IdentityProvider): IdentityProvider {
  refuseUnmodelledType(input, existing);
  const context = { id, now, ...contextOf(stores, replaying) };
  if ((input.type ?? existing?.type) === EXTERNAL_JWT) {
    return buildExternalJwtIdentityProvider(input, { ...context, ...(existing?.type === EXTERNAL_JWT ? { existing } : {}) });
  }
  return buildIdentityProvider(input, { ...context, ...(existing?.type === EXTERNAL_JWT || existing === undefined ? {} : { existing }) });
}

/**
 * FusionAuth's Create an Identity Provider, for the OpenID Connect type (https://fusionauth.io/docs/apis/identity-providers/openid-connect)
 * and the External JWT type (https://fusionauth.io/docs/apis/identity-providers/external-jwt).
 */
/** `replaying`: a kickstart's request, which may name a reconcile lambda Standin does not have (model/identity-provider.ts). */
export function createIdentityProvider(stores: Stores, now: number, id: string | undefined, input: JsonObject, replaying = false): IdentityProvider {
  refuseUnmodelledType(input);
  const providerId = id?.toLowerCase() ?? randomUUID();
  refuseDuplicateId(stores.identityProviders.get(providerId) !== undefined, 'identityProviderId', 'An identity provider', providerId);
  const provider = build(stores, input, providerId, now, replaying);
  stores.identityProviders.insert(provider);
  return provider;
}

/** PUT replaces the provider with `input`; PATCH merges `input` into it (RFC 7396). The type and tenant stay. */
export function updateIdentityProvider(
  stores: Stores,
  now: number,
  existing: IdentityProvider,
  input: JsonObject,
  mode: 'replace' | 'merge',
  replaying = false,
): IdentityProvider {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const provider = build(stores, isObject(next) ? next : {}, existing.id, now, replaying, existing);
  stores.identityProviders.update(provider);
  return provider;
}

/**
 * FusionAuth's Search for Identity Providers (https://fusionauth.io/docs/apis/identity-providers, since 1.45.0): by
 * `name` (wildcards), `type`, `applicationId` (enabled for that application), `tenantId` (scoped to that tenant),
 * ordered by `enabled`, `id`, `insertInstant`, `name` (the default) or `type`. A `type` Standin does not model is
 * `[NotModelled]`, as the Retrieve by type answers it: Standin stores no provider of another type.
 */
export function searchIdentityProviders(stores: Stores, criteria: unknown, prefix: string): Found<IdentityProvider> {
  const type = isObject(criteria) ? criteria.type : undefined;
  if (
    typeof type === 'string' &&
    type.trim() !== '' &&
    !MODELLED_IDENTITY_PROVIDER_TYPES.includes(type.trim()) &&
    (IDENTITY_PROVIDER_TYPES as readonly string[]).includes(type.trim())
  ) {
    throw unmodelledTypeError(type.trim());
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
