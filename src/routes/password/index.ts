import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { isPreviouslyUsed, setPassword } from '../../manage/change-password.js';
import { startForgotPassword } from '../../manage/forgot-password.js';
import { brokenPasswordRules, PASSWORD_RULE_PAGE_MESSAGES, passwordRulesOf } from '../../model/password-rules.js';
import { isLegitimateLoginPost } from '../../http/csrf.js';
import { loginFromHostedPage } from '../oauth2/hosted-login.js';
import { backToLogin, CARRIED_FIELD_MAX_LENGTH, carriedFields, formFields, hostedContext } from './hosted-context.js';

// The CSRF cookie of these pages' forms lives under their own path (http/csrf.ts).
const COOKIE_PATH = '/password';
const BODY_LIMIT = 64 * 1024;
const INVALID_ID = 'Your password reset code has expired or is invalid. Please retry your request.';
// FusionAuth's theme messages for the change form's fields.
const MESSAGES: Record<string, string> = {
  ...PASSWORD_RULE_PAGE_MESSAGES,
  notEqual: "Passwords don't match",
  previouslyUsed: 'Password has been recently used',
};

const field = { type: 'string', maxLength: 1024 } as const;
const formSchema = {
  type: 'object',
  additionalProperties: { type: 'string', maxLength: CARRIED_FIELD_MAX_LENGTH },
  properties: { password: field, passwordConfirm: field, email: field, loginId: field },
} as const;
const params = { type: 'object', properties: { changePasswordId: { type: 'string', maxLength: 1024 } } } as const;

type Form = Record<string, string | undefined>;

/**
 * FusionAuth's hosted forgot-password pages (https://fusionauth.io/docs/lifecycle/authenticate-users/forgot-password):
 * `/password/forgot` asks for the email address and sends the forgot-password email, `/password/change/{changePasswordId}`
 * sets the new password, and a change that began at an application's login page ends as a login there: a
 * fresh SSO session and the code at its redirect_uri (docs/forgot-password-and-passwordless.md).
 */
