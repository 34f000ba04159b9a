import type { FastifyReply, FastifyRequest } from 'fastify';
import { startEmailVerification, startRegistrationVerification, strategyOf, verificationAnswer } from '../../manage/email-verification.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import type { Application } from '../../model/application.js';
import { isObject, type JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { issueLoginTokens } from '../../oauth/issue-login.js';
import type { ValidatedLogin } from '../../oauth/login-validation.js';
import { secondFactorOf } from '../../oauth/mfa-requirement.js';
import { startTwoFactorLogin, type Challenge, type PendingLogin } from '../../oauth/two-factor-login.js';
import { refuseExpiredUser } from './expired-user.js';
import { refusePreventedLogin } from './login-prevented.js';
import { refuseInvalidLogin } from './login-validation.js';
import { passwordChangeAnswer } from './password-change-answer.js';
import { setApiTokenCookies } from './token-cookies.js';

/** What every way to end a login through the API reads from its request body (https://fusionauth.io/docs/apis/login). */
export interface LoginAnswerBody {
  noJWT?: boolean;
  ipAddress?: string;
  metaData?: JsonObject;
}

/**
 * Where a login stands on its second factor when its answer is due, which says which of the tenant's login lambdas
 * run here (docs/lambdas.md). Every login API says it, so that none can skip them:
 * - `first-factor`: the user has just proved who they are (a password, a passwordless code, a passkey, a one-time
 *   password): the login validation lambda runs, then the second factor is decided (with the MFA requirement lambda,
 *   oauth/mfa-requirement.ts); one that is needed answers 242 and starts the two-factor login `pending` describes.
 *   `decided` is the route's own decision when it had to ask before (the password login's guard), so that the MFA
 *   requirement lambda runs once.
 * - `federated`: through an identity provider: the login validation lambda runs, with the provider in its context,
 *   and no second factor is asked for (FusionAuth leaves it to the provider,
 *   https://fusionauth.io/docs/lifecycle/authenticate-users/identity-providers, "Account Security").
 * - `second-factor-given`: the Two Factor Login API's ending: both lambdas ran when the login began.
 */
export type SecondFactorStance =
  | {
      kind: 'first-factor';
      /** The `fusionauth.trust` cookie, else the request's `twoFactorTrustId`. */
      trustId: string | undefined;
      pending: PendingLogin;
      decided?: (user: User) => Promise<Challenge | undefined>;
    }
  | { kind: 'federated'; identityProvider: NonNullable<ValidatedLogin['identityProvider']> }
  | { kind: 'second-factor-given' };

/** A login whose user is known, and what its answer needs. */
export interface LoginToAnswer {
  user: User;
  tenant: Tenant;
  application?: Application | undefined;
  /** FusionAuth's `authenticationType`, kept in the JWT and handed to the login validation lambda. */
  authenticationType: string;
  /** False for a login that may not get a refresh token (a one-time password made without one). */
  refreshAllowed: boolean;
  secondFactor: SecondFactorStance;
  /** Members the answer carries after the Login API's own: a `state`, a `trustToken`, … */
  extra?: JsonObject;
}

/**
 * Ends every login through the API (the Login, Passwordless, WebAuthn, Two Factor Login, JWT Reconcile and Identity
 * Provider Login APIs): the tenant's login lambdas as `secondFactor` says, then the tokens, answered as the Login API
 * does: 200, or 202 when not registered to the application (212, 213 and 203 as there).
 */
export async function answerLogin(request: FastifyRequest, reply: FastifyReply, body: LoginAnswerBody, login: LoginToAnswer): Promise<FastifyReply> {
  const { standin } = request.server;
  const { user, tenant, application, authenticationType, secondFactor, extra = {} } = login;
  const who = { user, tenant, ...(application ? { application } : {}) };
  if (secondFactor.kind === 'federated') {
    await refuseInvalidLogin(standin, { ...who, authenticationType, identityProvider: secondFactor.identityProvider });
  }
  if (secondFactor.kind === 'first-factor') {
    await refuseInvalidLogin(standin, { ...who, authenticationType });
    const { trustId, pending, decided } = secondFactor;
    const step = await (decided ? decided(user) : secondFactorOf(standin, { ...who, ...(trustId ? { trustId } : {}) }));
    // 242: the login waits for its second factor, finished at /api/two-factor/login (docs/two-factor.md).
    if (step) return reply.code(242).send({ ...step, twoFactorId: startTwoFactorLogin(standin, user, tenant, pending) });
  }
  return answerTokens(request, reply, body, { ...who, authenticationType, refreshAllowed: login.refreshAllowed, extra });
}

/** Issues the login's tokens and answers as the Login API does: 200, or 202 when not registered to the application. */
async function answerTokens(
  request: FastifyRequest,
  reply: FastifyReply,
  body: LoginAnswerBody,
  login: { user: User; tenant: Tenant; application?: Application; authenticationType: string; refreshAllowed: boolean; extra: JsonObject },
): Promise<FastifyReply> {
  const { standin } = request.server;
  const now = standin.config.now();
  const { user, tenant, application, authenticationType, refreshAllowed, extra } = login;
  const who = { user, tenant, ...(application ? { application } : {}) };
  // Again here: the user may have expired, or been actioned, while the second factor was pending.
  refuseExpiredUser(standin, user);
  refusePreventedLogin(standin, user);
  const verification = verificationAnswer(standin, user, tenant, application);
  if (verification.gated && verification.status === 212) return answerGated(reply, user, tenant, application);
  if (verification.gated) return answerRegistrationGated(reply, user, tenant, application!);
  const changeFirst = passwordChangeAnswer(standin, reply, user, typeof extra.trustToken === 'string' ? { trustToken: extra.trustToken } : {});
  if (changeFirst) return changeFirst;
  const issued = await issueLoginTokens(standin, {
    ...who,
    authenticationType,
    noJWT: body.noJWT === true,
    refreshToken: refreshAllowed && application?.loginConfiguration.generateRefreshTokens === true,
    ...(isObject(body.metaData?.device) ? { device: body.metaData.device } : {}),
    // Without an ipAddress in the body, FusionAuth records the caller's address (https://fusionauth.io/docs/apis/login).
    ipAddress: body.ipAddress ?? request.ip,
  });
  const { token, tokenExpirationInstant, refreshToken } = issued;
  setApiTokenCookies(request, reply, { ...(token ? { token } : {}), ...(refreshToken ? { refreshToken: { ...refreshToken, now } } : {}) });
  const status = verification.status ?? (application && !issued.registration ? 202 : 200);
  return reply.code(status).send({
    ...(refreshToken ? { refreshToken: refreshToken.value, refreshTokenId: refreshToken.id } : {}),
    ...(token ? { token, tokenExpirationInstant } : {}),
    user: userWithRegistrations(standin.stores, issued.user),
    ...extra,
  });
}

/**
 * A Gated tenant's unverified user: 212 with the user and no token (https://fusionauth.io/docs/apis/login). Under
 * the form-field strategy the answer carries a new `emailVerificationId`, and its code is emailed.
 */
function answerGated(reply: FastifyReply, user: User, tenant: Tenant, application: Application | undefined): FastifyReply {
  const { standin } = reply.server;
  const formField = strategyOf(tenant, undefined) === 'FormField';
  const started = formField ? startEmailVerification(standin, user, tenant, application, true) : undefined;
  return reply
    .code(212)
    .send({ user: userWithRegistrations(standin.stores, user), ...(started ? { emailVerificationId: started.verificationId } : {}) });
}

/**
 * An unverified registration to an application that gates: 213 with the user and no token
 * (https://fusionauth.io/docs/apis/login). Under the application's form-field strategy the answer carries a new
 * `registrationVerificationId`, and its code is emailed.
 */
function answerRegistrationGated(reply: FastifyReply, user: User, tenant: Tenant, application: Application): FastifyReply {
  const { standin } = reply.server;
  const formField = strategyOf(tenant, application) === 'FormField';
  const started = formField ? startRegistrationVerification(standin, user, tenant, application, true) : undefined;
  return reply
    .code(213)
    .send({ user: userWithRegistrations(standin.stores, user), ...(started ? { registrationVerificationId: started.verificationId } : {}) });
}
