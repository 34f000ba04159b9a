import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import type { CodeGrant } from '../store/authorization-codes.js';
import { newSecret } from '../store/secrets.js';

/**
 * Issues an authorization code bound to the request and the login (RFC 6749 §4.1.2, §10.10;
 * RFC 6749 §4.1.3): 256 random bits, kept hashed, valid for the tenant's `authorizationGrantIdTimeToLiveInSeconds`
 * (FusionAuth's default 30 s), redeemable once.
 */
export function issueCode(standin: Standin, tenant: Tenant, grant: CodeGrant): string {
  const now = standin.config.now();
  const code = newSecret();
  const ttlMs = tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds * 1000;
  standin.stores.authorizationCodes.insert(code, grant, now + ttlMs);
  return code;
}
