import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import type { Standin } from '../../standin.js';
import { verificationGateFor } from '../email/gate-page.js';
import { refusedUserPage } from './refused-user-page.js';
import { freshLogin, renderError } from './login-reply.js';
import { passwordChangeFirst } from './required-password-change.js';
import { startHostedTwoFactor } from './two-factor-step.js';

/** A hosted login whose user has proved who they are (a password, a magic link, a second factor, a changed password). */
export interface ProvedLogin {
  authz: AuthorizeRequest;
  tenant: Tenant;
  user: User;
  /** The page's fields: the authorization request, carried on to whichever page comes next. */
  params: Record<string, unknown>;
  /** "Keep me signed in": the SSO cookie outlives the browser. */
  rememberDevice: boolean;
  /** The tokens' `authenticationType`; `PASSWORD` when absent. */
  authenticationType?: string | undefined;
  /**
   * What the user typed on the login form, when the login started there: an expired user sees it again, and a second
   * factor's pending login is named by it. A login another page ended shows an expired user an empty form and names
   * the pending login by the user's email, username or id.
   */
  loginId?: string;
  /** The login has passed its second factor already: on the two-factor page, or before the password change it required. */
  secondFactorPassed: boolean;
}

/**
 * The last steps of a hosted login that has authenticated its user (the login form, the two-factor page, a magic
 * link, a password change, the dev user picker; self-service registration ends its own way), in their one
 * order: an expired user, or one in an action that prevents login, is told so (docs/login-flow.md, "An expired user";
 * docs/user-actions.md); an unverified email or registration
 * that gates meets the gate, which starts no session (docs/email-verification.md); the second factor, unless passed
 * already (docs/two-factor.md); a required password change (`passwordChangeRequired`); last, a fresh SSO session
 * and the code at the redirect_uri.
 */
export function finishHostedLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  login: ProvedLogin,
): FastifyReply | Promise<FastifyReply> {
  const { authz, tenant, user, params, rememberDevice, authenticationType } = login;
  try {
    const form = login.loginId === undefined ? undefined : { loginId: login.loginId, rememberDevice };
    const refused = refusedUserPage(standin, request, reply, authz, params, user, form);
    if (refused) return refused;
    const gated = verificationGateFor(standin, request, reply, params, user, tenant, authz.application);
    if (gated) return gated;
    if (!login.secondFactorPassed) {
      const loginId = login.loginId ?? user.email ?? user.username ?? user.id;
      const twoFactorStep = startHostedTwoFactor(standin, request, reply, authz, tenant, user, params, {
        loginId,
        rememberDevice,
        authenticationType,
      });
      if (twoFactorStep) return twoFactorStep;
    }
    return (
      passwordChangeFirst(standin, reply, user, params) ??
      freshLogin(standin, request, reply, authz, tenant, user, rememberDevice, authenticationType)
    );
  } catch (error) {
    // The authorization request's refusal (a user not registered to the application) goes to its redirect_uri.
    return renderError(reply, error);
  }
}
