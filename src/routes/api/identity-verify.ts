import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import {
  completeVerification,
  findVerification,
  grantStrategy,
  markEmailVerified,
  resendEmailVerification,
  startEmailVerification,
  strategyOf,
} from '../../manage/email-verification.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import type { VerificationGrant, VerificationStrategy } from '../../store/verification-ids.js';
import { isVisible, requestTenant } from './tenant-scope.js';

const STRATEGIES: readonly string[] = ['ClickableLink', 'FormField'];
const EXISTING_USER_STRATEGIES: readonly string[] = ['mustExist', 'mustNotExist'];

const startBody = {
  type: 'object',
  properties: {
    loginId: { type: 'string', maxLength: 320 },
    loginIdType: { type: 'string', maxLength: 64 },
    applicationId: { type: 'string', maxLength: 64 },
    verificationStrategy: { type: 'string', maxLength: 64 },
    existingUserStrategy: { type: 'string', maxLength: 64 },
    state: { type: 'object' },
  },
} as const;
const idBody = {
  type: 'object',
  properties: { verificationId: { type: 'string', maxLength: 512 }, oneTimeCode: { type: 'string', maxLength: 256 } },
} as const;
const verifyBody = {
  type: 'object',
  properties: { loginId: { type: 'string', maxLength: 320 }, loginIdType: { type: 'string', maxLength: 64 } },
} as const;

/**
 * FusionAuth's Identity Verify API (https://fusionauth.io/docs/apis/identity-verify) for email identities, on the
 * machinery of the Verify Email API (docs/email-verification.md): Start makes the verification id and one-time code
 * (answering the code under `FormField`), Send emails them through the tenant's verification template, Complete
 * verifies with the id (and the code under `FormField`) and hands back the start's `state`, and Verify marks an
 * identity verified administratively. Every call takes an API key. Phone identities need SMS, which Standin never
 * sends (docs/messengers.md): they answer `[NotModelled]`.
 */
export async function identityVerifyRoutes(app: FastifyInstance): Promise<void> {
  app.post('/identity/verify/start', { schema: { body: startBody } }, async (request) => {
    const body = bodyOf(request);
    refuseUnparsableEnum(body.verificationStrategy, STRATEGIES, 'VerificationStrategy');
    refuseUnparsableEnum(body.existingUserStrategy, EXISTING_USER_STRATEGIES, 'ExistingUserStrategy');
    const errors = new FieldErrors();
    if (body.applicationId !== undefined && !isUuid(body.applicationId)) {
      errors.add('applicationId', 'invalid', `The [applicationId] property [${body.applicationId as string}] does not name an application.`);
    }
    const loginId = emailIdentity(body, errors);
    const application =
      typeof body.applicationId === 'string' && isUuid(body.applicationId)
        ? app.standin.stores.applications.get(body.applicationId.toLowerCase())
        : undefined;
    // An application of another tenant than the request's (API key or header) is not there for it.
    if (typeof body.applicationId === 'string' && isUuid(body.applicationId) && (!application || !isVisible(request, application.tenantId))) {
      errors.add('applicationId', 'invalid', `The [applicationId] property [${body.applicationId}] does not name an application.`);
    }
    errors.throwIfAny();
    if (body.existingUserStrategy === 'mustNotExist') {
      // Pre-verifying an address before its user exists needs the User API to take `verificationIds`.
      throw ApiError.general(
        '[NotModelled]',
        'Standin does not model [existingUserStrategy] mustNotExist (verifying an identity before its user is created); see docs/email-verification.md.',
      );
    }
    const tenant = application ? (app.standin.stores.tenants.get(application.tenantId) ?? requestTenant(request)) : requestTenant(request);
    const user = userOf(tenant, loginId!);
    const strategy = (body.verificationStrategy as VerificationStrategy | undefined) ?? strategyOf(tenant, undefined);
    const started = startEmailVerification(app.standin, user, tenant, application, false, {
      strategy,
      state: isObject(body.state) ? body.state : undefined,
      templateApplicationId: application?.id,
    });
    // The code is answered only under the form-field strategy: a link needs the id alone.
    return strategy === 'FormField' ? started : { verificationId: started.verificationId };
  });

  app.post('/identity/verify/send', { schema: { body: idBody } }, async (request, reply) => {
    const body = bodyOf(request);
    const verificationId = requiredVerificationId(body);
    const grant = liveGrant(request, verificationId, undefined);
    if (!resendEmailVerification(app.standin, verificationId, grant)) throw ApiError.notFound();
    return reply.code(200).send();
  });

  app.post('/identity/verify/complete', { schema: { body: idBody } }, async (request) => {
    const body = bodyOf(request);
    const verificationId = requiredVerificationId(body);
    const oneTimeCode = typeof body.oneTimeCode === 'string' && body.oneTimeCode !== '' ? body.oneTimeCode : undefined;
    const grant = liveGrant(request, verificationId, oneTimeCode);
    const tenant = app.standin.stores.tenants.get(app.standin.stores.users.get(grant.userId)!.tenantId);
    // Under the form-field strategy the id alone is not enough: the user types the code.
    if (tenant && oneTimeCode === undefined && grantStrategy(app.standin, 'email', grant, tenant) === 'FormField') {
      new FieldErrors().add('oneTimeCode', 'blank', 'You must specify the [oneTimeCode] property.').throwIfAny();
    }
    if (!completeVerification(app.standin, 'email', grant)) throw ApiError.notFound();
    return grant.state === undefined ? {} : { state: grant.state };
  });

  app.post('/identity/verify', { schema: { body: verifyBody } }, async (request, reply) => {
    const body = bodyOf(request);
    const errors = new FieldErrors();
    const loginId = emailIdentity(body, errors);
    errors.throwIfAny();
    const user = userOf(requestTenant(request), loginId!);
    markEmailVerified(app.standin, user, app.standin.config.now());
    return reply.code(200).send();
  });

  /** The user whose email `loginId` is, in the request's tenant; FusionAuth's empty 404 when there is none. */
  function userOf(tenant: Tenant, loginId: string): User {
    const user = app.standin.stores.users.byEmail(tenant.id, loginId);
    if (!user) throw ApiError.notFound();
    return user;
  }

  /** The live email verification of this id (and code), visible to the request; else FusionAuth's empty 404. */
  function liveGrant(request: FastifyRequest, verificationId: string, oneTimeCode: string | undefined): VerificationGrant {
    const grant = findVerification(app.standin, 'email', { verificationId, oneTimeCode });
    const user = grant ? app.standin.stores.users.get(grant.userId) : undefined;
    if (!grant || !user || !isVisible(request, user.tenantId)) throw ApiError.notFound();
    return grant;
  }
}

