import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verificationGateFor } from '../email/gate-page.js';
import { ApiError } from '../../errors.js';
import { presentedTrustId, setTrustCookie } from '../../http/trust-cookie.js';
import { enableTwoFactor, generateSecret } from '../../manage/two-factor.js';
import { trustSeconds } from '../../model/multi-factor-configuration.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { csrfSecret, isLegitimateLoginPost } from '../../http/csrf.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import { passwordChangeFirst } from './required-password-change.js';
import { challengeOf, completeTwoFactorLogin, enrolmentCodeFor, startTwoFactorLogin } from '../../oauth/two-factor-login.js';
import type { Standin } from '../../standin.js';
import { HIDDEN_FIELDS } from './login-page.js';
import { carriedAuthorizeRequest, csrfRefused, freshLogin, renderError } from './login-reply.js';
import { expiredUserPage } from './expired-user-page.js';

const INVALID_CODE = 'Invalid verification code. Try again, or use a recovery code.';
const DAY = 86_400;

/** Whether a hosted login of `user` must pass the two-factor page (the `fusionauth.trust` cookie may let it skip). */
export function needsTwoFactor(standin: Standin, request: FastifyRequest, authz: AuthorizeRequest, tenant: Tenant, user: User): boolean {
  return challengeOf(standin, { user, tenant, application: authz.application, trustId: presentedTrustId(request) }) !== undefined;
}

/**
 * The step between the password and the code on the hosted login (FusionAuth's "OAuth two-factor" page,
 * https://fusionauth.io/docs/lifecycle/authenticate-users/multi-factor-authentication): a pending login and the
 * page that asks for its code; undefined when the login needs no second factor.
 */
export function startHostedTwoFactor(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  user: User,
  params: Record<string, unknown>,
  login: { loginId: string; rememberDevice: boolean; authenticationType?: string },
): FastifyReply | undefined {
  const step = challengeOf(standin, { user, tenant, application: authz.application, trustId: presentedTrustId(request) });
  if (!step) return undefined;
  const twoFactorId = startTwoFactorLogin(standin, user, tenant, {
    applicationId: authz.application.id,
    clientKey: authz.application.id,
    loginId: login.loginId,
    rememberDevice: login.rememberDevice,
    ...(login.authenticationType === undefined ? {} : { authenticationType: login.authenticationType }),
  });
  if (step.methods.length === 0)
    return enablePage(request, reply, authz, user, params, { twoFactorId, secretBase32Encoded: generateSecret().secretBase32Encoded });
  return twoFactorPage(request, reply, authz, tenant, params, { twoFactorId, methodId: step.methods[0]!.id as string, trustComputer: false });
}

/** The authorization request's fields a hosted page carries on (FusionAuth's theme helper `oauthHiddenFields`). */
function carried(params: Record<string, unknown>): Array<[string, string]> {
  return HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name]] as [string, string]] : []));
}

function twoFactorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  params: Record<string, unknown>,
  form: { twoFactorId: string; methodId: string; trustComputer: boolean; error?: string },
  status = 200,
): FastifyReply {
  const hidden = carried(params);
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)], ['twoFactorId', form.twoFactorId], ['methodId', form.methodId]);
  const trustDays = Math.max(1, Math.round(trustSeconds(tenant, authz.application) / DAY));
  return reply
    .code(status)
    .view('two-factor', { applicationName: authz.application.name, hidden, trustDays, trustComputer: form.trustComputer, error: form.error });
}

/**
 * `POST /oauth2/two-factor`: the code for a pending hosted login. A right code (TOTP or recovery) ends the login
 * as a one-factor login ends (a fresh SSO session and the code at the redirect_uri), and with `trustComputer`
 * sets the `fusionauth.trust` cookie; a wrong one shows the page again with the error.
 */
