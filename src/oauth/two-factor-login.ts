import { checkSecondFactor, publicMethod } from '../manage/two-factor.js';
import { codeScope } from '../manage/two-factor-email.js';
import { OAuthError } from '../errors.js';
import type { Application } from '../model/application.js';
import type { JsonObject } from '../model/json.js';
import { enabledMethodKinds, loginPolicyOf, trustPolicyOf, trustSeconds, twoFactorIdSeconds } from '../model/multi-factor-configuration.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { hashSecret, newSecret } from '../store/secrets.js';
import type { StoredMethod } from '../store/two-factor.js';
import { tokenMatches } from './login-csrf.js';
import type { Refusal } from './login-counts.js';
import { guardedSecondFactor } from './login-guard.js';

/**
 * The second step of a login (https://fusionauth.io/docs/apis/login, "Complete Multi-Factor Authentication"):
 * whether a login needs it, the pending login its `twoFactorId` names, and completing it with a code.
 */

/** The trusted-device cookie FusionAuth's Login API sets on `trustComputer` (and reads before `twoFactorTrustId`). */
export const TRUST_COOKIE = 'fusionauth.trust';

export interface ChallengeContext {
  user: User;
  tenant: Tenant;
  application?: Application;
  /** The `fusionauth.trust` cookie, else the request's `twoFactorTrustId`. */
  trustId?: string | undefined;
}

/** A second step a login must take: the user's methods, or (under `Required`, with none) the methods to enrol. */
export interface Challenge {
  methods: JsonObject[];
  configurableMethods?: string[];
}

/**
 * The second step this login needs, or undefined: none when the login policy (the application's over the
 * tenant's) is Disabled, the user has no method the tenant offers and the policy is not Required, or a device
 * trust still holds under the application's trust policy. Required with no method: the user must enrol one
 * (FusionAuth 1.42+: 242 with `configurableMethods`; docs/two-factor.md).
 */
export function challengeOf(standin: Standin, context: ChallengeContext): Challenge | undefined {
  const { config } = standin;
  const { user, tenant, application } = context;
  const policy = loginPolicyOf(tenant, application);
  const offered = enabledMethodKinds(tenant);
  if (policy === 'Disabled' || offered.length === 0) return undefined;
  const methods = offeredMethodsOf(standin, user.id, tenant);
  if (methods.length === 0) return policy === 'Required' ? { methods: [], configurableMethods: offered } : undefined;
  if (context.trustId && isTrusted(standin, context.trustId, user.id, application, config.now())) return undefined;
  return { methods: methods.map(publicMethod) };
}

/** The user's methods a login may ask for: a method of a kind the tenant no longer offers is not asked for. */
export function offeredMethodsOf(standin: Standin, userId: string, tenant: Tenant): StoredMethod[] {
  const offered = enabledMethodKinds(tenant);
  return standin.stores.twoFactor.methods(userId).filter((method) => offered.includes(method.method));
}

function isTrusted(standin: Standin, trustId: string, userId: string, application: Application | undefined, now: number): boolean {
  const policy = trustPolicyOf(application);
  if (policy === 'None') return false;
  const trust = standin.stores.twoFactor.trust(trustId, userId, now);
  return trust !== undefined && (policy === 'Any' || trust.applicationId === (application?.id ?? null));
}

/** What a pending login remembers: where the password was checked, and what its surface needs to finish. */
export interface PendingLogin extends JsonObject {
  applicationId?: string;
  /**
   * A step-up's application, kept apart from `applicationId`: the hosted pages finish (or enrol) only a pending login
   * of their own application, and a step-up, which had no password step, must never end in their SSO session.
   */
  stepUpApplicationId?: string;
  /** The password's lockout key and login id: wrong codes count against the same lock. */
  clientKey: string;
  loginId: string;
}

/** The application a pending login (or a step-up) is for, if any. */
export function pendingApplicationId(pending: PendingLogin): string | undefined {
  return pending.applicationId ?? pending.stepUpApplicationId;
}

/** Starts the second step: a fresh `twoFactorId` living `twoFactorIdTimeToLiveInSeconds` (5 minutes by default). */
export function startTwoFactorLogin(standin: Standin, user: User, tenant: Tenant, pending: PendingLogin): string {
  const now = standin.config.now();
  standin.stores.twoFactor.purgeExpired(now);
  const twoFactorId = newSecret();
  standin.stores.twoFactor.startLogin(twoFactorId, user.id, now + twoFactorIdSeconds(tenant) * 1000, pending);
  return twoFactorId;
}

const WRONG_CODE = new Error('wrong two-factor code');

/**
 * A one-time code this pending login carries: the one a first enrolment during the login answered (FusionAuth's
 * enable response `code`), or the one `POST /api/two-factor/start` answered or was given (oauth/two-factor-step-up.ts).
 */
