import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentedTrustId } from '../../http/trust-cookie.js';
import { generateSecret } from '../../manage/two-factor.js';
import { trustSeconds } from '../../model/multi-factor-configuration.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { csrfSecret } from '../../http/csrf.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import { decideOnce, secondFactorOf } from '../../oauth/mfa-requirement.js';
import { offeredMethodsOf, startTwoFactorLogin, type Challenge } from '../../oauth/two-factor-login.js';
import type { Standin } from '../../standin.js';
import type { StoredMethod } from '../../store/two-factor.js';
import { HIDDEN_FIELDS } from './login-page.js';
import { sendPendingCode } from './two-factor-resend.js';

// The second factor's step of a hosted login: whether it applies, its start, and its pages (the code page, the
// method chooser, enrolment); their answers are `two-factor.ts`, `two-factor-methods.ts` and `two-factor-resend.ts`.

const DAY = 86_400;

/** What a hosted login's user must pass on the two-factor page, if anything (the `fusionauth.trust` cookie may let it skip). */
export type SecondFactorDecision = (user: User) => Promise<Challenge | undefined>;

/**
 * The two-factor decision of one hosted login, made once (with the MFA requirement lambda, docs/lambdas.md): the
 * password check asks it first, for its failure count, and the two-factor step asks it again.
 */
export function hostedSecondFactor(standin: Standin, request: FastifyRequest, authz: AuthorizeRequest, tenant: Tenant): SecondFactorDecision {
  return decideOnce((user) => secondFactorOf(standin, { user, tenant, application: authz.application, trustId: presentedTrustId(request) }));
}

/**
 * The step between the password and the code on the hosted login (FusionAuth's "OAuth two-factor" page,
 * https://fusionauth.io/docs/lifecycle/authenticate-users/multi-factor-authentication) for the second factor `step`
 * the login needs (`hostedSecondFactor`): a pending login and the page that asks for its code.
 */
export function startHostedTwoFactor(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  user: User,
  params: Record<string, unknown>,
  step: Challenge,
  login: { loginId: string; rememberDevice: boolean; authenticationType?: string | undefined },
): FastifyReply | Promise<FastifyReply> {
  const twoFactorId = startTwoFactorLogin(standin, user, tenant, {
    applicationId: authz.application.id,
    clientKey: authz.application.id,
    loginId: login.loginId,
    rememberDevice: login.rememberDevice,
    ...(login.authenticationType === undefined ? {} : { authenticationType: login.authenticationType }),
  });
  if (step.methods.length === 0) {
    // The hosted enrolment page sets up an authenticator only; enrolling an address or a phone is the Two Factor API's.
    if (!step.configurableMethods?.includes('authenticator')) return emailEnrolmentNotModelled(reply);
    return enablePage(request, reply, authz, user, params, { twoFactorId, secretBase32Encoded: generateSecret().secretBase32Encoded });
  }
  // Several methods: FusionAuth's "OAuth two-factor methods" page lets the user choose (MFA guide, "Hosted Login
  // Pages"); its answer is two-factor-methods.ts.
  if (step.methods.length > 1) return methodsPage(request, reply, authz, tenant, params, { twoFactorId });
  // One: its page asks for its code, sending it first when the method is a message; a wrong code shows the page
  // again without sending another.
  const method = step.methods[0]!;
  const form = { twoFactorId, methodId: method.id as string, trustComputer: false };
  if (method.method === 'email' || method.method === 'sms') return sendThenCodePage(standin, request, reply, { authz, tenant, params, form });
  return twoFactorPage(request, reply, authz, tenant, params, form);
}

/**
 * Sends a message method's code (email, or SMS through the tenant's messenger), then shows its code page; a send that
 * failed shows the page with why (a receiver that is down, say), from which "Resend the code" tries again.
 */
async function sendThenCodePage(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  context: {
    authz: AuthorizeRequest;
    tenant: Tenant;
    params: Record<string, unknown>;
    form: { twoFactorId: string; methodId: string; trustComputer: boolean };
  },
): Promise<FastifyReply> {
  const { authz, tenant, params, form } = context;
  const failure = await sendPendingCode(standin, form.twoFactorId, form.methodId);
  if (failure?.kind === 'gone') return twoFactorExpired(reply, params);
  if (failure) return twoFactorPage(request, reply, authz, tenant, params, { ...form, error: failure.message }, failure.status);
  return twoFactorPage(request, reply, authz, tenant, params, form);
}

/** The methods of a live pending login the pages may offer (oauth/two-factor-login.ts); none when it is gone. */
function pendingMethods(standin: Standin, twoFactorId: string, tenant: Tenant): StoredMethod[] {
  const pending = standin.stores.twoFactor.findLogin(twoFactorId, standin.config.now());
  return pending ? offeredMethodsOf(standin, pending.userId, tenant) : [];
}

/** How a method appears on the chooser: what it is, and where its code comes from. */
function describeMethod(method: StoredMethod): { id: string; label: string; detail: string } {
  const named = method.name ? ` (${method.name})` : '';
  if (method.method === 'email') return { id: method.id, label: `Email${named}`, detail: `Get a code at ${method.email ?? ''}` };
  if (method.method === 'sms') return { id: method.id, label: `Text message${named}`, detail: `Get a code at ${method.mobilePhone ?? ''}` };
  return { id: method.id, label: `Authenticator app${named}`, detail: 'Get a code from your authenticator app' };
}

