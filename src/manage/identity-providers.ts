import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { buildIdentityProvider, refuseUnmodelledType, type OpenIdConnectIdentityProvider } from '../model/identity-provider.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';

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
  if (stores.identityProviders.get(providerId)) {
    new FieldErrors().add('identityProviderId', 'duplicate', `An identity provider with Id [${providerId}] already exists.`).throwIfAny();
  }
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
