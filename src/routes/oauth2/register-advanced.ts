import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_COOKIE, csrfSecret, isLegitimateLoginPost } from '../../http/csrf.js';
import type { FormField } from '../../model/form-field.js';
import { readStepValues, registrationRequestOf } from '../../model/form-values.js';
import { isObject } from '../../model/json.js';
import { brokenPasswordRules, type PasswordRules } from '../../model/password-rules.js';
import type { RegistrationConfiguration } from '../../model/registration-configuration.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import type { Standin } from '../../standin.js';
import { openSealedSecret, sealSecret } from '../../store/sealed-secrets.js';
import { registrationForm } from '../../manage/registration-form.js';
import { csrfRefused } from './login-reply.js';
import { FIELD_MESSAGES, hiddenOf, lambdaFormErrors, signUp, type FormErrors, type Params } from './sign-up.js';
import { registrationValidationErrors } from '../../manage/registration-validation.js';

/** Labels of the keys FusionAuth manages (a custom key is labelled with its field's name). */
const LABELS: Record<string, string> = {
  'user.email': 'Email',
  'user.username': 'Username',
  'user.password': 'Password',
  'user.firstName': 'First name',
  'user.middleName': 'Middle name',
  'user.lastName': 'Last name',
  'user.fullName': 'Full name',
  'user.birthDate': 'Birth date',
  'user.mobilePhone': 'Mobile phone',
  'user.imageUrl': 'Image URL',
  'user.preferredLanguages': 'Preferred languages',
  'user.timezone': 'Time zone',
  'registration.username': 'Username',
  'registration.preferredLanguages': 'Preferred languages',
  'registration.timezone': 'Time zone',
  'registration.roles': 'Roles',
};

const AUTOCOMPLETE: Record<string, string> = {
  'user.email': 'email',
  'user.username': 'username',
  'user.password': 'new-password',
  'user.firstName': 'given-name',
  'user.middleName': 'additional-name',
  'user.lastName': 'family-name',
  'user.fullName': 'name',
  'user.birthDate': 'bday',
  'user.mobilePhone': 'tel',
};

/** What the hidden `registrationState` carries between steps, sealed (AES-256-GCM) under the browser's CSRF secret. */
interface RegistrationState {
  applicationId: string;
  completedSteps: number;
  values: Record<string, unknown>;
}

/**
 * FusionAuth's hosted registration page for an application whose registration is `advanced`: the steps of its
 * registration form (Forms API), one page each with a Next button and "Step n of m", the last one Register
 * (https://fusionauth.io/docs/lifecycle/register-users/advanced-registration-forms). What earlier steps collected
 * travels in the hidden `registrationState` as FusionAuth's does, sealed so that only the browser that filled them in
 * can send them back and nobody can read or change them (a password among them). docs/custom-forms.md.
 */
export async function advancedRegistration(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  config: RegistrationConfiguration,
  rules: PasswordRules,
  params: Params,
): Promise<FastifyReply> {
  const form = registrationForm(standin.stores, config.formId);
  if ('refusal' in form) {
    return reply
      .code(400)
      .view('error', { description: form.refusal, error: { error: 'invalid_request', error_description: form.refusal, error_reason: 'unknown' } });
  }
  const show = (step: number, state: RegistrationState, errors: FormErrors, status?: number) =>
    stepPage(request, reply, authz, rules, params, { steps: form.steps, step, state, errors, ...(status === undefined ? {} : { status }) });
  const fresh: RegistrationState = { applicationId: authz.application.id, completedSteps: 0, values: {} };
  if (request.method === 'GET') return show(1, fresh, {});
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);

  const step = Number(params.step);
  const state = step === 1 ? fresh : openState(request, params.registrationState);
  if (
    !Number.isInteger(step) ||
    step < 1 ||
    step > form.steps.length ||
    state?.applicationId !== authz.application.id ||
    state.completedSteps !== step - 1
  ) {
    // A step posted out of order, or a state from another browser or application: the form starts again.
    return show(1, fresh, { '': ['Your registration could not be continued. Start again.'] });
  }
  const read = readStepValues(form.steps[step - 1]!, params);
  const errors: FormErrors = {};
  for (const [key, code] of Object.entries(read.errors)) {
    errors[key] = [
      code === 'doNotMatch' ? (key === 'confirm.user.password' ? FIELD_MESSAGES.doNotMatch! : "Values don't match") : (FIELD_MESSAGES[code] ?? code),
    ];
  }
  // The tenant's password rules are checked on the step that asks for the password: a later step could not fix it.
  const password = read.values['user.password'];
  if (password !== undefined) {
    const broken = brokenPasswordRules(rules, password).map((code) => FIELD_MESSAGES[code] ?? code);
    if (broken.length > 0) errors['user.password'] = broken;
  }
  if (Object.keys(errors).length > 0) return show(step, state, errors);
  const next: RegistrationState = { ...state, completedSteps: step, values: { ...state.values, ...read.values } };
  // The self-service registration validation lambda sees each step as it is posted, with what the steps so far hold.
  const formContext = { fields: form.steps[step - 1]!, form: form.form, step, stepIndex: step - 1, totalSteps: form.steps.length };
  const filled = { ...registrationRequestOf(next.values), formContext };
  if (step < form.steps.length) {
    const refused = await registrationValidationErrors(standin, authz.application, filled, formContext);
    return refused ? show(step, state, lambdaFormErrors(refused, formContext)) : show(step + 1, next, {});
  }
  const tenant = standin.stores.tenants.get(authz.application.tenantId)!;
  return signUp(standin, request, reply, authz, tenant, filled, params, (errors, status) => show(step, state, errors, status));
}

