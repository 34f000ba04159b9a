import { ApiError } from '../../errors.js';
import { loginValidationErrors, type ValidatedLogin } from '../../oauth/login-validation.js';
import type { Standin } from '../../standin.js';

/**
 * The Login APIs' answer to a login the tenant's login validation lambda refuses: 400 with the errors the lambda left
 * (https://fusionauth.io/docs/extend/code/lambdas/login-validation, "Localization"). Run after the user is known to
 * be who they say and may log in, before any second factor is asked for (docs/lambdas.md).
 */
export async function refuseInvalidLogin(standin: Standin, login: ValidatedLogin): Promise<void> {
  const errors = await loginValidationErrors(standin, login);
  if (errors) throw new ApiError(400, errors);
}
