import type * as OpenIdClient from 'openid-client';
import type { Application } from '../model/application.js';
import { forApplication, type OpenIdConnectIdentityProvider, type OpenIdConnectOauth2 } from '../model/identity-provider.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import { discoverProvider, type ProviderAnswer } from '../oauth/relying-party.js';
import type { Standin } from '../standin.js';
import { linkedUser } from './identity-provider-linking.js';

/**
 * The user a login through an OpenID Connect identity provider logs in, however the code reached Standin: at the
 * hosted `/oauth2/callback`, or posted by an application to the Identity Provider Login API. Discovers the provider as
 * `application` sees it (its client overrides), lets `redeem` trade the code for the provider's answer, then links or
 * creates the user by the provider's linking strategy (manage/identity-provider-linking.ts). Throws
 * `RelyingPartyError` when the provider fails, `LinkRefused` when the strategy finds no one to log in.
 */
export async function federatedUser(
  standin: Standin,
  provider: OpenIdConnectIdentityProvider,
  tenant: Tenant,
  application: Application,
  redeem: (config: OpenIdClient.Configuration, oauth2: OpenIdConnectOauth2) => Promise<ProviderAnswer>,
  options: {
    noLink?: boolean;
    /** Told the names of the claims received, for a provider with `debug` on (never their values: they are personal data). */
    debug?: (claimNames: string[]) => void;
  } = {},
): Promise<User> {
  const { oauth2 } = forApplication(provider, application.id);
  const answer = await redeem(await discoverProvider(oauth2), oauth2);
  if (provider.debug) options.debug?.(Object.keys(answer.claims));
  return linkedUser(standin, provider, tenant, application, answer, options.noLink === true ? { noLink: true } : {});
}