export async function twoFactorPageRoutes(app: FastifyInstance): Promise<void> {
  app.post('/two-factor/enable', async (request, reply) => enableRoute(app.standin, request, reply));
  app.post('/two-factor', async (request, reply) => {
    const params = (request.body ?? {}) as Record<string, unknown>;
    const authz = carriedAuthorizeRequest(app.standin, request, params);
    if (!authz) return expired(reply, undefined);
    if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
    const tenant = app.standin.stores.tenants.get(authz.application.tenantId)!;
    const twoFactorId = typeof params.twoFactorId === 'string' ? params.twoFactorId : '';
    const code = typeof params.code === 'string' ? params.code.slice(0, 64) : '';
    const methodId = typeof params.methodId === 'string' ? params.methodId : '';
    const trustComputer = params.trustComputer === 'true';
    const pending = twoFactorId === '' ? undefined : app.standin.stores.twoFactor.findLogin(twoFactorId, app.standin.config.now());
    // A pending login belongs to the application it started in.
    if (!pending || pending.body.applicationId !== authz.application.id) return expired(reply, params);
    const form = { twoFactorId, methodId, trustComputer };
    if (code.trim() === '') return twoFactorPage(request, reply, authz, tenant, params, { ...form, error: 'Enter the verification code.' }, 400);

    const outcome = completeTwoFactorLogin(app.standin, { twoFactorId, code, trustComputer, ip: request.ip });
    if (outcome.kind === 'not-found') return expired(reply, params);
    if (outcome.kind === 'wrong-code') return twoFactorPage(request, reply, authz, tenant, params, { ...form, error: INVALID_CODE });
    if (outcome.kind === 'refused') {
      reply.header('retry-after', String(outcome.refusal.retryAfterSeconds));
      return twoFactorPage(
        request,
        reply,
        authz,
        tenant,
        params,
        { ...form, error: `Too many failed attempts. Try again in ${outcome.refusal.retryAfterSeconds} seconds.` },
        429,
      );
    }
    if (outcome.twoFactorTrustId) setTrustCookie(request, reply, outcome.twoFactorTrustId, trustSeconds(tenant, authz.application));
    // The user may have expired while the second factor was pending (docs/login-flow.md, "An expired user").
    const expiredPage = expiredUserPage(app.standin, request, reply, authz, params, outcome.user);
    if (expiredPage) return expiredPage;
    // An unverified email or registration that gates meets the gate after both factors (docs/email-verification.md).
    const gated = verificationGateFor(app.standin, request, reply, params, outcome.user, tenant, authz.application);
    if (gated) return gated;
    const changeFirst = passwordChangeFirst(app.standin, reply, outcome.user, params);
    if (changeFirst) return changeFirst;
    try {
      const { rememberDevice, authenticationType } = outcome.pending;
      return await freshLogin(
        app.standin,
        request,
        reply,
        authz,
        tenant,
        outcome.user,
        rememberDevice === true,
        typeof authenticationType === 'string' ? authenticationType : 'PASSWORD',
      );
    } catch (error) {
      return renderError(reply, error);
    }
  });
}

/**
 * The enrolment page of a login whose policy is Required, for a user with no method yet (FusionAuth 1.42+ sends
 * such a user to set one up during the login): the new key, as text and as an otpauth:// link (the key URI format
 * of Google Authenticator, which authenticator apps share), and the code that proves the app holds it.
 */
function enablePage(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  user: User,
  params: Record<string, unknown>,
  form: { twoFactorId: string; secretBase32Encoded: string; error?: string },
  status = 200,
): FastifyReply {
  const hidden = carried(params);
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

/**
 * `POST /oauth2/two-factor/enable`: the enrolment page's code. A right one enables the method and shows the
 * recovery codes, whose Continue button finishes the login through `/oauth2/two-factor` with the one-time code
 * the enrolment gave the pending login (as FusionAuth's enable API answers `code` for a `twoFactorId`).
 */
async function enableRoute(standin: Standin, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const params = (request.body ?? {}) as Record<string, unknown>;
  const authz = carriedAuthorizeRequest(standin, request, params);
  if (!authz) return expired(reply, undefined);
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
  const twoFactorId = typeof params.twoFactorId === 'string' ? params.twoFactorId : '';
  const secretBase32Encoded = typeof params.secretBase32Encoded === 'string' ? params.secretBase32Encoded.slice(0, 128) : '';
  const code = typeof params.code === 'string' ? params.code.trim().slice(0, 64) : '';
  const now = standin.config.now();
  const pending = twoFactorId === '' ? undefined : standin.stores.twoFactor.findLogin(twoFactorId, now);
  const user = pending ? standin.stores.users.get(pending.userId) : undefined;
  if (!pending || !user || pending.body.applicationId !== authz.application.id) return expired(reply, params);
  const tenant = standin.stores.tenants.get(user.tenantId)!;
  let recoveryCodes: string[] | undefined;
  try {
    recoveryCodes = enableTwoFactor(standin, user, tenant, { method: 'authenticator', code, secretBase32Encoded }, now).recoveryCodes;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return enablePage(
      request,
      reply,
      authz,
      user,
      params,
      { twoFactorId, secretBase32Encoded, error: 'Invalid verification code. Check the key in your app and try the code it shows now.' },
      400,
    );
  }
  const oneTimeCode = enrolmentCodeFor(standin, twoFactorId, user.id);
  if (!oneTimeCode) return expired(reply, params);
  const hidden = carried(params);
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)], ['twoFactorId', twoFactorId], ['code', oneTimeCode]);
  return reply.view('two-factor-recovery-codes', { hidden, recoveryCodes: recoveryCodes ?? [] });
}

/** An unknown, used or expired twoFactorId: the login starts again from the login page. */
function expired(reply: FastifyReply, params: Record<string, unknown> | undefined): FastifyReply {
  const back = params ? `/oauth2/authorize?${new URLSearchParams(carried(params))}` : undefined;
  return reply
    .code(400)
    .view('notice', { title: 'Log in again', paragraphs: ['This login took too long or was already completed. Log in again to continue.'], back });
}