function bodyOf(request: FastifyRequest): JsonObject {
  return isObject(request.body) ? request.body : {};
}

function requiredVerificationId(body: JsonObject): string {
  const { verificationId } = body;
  if (typeof verificationId !== 'string' || verificationId === '') {
    new FieldErrors().add('verificationId', 'blank', 'You must specify the [verificationId] property.').throwIfAny();
  }
  return verificationId as string;
}

/**
 * `loginId` and `loginIdType` of an email identity, the errors of missing ones added to `errors`. A phone identity is
 * refused at once: verifying it would mean sending an SMS, which Standin never does (docs/messengers.md).
 */
function emailIdentity(body: JsonObject, errors: FieldErrors): string | undefined {
  const { loginId, loginIdType } = body;
  if (loginIdType === 'phoneNumber') {
    throw ApiError.general(
      '[NotModelled]',
      'Standin does not model phone number identities: verifying one would send an SMS, and Standin sends none; see docs/messengers.md.',
    );
  }
  if (typeof loginId !== 'string' || loginId === '') errors.add('loginId', 'blank', 'You must specify the [loginId] property.');
  if (typeof loginIdType !== 'string' || loginIdType === '') {
    errors.add('loginIdType', 'blank', 'You must specify the [loginIdType] property.');
  } else if (loginIdType !== 'email') {
    errors.add('loginIdType', 'invalid', `The [loginIdType] property [${loginIdType}] is not valid. It must be [email] or [phoneNumber].`);
  }
  return typeof loginId === 'string' && loginId !== '' ? loginId : undefined;
}

/** An enum value FusionAuth's JSON binding does not know fails the parse, before any validation: `[invalidJSON]`. */
function refuseUnparsableEnum(value: unknown, allowed: readonly string[], enumName: string): void {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
  throw ApiError.general(
    '[invalidJSON]',
    `Unable to parse JSON. The value [${JSON.stringify(value)}] is not one of the values of ${enumName}: ${allowed.join(', ')}.`,
  );
}
