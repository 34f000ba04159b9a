import type { ErrorMessage, Errors } from '../errors.js';
import { userWithRegistrations } from '../manage/user-view.js';
import type { Application } from '../model/application.js';
import { isObject } from '../model/json.js';
import { lambdaErrors } from '../lambdas/validation-result.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';

/**
 * The tenant's login validation lambda (`tenant.lambdaConfiguration.loginValidationId`,
 * https://fusionauth.io/docs/extend/code/lambdas/login-validation), run once a login has proved who its user is and
 * before a second factor is asked for: `validate(result, user, registration, context)`. Errors the lambda puts in
 * `result.errors` refuse the login; the Login APIs answer them with 400 as the lambda left them.
 */

/** Where the login came from, for `context.identityProvider` (only for a login through an identity provider). */
export interface ValidatedLogin {
  user: User;
  tenant: Tenant;
  application?: Application | undefined;
  /** FusionAuth's `authenticationType`: `PASSWORD`, `PASSWORDLESS`, `ONE_TIME_PASSWORD`, `OPENID_CONNECT`, … */
  authenticationType: string;
  identityProvider?: { id: string; name: string; identityProviderType: string } | undefined;
}

/**
 * The answer when the lambda itself failed (threw, ran too long or out of memory). FusionAuth stops a login whose
 * lambda throws (https://fusionauth.io/docs/extend/code/lambdas, "Exceptions"); the code is Standin's choice
 * (docs/lambdas.md, "Differences").
 */
export const LOGIN_VALIDATION_FAILED: ErrorMessage = {
  code: '[LoginValidationFailed]',
  message: 'The login validation lambda failed; see the event log.',
};

/** The lambda's errors for this login, or undefined when it has none (or the tenant names no lambda). */
export async function loginValidationErrors(standin: Standin, login: ValidatedLogin): Promise<Errors | undefined> {
  const lambdas = isObject(login.tenant.lambdaConfiguration) ? login.tenant.lambdaConfiguration : {};
  const lambdaId = lambdas.loginValidationId;
  if (typeof lambdaId !== 'string' || lambdaId === '') return undefined;
  const registration = login.application ? standin.stores.registrations.get(login.user.id, login.application.id) : undefined;
  const context = {
    authenticationType: login.authenticationType,
    ...(login.identityProvider ? { identityProvider: login.identityProvider } : {}),
  };
  const result = { errors: { fieldErrors: {}, generalErrors: [] } };
  const run = await standin.lambdas.invoke(lambdaId, 'LoginValidation', 'validate', [
    result,
    userWithRegistrations(standin.stores, login.user),
    registration,
    context,
  ]);
  if (run.kind === 'absent') return undefined;
  if (run.kind === 'failed') return { fieldErrors: {}, generalErrors: [LOGIN_VALIDATION_FAILED] };
  return lambdaErrors(run.args[0]);
}

/** What a hosted page shows for the lambda's errors: each message (the code, when it gave none), general errors first. */
export function shownLoginErrors(errors: Errors): string {
  return [...errors.generalErrors, ...Object.values(errors.fieldErrors).flat()]
    .map((error) => (error.message as string | undefined) ?? error.code)
    .join(' ');
}
