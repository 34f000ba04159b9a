import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  completeVerification,
  emailGate,
  findVerification,
  gateOf,
  startEmailVerification,
  startRegistrationVerification,
  strategyOf,
} from '../../manage/email-verification.js';
import { tenantEmailConfiguration } from '../../email/send-templated-email.js';
import { ApiError } from '../../errors.js';
import { updateUser } from '../../manage/users.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { isLegitimatePagePost, pageCsrfSecret } from '../../http/csrf.js';
import { pageCsrfToken } from '../../oauth/page-csrf.js';
import type { Standin } from '../../standin.js';
import type { VerificationKind } from '../../store/verification-ids.js';

// The OAuth parameters the gate page carries back to /oauth2/authorize (FusionAuth's `oauthHiddenFields`).
const OAUTH_FIELDS = [
  'client_id',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'max_age',
  'prompt',
  'redirect_uri',
  'response_mode',
  'response_type',
  'scope',
  'state',
  'tenantId',
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
  await verificationPages(app, 'email');
  gateRoutes(app, 'email');
}

/**
 * The gate's forms (`POST /email/verification-required`, `POST /registration/verification-required`): "Send me
 * another email" (`action=resend`) and, under the form-field strategy, the code (`action=verify`), after which
 * the browser goes back to the authorization request it came from.
 */
function gateRoutes(app: FastifyInstance, kind: VerificationKind): void {
  const { standin } = app;
  app.post<{ Body: Body }>('/verification-required', async (request, reply) => {
    const body = isBody(request.body) ? request.body : {};
    if (kind === 'email' && body.action === 'changeEmail') return changeEmail(standin, request, reply, body);
    if (!isLegitimatePagePost(request, `gate-${kind}`, body, [...OAUTH_FIELDS, 'email'])) return refused(reply);
    const email = text(body.email) ?? '';
    const context = contextOf(standin, body);
    const user = context.tenant ? standin.stores.users.byEmail(context.tenant.id, email) : undefined;
    if (!user || !context.tenant || (kind === 'registration' && !context.application)) return refused(reply);
    const again = (message: { notice?: string; error?: string }, status = 200) =>
      renderGate(standin, request, reply, kind, body, user, context.tenant!, context.application, message, status);
    if (body.action === 'resend') {
      resend(standin, kind, context, email);
      return again({ notice: 'A verification email is on the way.' });
    }
    if (body.action === 'verify') {
      const oneTimeCode = text(body.oneTimeCode);
      const grant = oneTimeCode === undefined ? undefined : findVerification(standin, kind, { userId: user.id, oneTimeCode });
      const right = grant !== undefined && (kind === 'email' || grant.applicationId === context.application?.id);
      if (!right || !completeVerification(standin, kind, grant)) return again({ error: 'The verification code is invalid or has expired.' }, 400);
      return reply.redirect(`/oauth2/authorize?${new URLSearchParams(oauthFields(body))}`, 303);
    }
    return refused(reply);
  });
}

/**
 * The gate's "change email" form (`action=changeEmail`, offered under the tenant's
 * `emailConfiguration.unverified.allowEmailChangeWhenGated`): the user, who typed a wrong address at sign-up, gives
 * another; it is saved unverified, as an update through the User API would, and the verification email goes to it.
 * The user is the one the gate was shown to (`userEmail`, bound to the form's CSRF token).
 */
async function changeEmail(standin: Standin, request: FastifyRequest, reply: FastifyReply, body: Body): Promise<FastifyReply> {
  if (!isLegitimatePagePost(request, 'gate-email-change', body, [...OAUTH_FIELDS, 'userEmail'])) return refused(reply);
  const context = contextOf(standin, body);
  const user = context.tenant ? standin.stores.users.byEmail(context.tenant.id, text(body.userEmail) ?? '') : undefined;
  if (!user || !context.tenant || emailGate(context.tenant, user) !== 'gated' || !allowsEmailChange(context.tenant)) return refused(reply);
  const tenant = context.tenant;
  const again = (who: User, message: { notice?: string; error?: string }, status = 200) =>
    renderGate(standin, request, reply, 'email', { ...body, email: who.email ?? '' }, who, tenant, undefined, message, status);
  const email = (text(body.email) ?? '').trim();
  if (email === '') return again(user, { error: 'Enter the new email address.' }, 400);
  let updated: User;
  try {
    updated = await updateUser(standin, user, { email, verified: false }, 'merge');
  } catch (error) {
    if (!(error instanceof ApiError) || error.statusCode !== 400) throw error;
    const code = /^\[([^\]]+)\]/.exec(error.errors?.fieldErrors['user.email']?.[0]?.code ?? '')?.[1];
    return again(user, { error: code === 'duplicate' ? 'An account already exists for that email' : 'Invalid email' }, 400);
  }
  startEmailVerification(standin, updated, tenant, context.application, true);
  return again(updated, { notice: `Your email address has been updated to ${email}. A verification email is on the way.` });
}

