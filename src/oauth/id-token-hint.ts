import type { Application } from '../model/application.js';
import type { Standin } from '../standin.js';
import { isIdTokenKey, isVended } from './token-kind.js';

/** An `id_token_hint` Standin issued: its application, and its `sid` (the session it was issued in), if it has one. */
export interface IdTokenHint {
  application: Application;
  sid: string | undefined;
}

/**
 * The application an `id_token_hint` was issued to, and its `sid` (OIDC RP-Initiated Logout §2; OIDC Core §3.1.2.1), or
 * undefined when the hint is not an id token Standin issued to an application of the issuing tenant. An expired
 * hint is fine (OIDC Core §3.1.2.1; FusionAuth accepts one since 1.37): the signature, the key's
 * own algorithm (RFC 8725 §3.1) and `iss` are what count. An access token or a vended JWT is not an id token
 * (RFC 8725 §3.12): the hint must be signed with its application's id-token key, carry `at_hash` as every id
 * token Standin issues does, and carry no `gty` (only access tokens do) nor the vended mark.
 */
export async function readIdTokenHint(standin: Standin, hint: string): Promise<IdTokenHint | undefined> {
  const verified = await standin.jwt.verify(hint, Math.floor(standin.config.now() / 1000), { ignoreExpiry: true, clientSecretKeys: true });
  if (!verified || isVended(verified.header)) return undefined;
  const { claims, key } = verified;
  if (typeof claims.aud !== 'string' || !('at_hash' in claims) || 'gty' in claims) return undefined;
  const application = standin.stores.applications.get(claims.aud);
  const tenant = application && standin.stores.tenants.get(application.tenantId);
  if (!application || !tenant || claims.iss !== standin.issuerOf(tenant)) return undefined;
  if (!isIdTokenKey(standin.stores, application, key.key.id)) return undefined;
  return { application, sid: typeof claims.sid === 'string' ? claims.sid : undefined };
}
