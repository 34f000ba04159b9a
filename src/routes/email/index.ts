import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { completeVerification, findVerification, startEmailVerification, strategyOf } from '../../manage/email-verification.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { isLegitimatePagePost, pageCsrfSecret, pageCsrfToken } from '../../oauth/page-csrf.js';
import type { Standin } from '../../standin.js';

// The OAuth parameters the gate page carries back to /oauth2/authorize (FusionAuth's `oauthHiddenFields`).
const OAUTH_FIELDS = [
  'client_id', 'code_challenge', 'code_challenge_method', 'nonce', 'max_age', 'prompt', 'redirect_uri', 'response_mode', 'response_type',
  'scope', 'state', 'tenantId',
];
const LINK_FIELDS = ['verificationId', 'client_id', 'tenantId'];
const INVALID_ID = 'Sorry. The request contains an invalid or expired verification Id. You may need to request another verification to be sent.';
const BODY_LIMIT = 16 * 1024;

type Fields = Array<[string, string]>;
type Body = Record<string, unknown>;

/**
 * FusionAuth's hosted email verification pages (https://fusionauth.io/docs/lifecycle/manage-users/verification/gate-accounts-until-user-email-verified):
 * `/email/verify/{verificationId}` (the emailed link: a page whose button POSTs the id, so a mail scanner that
 * follows links verifies nothing), `/email/verify` (that POST, and "send me another"), `/email/complete`, and
 * `/email/verification-required`, the gate a Gated tenant's unverified user meets after logging in. Every form
 * carries a CSRF token (oauth/page-csrf.ts). See docs/email-verification.md.
 */
export async function emailRoutes(app: FastifyInstance): Promise<void> {
  const { standin } = app;
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  });

  app.get<{ Params: { verificationId: string }; Querystring: Body }>(
    '/verify/:verificationId',
    { schema: { params: { type: 'object', properties: { verificationId: { type: 'string', maxLength: 512 } } } } },
    async (request, reply) => {
      const query = request.query;
      const verificationId = request.params.verificationId;
      const grant = findVerification(standin, 'email', { verificationId });
      if (!grant) return verifyPage(request, reply, { mode: 'invalid', query, error: INVALID_ID }, 404);
      // postMethod=false: the link verifies at once (FusionAuth's `postMethod`, which defaults to true on this page).
      if (text(query.postMethod) === 'false' && strategyOf(tenantOfUser(grant.userId)!, undefined) === 'ClickableLink') {
        completeVerification(standin, 'email', grant);
        return reply.redirect(completeUrl(query), 302);
      }
      return verifyPage(request, reply, { mode: 'confirm', query: { ...query, verificationId } });
    },
  );

  app.post<{ Body: Body }>('/verify', async (request, reply) => {
    const body = isBody(request.body) ? request.body : {};
    const verificationId = text(body.verificationId);
    if (verificationId !== undefined) {
      if (!isLegitimatePagePost(request, 'verify', body, LINK_FIELDS)) return refused(reply);
      const grant = findVerification(standin, 'email', { verificationId });
      const user = grant ? standin.stores.users.get(grant.userId) : undefined;
      const tenant = user ? standin.stores.tenants.get(user.tenantId) : undefined;
      if (!grant || !tenant || strategyOf(tenant, undefined) === 'FormField' || !completeVerification(standin, 'email', grant)) {
        return verifyPage(request, reply, { mode: 'invalid', query: body, error: INVALID_ID }, 404);
      }
      return reply.redirect(completeUrl(body), 302);
    }
    if (!isLegitimatePagePost(request, 'resend', body, ['client_id', 'tenantId'])) return refused(reply);
    const email = text(body.email);
    if (email === undefined) return verifyPage(request, reply, { mode: 'invalid', query: body, error: 'Enter your email address.' }, 400);
    resend(standin, contextOf(body), email);
    // The same answer whether or not the address belongs to anyone (docs/hardening.md, "Enumeration").
    return verifyPage(request, reply, { mode: 'sent', query: body, email });
  });

  app.get('/complete', async (_request, reply) => reply.view('email-complete', { title: 'Email verification complete' }));

  app.post<{ Body: Body }>('/verification-required', async (request, reply) => {
    const body = isBody(request.body) ? request.body : {};
    if (!isLegitimatePagePost(request, 'gate', body, [...OAUTH_FIELDS, 'email'])) return refused(reply);
    const email = text(body.email) ?? '';
    const context = contextOf(body);
    const user = context.tenant ? standin.stores.users.byEmail(context.tenant.id, email) : undefined;
    if (!user || !context.tenant) return refused(reply);
    if (body.action === 'resend') {
      resend(standin, context, email);
      return renderVerificationGate(standin, request, reply, body, user, context.tenant, { notice: 'A verification email is on the way.' });
    }
    if (body.action === 'verify') {
      const oneTimeCode = text(body.oneTimeCode);
      const grant = oneTimeCode === undefined ? undefined : findVerification(standin, 'email', { userId: user.id, oneTimeCode });
      if (!grant || !completeVerification(standin, 'email', grant)) {
        return renderVerificationGate(standin, request, reply, body, user, context.tenant, { error: 'The verification code is invalid or has expired.' }, 400);
      }
      return reply.redirect(`/oauth2/authorize?${new URLSearchParams(oauthFields(body))}`, 303);
    }
    return refused(reply);
  });

  function verifyPage(request: FastifyRequest, reply: FastifyReply, page: { mode: 'confirm' | 'invalid' | 'sent'; query: Body; error?: string; email?: string }, status = 200): FastifyReply {
    const secret = pageCsrfSecret(request, reply);
    const pick = (names: string[]): Fields => names.flatMap((name) => (text(page.query[name]) === undefined ? [] : [[name, text(page.query[name])!]]));
    const confirm = pick(LINK_FIELDS);
    const resendFields = pick(['client_id', 'tenantId']);
    return reply.code(status).view('email-verify', {
      title: page.mode === 'sent' ? 'Verification sent' : 'Verify your email',
      mode: page.mode,
      error: page.error,
      email: page.email,
      confirm: [...confirm, ['csrf_token', pageCsrfToken(secret, 'verify', confirm)]],
      resend: [...resendFields, ['csrf_token', pageCsrfToken(secret, 'resend', resendFields)]],
    });
  }

  function tenantOfUser(userId: string): Tenant | undefined {
    const user = standin.stores.users.get(userId);
    return user ? standin.stores.tenants.get(user.tenantId) : undefined;
  }

  function contextOf(body: Body): { tenant?: Tenant; application?: Application } {
    const clientId = text(body.client_id);
    const application = clientId !== undefined && isUuid(clientId) ? standin.stores.applications.get(clientId.toLowerCase()) : undefined;
    const tenantId = text(body.tenantId);
    const tenant =
      (application ? standin.stores.tenants.get(application.tenantId) : undefined) ??
      (tenantId !== undefined && isUuid(tenantId) ? standin.stores.tenants.get(tenantId.toLowerCase()) : undefined) ??
      (standin.stores.tenants.list().length === 1 ? standin.stores.tenants.list()[0] : undefined);
    return { ...(tenant ? { tenant } : {}), ...(application ? { application } : {}) };
  }
}