/** `emailConfiguration.unverified.allowEmailChangeWhenGated` (default false). */
function allowsEmailChange(tenant: Tenant): boolean {
  const unverified = tenantEmailConfiguration(tenant).unverified as { allowEmailChangeWhenGated?: unknown } | undefined;
  return unverified?.allowEmailChangeWhenGated === true;
}

/**
 * FusionAuth's hosted registration verification pages: `/registration/verify/{verificationId}` (the emailed link),
 * `/registration/verify` and `/registration/complete`, as the email ones.
 */
export async function registrationVerifyRoutes(app: FastifyInstance): Promise<void> {
  await verificationPages(app, 'registration');
  gateRoutes(app, 'registration');
}

const WORDS = {
  email: {
    heading: 'Verify your email',
    confirmText: 'Confirm that this address is yours.',
    button: 'Verify my email',
    completeTitle: 'Email verification complete',
    completeMessage: 'Thank you. Your email has been verified.',
  },
  registration: {
    heading: 'Verify your registration',
    confirmText: 'Confirm your registration to this application.',
    button: 'Verify my registration',
    completeTitle: 'Registration verification complete',
    completeMessage: 'Thank you. Your registration has been verified.',
  },
} as const;

async function verificationPages(app: FastifyInstance, kind: VerificationKind): Promise<void> {
  const { standin } = app;
  const base = kind === 'email' ? '/email' : '/registration';
  const words = WORDS[kind];
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
      const grant = findVerification(standin, kind, { verificationId });
      if (!grant) return verifyPage(request, reply, { mode: 'invalid', query, error: INVALID_ID }, 404);
      // postMethod=false: the link verifies at once (FusionAuth's `postMethod`, which defaults to true on this page).
      if (text(query.postMethod) === 'false' && !needsCode(grant.userId, grant.applicationId)) {
        completeVerification(standin, kind, grant);
        return reply.redirect(completeUrl(base, query), 302);
      }
      return verifyPage(request, reply, { mode: 'confirm', query: { ...query, verificationId } });
    },
  );

  app.post<{ Body: Body }>('/verify', async (request, reply) => {
    const body = isBody(request.body) ? request.body : {};
    const verificationId = text(body.verificationId);
    if (verificationId !== undefined) {
      if (!isLegitimatePagePost(request, 'verify', body, LINK_FIELDS)) return refused(reply);
      const grant = findVerification(standin, kind, { verificationId });
      if (!grant || needsCode(grant.userId, grant.applicationId) || !completeVerification(standin, kind, grant)) {
        return verifyPage(request, reply, { mode: 'invalid', query: body, error: INVALID_ID }, 404);
      }
      return reply.redirect(completeUrl(base, body), 302);
    }
    if (!isLegitimatePagePost(request, 'resend', body, ['client_id', 'tenantId'])) return refused(reply);
    const email = text(body.email);
    if (email === undefined) return verifyPage(request, reply, { mode: 'invalid', query: body, error: 'Enter your email address.' }, 400);
    resend(standin, kind, contextOf(standin, body), email);
    // The same answer whether or not the address belongs to anyone (docs/hardening.md, "Enumeration").
    return verifyPage(request, reply, { mode: 'sent', query: body, email });
  });

  app.get('/complete', async (_request, reply) => reply.view('email-complete', { title: words.completeTitle, message: words.completeMessage }));

  /** Under the form-field strategy a link alone does not verify: the code is typed on the gate. */
  function needsCode(userId: string, applicationId: string | undefined): boolean {
    const user = standin.stores.users.get(userId);
    const tenant = user ? standin.stores.tenants.get(user.tenantId) : undefined;
    const application = applicationId === undefined ? undefined : standin.stores.applications.get(applicationId);
    return !tenant || strategyOf(tenant, application) === 'FormField';
  }

  function verifyPage(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { mode: 'confirm' | 'invalid' | 'sent'; query: Body; error?: string; email?: string },
    status = 200,
  ): FastifyReply {
    const secret = pageCsrfSecret(request, reply);
    const pick = (names: string[]): Fields =>
      names.flatMap((name) => (text(page.query[name]) === undefined ? [] : [[name, text(page.query[name])!]]));
    const confirm = pick(LINK_FIELDS);
    const resendFields = pick(['client_id', 'tenantId']);
    return reply.code(status).view('email-verify', {
      title: page.mode === 'sent' ? 'Verification sent' : words.heading,
      heading: words.heading,
      confirmText: words.confirmText,
      button: words.button,
      action: `${base}/verify`,
      mode: page.mode,
      error: page.error,
      email: page.email,
      confirm: [...confirm, ['csrf_token', pageCsrfToken(secret, 'verify', confirm)]],
      resend: [...resendFields, ['csrf_token', pageCsrfToken(secret, 'resend', resendFields)]],
    });
  }
}

