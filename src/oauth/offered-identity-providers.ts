import { forApplication, isOfferedTo, isOpenIdConnect, type OpenIdConnectIdentityProvider } from '../model/identity-provider.js';
import type { Standin } from '../standin.js';
import type { AuthorizeRequest } from './authorize-request.js';

export interface OfferedProvider {
  id: string;
  buttonText: string;
}

/** The OpenID Connect providers (External JWT ones have no button) the login page of `authz`'s application shows a button for, by name (docs/identity-providers.md). */
export function offeredIdentityProviders(standin: Standin, authz: AuthorizeRequest): OfferedProvider[] {
  const { application } = authz;
  return standin.stores.identityProviders
    .list()
    .filter(isOpenIdConnect)
    .filter((provider) => isOfferedTo(provider, application.id, application.tenantId))
    .map((provider) => ({ id: provider.id, buttonText: forApplication(provider, application.id).buttonText }));
}

/** The provider `id` names if the login page of `authz`'s application offers it. */
export function offeredProvider(standin: Standin, authz: AuthorizeRequest, id: unknown): OpenIdConnectIdentityProvider | undefined {
  const provider = typeof id === 'string' && /^[0-9a-fA-F-]{36}$/.test(id) ? standin.stores.identityProviders.get(id) : undefined;
  return isOpenIdConnect(provider) && isOfferedTo(provider, authz.application.id, authz.application.tenantId) ? provider : undefined;
}