/**
 * The method chooser of a pending login with several methods (`views/two-factor-methods.eta`; FusionAuth's theme
 * template "OAuth two-factor methods", which posts the chosen `methodId` with `twoFactorId` to
 * `/oauth2/two-factor-methods`). `methodId` is the one checked: the code page's own when the user came back from it,
 * else the first.
 */
export function methodsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  params: Record<string, unknown>,
  form: { twoFactorId: string; methodId?: string; error?: string },
  status = 200,
): FastifyReply {
  const methods = pendingMethods(request.server.standin, form.twoFactorId, tenant).map(describeMethod);
  const checked = methods.some((method) => method.id === form.methodId) ? form.methodId : methods[0]?.id;
  const hidden = oauthHiddenFields(params);
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)], ['twoFactorId', form.twoFactorId]);
  return reply.code(status).view('two-factor-methods', { applicationName: authz.application.name, hidden, methods, checked, error: form.error });
}

/** An unknown, used or expired twoFactorId on any two-factor page: the login starts again from the login page. */
export function twoFactorExpired(reply: FastifyReply, params: Record<string, unknown> | undefined): FastifyReply {
  const back = params ? `/oauth2/authorize?${new URLSearchParams(oauthHiddenFields(params))}` : undefined;
  return reply
    .code(400)
    .view('notice', { title: 'Log in again', paragraphs: ['This login took too long or was already completed. Log in again to continue.'], back });
}

/**
 * A Required login of a user with no method in a tenant that offers the email method but not the authenticator:
 * Standin's hosted pages do not enrol an email address (docs/two-factor.md, "Not modelled"), so they say so.
 */
function emailEnrolmentNotModelled(reply: FastifyReply): FastifyReply {
  return reply.code(400).view('notice', {
    title: 'Two-factor set-up not available',
    paragraphs: [
      'This application requires two-factor authentication, and this tenant offers only methods that send a code (email, SMS).',
      "Standin's hosted pages do not model enrolling an email address or a phone: enrol it with the Two Factor API (POST /api/two-factor/send, then POST /api/user/two-factor), then log in again.",
    ],
  });
}

/** The authorization request's fields a hosted page carries on (FusionAuth's theme helper `oauthHiddenFields`). */
export function oauthHiddenFields(params: Record<string, unknown>): Array<[string, string]> {
  return HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name]] as [string, string]] : []));
}

/**
 * The page that asks for the code of a pending login (`views/two-factor.eta`). For an email method it offers to send
 * the code again (posted back here with `resendCode`), and with several methods a way back to the chooser (FusionAuth's
 * template shows both under `showResendOrSelectMethod`). `notice` says a new code went out.
 */
export function twoFactorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  params: Record<string, unknown>,
  form: { twoFactorId: string; methodId: string; trustComputer: boolean; error?: string; notice?: string },
  status = 200,
): FastifyReply {
  const hidden = oauthHiddenFields(params);
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)], ['twoFactorId', form.twoFactorId], ['methodId', form.methodId]);
  const trustDays = Math.max(1, Math.round(trustSeconds(tenant, authz.application) / DAY));
  const methods = pendingMethods(request.server.standin, form.twoFactorId, tenant);
  const method = methods.find((m) => m.id === form.methodId);
  const emailedAddress = method?.method === 'email' ? (method.email ?? '') : undefined;
  const textedPhone = method?.method === 'sms' ? (method.mobilePhone ?? '') : undefined;
  const sentTo = emailedAddress ?? textedPhone;
  const canSelectMethod = methods.length > 1;
  return reply.code(status).view('two-factor', {
    applicationName: authz.application.name,
    hidden,
    emailedAddress,
    textedPhone,
    trustDays,
    trustComputer: form.trustComputer,
    showResendOrSelectMethod: sentTo !== undefined || canSelectMethod,
    canResend: sentTo !== undefined,
    canSelectMethod,
    error: form.error,
    notice: form.notice,
  });
}

/**
 * The enrolment page of a login whose policy is Required, for a user with no method yet (FusionAuth 1.42+ sends
 * such a user to set one up during the login): the new key, as text and as an otpauth:// link (the key URI format
 * of Google Authenticator, which authenticator apps share), and the code that proves the app holds it.
 */
export function enablePage(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  user: User,
  params: Record<string, unknown>,
  form: { twoFactorId: string; secretBase32Encoded: string; error?: string },
  status = 200,
): FastifyReply {
  const hidden = oauthHiddenFields(params);
  hidden.push(
    ['csrf_token', csrfToken(csrfSecret(request, reply), params)],
    ['twoFactorId', form.twoFactorId],
    ['secretBase32Encoded', form.secretBase32Encoded],
  );
  const label = encodeURIComponent(`Standin:${user.email ?? user.username ?? user.id}`);
  const otpauthUri = `otpauth://totp/${label}?${new URLSearchParams({ secret: form.secretBase32Encoded, issuer: 'Standin', algorithm: 'SHA1', digits: '6', period: '30' })}`;
  const secretGrouped = form.secretBase32Encoded.replace(/(.{4})(?=.)/g, '$1 ');
  return reply
    .code(status)
    .view('two-factor-enable', { applicationName: authz.application.name, hidden, otpauthUri, secretGrouped, error: form.error });
}