function contextOf(standin: Standin, body: Body): { tenant?: Tenant; application?: Application } {
  const clientId = text(body.client_id);
  const application = clientId !== undefined && isUuid(clientId) ? standin.stores.applications.get(clientId.toLowerCase()) : undefined;
  const tenantId = text(body.tenantId);
  const tenant =
    (application ? standin.stores.tenants.get(application.tenantId) : undefined) ??
    (tenantId !== undefined && isUuid(tenantId) ? standin.stores.tenants.get(tenantId.toLowerCase()) : undefined) ??
    (standin.stores.tenants.list().length === 1 ? standin.stores.tenants.list()[0] : undefined);
  return { ...(tenant ? { tenant } : {}), ...(application ? { application } : {}) };
}

/**
 * The gate a login meets before the code, if any (docs/email-verification.md): a Gated tenant's unverified
 * email first, then an unverified registration to a Gated application (`/registration/verification-required`
 * in FusionAuth). Undefined when the login may go on.
 */
export function verificationGateFor(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Body,
  user: User,
  tenant: Tenant,
  application: Application,
): FastifyReply | undefined {
  const gate = gateOf(standin, user, tenant, application);
  return gate === undefined ? undefined : renderGate(standin, request, reply, gate, params, user, tenant, application);
}

const GATE_WORDS = {
  email: { title: 'Verify your email', what: 'your email address' },
  registration: { title: 'Verify your registration', what: 'your registration' },
} as const;

function renderGate(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: VerificationKind,
  params: Body,
  user: User,
  tenant: Tenant,
  application: Application | undefined,
  message: { notice?: string; error?: string } = {},
  status = 200,
): FastifyReply {
  const secret = pageCsrfSecret(request, reply);
  const oauth = oauthFields(params);
  const gate: Fields = [...oauth, ['email', user.email ?? '']];
  const change: Fields = [...oauth, ['userEmail', user.email ?? '']];
  const changeEmailHidden =
    kind === 'email' && allowsEmailChange(tenant) ? [...change, ['csrf_token', pageCsrfToken(secret, 'gate-email-change', change)]] : undefined;
  return reply.code(status).view('email-verification-required', {
    changeEmailHidden,
    ...GATE_WORDS[kind],
    action: kind === 'email' ? '/email/verification-required' : '/registration/verification-required',
    email: user.email ?? '',
    collectVerificationCode: strategyOf(tenant, kind === 'registration' ? application : undefined) === 'FormField',
    hidden: [...gate, ['csrf_token', pageCsrfToken(secret, `gate-${kind}`, gate)]],
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

function resend(standin: Standin, kind: VerificationKind, context: { tenant?: Tenant; application?: Application }, email: string): void {
  if (!context.tenant) return;
  const user = standin.stores.users.byEmail(context.tenant.id, email);
  if (!user) return;
  if (kind === 'email') {
    if (!user.verified) startEmailVerification(standin, user, context.tenant, context.application, true);
    return;
  }
  const registration = context.application ? standin.stores.registrations.get(user.id, context.application.id) : undefined;
  if (registration?.verified === false) startRegistrationVerification(standin, user, context.tenant, context.application!, true);
}

function oauthFields(params: Body): Fields {
  return OAUTH_FIELDS.flatMap((name) => (text(params[name]) === undefined ? [] : [[name, text(params[name])!]]));
}

function completeUrl(base: string, params: Body): string {
  const query = new URLSearchParams(
    ['client_id', 'tenantId'].flatMap((name) => (text(params[name]) === undefined ? [] : [[name, text(params[name])!]])),
  );
  return `${base}/complete${query.size > 0 ? `?${query}` : ''}`;
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
