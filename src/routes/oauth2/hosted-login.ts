import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../model/user.js';
import { hostedPageLoginTenant } from '../../oauth/hosted-login.js';
import type { Standin } from '../../standin.js';
import { finishHostedLogin } from './finish-login.js';
import { carriedAuthorizeRequest } from './login-reply.js';

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
): Promise<FastifyReply> | undefined {
  const authz = carriedAuthorizeRequest(standin, request, params);
  const tenant = hostedPageLoginTenant(standin, authz, user);
  if (!authz || !tenant) return undefined;
  return finishHostedLogin(standin, request, reply, {
    authz,
    tenant,
    user,
    params,
    rememberDevice: false,
    authenticationType,
    secondFactorPassed: options.secondFactorPassed === true,
    // A password change the login required comes after that login's validation.
    validated: options.secondFactorPassed === true,
  });
}
