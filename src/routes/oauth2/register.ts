import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { newUserInput } from '../../manage/email-verification.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { csrfSecret, isLegitimateLoginPost } from '../../http/csrf.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import type { JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import { buildUser } from '../../model/user.js';
import { passwordRulesOf, type PasswordRules } from '../../model/password-rules.js';
import {
  registrationConfigurationOf,
  REGISTRATION_FIELDS,
  type RegistrationConfiguration,
  type RegistrationField,
} from '../../model/registration-configuration.js';
import type { Standin } from '../../standin.js';
import { advancedRegistration } from './register-advanced.js';
import { reusableSession } from './authorize.js';
import { csrfRefused, parseAuthorize, renderError } from './login-reply.js';
import { FIELD_MESSAGES, formErrorsOf, hiddenOf, signUp, type FormErrors, type Params, type ShowErrors } from './sign-up.js';

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
  if (!config.enabled || config.loginIdType === 'phoneNumber') {
    const description = config.enabled
      ? 'Standin models the registration forms with an email or username login only; this application asks for a phone number.'
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
  if (config.type === 'advanced') return advancedRegistration(standin, request, reply, authz, config, rules, params);
  if (request.method === 'GET') return page(request, reply, authz, config, rules, params, {});
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);

  const tenant = standin.stores.tenants.get(authz.application.tenantId)!;
  const errors: FormErrors = {};
  const user = userOf(config, params, errors);
  const showErrors: ShowErrors = (shown, status) => page(request, reply, authz, config, rules, params, shown, status);
  if (Object.keys(errors).length > 0) {
    // One answer shows every field error, as FusionAuth's form does: beside the form's own, what the User API would
    // refuse in the fields the form let through. Whether an address is taken waits for a throttled attempt.
    return showErrors({ ...userApiErrors(standin, tenant, rules, user), ...errors });
  }
  // The basic form is one step; its fields are the ones posted (the lambda sees their keys, and its errors for them are
  // shown beside them).
  const fields = Object.keys(user).map((key) => ({ key: `user.${key}` }));
  const formContext = { fields, step: 1, stepIndex: 0, totalSteps: 1 };
  return signUp(standin, request, reply, authz, tenant, { user, registration: {}, formContext }, params, showErrors);
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