function pendingCodeMatches(pending: PendingLogin, code: string): boolean {
  const hash = hashSecret(code);
  return [pending.enrolmentCodeHash, pending.startCodeHash].some((expected) => typeof expected === 'string' && tokenMatches(hash, expected));
}

/**
 * Enrolment during a login that requires a second factor: once the user's first method is enabled, the pending
 * login gets a one-time code that finishes it (`POST /api/two-factor/login` with it). Undefined when `twoFactorId`
 * is not a live pending login of this user.
 */
export function enrolmentCodeFor(standin: Standin, twoFactorId: string, userId: string): string | undefined {
  const now = standin.config.now();
  const pending = standin.stores.twoFactor.findLogin(twoFactorId, now);
  if (!pending || pending.userId !== userId) return undefined;
  const code = newSecret();
  return standin.stores.twoFactor.setEnrolmentCode(twoFactorId, code, now) ? code : undefined;
}

export type TwoFactorOutcome =
  | { kind: 'done'; user: User; pending: PendingLogin; twoFactorTrustId?: string }
  | { kind: 'not-found' }
  | { kind: 'wrong-code'; pending: PendingLogin }
  | { kind: 'refused'; refusal: Refusal; pending: PendingLogin };

export interface TwoFactorAttempt {
  twoFactorId: string;
  code: string;
  methodId?: string;
  trustComputer: boolean;
  ip: string;
  /**
   * Whether a step-up (`POST /api/two-factor/start`) may finish here: only on `POST /api/two-factor/login`. It had
   * no password step, so the hosted page, which ends in an SSO session, treats it as unknown.
   */
  stepUpAllowed?: boolean;
}

/**
 * Completes a pending login: the code (a TOTP code of one of the user's methods, the code last emailed for this
 * login, a recovery code, or the pending login's own one-time code) is checked under the password's lockout rules. Accepting it ends the pending login in
 * the same transaction, so a twoFactorId finishes one login at most; a wrong code leaves it pending until it expires.
 */
export function completeTwoFactorLogin(standin: Standin, attempt: TwoFactorAttempt): TwoFactorOutcome {
  const { stores, config } = standin;
  const now = config.now();
  const found = stores.twoFactor.findLogin(attempt.twoFactorId, now);
  const user = found ? stores.users.get(found.userId) : undefined;
  if (!found || !user?.active) return { kind: 'not-found' };
  const pending = found.body as PendingLogin;
  if (pending.stepUp === true && attempt.stepUpAllowed !== true) return { kind: 'not-found' };
  // Written inside the guarded callback below; read through `wasTaken` so the read is not narrowed to its first value.
  let taken = true;
  const wasTaken = () => taken;
  const guarded = guardedSecondFactor(standin, { ip: attempt.ip, clientKey: pending.clientKey, loginId: pending.loginId }, () => {
    try {
      return stores.db
        .transaction(() => {
          // Another request finished this login first: not a guess, so it counts as no failure.
          taken = stores.twoFactor.takeLogin(attempt.twoFactorId, now);
          if (!taken) return true;
          // A wrong code rolls the take back: the login stays pending.
          const emailScope = codeScope.login(attempt.twoFactorId);
          if (!pendingCodeMatches(pending, attempt.code) && !checkSecondFactor(stores, user.id, attempt.code, now, attempt.methodId, emailScope).ok)
            throw WRONG_CODE;
          return true;
        })
        .immediate();
    } catch (error) {
      if (error === WRONG_CODE) return false;
      throw error;
    }
  });
  if ('refusal' in guarded) return { kind: 'refused', refusal: guarded.refusal, pending };
  if (!guarded.ok) return { kind: 'wrong-code', pending };
  if (!wasTaken()) return { kind: 'not-found' };
  if (!attempt.trustComputer) return { kind: 'done', user, pending };
  const tenant = stores.tenants.get(user.tenantId)!;
  const applicationId = pendingApplicationId(pending);
  const application = applicationId === undefined ? undefined : stores.applications.get(applicationId);
  const twoFactorTrustId = newSecret();
  stores.twoFactor.addTrust(twoFactorTrustId, user.id, application?.id, now, now + trustSeconds(tenant, application) * 1000);
  return { kind: 'done', user, pending, twoFactorTrustId };
}

/**
 * The password grant's answer for a user who needs a second factor: FusionAuth's `two_factor_required` error, which
 * has no `error_reason`, with `two_factor_id` and `two_factor_methods` (its OAuthError), finished through
 * `POST /api/two-factor/login` (docs/two-factor.md).
 */
export class TwoFactorRequiredError extends OAuthError {
  override name = 'TwoFactorRequiredError';

  constructor(
    readonly twoFactorId: string,
    readonly methods: JsonObject[],
  ) {
    super('two_factor_required', undefined, 'A second factor is required to complete this login.');
  }

  override toJSON() {
    return { ...super.toJSON(), two_factor_id: this.twoFactorId, two_factor_methods: this.methods };
  }
}
