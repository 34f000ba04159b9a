import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { passwordlessEnabled, sendPasswordless, startPasswordless, takePasswordless } from '../../manage/passwordless.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { isLegitimateLoginPost } from '../../http/csrf.js';
import { backToLogin, CARRIED_FIELD_MAX_LENGTH, carriedFields, formFields } from '../password/hosted-context.js';
import { loginFromHostedPage } from './hosted-login.js';
import { carriedAuthorizeRequest } from './login-reply.js';

const INVALID_CODE = 'Your link has expired or is invalid. Please retry your request.';
const field = { type: 'string', maxLength: 1024 } as const;
const formSchema = {
  type: 'object',
  additionalProperties: { type: 'string', maxLength: CARRIED_FIELD_MAX_LENGTH },
  properties: { loginId: field },
} as const;
const params = { type: 'object', properties: { code: { type: 'string', maxLength: 1024 } } } as const;

type Form = Record<string, string | undefined>;

/**
 * FusionAuth's hosted magic-link login (https://fusionauth.io/docs/lifecycle/authenticate-users/passwordless/magic-links):
 * `/oauth2/passwordless` asks for the email address and sends the link; `/oauth2/passwordless/{code}` logs the
 * user in and continues the authorization request the link carries, as a password login on the login page does.
 */
export async function passwordlessPageRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Form }>('/passwordless', { schema: { querystring: formSchema } }, async (request, reply) => {
    const authz = carriedAuthorizeRequest(app.standin, request, request.query);
    if (!authz) return startAgain(reply);
    if (!passwordlessEnabled(authz.application)) return disabled(reply, request.query);
    return page(request, reply, authz, request.query, '');
  });

  app.post<{ Body: Form | undefined }>('/passwordless', { schema: { body: formSchema } }, async (request, reply) => {
    const form = request.body ?? {};
    const authz = carriedAuthorizeRequest(app.standin, request, form);
    if (!authz) return startAgain(reply);
    if (!passwordlessEnabled(authz.application)) return disabled(reply, form);
    if (!isLegitimateLoginPost(request, form)) {
      return reply.code(403).view('notice', {
        title: 'Form expired',
        paragraphs: ['This form expired or was not sent by Standin. Go back to the application and start again.'],
      });
    }
    const loginId = (form.loginId ?? '').trim();
    if (loginId === '') return page(request, reply, authz, form, loginId, 'Required', 400);
    const user = app.standin.stores.users.byEmail(authz.application.tenantId, loginId);
    if (user?.active) {
      const code = startPasswordless(app.standin, user, authz.application, Object.fromEntries(carriedFields(form)));
      try {
        sendPasswordless(app.standin, code);
      } catch (error) {
        // The page never tells whether an address belongs to anyone (magic links docs: same notification).
        if (!(error instanceof ApiError)) throw error;
      }
    }
    return reply.view('notice', {
      title: 'Check your email',
      paragraphs: [
        'A message is on the way.',
        `If ${loginId} belongs to an account, it has an email with a link that logs you in. The link works once, for a few minutes.`,
      ],
      back: backToLogin(form),
    });
  });

  app.get<{ Params: { code?: string }; Querystring: Form }>(
    '/passwordless/:code',
    { schema: { params, querystring: formSchema } },
    async (request, reply) => {
      const code = request.params.code ?? '';
      const grant = code === '' ? undefined : app.standin.stores.passwordlessCodes.find(code, app.standin.config.now());
      // The authorization request the login continues: the one the code was started with, else the link's.
      const carried = grant?.state && typeof grant.state.client_id === 'string' ? (grant.state as Form) : request.query;
      const authz = grant ? carriedAuthorizeRequest(app.standin, request, carried) : undefined;
      if (!grant || !authz || authz.application.id !== grant.applicationId) return invalidLink(reply, carried);
      const taken = takePasswordless(app.standin, code);
      if (!taken) return invalidLink(reply, carried);
      return loginFromHostedPage(app.standin, request, reply, carried, taken.user, 'PASSWORDLESS') ?? invalidLink(reply, carried);
    },
  );

  function page(
    request: FastifyRequest,
    reply: FastifyReply,
    authz: AuthorizeRequest,
    form: Form,
    loginId: string,
    error?: string,
    status = 200,
  ): FastifyReply {
    return reply.code(status).view('passwordless', {
      applicationName: authz.application.name,
      hidden: formFields(request, reply, form, '/oauth2'),
      loginId,
      error,
      back: backToLogin(form),
    });
  }
}

function startAgain(reply: FastifyReply): FastifyReply {
  return reply.code(400).view('notice', {
    title: 'Log in with a magic link',
    paragraphs: ['This page needs the login request of an application. Start again from the application.'],
  });
}

function disabled(reply: FastifyReply, form: Form): FastifyReply {
  return reply
    .code(403)
    .view('notice', { title: 'Log in with a magic link', paragraphs: ['Passwordless login is not currently configured.'], back: backToLogin(form) });
}

function invalidLink(reply: FastifyReply, form: Form): FastifyReply {
  return reply.code(404).view('notice', { title: 'Log in with a magic link', paragraphs: [INVALID_CODE], back: backToLogin(form) });
}
