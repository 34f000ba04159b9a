import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../model/user.js';
import { hasExpired } from '../../model/user-expiry.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import type { Standin } from '../../standin.js';
import { loginPage } from './login-page.js';

// FusionAuth's theme messages for an expired user (`[UserExpiredException]`) and for one in an action that prevents
// login (`[LoginPreventedException]`).
const USER_EXPIRED = 'Your account has expired. Please contact your system administrator.';
const LOGIN_PREVENTED = 'Your account has been locked.';

/**
 * The login page again, with FusionAuth's message, for a hosted page (the login form, the two-factor step, a password
 * change, a magic link, the dev user picker) that authenticated a user who may not log in: one whose expiry has come
 * (docs/login-flow.md, "An expired user"), or one in an action that prevents login (docs/user-actions.md); undefined
 * for any other user. No code and no SSO session.
 */
export function refusedUserPage(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  params: Record<string, unknown>,
  user: User,
  form: { loginId: string; rememberDevice: boolean } = { loginId: '', rememberDevice: false },
): FastifyReply | undefined {
  const now = standin.config.now();
  const error = hasExpired(user, now)
    ? USER_EXPIRED
    : standin.stores.userActionLogs.preventingLogin(user.id, now).length > 0
      ? LOGIN_PREVENTED
      : undefined;
  return error === undefined ? undefined : loginPage(standin, request, reply, authz, params, { ...form, error });
}
