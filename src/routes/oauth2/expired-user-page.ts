import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../model/user.js';
import { hasExpired } from '../../model/user-expiry.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import type { Standin } from '../../standin.js';
import { loginPage } from './login-page.js';

// FusionAuth's theme message for an expired user (its messages key `[UserExpiredException]`).
const USER_EXPIRED = 'Your account has expired. Please contact your system administrator.';

/**
 * The login page again, saying the account has expired, for a hosted page (the login form, the two-factor step, a
 * password change, a magic link, the dev user picker) that authenticated a user whose expiry has come; undefined
 * for any other user. No code and no SSO session (docs/login-flow.md, "An expired user").
 */
export function expiredUserPage(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  params: Record<string, unknown>,
  user: User,
  form: { loginId: string; rememberDevice: boolean } = { loginId: '', rememberDevice: false },
): FastifyReply | undefined {
  if (!hasExpired(user, standin.config.now())) return undefined;
  return loginPage(standin, request, reply, authz, params, { ...form, error: USER_EXPIRED });
}
