import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import {
  completeVerification,
  findVerification,
  grantStrategy,
  markEmailVerified,
  startEmailVerification,
  startRegistrationVerification,
} from '../../manage/email-verification.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { VerificationKind } from '../../store/verification-ids.js';
import { apiKeyOf } from './caller.js';
import { found } from './schemas.js';
import { isVisible, requestTenant } from './tenant-scope.js';

interface ResendQuery {
  email?: string;
  applicationId?: string;
  sendVerifyEmail?: boolean;
  sendVerifyPasswordEmail?: boolean;
}

const resendQuery = {
  type: 'object',
  properties: {
    email: { type: 'string', maxLength: 320 },
    applicationId: { type: 'string', maxLength: 64 },
    sendVerifyEmail: { type: 'boolean' },
    // The Verify Registration API's name for the same switch (FusionAuth's OpenAPI description).
    sendVerifyPasswordEmail: { type: 'boolean' },
  },
} as const;
const verifyBody = {
  type: 'object',
  properties: {
    verificationId: { type: 'string', maxLength: 512 },
    oneTimeCode: { type: 'string', maxLength: 256 },
    userId: { type: 'string', maxLength: 64 },
  },
} as const;
const idParams = {
  type: 'object',
  properties: { verificationId: { type: 'string', minLength: 1, maxLength: 512 } },
  required: ['verificationId'],
} as const;

/**
 * FusionAuth's Verify Email and Verify Registration APIs (https://fusionauth.io/docs/apis/users/verify-email,
 * https://fusionauth.io/docs/apis/users/resend-verification, https://fusionauth.io/docs/apis/registrations):
 * `PUT` starts (again) and emails a verification, `POST` completes one by `verificationId`, by `oneTimeCode`
 * (the form-field strategy), or, with an API key, by `userId` alone. The ids are secrets: single use, stored
 * hashed, expiring on Standin's clock (docs/email-verification.md).
 */
export async function verifyEmailRoutes(app: FastifyInstance): Promise<void> {
  for (const kind of ['email', 'registration'] as const) {
    const path = kind === 'email' ? '/user/verify-email' : '/user/verify-registration';

    app.put<{ Querystring: ResendQuery }>(path, { config: { public: true }, schema: { querystring: resendQuery } }, async (request, reply) => {
      const withApiKey = apiKeyOf(request);
      if (request.headers.authorization && !withApiKey) throw ApiError.unauthorized();
      const { email, applicationId } = request.query;
      const errors = new FieldErrors();
      if (email === undefined || email === '') errors.add('email', 'blank', 'You must specify the [email] parameter.');
      if (kind === 'registration' && (applicationId === undefined || applicationId === ''))
        errors.add('applicationId', 'blank', 'You must specify the [applicationId] parameter.');
      errors.throwIfAny();
      const application =
        applicationId === undefined
          ? undefined
          : isUuid(applicationId)
            ? app.standin.stores.applications.get(applicationId.toLowerCase())
            : undefined;
      // An application of another tenant than the request's (API key or header) is not there for it.
      if (applicationId !== undefined && (!application || !isVisible(request, application.tenantId))) {
        new FieldErrors()
          .add('applicationId', 'invalid', `The [applicationId] parameter [${applicationId}] does not name an application.`)
          .throwIfAny();
      }
      const tenant = application ? (app.standin.stores.tenants.get(application.tenantId) ?? requestTenant(request)) : requestTenant(request);
      const user = app.standin.stores.users.byEmail(tenant.id, email!);
      if (!user) throw ApiError.notFound();
      // Only a caller with an API key may skip the email (and so learn the id).
      const send = !withApiKey || (kind === 'email' ? request.query.sendVerifyEmail : request.query.sendVerifyPasswordEmail) !== false;
      let started;
      if (kind === 'email') {
        started = startEmailVerification(app.standin, user, tenant, application, send);
      } else {
        if (!app.standin.stores.registrations.get(user.id, application!.id)) throw ApiError.notFound();
        started = startRegistrationVerification(app.standin, user, tenant, application!, send);
      }
      if (!withApiKey) return reply.code(200).send();
      return { verificationId: started.verificationId, oneTimeCode: started.oneTimeCode };
    });

    app.post(path, { config: { public: true }, schema: { body: verifyBody } }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      verify(request, kind, body, undefined);
      return reply.code(200).send();
    });
    // The deprecated form with the id in the path; an id in the body wins (FusionAuth's Verify Email API).
    app.post<{ Params: { verificationId: string } }>(
      `${path}/:verificationId`,
      { config: { public: true }, schema: { params: idParams } },
      async (request, reply) => {
        const body = isObject(request.body) ? request.body : {};
        verify(request, kind, body, request.params.verificationId);
        return reply.code(200).send();
      },
    );
  }

  function verify(request: FastifyRequest, kind: VerificationKind, body: JsonObject, fromPath: string | undefined): void {
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const verificationId = text(body.verificationId) ?? fromPath;
    const oneTimeCode = text(body.oneTimeCode);
    const userId = text(body.userId);
    if (kind === 'email' && userId !== undefined && verificationId === undefined && oneTimeCode === undefined) {
      // The administrative form: an API key marks the user's email verified.
      if (!apiKeyOf(request)) throw ApiError.unauthorized();
      const user = found(request, isUuid(userId) ? app.standin.stores.users.get(userId.toLowerCase()) : undefined);
      markEmailVerified(app.standin, user, app.standin.config.now());
      return;
    }
    if (verificationId === undefined && (oneTimeCode === undefined || userId === undefined)) {
      new FieldErrors().add('verificationId', 'blank', 'You must specify the [verificationId] property.').throwIfAny();
    }
    const grant = findVerification(app.standin, kind, { verificationId, oneTimeCode, userId });
    if (!grant) throw ApiError.notFound();
    const user = app.standin.stores.users.get(grant.userId);
    if (user && !isVisible(request, user.tenantId)) throw ApiError.notFound();
    const tenant: Tenant | undefined = user ? app.standin.stores.tenants.get(user.tenantId) : undefined;
    // Under the form-field strategy the id alone is not enough: the user types the code from the email.
    if (tenant && oneTimeCode === undefined && grantStrategy(app.standin, kind, grant, tenant) === 'FormField') {
      new FieldErrors().add('oneTimeCode', 'blank', 'You must specify the [oneTimeCode] property.').throwIfAny();
    }
    if (!completeVerification(app.standin, kind, grant)) throw ApiError.notFound();
  }
}
