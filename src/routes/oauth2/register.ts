import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { afterRegistrationWritten, afterUserWritten, newRegistrationInput, newUserInput } from '../../manage/email-verification.js';
import { createUserAndRegistration } from '../../manage/registrations.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { csrfSecret, isLegitimateLoginPost } from '../../http/csrf.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import { registrationAttempt } from '../../oauth/login-guard.js';
import { PasswordsBusyError } from '../../passwords/password-hasher.js';
import type { JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import { buildUser } from '../../model/user.js';
import { PASSWORD_RULE_PAGE_MESSAGES, passwordRulesOf, type PasswordRules } from '../../model/password-rules.js';
import {
  registrationConfigurationOf,
  REGISTRATION_FIELDS,
  type RegistrationConfiguration,
  type RegistrationField,
} from '../../model/registration-configuration.js';
import type { Standin } from '../../standin.js';
import { verificationGateFor } from '../email/gate-page.js';
import { reusableSession } from './authorize.js';
import { HIDDEN_FIELDS } from './login-page.js';
import { csrfRefused, freshLogin, parseAuthorize, renderError } from './login-reply.js';

type Params = Record<string, unknown>;

/** What FusionAuth's theme shows next to a field for an error code (its default messages). */
const FIELD_MESSAGES: Record<string, string> = {
  blank: 'Required',
  missing: 'Required',
  notEmail: 'Invalid email',
  doNotMatch: "Passwords don't match",
  ...PASSWORD_RULE_PAGE_MESSAGES,
  invalid: 'Invalid',
  couldNotConvert: 'Invalid',
  tooMany: 'Too many',
};

const LABELS: Record<RegistrationField, string> = {
  firstName: 'First name',
  middleName: 'Middle name',
  lastName: 'Last name',
  fullName: 'Full name',
  birthDate: 'Birth date',
  mobilePhone: 'Mobile phone',
  preferredLanguages: 'Preferred languages',
};

const INPUT_TYPES: Record<RegistrationField, { type: string; autocomplete: string }> = {
  firstName: { type: 'text', autocomplete: 'given-name' },
  middleName: { type: 'text', autocomplete: 'additional-name' },
  lastName: { type: 'text', autocomplete: 'family-name' },
  fullName: { type: 'text', autocomplete: 'name' },
  birthDate: { type: 'date', autocomplete: 'bday' },
  mobilePhone: { type: 'tel', autocomplete: 'tel' },
  preferredLanguages: { type: 'text', autocomplete: 'off' },
};

type FormErrors = Record<string, string[]>;

/**
 * FusionAuth's hosted self-service registration page, `GET|POST /oauth2/register`
 * (https://fusionauth.io/docs/lifecycle/register-users/basic-registration-forms): the OAuth parameters of
 * `/oauth2/authorize`, the form the application's `registrationConfiguration` describes, and on success the
 * user and the registration in one write, a fresh SSO session and a code to the redirect_uri, exactly as a
 * password login (docs/self-service-registration.md).
 */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  app.get('/register', async (request, reply) => register(app.standin, request, reply, (request.query ?? {}) as Params));
  app.post('/register', async (request, reply) => register(app.standin, request, reply, (request.body ?? {}) as Params));
}

