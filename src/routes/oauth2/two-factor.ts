import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { csrfSecret, isLegitimateLoginPost } from '../../http/csrf.js';
import { setTrustCookie } from '../../http/trust-cookie.js';
import { enableTwoFactor } from '../../manage/two-factor.js';
import { trustSeconds } from '../../model/multi-factor-configuration.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import { completeTwoFactorLogin, enrolmentCodeFor } from '../../oauth/two-factor-login.js';
import type { Standin } from '../../standin.js';
import { finishHostedLogin } from './finish-login.js';
import { carriedAuthorizeRequest, csrfRefused } from './login-reply.js';
import { resendCode } from './two-factor-resend.js';
import { enablePage, oauthHiddenFields, twoFactorExpired, twoFactorPage } from './two-factor-step.js';

const INVALID_CODE = 'Invalid verification code. Try again, or use a recovery code.';

/**
 * `POST /oauth2/two-factor`: the code for a pending hosted login. A right code (TOTP or recovery) ends the login
 * as a one-factor login ends (a fresh SSO session and the code at the redirect_uri), and with `trustComputer`
 * sets the `fusionauth.trust` cookie; a wrong one shows the page again with the error. `resendCode=true` (the page's
 * "Resend the code" button) emails the method's code again instead (two-factor-resend.ts).
 */
export async function twoFactorPageRoutes(app: FastifyInstance): Promise<void> {
  app.post('/two-factor/enable', async (request, reply) => enableRoute(app.standin, request, reply));
  app.post('/two-factor', async (request, reply) => {
    const params = (request.body ?? {}) as Record<string, unknown>;
    const authz = carriedAuthorizeRequest(app.standin, request, params);
    if (!authz) return twoFactorExpired(reply, undefined);
    if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
    const tenant = app.standin.stores.tenants.get(authz.application.tenantId)!;
    const twoFactorId = typeof params.twoFactorId === 'string' ? params.twoFactorId : '';
    const code = typeof params.code === 'string' ? params.code.slice(0, 64) : '';
    const methodId = typeof params.methodId === 'string' ? params.methodId : '';
    const trustComputer = params.trustComputer === 'true';
    const pending = twoFactorId === '' ? undefined : app.standin.stores.twoFactor.findLogin(twoFactorId, app.standin.config.now());
    // A pending login belongs to the application it started in.
    if (!pending || pending.body.applicationId !== authz.application.id) return twoFactorExpired(reply, params);
    const form = { twoFactorId, methodId, trustComputer };
    if (params.resendCode === 'true') return resendCode(app.standin, request, reply, { authz, tenant, params, pending, form });
    if (code.trim() === '') return twoFactorPage(request, reply, authz, tenant, params, { ...form, error: 'Enter the verification code.' }, 400);

    const outcome = completeTwoFactorLogin(app.standin, { twoFactorId, code, trustComputer, ip: request.ip });
    if (outcome.kind === 'not-found') return twoFactorExpired(reply, params);
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
    // The login's last steps (finish-login.ts): the user may have expired while the second factor was pending.
    const { rememberDevice, authenticationType } = outcome.pending;
    return finishHostedLogin(app.standin, request, reply, {
      authz,
      tenant,
      user: outcome.user,
      params,
      rememberDevice: rememberDevice === true,
      authenticationType: typeof authenticationType === 'string' ? authenticationType : 'PASSWORD',
      secondFactorPassed: true,
      // Validated before the second factor was asked for.
      validated: true,
    });
  });
}

/**
 * `POST /oauth2/two-factor/enable`: the enrolment page's code. A right one enables the method and shows the
 * recovery codes, whose Continue button finishes the login through `/oauth2/two-factor` with the one-time code
 * the enrolment gave the pending login (as FusionAuth's enable API answers `code` for a `twoFactorId`).
 */
async function enableRoute(standin: Standin, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const params = (request.body ?? {}) as Record<string, unknown>;
  const authz = carriedAuthorizeRequest(standin, request, params);
  if (!authz) return twoFactorExpired(reply, undefined);
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
  const twoFactorId = typeof params.twoFactorId === 'string' ? params.twoFactorId : '';
  const secretBase32Encoded = typeof params.secretBase32Encoded === 'string' ? params.secretBase32Encoded.slice(0, 128) : '';
  const code = typeof params.code === 'string' ? params.code.trim().slice(0, 64) : '';
  const now = standin.config.now();
  const pending = twoFactorId === '' ? undefined : standin.stores.twoFactor.findLogin(twoFactorId, now);
  const user = pending ? standin.stores.users.get(pending.userId) : undefined;
  if (!pending || !user || pending.body.applicationId !== authz.application.id) return twoFactorExpired(reply, params);
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
  if (!oneTimeCode) return twoFactorExpired(reply, params);
  const hidden = oauthHiddenFields(params);
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)], ['twoFactorId', twoFactorId], ['code', oneTimeCode]);
  return reply.view('two-factor-recovery-codes', { hidden, recoveryCodes: recoveryCodes ?? [] });
}
