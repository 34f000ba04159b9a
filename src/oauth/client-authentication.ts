import { OAuthError } from '../errors.js';
import { parseBasicCredentials, type BasicCredentials } from '../http/basic-credentials.js';
import type { Application } from '../model/application.js';
import { canonicalId } from '../model/ids.js';
import { constantEquals } from './constant-equals.js';
import { param } from './request-params.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** What a token request says about its client, before anything is checked. */
export interface PresentedClient {
  clientId?: string | undefined;
  secret?: string | undefined;
  method: ClientAuthMethod;
}

/** A known, active client; `authenticated` when it gave a secret and the secret matched. */
export interface Client {
  application: Application;
  method: ClientAuthMethod;
  authenticated: boolean;
}

/**
 * Reads the client's credentials: `Authorization: Basic` (RFC 6749 §2.3.1, each half form-urlencoded per
 * App. B) or `client_id` + `client_secret` in the body. Using both, or naming two different clients, is an
 * invalid request (OAuth 2.1 §3.2.4; RFC 6749 §2.3.1). Another scheme in `Authorization` is ignored:
 * FusionAuth's client libraries send their raw API key there on every call.
 */
export function presentedClient(authorization: string | undefined, body: unknown): PresentedClient {
  const bodyId = param(body, 'client_id');
  const bodySecret = param(body, 'client_secret');
  const basic = basicCredentials(authorization);
  if (!basic) return { clientId: bodyId, secret: bodySecret, method: bodySecret === undefined ? 'none' : 'client_secret_post' };
  if (bodySecret !== undefined) {
    throw new OAuthError(
      'invalid_request',
      'invalid_client_authentication',
      'The client authenticated both with the Authorization header and with client_secret in the body; use one.',
    );
  }
  if (bodyId !== undefined && bodyId !== basic.clientId) {
    throw new OAuthError(
      'invalid_request',
      'invalid_client_authentication',
      'The client_id in the body differs from the one in the Authorization header.',
    );
  }
  return { ...basic, method: 'client_secret_basic' };
}

/**
 * Finds the client and checks a secret if one was given: "Even when the client secret is not required, if it
 * is provided it will be validated" (FusionAuth OAuth endpoints, Client Secret).
 */
export function authenticateClient(presented: PresentedClient, findApplication: (id: string) => Application | undefined): Client {
  const { clientId, secret, method } = presented;
  if (clientId === undefined) throw new OAuthError('invalid_request', 'missing_client_id', 'The request is missing a required parameter: client_id');
  const application = findApplication(clientId);
  if (!application || !application.active) throw new OAuthError('invalid_client', 'invalid_client_id', `client_id: ${clientId} is not valid.`);
  if (secret !== undefined && !constantEquals(secret, application.oauthConfiguration.clientSecret)) {
    throw new OAuthError('invalid_client', 'invalid_client_authentication', 'Invalid client authentication credentials.');
  }
  return { application, method, authenticated: secret !== undefined };
}

/**
 * `clientAuthenticationPolicy` (FusionAuth OAuth endpoints, Client Secret): `Required` always, `NotRequired`
 * never, `NotRequiredWhenUsingPKCE` unless this is an authorization code that was issued with a PKCE challenge
 * (every other grant must authenticate, as FusionAuth's own token endpoint does).
 */
export function requireClientAuthentication(client: Client, usedPkce: boolean): void {
  const policy = client.application.oauthConfiguration.clientAuthenticationPolicy;
  const required = policy === 'Required' || (policy === 'NotRequiredWhenUsingPKCE' && !usedPkce);
  if (required && !client.authenticated) {
    throw new OAuthError(
      'invalid_client',
      'client_authentication_missing',
      'Client authentication missing as Basic Authorization header or credentials in the body (or some combination of them).',
    );
  }
}

function basicCredentials(authorization: string | undefined): BasicCredentials | undefined {
  const basic = parseBasicCredentials(authorization);
  if (basic === 'malformed') {
    throw new OAuthError(
      'invalid_client',
      'invalid_client_authentication_scheme',
      'The Authorization header is not valid Basic authentication (RFC 6749 §2.3.1).',
    );
  }
  // The client_id is an application id, whatever its case, as in the body (plugins/canonical-ids.ts).
  return basic?.clientId === undefined ? basic : { ...basic, clientId: canonicalId(basic.clientId) };
}
