import { randomInt } from 'node:crypto';
import { publicMethod } from '../manage/two-factor.js';
import type { Application } from '../model/application.js';
import type { JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { hashSecret } from '../store/secrets.js';
import { startTwoFactorLogin } from './two-factor-login.js';

/**
 * Step-up (https://fusionauth.io/docs/lifecycle/authenticate-users/multi-factor-authentication, "Step Up Auth"):
 * `POST /api/two-factor/start` opens a pending two-factor login for a user with no password step, finished at
 * `POST /api/two-factor/login` with the answered `code`, or with a code of one of the user's methods.
 */

export interface StepUpRequest {
  /** The caller's own code; else one is made as FusionAuth's default `twoFactorOneTimeCodeIdGenerator` makes them. */
  code?: string;
  /** Returned unchanged by the login that finishes the step-up. */
  state?: JsonObject;
  /** Binds the trust token the finished step-up gives to this value (Change Password API, `trustChallenge`). */
  trustChallenge?: string;
}

export interface StartedStepUp {
  code: string;
  /** The user's methods; left out when the user has none (a step-up needs none: the code can go out of band). */
  methods?: JsonObject[];
  twoFactorId: string;
}

/** FusionAuth's default two-factor one-time code: six random digits (tenant `twoFactorOneTimeCodeIdGenerator`). */
function sixDigits(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

/** Starts a step-up for `user`; the pending login lives the tenant's `twoFactorIdTimeToLiveInSeconds`. */
export function startStepUp(
  standin: Standin,
  user: User,
  tenant: Tenant,
  application: Application | undefined,
  request: StepUpRequest,
): StartedStepUp {
  const code = request.code ?? sixDigits();
  const twoFactorId = startTwoFactorLogin(standin, user, tenant, {
    // Wrong codes count against the same lock as the user's password logins in this application.
    clientKey: application?.id ?? `tenant:${tenant.id}`,
    loginId: user.email ?? user.username ?? user.id,
    stepUp: true,
    startCodeHash: hashSecret(code),
    ...(application ? { stepUpApplicationId: application.id } : {}),
    ...(request.state === undefined ? {} : { state: request.state }),
    ...(request.trustChallenge === undefined ? {} : { trustChallengeHash: hashSecret(request.trustChallenge) }),
  });
  const methods = standin.stores.twoFactor.methods(user.id).map(publicMethod);
  return { code, ...(methods.length > 0 ? { methods } : {}), twoFactorId };
}
