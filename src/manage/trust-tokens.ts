import { trustTokenSeconds } from '../model/multi-factor-configuration.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { newSecret } from '../store/secrets.js';

/**
 * Trust tokens (https://fusionauth.io/docs/lifecycle/authenticate-users/multi-factor-authentication, "Trust Tokens
 * and Trust Challenges"): a finished two-factor login answers one, and changing the password of a user with a
 * second factor asks for it, with the step-up's `trustChallenge` when it had one (docs/two-factor.md).
 */

/** A new trust token of the user, living the tenant's `trustTokenTimeToLiveInSeconds` (180 by default). */
export function issueTrustToken(standin: Standin, user: User, tenant: Tenant, trustChallengeHash: string | undefined): string {
  const now = standin.config.now();
  const token = newSecret();
  standin.stores.twoFactor.addTrustToken(token, user.id, trustChallengeHash, now + trustTokenSeconds(tenant) * 1000);
  return token;
}
