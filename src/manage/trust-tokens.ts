import { ApiError } from '../errors.js';
import { trustTokenSeconds } from '../model/multi-factor-configuration.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import { tokenMatches } from '../oauth/login-csrf.js';
import type { Standin } from '../standin.js';
import { hashSecret, newSecret } from '../store/secrets.js';

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

/** Whether changing this user's password takes a trust token: the user has a second factor. */
export function needsTrust(standin: Standin, user: User): boolean {
  return standin.stores.twoFactor.methods(user.id).length > 0;
}

/** FusionAuth's answer when a request needs trust it was not given (Change Password API, 400). */
export function trustTokenRequired(): ApiError {
  return ApiError.general(
    '[TrustTokenRequired]',
    'This request requires a Trust Token. Use the Start Two-Factor API to obtain a Trust Token required to complete this request.',
  );
}

/**
 * Checks, without using it up, that `trustToken` is a live trust token of the user and that `trustChallenge`
 * equals the challenge its step-up was started with, if any. Anything else is `[TrustTokenRequired]`.
 */
export function requireTrust(standin: Standin, user: User, trustToken: unknown, trustChallenge: unknown): void {
  const found =
    typeof trustToken === 'string' && trustToken !== '' ? standin.stores.twoFactor.trustToken(trustToken, user.id, standin.config.now()) : undefined;
  if (!found) throw trustTokenRequired();
  if (found.challengeHash !== null && !(typeof trustChallenge === 'string' && tokenMatches(hashSecret(trustChallenge), found.challengeHash)))
    throw trustTokenRequired();
}
