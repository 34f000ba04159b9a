import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ErrorMessage, type Errors } from '../../errors.js';
import { afterRegistrationWritten, afterUserWritten, newRegistrationInput, newUserInput } from '../../manage/email-verification.js';
import { createUserAndRegistration } from '../../manage/registrations.js';
import { registrationValidationErrors, type RegistrationFormContext } from '../../manage/registration-validation.js';
import type { JsonObject } from '../../model/json.js';
import { PASSWORD_RULE_PAGE_MESSAGES } from '../../model/password-rules.js';
import type { Tenant } from '../../model/tenant.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { registrationAttempt } from '../../oauth/login-guard.js';
import { PasswordsBusyError } from '../../passwords/password-hasher.js';
import type { Standin } from '../../standin.js';
import { verificationGateFor } from '../email/gate-page.js';
import { HIDDEN_FIELDS } from './login-page.js';
import { freshLogin, renderError } from './login-reply.js';

// What the basic and the advanced registration forms share once a form is filled in: the sign-up itself and the
// way its errors are shown.

export type Params = Record<string, unknown>;

/** A page's errors: by the name of the field they are shown beside; `''` above the form. */
export type FormErrors = Record<string, string[]>;

/** What FusionAuth's theme shows next to a field for an error code (its default messages). */
export const FIELD_MESSAGES: Record<string, string> = {
  blank: 'Required',
  missing: 'Required',
  notEmail: 'Invalid email',
  doNotMatch: "Passwords don't match",
  ...PASSWORD_RULE_PAGE_MESSAGES,
  invalid: 'Invalid',
  couldNotConvert: 'Invalid',
  tooMany: 'Too many',
};

/** Shows the page again with these errors, answered with `status` (400 unless given). */
export type ShowErrors = (errors: FormErrors, status?: number) => FastifyReply;

/**
 * Creates the user and the registration a form describes in one write, sends the verification emails it owes, and
 * logs the new user in as a password login would (a fresh SSO session, a code to the redirect_uri), unless the
 * tenant's verification gate stops them. Each sign-up costs a password hash and can tell whether an address has an
 * account: it is throttled per address like the login form (docs/hardening.md).
 */
export async function signUp(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  input: { user: JsonObject; registration: JsonObject; formContext: RegistrationFormContext },
  params: Params,
  showErrors: ShowErrors,
): Promise<FastifyReply> {
  const attempt = registrationAttempt(standin, request.ip);
  if (!attempt.ok) {
    const wait = attempt.refusal.retryAfterSeconds;
    reply.header('retry-after', String(wait));
    return showErrors({ '': [`Too many sign-ups from your address. Try again in ${wait} seconds.`] }, 429);
  }
  // The application's self-service registration validation lambda: its errors are the page's, and nothing is created.
  const refused = await registrationValidationErrors(standin, authz.application, input, input.formContext);
  if (refused) return showErrors(lambdaFormErrors(refused, input.formContext));
  let created;
  try {
    // Unverified when the tenant or application verifies on create, as through the APIs (docs/email-verification.md).
    const registration = newRegistrationInput(standin, {}, { ...input.registration, applicationId: authz.application.id });
    created = await createUserAndRegistration(standin, tenant.id, undefined, { user: newUserInput(tenant, {}, input.user), registration });
  } catch (error) {
    if (error instanceof PasswordsBusyError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      return showErrors({ '': ['Standin is busy checking other passwords. Try again in a moment.'] }, 503);
    }
    // A transactional user.create or user.registration.create the webhooks refused (docs/webhooks.md).
    if (error instanceof ApiError && error.statusCode === 504) {
      const description = 'Your account could not be created because a service this application depends on did not accept it. Try again later.';
      return reply
        .code(504)
        .view('error', { description, error: { error: 'server_error', error_description: description, error_reason: 'unknown' } });
    }
    if (!(error instanceof ApiError) || error.statusCode !== 400) throw error;
    return showErrors(formErrorsOf(error.errors?.fieldErrors ?? {}));
  }
  // The verification emails a sign-up owes; a Gated tenant stops the new user at the gate, as a login would.
  afterUserWritten(standin, tenant, created.user, authz.application.id);
  afterRegistrationWritten(standin, created.user, created.registration);
  const gated = verificationGateFor(standin, request, reply, params, created.user, tenant, authz.application);
  if (gated) return gated;
  try {
    return await freshLogin(standin, request, reply, authz, tenant, created.user, params.rememberDevice === 'true');
  } catch (error) {
    return renderError(reply, error);
  }
}

/**
 * The API's field errors as the page shows them: FusionAuth's theme message for the code, else the API's message;
 * `shownBeside` says which fields the page has (the others, a registration clash say, are shown above the form).
 */
export function formErrorsOf(
  fieldErrors: Record<string, Array<{ code: string; message: string }>>,
  shownBeside: (field: string) => boolean = (field) => field.startsWith('user.'),
): FormErrors {
  const errors: FormErrors = {};
  for (const [field, list] of Object.entries(fieldErrors)) {
    for (const { code, message } of list) {
      const kind = /^\[([^\]]+)\]/.exec(code)?.[1] ?? '';
      const shown =
        kind === 'duplicate' && field === 'user.email'
          ? 'An account already exists for that email'
          : kind === 'duplicate' && field === 'user.username'
            ? 'An account already exists for that username'
            : (FIELD_MESSAGES[kind] ?? message);
      (errors[shownBeside(field) ? field : ''] ??= []).push(shown);
    }
  }
  return errors;
}

/**
 * A validation lambda's errors as the page shows them: a field error beside its field when the posted step has that
 * field, else above the form with the general errors; each as the lambda's message, else its code (FusionAuth's
 * fallbacks when the theme has no message for the code).
 */
export function lambdaFormErrors(errors: Errors, formContext: RegistrationFormContext): FormErrors {
  const onPage = new Set(formContext.fields.map((field) => field.key));
  const shown = (error: ErrorMessage) => (error.message as string | undefined) ?? error.code;
  const formErrors: FormErrors = {};
  if (errors.generalErrors.length > 0) formErrors[''] = errors.generalErrors.map(shown);
  for (const [field, list] of Object.entries(errors.fieldErrors)) (formErrors[onPage.has(field) ? field : ''] ??= []).push(...list.map(shown));
  return formErrors;
}

/** The authorization request's fields a registration page carries on. */
export function hiddenOf(params: Params): Array<[string, string]> {
  return HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name]] as [string, string]] : []));
}
