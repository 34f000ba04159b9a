import type { Application } from '../model/application.js';
import type { Standin } from '../standin.js';

/**
 * The application an `id_token_hint` was issued to (OIDC RP-Initiated Logout §2; OIDC Core §3.1.2.1), or
 * undefined when the hint is not a JWT Standin signed for an application of the issuing tenant. An expired
 * hint is fine (OIDC Core §3.1.2.1; FusionAuth accepts one since 1.37; checklist H5): the signature, the key's
 * own algorithm (RFC 8725 §3.1) and `iss` are what count.
 */
export async function applicationOfIdTokenHint(standin: Standin, hint: string): Promise<Application | undefined> {
  const verified = await standin.jwt.verify(hint, Math.floor(standin.config.now() / 1000), { ignoreExpiry: true, clientSecretKeys: true });
  const aud = verified?.claims.aud;
  if (typeof aud !== 'string') return undefined;
  const application = standin.stores.applications.get(aud);
  const tenant = application && standin.stores.tenants.get(application.tenantId);
  if (!application || !tenant || verified!.claims.iss !== standin.issuerOf(tenant)) return undefined;
  return application;
}