/**
 * The gate (`/email/verification-required` in FusionAuth): shown instead of a code when a Gated tenant's user
 * logs in with an unverified email. "Send me another email", and, under the form-field strategy, the code; a
 * "Continue" button retries the authorization request once the email is verified.
 */
export function renderVerificationGate(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Body,
  user: User,
  tenant: Tenant,
  message: { notice?: string; error?: string } = {},
  status = 200,
): FastifyReply {
  const secret = pageCsrfSecret(request, reply);
  const oauth = oauthFields(params);
  const gate: Fields = [...oauth, ['email', user.email ?? '']];
  return reply.code(status).view('email-verification-required', {
    title: 'Verify your email',
    email: user.email ?? '',
    collectVerificationCode: strategyOf(tenant, undefined) === 'FormField',
    hidden: [...gate, ['csrf_token', pageCsrfToken(secret, 'gate', gate)]],
    oauth,
    notice: message.notice,
    error: message.error,
    applicationName: applicationName(standin, text(params.client_id)),
  });
}

function applicationName(standin: Standin, clientId: string | undefined): string {
  const application = clientId !== undefined && isUuid(clientId) ? standin.stores.applications.get(clientId.toLowerCase()) : undefined;
  return application?.name ?? 'the application';
}

function resend(standin: Standin, context: { tenant?: Tenant; application?: Application }, email: string): void {
  if (!context.tenant) return;
  const user = standin.stores.users.byEmail(context.tenant.id, email);
  if (user && user.verified === false) startEmailVerification(standin, user, context.tenant, context.application, true);
}

function oauthFields(params: Body): Fields {
  return OAUTH_FIELDS.flatMap((name) => (text(params[name]) === undefined ? [] : [[name, text(params[name])!]]));
}

function completeUrl(params: Body): string {
  const query = new URLSearchParams(['client_id', 'tenantId'].flatMap((name) => (text(params[name]) === undefined ? [] : [[name, text(params[name])!]])));
  return `/email/complete${query.size > 0 ? `?${query}` : ''}`;
}

function refused(reply: FastifyReply): FastifyReply {
  return reply.code(403).view('error', {
    description: 'This form has expired or did not come from this page. Go back, reload the page and try again.',
    error: { error: 'invalid_request', error_description: 'CSRF check failed' },
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= 2048 ? value : undefined;
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
