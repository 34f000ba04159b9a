import type { ErrorMessage, Errors } from '../errors.js';
import type { Application } from '../model/application.js';
import { isObject, type JsonObject } from '../model/json.js';
import { lambdaErrors } from '../lambdas/validation-result.js';
import type { Standin } from '../standin.js';

/**
 * The application's self-service registration validation lambda (`application.lambdaConfiguration.
 * selfServiceRegistrationValidationId`, https://fusionauth.io/docs/extend/code/lambdas/self-service-registration):
 * `validate(result, user, registration, formContext, context)`, run as the hosted registration form is posted (each
 * step of an advanced form), before anything is created. The errors it leaves in `result.errors` are shown on the
 * page; nothing is created while there are any.
 */

/** What the lambda is told about the form (`formContext`): the posted step's fields, the form, where it is. */
export interface RegistrationFormContext extends JsonObject {
  fields: JsonObject[];
  step: number;
  stepIndex: number;
  totalSteps: number;
}

/** The answer when the lambda itself failed: FusionAuth stops the operation (docs/lambdas.md, "Differences"). */
export const REGISTRATION_VALIDATION_FAILED: ErrorMessage = {
  code: '[RegistrationValidationFailed]',
  message: 'Your registration could not be checked. Try again later.',
};

/**
 * The lambda's errors for what the form holds so far, or undefined when there are none (or no lambda is attached).
 * `user` and `registration` are the form's values (never its password: a lambda has no use for it, and what it is
 * given may reach the event log).
 */
export async function registrationValidationErrors(
  standin: Standin,
  application: Application,
  input: { user: JsonObject; registration: JsonObject },
  formContext: RegistrationFormContext,
): Promise<Errors | undefined> {
  const lambdas = isObject(application.lambdaConfiguration) ? application.lambdaConfiguration : {};
  const lambdaId = lambdas.selfServiceRegistrationValidationId;
  if (typeof lambdaId !== 'string' || lambdaId === '') return undefined;
  const { password: _password, ...user } = input.user;
  const registration = { ...input.registration, applicationId: application.id };
  const result = { errors: { fieldErrors: {}, generalErrors: [] } };
  const run = await standin.lambdas.invoke(lambdaId, 'SelfServiceRegistrationValidation', 'validate', [
    result,
    { ...user, tenantId: application.tenantId },
    registration,
    formContext,
    {},
  ]);
  if (run.kind === 'absent') return undefined;
  if (run.kind === 'failed') return { fieldErrors: {}, generalErrors: [REGISTRATION_VALIDATION_FAILED] };
  return lambdaErrors(run.args[0]);
}
