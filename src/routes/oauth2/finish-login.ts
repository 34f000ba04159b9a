import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Errors } from '../../errors.js';
import type { Challenge } from '../../oauth/two-factor-login.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import type { Standin } from '../../standin.js';
import { verificationGateFor } from '../email/gate-page.js';
import { loginValidationErrors, shownLoginErrors } from '../../oauth/login-validation.js';
import { loginPage } from './login-page.js';
import { refusedUserPage } from './refused-user-page.js';
import { freshLogin, renderError } from './login-reply.js';
import { passwordChangeFirst } from './required-password-change.js';
import { hostedSecondFactor, startHostedTwoFactor, type SecondFactorDecision } from './two-factor-step.js';

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
  /**
   * The login began on an earlier page that ran the tenant's login validation lambda already (the two-factor page,
   * a password change the login required); every other login runs it here (docs/lambdas.md).
   */
  validated?: boolean;
  /** The two-factor decision the password check made already (two-factor-step.ts), so the lambda runs once. */
  secondFactor?: SecondFactorDecision;
  /** The identity provider of a login through one, for the login validation lambda's `context.identityProvider`. */
  identityProvider?: { id: string; name: string; identityProviderType: string };
}

/**
 * The last steps of a hosted login that has authenticated its user (the login form, the two-factor page, a magic
 * link, a password change, the dev user picker; self-service registration ends its own way), in their one order: an
 * expired user, or one in an action that prevents login, is told so (docs/login-flow.md, "An expired user";
 * docs/user-actions.md); a login the tenant's login validation lambda refuses shows the login page again with its
 * messages (docs/lambdas.md); an unverified email or registration that gates meets the gate, which starts no session
 * (docs/email-verification.md); the second factor, unless passed already, as decided with the MFA requirement lambda
 * (docs/two-factor.md); a required password change (`passwordChangeRequired`); last, a fresh SSO session and the
 * code at the redirect_uri.
 */
export async function finishHostedLogin(standin: Standin, request: FastifyRequest, reply: FastifyReply, login: ProvedLogin): Promise<FastifyReply> {
  // The lambdas first (the login validation lambda, then the MFA requirement lambda's part of the two-factor
  // decision): they are asynchronous, the pages are not, and a page's reply must not be awaited (it is a thenable
  // that settles only when sent).
  const invalid =
    login.validated === true
      ? undefined
      : await loginValidationErrors(standin, {
          user: login.user,
          tenant: login.tenant,
          application: login.authz.application,
          authenticationType: login.authenticationType ?? 'PASSWORD',
          identityProvider: login.identityProvider,
        });
  const decide = login.secondFactor ?? hostedSecondFactor(standin, request, login.authz, login.tenant);
  const secondFactor = login.secondFactorPassed || invalid ? undefined : await decide(login.user);
  return finishDecidedLogin(standin, request, reply, login, invalid, secondFactor);
}

function finishDecidedLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  login: ProvedLogin,
  invalid: Errors | undefined,
  secondFactor: Challenge | undefined,
): FastifyReply | Promise<FastifyReply> {
  const { authz, tenant, user, params, rememberDevice, authenticationType } = login;
  try {
    const form = { loginId: login.loginId ?? '', rememberDevice };
    const refused = refusedUserPage(standin, request, reply, authz, params, user, login.loginId === undefined ? undefined : form);
    if (refused) return refused;
    // The login page again with the lambda's messages (FusionAuth shows a theme message for the code when the theme
    // has one; Standin's pages have none for a lambda's own codes).
    if (invalid) return loginPage(standin, request, reply, authz, params, { ...form, error: shownLoginErrors(invalid) });
    const gated = verificationGateFor(standin, request, reply, params, user, tenant, authz.application);
    if (gated) return gated;
    if (secondFactor) {
      const loginId = login.loginId ?? user.email ?? user.username ?? user.id;
      return startHostedTwoFactor(standin, request, reply, authz, tenant, user, params, secondFactor, {
        loginId,
        rememberDevice,
        authenticationType,
      });
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