function sealKey(cookieSecret: string): string {
  return `registration-state.${cookieSecret}`;
}

/** The state a POST carries, if this browser sealed it (its CSRF cookie is checked before). */
function openState(request: FastifyRequest, sealed: unknown): RegistrationState | undefined {
  const cookie = request.cookies[CSRF_COOKIE];
  if (typeof sealed !== 'string' || sealed === '' || cookie === undefined) return undefined;
  const opened = openSealedSecret(sealed, sealKey(cookie));
  if (opened === undefined) return undefined;
  const state: unknown = JSON.parse(opened);
  return isObject(state) && typeof state.applicationId === 'string' && typeof state.completedSteps === 'number' && isObject(state.values)
    ? (state as unknown as RegistrationState)
    : undefined;
}

function stepPage(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  rules: PasswordRules,
  params: Params,
  page: { steps: FormField[][]; step: number; state: RegistrationState; errors: FormErrors; status?: number },
): FastifyReply {
  const { steps, step, state, errors } = page;
  const hidden = hiddenOf(params);
  const loginUrl = `/oauth2/authorize?${new URLSearchParams(hidden)}`;
  const secret = csrfSecret(request, reply);
  hidden.push(['csrf_token', csrfToken(secret, params)], ['step', String(step)]);
  if (state.completedSteps > 0) hidden.push(['registrationState', sealSecret(JSON.stringify(state), sealKey(secret))]);
  // What this step's fields show: what was just posted for them when the page comes back with errors.
  const posted = Object.keys(errors).length > 0 && Number(params.step) === step;
  const fields = steps[step - 1]!.flatMap((field) => {
    const shown = fieldView(field, field.key, LABELS[field.key] ?? field.name, posted ? params[field.key] : undefined, errors[field.key] ?? []);
    if (!field.confirm) return [shown];
    const confirmKey = `confirm.${field.key}`;
    return [
      shown,
      fieldView(field, confirmKey, `Confirm ${shown.label.toLowerCase()}`, posted ? params[confirmKey] : undefined, errors[confirmKey] ?? []),
    ];
  });
  const status = page.status ?? (Object.keys(errors).length > 0 ? 400 : 200);
  return reply.code(status).view('register-advanced', {
    applicationName: authz.application.name,
    hidden,
    fields,
    rules: fields.some((field) => field.name === 'user.password') ? rules : undefined,
    formErrors: errors[''] ?? [],
    hasErrors: status !== 200,
    refused: page.status !== undefined && page.status !== 400,
    step,
    totalSteps: steps.length,
    rememberDevice: params.rememberDevice === 'true',
    loginUrl,
  });
}

/** One control of the page: its kind, label, options and what it shows. */
function fieldView(field: FormField, name: string, label: string, posted: unknown, errors: string[]) {
  const values = (Array.isArray(posted) ? posted : [posted]).filter((value): value is string => typeof value === 'string');
  return {
    id: name.replace(/[^A-Za-z0-9_-]/g, '_'),
    name,
    label,
    control: field.control,
    inputType:
      field.control === 'password'
        ? 'password'
        : field.control === 'number'
          ? 'number'
          : field.type === 'date'
            ? 'date'
            : field.type === 'email'
              ? 'email'
              : 'text',
    autocomplete: AUTOCOMPLETE[field.key] ?? 'off',
    options: field.options,
    // A password is never sent back to the browser.
    value: field.control === 'password' ? '' : (values[0] ?? ''),
    checked: values,
    required: field.required,
    errors,
  };
}
