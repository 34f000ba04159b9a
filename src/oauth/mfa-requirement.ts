import { userWithRegistrations } from '../manage/user-view.js';
import { isObject } from '../model/json.js';
import { enabledMethodKinds, loginPolicyOf, trustPolicyOf } from '../model/multi-factor-configuration.js';
import type { Standin } from '../standin.js';
import type { User } from '../model/user.js';
import { challengeOf, offeredMethodsOf, type Challenge, type ChallengeContext } from './two-factor-login.js';
import { publicMethod } from '../manage/two-factor.js';

/**
 * The MFA requirement lambda (FusionAuth 1.62+, https://fusionauth.io/docs/extend/code/lambdas/mfa-requirement):
 * `checkRequired(result, user, registration, context)` changes FusionAuth's own decision, `result.required`, on
 * whether a login asks for a second factor. The application's lambda (`application.lambdaConfiguration.
 * multiFactorRequirementId`) wins over the tenant's (`tenant.lambdaConfiguration.multiFactorRequirementId`).
 */

/** What the decision is for: a login, or the MFA Status API's `action` (`login` by default, or `stepUp`). */
export type MfaAction = 'login' | 'changePassword' | 'stepUp';

/**
 * The second step this login needs after the lambda: the Login API's own (`challengeOf`) when no lambda is attached,
 * it is missing, or it failed (Standin's choice, docs/lambdas.md); otherwise as `result.required` says. Required by the
 * lambda, a user with methods is asked for one, and one with none enrols one the tenant offers; a tenant that offers
 * none cannot ask (docs/lambdas.md).
 */
export async function secondFactorOf(standin: Standin, context: ChallengeContext, action: MfaAction = 'login'): Promise<Challenge | undefined> {
  const decided = challengeOf(standin, context);
  const lambdaId = requirementLambdaOf(context);
  if (lambdaId === undefined) return decided;
  const { user, tenant, application } = context;
  const registration = application ? standin.stores.registrations.get(user.id, application.id) : undefined;
  const policies = {
    tenantLoginPolicy: loginPolicyOf(tenant, undefined),
    ...(application && isObject(application.multiFactorConfiguration) && typeof application.multiFactorConfiguration.loginPolicy === 'string'
      ? { applicationLoginPolicy: application.multiFactorConfiguration.loginPolicy }
      : {}),
    ...(application ? { applicationMultiFactorTrustPolicy: trustPolicyOf(application) } : {}),
  };
  const run = await standin.lambdas.invoke(lambdaId, 'MFARequirement', 'checkRequired', [
    { required: decided !== undefined, sendSuspiciousLoginEvent: false },
    userWithRegistrations(standin.stores, user),
    registration,
    { action, ...(application ? { application } : {}), policies },
  ]);
  if (run.kind !== 'ran') return decided;
  const result = run.args[0];
  const required = isObject(result) && typeof result.required === 'boolean' ? result.required : decided !== undefined;
  if (!required) return undefined;
  return decided ?? forcedChallenge(standin, user, context);
}

/** The lambda attached for this login: the application's, else the tenant's. */
function requirementLambdaOf({ tenant, application }: ChallengeContext): string | undefined {
  for (const owner of [application, tenant]) {
    const lambdas = owner && isObject(owner.lambdaConfiguration) ? owner.lambdaConfiguration : {};
    const id = lambdas.multiFactorRequirementId;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

/** A second factor the lambda asks for where FusionAuth's policy asked none: the user's methods, else enrolment. */
function forcedChallenge(standin: Standin, user: User, { tenant }: ChallengeContext): Challenge | undefined {
  const offered = enabledMethodKinds(tenant);
  if (offered.length === 0) return undefined;
  const methods = offeredMethodsOf(standin, user.id, tenant);
  return methods.length > 0 ? { methods: methods.map(publicMethod) } : { methods: [], configurableMethods: offered };
}

/**
 * One decision per user for a request: the login guard asks whether a second factor follows before the route asks
 * which, and the lambda must run (and write to the event log) once.
 */
export function decideOnce(decide: (user: User) => Promise<Challenge | undefined>): (user: User) => Promise<Challenge | undefined> {
  const decided = new Map<string, Promise<Challenge | undefined>>();
  return (user) => {
    let decision = decided.get(user.id);
    if (!decision) decided.set(user.id, (decision = decide(user)));
    return decision;
  };
}