async function register(standin: Standin, request: FastifyRequest, reply: FastifyReply, params: Params): Promise<FastifyReply> {
  let authz: AuthorizeRequest;
  try {
    authz = parseAuthorize(standin, request, params);
  } catch (error) {
    return renderError(reply, error);
  }
  const config = registrationConfigurationOf(authz.application);
  if (!config.enabled || config.type !== 'basic' || config.loginIdType === 'phoneNumber') {
    const description = config.enabled
      ? config.type === 'basic'
        ? 'Standin models only the basic registration form with an email or username login; this application asks for a phone number.'
        : // The Forms API stores the form; this page does not render it (docs/custom-forms.md).
          'Standin models only the basic registration form with an email or username login; this application asks for an advanced form, which Standin stores (Forms API) but does not render.'
      : 'Self-service registration is not enabled for this application.';
    return reply
      .code(400)
      .view('error', { description, error: { error: 'invalid_request', error_description: description, error_reason: 'unknown' } });
  }
  // Someone already logged in is sent on to the login, which reuses their session (Hosted Backend API docs).
  if (request.method === 'GET' && !authz.prompt.has('login') && reusableSession(standin, request, authz)) {
    return reply.redirect(`/oauth2/authorize?${new URLSearchParams(hiddenOf(params))}`, 302);
  }
  const rules = passwordRulesOf(standin.stores.tenants.get(authz.application.tenantId));
  if (request.method === 'GET') return page(request, reply, authz, config, rules, params, {});
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);

  const tenant = standin.stores.tenants.get(authz.application.tenantId)!;
  const errors: FormErrors = {};
  const user = userOf(config, params, errors);
  if (Object.keys(errors).length > 0) {
    // One answer shows every field error, as FusionAuth's form does: beside the form's own, what the User API would
    // refuse in the fields the form let through. Whether an address is taken waits for a throttled attempt.
    return page(request, reply, authz, config, rules, params, { ...userApiErrors(standin, tenant, rules, user), ...errors });
  }
  // Each sign-up costs a password hash and can tell whether an address has an account: throttled per address
  // like the login form (docs/hardening.md).
  const attempt = registrationAttempt(standin, request.ip);
  if (!attempt.ok) {
    const wait = attempt.refusal.retryAfterSeconds;
    reply.header('retry-after', String(wait));
    return page(request, reply, authz, config, rules, params, { '': [`Too many sign-ups from your address. Try again in ${wait} seconds.`] }, 429);
  }
  let created;
  try {
    // Unverified when the tenant or application verifies on create, as through the APIs (docs/email-verification.md).
    const registration = newRegistrationInput(standin, {}, { applicationId: authz.application.id });
    created = await createUserAndRegistration(standin, tenant.id, undefined, { user: newUserInput(tenant, {}, user), registration });
  } catch (error) {
    if (error instanceof PasswordsBusyError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      return page(request, reply, authz, config, rules, params, { '': ['Standin is busy checking other passwords. Try again in a moment.'] }, 503);
    }
    // A transactional user.create or user.registration.create the webhooks refused (docs/webhooks.md).
    if (error instanceof ApiError && error.statusCode === 504) {
      const description = 'Your account could not be created because a service this application depends on did not accept it. Try again later.';
      return reply
        .code(504)
        .view('error', { description, error: { error: 'server_error', error_description: description, error_reason: 'unknown' } });
    }
    if (!(error instanceof ApiError) || error.statusCode !== 400) throw error;
    return page(request, reply, authz, config, rules, params, formErrorsOf(error.errors?.fieldErrors ?? {}));
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

/** The `user` the form describes, or the form's own errors (missing required fields, passwords that differ). */
function userOf(config: RegistrationConfiguration, params: Params, errors: FormErrors): JsonObject {
  const text = (name: string) => (typeof params[name] === 'string' ? params[name].trim() : '');
  const add = (field: string, code: string) => (errors[field] ??= []).push(FIELD_MESSAGES[code] ?? code);
  const loginField = config.loginIdType === 'username' ? 'user.username' : 'user.email';
  const user: JsonObject = {};
  if (text(loginField) === '') add(loginField, 'blank');
  else user[loginField.slice(5)] = text(loginField);
  const password = typeof params['user.password'] === 'string' ? params['user.password'] : '';
  if (password === '') add('user.password', 'blank');
  else user.password = password;
  if (config.confirmPassword) {
    const confirm = typeof params.passwordConfirm === 'string' ? params.passwordConfirm : '';
    if (confirm === '') add('passwordConfirm', 'blank');
    else if (password !== '' && confirm !== password) add('user.password', 'doNotMatch');
  }
  for (const name of REGISTRATION_FIELDS) {
    const field = config.fields[name];
    if (!field.enabled) continue;
    const value = text(`user.${name}`);
    if (value === '') {
      if (field.required) add(`user.${name}`, name === 'birthDate' ? 'missing' : 'blank');
      continue;
    }
    user[name] = name === 'preferredLanguages' ? value.split(/[\s,]+/).filter((tag) => tag !== '') : value;
  }
  return user;
}

/** The field errors the User API would answer for this new user, except that an email or username is taken. */
function userApiErrors(standin: Standin, tenant: Tenant, rules: PasswordRules, user: JsonObject): FormErrors {
  try {
    buildUser(newUserInput(tenant, {}, user), {
      id: randomUUID(),
      tenantId: tenant.id,
      now: standin.config.now(),
      hasPassword: false,
      isTaken: () => false,
      passwordRules: rules,
    });
    return {};
  } catch (error) {
    if (!(error instanceof ApiError) || error.statusCode !== 400) throw error;
    return formErrorsOf(error.errors?.fieldErrors ?? {});
  }
}

/** The API's field errors as the page shows them: FusionAuth's theme message for the code, else the API's message. */
function formErrorsOf(fieldErrors: Record<string, Array<{ code: string; message: string }>>): FormErrors {
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
      // The form has no field for these (a registration clash): shown above the form.
      (errors[field.startsWith('user.') ? field : ''] ??= []).push(shown);
    }
  }
  return errors;
}

function hiddenOf(params: Params): Array<[string, string]> {
  return HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name]] as [string, string]] : []));
}

function page(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  config: RegistrationConfiguration,
  rules: PasswordRules,
  params: Params,
  errors: FormErrors,
  refusedWith?: number,
): FastifyReply {
  const hidden = hiddenOf(params);
  const loginUrl = `/oauth2/authorize?${new URLSearchParams(hidden)}`;
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)]);
  const value = (name: string) => (typeof params[name] === 'string' ? params[name] : '');
  const loginField =
    config.loginIdType === 'username'
      ? { name: 'user.username', id: 'username', label: 'Username', type: 'text', autocomplete: 'username' }
      : { name: 'user.email', id: 'email', label: 'Email', type: 'email', autocomplete: 'email' };
  const fields = [
    { ...loginField, value: value(loginField.name), required: true, errors: errors[loginField.name] ?? [] },
    ...REGISTRATION_FIELDS.filter((name) => config.fields[name].enabled).map((name) => ({
      name: `user.${name}`,
      id: name,
      label: LABELS[name],
      ...INPUT_TYPES[name],
      value: value(`user.${name}`),
      required: config.fields[name].required,
      errors: errors[`user.${name}`] ?? [],
    })),
  ];
  const passwordErrors = errors['user.password'] ?? [];
  const status = refusedWith ?? (Object.keys(errors).length > 0 ? 400 : 200);
  return reply.code(status).view('register', {
    applicationName: authz.application.name,
    hidden,
    fields,
    password: { errors: passwordErrors, showRules: passwordErrors.length > 0 },
    confirm: config.confirmPassword ? { errors: errors.passwordConfirm ?? [] } : undefined,
    rules,
    formErrors: errors[''] ?? [],
    hasErrors: status !== 200,
    refused: refusedWith !== undefined,
    rememberDevice: params.rememberDevice === 'true',
    loginUrl,
  });
}
