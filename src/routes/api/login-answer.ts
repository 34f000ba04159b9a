import type { FastifyReply, FastifyRequest } from 'fastify';
import { startEmailVerification, startRegistrationVerification, strategyOf, verificationAnswer } from '../../manage/email-verification.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import type { Application } from '../../model/application.js';
import { isObject, type JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { issueLoginTokens } from '../../oauth/issue-login.js';
import { refuseExpiredUser } from './expired-user.js';
import { refusePreventedLogin } from './login-prevented.js';
import { passwordChangeAnswer } from './password-change-answer.js';
import { setApiTokenCookies } from './token-cookies.js';

/** What every way to end a login through the API reads from its request body (https://fusionauth.io/docs/apis/login). */
export interface LoginAnswerBody {
  noJWT?: boolean;
  ipAddress?: string;
  metaData?: JsonObject;
}

/** Issues the login's tokens and answers as the Login API does: 200, or 202 when not registered to the application. */
export async function answerLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  body: LoginAnswerBody,
  who: { user: User; tenant: Tenant; application?: Application },
  authenticationType: string,
  refreshAllowed: boolean,
  extra: JsonObject = {},
): Promise<FastifyReply> {
  const { standin } = request.server;
  const now = standin.config.now();
  const { application } = who;
  // Again here: the user may have expired, or been actioned, while the second factor was pending.
  refuseExpiredUser(standin, who.user);
  refusePreventedLogin(standin, who.user);
  const verification = verificationAnswer(standin, who.user, who.tenant, application);
  if (verification.gated && verification.status === 212) return answerGated(reply, who.user, who.tenant, application);
  if (verification.gated) return answerRegistrationGated(reply, who.user, who.tenant, application!);
  const changeFirst = passwordChangeAnswer(standin, reply, who.user, typeof extra.trustToken === 'string' ? { trustToken: extra.trustToken } : {});
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
