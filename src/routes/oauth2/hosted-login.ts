import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../model/user.js';
import { hostedPageLoginTenant } from '../../oauth/hosted-login.js';
import type { Standin } from '../../standin.js';
import { verificationGateFor } from '../email/gate-page.js';
import { expiredUserPage } from './expired-user-page.js';
import { carriedAuthorizeRequest, freshLogin, renderError } from './login-reply.js';
import { passwordChangeFirst } from './required-password-change.js';
import { startHostedTwoFactor } from './two-factor.js';

/**
 * Ends a hosted page that authenticated `user` (a password change, a magic link) the way a password login here
 * ends: a fresh SSO session and the code at the redirect_uri of the authorization request `params` carries.
 * `secondFactorPassed`: the page ends a login that has passed its second factor already (a password change the
 * login required).
 * Undefined when `params` hold no valid authorization request for the user's tenant: the page shows its own end.
 */
export function loginFromHostedPage(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Record<string, unknown>,
  user: User,
  authenticationType: string,
  options: { secondFactorPassed?: boolean } = {},
): FastifyReply | undefined {
  const authz = carriedAuthorizeRequest(standin, request, params);
  const tenant = hostedPageLoginTenant(standin, authz, user);
  if (!authz || !tenant) return undefined;
  const expired = expiredUserPage(standin, request, reply, authz, params, user);
  if (expired) return expired;
  const gated = verificationGateFor(standin, request, reply, params, user, tenant, authz.application);
  if (gated) return gated;
  try {
    // A user with a second factor passes the two-factor page here too (docs/two-factor.md), unless the login this
    // page ends has passed it already.
    const twoFactorStep = options.secondFactorPassed
      ? undefined
      : startHostedTwoFactor(standin, request, reply, authz, tenant, user, params, {
          loginId: user.email ?? user.username ?? user.id,
          rememberDevice: false,
          authenticationType,
        });
    if (twoFactorStep) return twoFactorStep;
    return passwordChangeFirst(standin, reply, user, params) ?? freshLogin(standin, request, reply, authz, tenant, user, false, authenticationType);
  } catch (error) {
    return renderError(reply, error);
  }
}
