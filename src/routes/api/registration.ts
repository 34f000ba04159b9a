import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { afterRegistrationWritten, afterUserWritten, newRegistrationInput, newUserInput } from '../../manage/email-verification.js';
import { createUserAndRegistration, deleteRegistration, registerUser, updateRegistration } from '../../manage/registrations.js';
import { requireBody, requireMember } from '../../manage/request-body.js';
import { asksSetPasswordEmail } from '../../manage/set-password-email.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import { refuseAuthenticationTokens } from '../../model/authentication-tokens.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import type { Registration } from '../../model/registration.js';
import type { User } from '../../model/user.js';
import { issueLoginTokens } from '../../oauth/issue-login.js';
import { unsignableReason } from '../../oauth/signing-keys.js';
import { eventInfoOfRequest } from './event-info.js';
import { found, uuidParams } from './schemas.js';
import { requestTenant } from './tenant-scope.js';

interface Params {
  userId?: string;
  applicationId?: string;
}

/**
 * FusionAuth's Registration API. `POST /api/user/registration[/{userId}]` with a `user` member creates the
 * user and the registration together; without one it registers the existing user `{userId}`.
 */
export async function registrationRoutes(app: FastifyInstance): Promise<void> {
  const userParams = uuidParams('userId');
  const bothParams = uuidParams('userId', 'applicationId');
  const userOf = (request: FastifyRequest<{ Params: Params }>) =>
    found(request, request.params.userId ? app.standin.stores.users.get(request.params.userId) : undefined);
  const registrationOf = (request: FastifyRequest<{ Params: Params }>, applicationId: unknown) => {
    const user = userOf(request);
    const registration = typeof applicationId === 'string' ? app.standin.stores.registrations.get(user.id, applicationId) : undefined;
    if (!registration) throw ApiError.notFound();
    return { user, registration };
  };

  /** The tenant of the application a registration names, if it exists. */
  const applicationTenant = (registration: unknown) => {
    const applicationId = isObject(registration) ? registration.applicationId : undefined;
    const application = typeof applicationId === 'string' && isUuid(applicationId) ? app.standin.stores.applications.get(applicationId) : undefined;
    return application ? app.standin.stores.tenants.get(application.tenantId) : undefined;
  };

  /**
   * FusionAuth's RegistrationResponse carries a JWT for the new registration, signed as a Login API token for
   * that application, and a refresh token when `application.loginConfiguration.generateRefreshTokens` is on
   * (Registration API, "Response Body"). An inactive user or application gets none, and so does an application
   * with no signing key in force. Both forms are the Registration API's: `authenticationType` `REGISTRATION`
   * ("The user was created using the Registration API", https://fusionauth.io/docs/reference/authentication-types),
   * not the User API's `USER_CREATE`.
   */
  const registrationTokens = async (user: User, registration: Registration, eventInfo: JsonObject) => {
    const application = app.standin.stores.applications.get(registration.applicationId);
    const tenant = app.standin.stores.tenants.get(user.tenantId);
    // Nothing to sign with (no key named, or the key named is gone): the registration stands, without tokens.
    const signable = application && tenant && unsignableReason(app.standin.stores, tenant, application, false) === undefined;
    if (!application?.active || !tenant || !user.active || !signable) return { user, registration, tokens: {} };
    const issued = await issueLoginTokens(app.standin, {
      user,
      tenant,
      application,
      authenticationType: 'REGISTRATION',
      refreshToken: application.loginConfiguration.generateRefreshTokens,
      // The caller is recorded on the events only: FusionAuth stores this refresh token with no device
      // (docs/management-api.md, "Tokens in the Registration API's answer").
      eventInfo,
    });
    const tokens = {
      ...(issued.refreshToken ? { refreshToken: issued.refreshToken.value, refreshTokenId: issued.refreshToken.id } : {}),
      ...(issued.token ? { token: issued.token, tokenExpirationInstant: issued.tokenExpirationInstant } : {}),
    };
    return { user: issued.user, registration: issued.registration ?? registration, tokens };
  };

  for (const url of ['/user/registration', '/user/registration/:userId']) {
    app.post<{ Params: Params }>(url, { schema: { params: userParams } }, async (request) => {
      const body = requireBody(request.body);
      refuseAuthenticationTokens(body);
      const eventInfo = eventInfoOfRequest(request);
      const userId = request.params.userId;
      if (body.user !== undefined) {
        // Read first: a value FusionAuth cannot parse fails the request before any field is checked.
        const setPassword = asksSetPasswordEmail(body);
        // With several tenants and none named, the application registered to names it: FusionAuth's Android and
        // iOS quickstarts create users this way (see docs/management-api.md).
        const tenant = requestTenant(request, () => applicationTenant(body.registration));
        const { user, registration } = await createUserAndRegistration(
          app.standin,
          tenant.id,
          userId,
          {
            ...body,
            user: newUserInput(tenant, body, body.user),
            registration: newRegistrationInput(app.standin, body, body.registration),
          },
          eventInfo,
        );
        const verification = {
          // Only the set-password email goes out when one is asked for; choosing the password verifies the email.
          ...(setPassword ? {} : afterUserWritten(app.standin, tenant, user, registration.applicationId)),
          ...afterRegistrationWritten(app.standin, user, registration),
        };
        const issued = await registrationTokens(user, registration, eventInfo);
        return { ...issued.tokens, user: userWithRegistrations(app.standin.stores, issued.user), registration: issued.registration, ...verification };
      }
      if (userId === undefined) {
        throw ApiError.general('[missing]user', 'Send a [user] to create with the registration, or the id of an existing user in the path.');
      }
      const registration = await registerUser(app.standin, userOf(request), newRegistrationInput(app.standin, body, body.registration), eventInfo);
      const verification = afterRegistrationWritten(app.standin, userOf(request), registration);
      const issued = await registrationTokens(userOf(request), registration, eventInfo);
      return { ...issued.tokens, registration: issued.registration, ...verification };
    });
  }
  app.get<{ Params: Params }>('/user/registration/:userId/:applicationId', { schema: { params: bothParams } }, async (request) => ({
    registration: registrationOf(request, request.params.applicationId).registration,
  }));
  // FusionAuth takes the application from the path or, in `PUT /api/user/registration/{userId}`, from the body.
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    for (const url of ['/user/registration/:userId', '/user/registration/:userId/:applicationId']) {
      app[method]<{ Params: Params }>(url, { schema: { params: bothParams } }, async (request) => {
        const input = requireMember(request.body, 'registration');
        refuseAuthenticationTokens(request.body);
        const eventInfo = eventInfoOfRequest(request);
        const { user, registration } = registrationOf(request, request.params.applicationId ?? input.applicationId);
        return { registration: await updateRegistration(app.standin, user, registration, input, mode, eventInfo) };
      });
    }
  }
  app.delete<{ Params: Params }>('/user/registration/:userId/:applicationId', { schema: { params: bothParams } }, async (request, reply) => {
    // deleteRegistrationWithRequest sends `{eventInfo}`; without a body the caller's address is recorded.
    const eventInfo = eventInfoOfRequest(request);
    const { user, registration } = registrationOf(request, request.params.applicationId);
    await deleteRegistration(app.standin, user, registration, eventInfo);
    return reply.code(200).send();
  });
}