export async function passwordRoutes(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  });
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode < 500 ? 400 : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    return notice(reply.code(status), 'Something went wrong', [
      status === 400 ? 'The form could not be read. Go back and try again.' : 'Standin could not complete the request; see its log.',
    ]);
  });

  app.get<{ Querystring: Form }>('/forgot', { schema: { querystring: formSchema } }, async (request, reply) =>
    forgotPage(request, reply, request.query, ''),
  );

  app.post<{ Body: Form | undefined }>('/forgot', { schema: { body: formSchema } }, async (request, reply) => {
    const form = request.body ?? {};
    if (!isLegitimateLoginPost(request, form)) return csrfRefused(reply);
    const email = (form.email ?? form.loginId ?? '').trim();
    if (email === '') return forgotPage(request, reply, form, email, 'Required', 400);
    const { application, tenant } = hostedContext(app.standin, form);
    if (!tenant)
      return forgotPage(request, reply, form, email, 'Standin cannot tell which tenant this is for. Start again from the application.', 400);
    const user = app.standin.stores.users.byEmail(tenant.id, email) ?? app.standin.stores.users.byUsername(tenant.id, email);
    const state = Object.fromEntries(carriedFields(form));
    if (user) {
      try {
        startForgotPassword(app.standin, {
          user,
          send: true,
          ...(application ? { application } : {}),
          ...(Object.keys(state).length ? { state } : {}),
        });
      } catch (error) {
        // FusionAuth's page never says whether the address belongs to anyone, or whether the email could go out.
        if (!(error instanceof ApiError)) throw error;
      }
    }
    const back = backToLogin(form);
    return notice(
      reply,
      'Check your email',
      [`We have sent a message to ${email} containing a link to reset your password. Follow the instructions in the email to continue.`],
      back,
    );
  });

  app.get<{ Params: { changePasswordId?: string }; Querystring: Form }>(
    '/change/:changePasswordId',
    { schema: { params, querystring: formSchema } },
    async (request, reply) => changePage(request, reply, request.params.changePasswordId ?? '', request.query, {}),
  );

  app.post<{ Body: Form | undefined }>('/change', { schema: { body: formSchema } }, async (request, reply) => {
    const form = request.body ?? {};
    if (!isLegitimateLoginPost(request, form)) return csrfRefused(reply);
    const id = form.changePasswordId ?? '';
    const grant = id === '' ? undefined : app.standin.stores.changePasswordIds.find(id, app.standin.config.now());
    const user = grant ? app.standin.stores.users.get(grant.userId) : undefined;
    if (!user) return invalidId(reply, form);

    const errors: Record<string, string> = {};
    // The tenant's password rules, as on the Change Password API; the page shows the first one broken.
    const rules = passwordRulesOf(app.standin.stores.tenants.get(user.tenantId));
    const broken = brokenPasswordRules(rules, form.password)[0];
    if (broken !== undefined) errors.password = MESSAGES[broken] ?? MESSAGES.blank!;
    if (!form.passwordConfirm) errors.passwordConfirm = MESSAGES.blank!;
    else if (!errors.password && form.password !== form.passwordConfirm) errors.password = MESSAGES.notEqual!;
    if (!errors.password && (await isPreviouslyUsed(app.standin, user, form.password!))) errors.password = MESSAGES.previouslyUsed!;
    if (Object.keys(errors).length > 0) return changePage(request, reply, id, form, errors, 400);

    try {
      await setPassword(app.standin, user, form.password!, undefined, { changePasswordId: id });
    } catch (error) {
      // Another submit of the same link got there first (docs/forgot-password-and-passwordless.md).
      if (error instanceof ApiError && error.statusCode === 404) return invalidId(reply, form);
      throw error;
    }
    // Read again: the change may have verified the address (implicitEmailVerificationAllowed). A change a login asked
    // for comes after that login's every factor, so it does not ask for the second factor again.
    const loggedIn = loginFromHostedPage(app.standin, request, reply, form, app.standin.stores.users.get(user.id) ?? user, 'PASSWORD', {
      secondFactorPassed: grant?.requiredAtLogin === true,
    });
    if (loggedIn) return loggedIn;
    return notice(reply, 'Password updated', ['Your password has been updated successfully.'], backToLogin(form));
  });

  function forgotPage(request: FastifyRequest, reply: FastifyReply, form: Form, email: string, error?: string, status = 200): FastifyReply {
    return reply
      .code(status)
      .view('password-forgot', { hidden: formFields(request, reply, form, COOKIE_PATH), email, error, back: backToLogin(form) });
  }

  function changePage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: Form,
    errors: Record<string, string>,
    status = 200,
  ): FastifyReply {
    const grant = id === '' ? undefined : app.standin.stores.changePasswordIds.find(id, app.standin.config.now());
    const user = grant ? app.standin.stores.users.get(grant.userId) : undefined;
    if (!user) return invalidId(reply, form);
    const account = user.email ?? user.username ?? 'your account';
    const error = Object.keys(errors).length > 0 ? 'Please correct the errors below.' : undefined;
    return reply.code(status).view('password-change', {
      hidden: formFields(request, reply, form, COOKIE_PATH),
      changePasswordId: id,
      account,
      // FusionAuth's theme message [PasswordChangeRequired], when a login asked for the change.
      required: grant?.requiredAtLogin === true,
      errors,
      error,
      minLength: passwordRulesOf(app.standin.stores.tenants.get(user.tenantId)).minLength,
    });
  }
}

function invalidId(reply: FastifyReply, form: Form): FastifyReply {
  return notice(reply.code(404), 'Change password', [INVALID_ID], backToLogin(form));
}

function notice(reply: FastifyReply, title: string, paragraphs: string[], back?: string): FastifyReply {
  return reply.view('notice', { title, paragraphs, back });
}

function csrfRefused(reply: FastifyReply): FastifyReply {
  return notice(reply.code(403), 'Form expired', ['This form expired or was not sent by Standin. Go back to the application and start again.']);
}
