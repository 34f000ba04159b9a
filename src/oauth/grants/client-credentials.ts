import { randomUUID } from 'node:crypto';
import { OAuthError } from '../../errors.js';
import { jwtConfigurationOf } from '../jwt-configuration.js';
import { param } from '../request-params.js';
import { requireSignableGrant } from '../signing-keys.js';
import type { TokenResponse } from '../token-response.js';
import type { GrantContext } from './grant.js';

/**
 * RFC 6749 §4.4, the client credentials grant, as the RFC has it, for an application's client id. FusionAuth's own is
 * built on Entities (`scope=target-entity:<id>:<permissions>`, `sub` = the entity): Standin serves that one when the
 * client id is an entity's (oauth/entity-client-credentials.ts, chosen in routes/oauth2/token.ts), and keeps this plain
 * grant for applications, a documented difference: the application is the client, and the token speaks for it alone:
 * `sub` and `aud` are the client id, never a user (RFC 9700 §4.15.1). Confidential
 * clients only (OAuth 2.1 §4.2): a secret is always required, whatever `clientAuthenticationPolicy` says.
 * No refresh token (RFC 6749 §4.4.3) and no id token: `openid` and `offline_access` are dropped from the scope.
 */
export const grantType = 'client_credentials';

const USER_SCOPES = new Set(['openid', 'offline_access']);

export async function handle({ body, client, standin }: GrantContext): Promise<TokenResponse> {
  const { stores, jwt, issuerOf } = standin;
  const now = standin.config.now();
  if (!client.authenticated) {
    throw new OAuthError(
      'invalid_client',
      'client_authentication_missing',
      'The client_credentials grant is for confidential clients: authenticate with the client secret.',
    );
  }
  const { application } = client;
  const tenant = stores.tenants.get(application.tenantId);
  if (!tenant) throw new OAuthError('unauthorized_client', 'unknown', `The tenant of application [${application.id}] does not exist.`);
  requireSignableGrant(stores, tenant, application, '');
  const config = jwtConfigurationOf(application, tenant);
  // A client id that is also a user id would make `sub` ambiguous for resource servers (RFC 9700 §4.15.1).
  if (stores.users.get(application.id)) {
    throw new OAuthError(
      'unauthorized_client',
      'invalid_client_id',
      'This client id is also a user id, so its tokens could be taken for that user; use another client id.',
    );
  }
  const scope = (param(body, 'scope') ?? '')
    .split(' ')
    .filter((name) => name !== '' && !USER_SCOPES.has(name))
    .join(' ');
  const seconds = Math.floor(now / 1000);
  const ttl = config.timeToLiveInSeconds;
  const claims = {
    aud: application.id,
    exp: seconds + ttl,
    iat: seconds,
    iss: issuerOf(tenant),
    sub: application.id,
    jti: randomUUID(),
    ...(scope === '' ? {} : { scope }),
    tid: tenant.id,
    gty: [grantType],
  };
  const token = await jwt.sign(config.accessTokenKeyId!, claims);
  return { access_token: token, expires_in: ttl, ...(scope === '' ? {} : { scope }), token_type: 'Bearer' };
}
