import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { requireBody } from '../../manage/request-body.js';
import {
  completeAuthentication,
  completeRegistration,
  parseWorkflow,
  startAuthentication,
  startRegistration,
  type Completion,
} from '../../manage/webauthn-ceremonies.js';
import { isObject, isUuid, shownValue, type JsonObject } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { TRUST_COOKIE } from '../../oauth/two-factor-login.js';
import { permittedApiKey } from './api-key-access.js';
import { answerLogin, type LoginAnswerBody } from './login-answer.js';
import { isVisible } from './tenant-scope.js';

/** FusionAuth's `authenticationType` for a passkey login (docs/webauthn.md, "What Standin could not confirm"). */
const AUTHENTICATION_TYPE = 'WEB_AUTHN';

// Shapes and size bounds; the rules (which member is missing, which error) are checked in code, in FusionAuth's shape.
const id = { type: 'string', maxLength: 64 } as const;
const label = { type: 'string', maxLength: 1024 } as const;
const completion = {
  credential: { type: 'object' },
  origin: { type: 'string', maxLength: 2048 },
  rpId: { type: 'string', maxLength: 256 },
} as const;
const bodyOf = (properties: Record<string, object>) => ({ body: { type: ['object', 'null'], properties } }) as const;
const SCHEMAS = {
  registerStart: bodyOf({ userId: id, displayName: label, name: label, userAgent: { type: 'string', maxLength: 4096 }, workflow: label }),
  registerComplete: bodyOf({ ...completion, userId: id }),
  start: bodyOf({
    applicationId: id,
    userId: id,
    credentialId: id,
    loginId: label,
    loginIdTypes: { type: 'array' },
    state: { type: 'object' },
    workflow: label,
  }),
  login: bodyOf({
    ...completion,
    applicationId: id,
    twoFactorTrustId: { type: 'string', maxLength: 256 },
    noJWT: { type: 'boolean' },
    ipAddress: { type: 'string', maxLength: 64 },
    metaData: { type: 'object' },
  }),
  assert: bodyOf(completion),
};

const text = (body: JsonObject, member: string): string | undefined => (typeof body[member] === 'string' ? body[member] : undefined);

/**
 * The WebAuthn ceremonies of FusionAuth's WebAuthn API (https://fusionauth.io/docs/apis/webauthn): start and complete a
 * registration, start an authentication, complete it as a login (answered as the Login API answers) or as an
 * assertion (answered with the passkey). Starting takes an API key; completing takes none, as FusionAuth documents,
 * but a tenant-bound key or `X-FusionAuth-TenantId` still keeps it to its tenant.
 */
export async function webAuthnCeremonyRoutes(app: FastifyInstance): Promise<void> {
  const visible = (request: FastifyRequest) => (tenantId: string) => isVisible(request, tenantId);

  /** The user a start names by `userId` (or, for authentication, `loginId`), seen from this request. */
  const startUser = (request: FastifyRequest, body: JsonObject, errors: FieldErrors, tenantId?: string): User | undefined => {
    const userId = text(body, 'userId');
    if (userId !== undefined) {
      const user = isUuid(userId) ? app.standin.stores.users.get(userId.toLowerCase()) : undefined;
      if (!user || !isVisible(request, user.tenantId) || (tenantId !== undefined && user.tenantId !== tenantId)) {
        errors.add('userId', 'invalid', `The user [${userId}] does not exist.`);
        return undefined;
      }
      return user;
    }
    const loginId = text(body, 'loginId');
    if (loginId !== undefined && tenantId !== undefined) {
      const user = app.standin.stores.users.byLoginId(tenantId, loginId);
      // Like the Login API, an unknown login id is an empty 404.
      if (!user) throw ApiError.notFound();
      return user;
    }
    errors.add(tenantId === undefined ? 'userId' : 'loginId', 'missing', 'You must specify the [userId] or the [loginId] property.');
    return undefined;
  };

  app.post('/webauthn/register/start', { schema: SCHEMAS.registerStart }, async (request) => {
    const body = requireBody(request.body);
    const errors = new FieldErrors();
    const user = startUser(request, body, errors);
    const displayName = text(body, 'displayName');
    if (!displayName?.trim()) errors.add('displayName', 'blank', 'You must specify the [displayName] property.');
    const workflow = parseWorkflow(errors, body.workflow);
    errors.throwIfAny();
    const name = text(body, 'name');
    const userAgent = text(body, 'userAgent');
    const options = startRegistration(app.standin, app.standin.stores.tenants.get(user!.tenantId)!, user!, {
      displayName: displayName!,
      workflow,
      ...(name ? { name } : {}),
      ...(userAgent ? { userAgent } : {}),
    });
    return { options };
  });

  app.post('/webauthn/register/complete', { config: { public: true }, schema: SCHEMAS.registerComplete }, async (request) => {
    permittedApiKey(request);
    const body = requireBody(request.body);
    const errors = new FieldErrors();
    const userId = text(body, 'userId');
    if (!userId) errors.add('userId', 'missing', 'You must specify the [userId] property.');
    const completion = completionOf(body, errors);
    errors.throwIfAny();
    return { credential: await completeRegistration(app.standin, { ...completion!, userId: userId! }, visible(request)) };
  });

  app.post('/webauthn/start', { schema: SCHEMAS.start }, async (request) => {
    const body = requireBody(request.body);
    const errors = new FieldErrors();
    const applicationId = text(body, 'applicationId');
    const found = applicationId !== undefined && isUuid(applicationId) ? app.standin.stores.applications.get(applicationId.toLowerCase()) : undefined;
    const application = found?.active && isVisible(request, found.tenantId) ? found : undefined;
    if (applicationId === undefined) errors.add('applicationId', 'missing', 'You must specify the [applicationId] property.');
    else if (!application) errors.add('applicationId', 'invalid', `Invalid Application Id [${applicationId}].`);
    const workflow = parseWorkflow(errors, body.workflow, ['bootstrap', 'reauthentication']);
    const user = application ? startUser(request, body, errors, application.tenantId) : undefined;
    const credentialId = text(body, 'credentialId');
    if (credentialId !== undefined && !isUuid(credentialId))
      errors.add('credentialId', 'invalid', `The [credentialId] [${shownValue(credentialId)}] is not a UUID.`);
    errors.throwIfAny();
    const options = startAuthentication(app.standin, app.standin.stores.tenants.get(user!.tenantId)!, user!, {
      workflow,
      applicationId: application!.id,
      ...(credentialId ? { credentialId } : {}),
      ...(isObject(body.state) ? { state: body.state } : {}),
    });
    return { options };
  });

  app.post('/webauthn/assert', { config: { public: true }, schema: SCHEMAS.assert }, async (request) => {
    permittedApiKey(request);
    const errors = new FieldErrors();
    const completion = completionOf(requireBody(request.body), errors);
    errors.throwIfAny();
    const { credential } = await completeAuthentication(app.standin, completion!, visible(request));
    return { credential };
  });

  app.post('/webauthn/login', { config: { public: true }, schema: SCHEMAS.login }, async (request, reply) => {
    permittedApiKey(request);
    const body = requireBody(request.body) as JsonObject & LoginAnswerBody;
    const errors = new FieldErrors();
    const completion = completionOf(body, errors);
    errors.throwIfAny();
    const { credential, pending } = await completeAuthentication(app.standin, completion!, visible(request));
    const user = app.standin.stores.users.get(credential.userId);
    const tenant = app.standin.stores.tenants.get(credential.tenantId);
    if (!user?.active || !tenant) throw ApiError.notFound();
    const applicationId = text(body, 'applicationId') ?? (pending.request.applicationId as string | undefined);
    const found = applicationId !== undefined && isUuid(applicationId) ? app.standin.stores.applications.get(applicationId.toLowerCase()) : undefined;
    if (applicationId !== undefined && (!found?.active || found.tenantId !== tenant.id)) {
      new FieldErrors().add('applicationId', 'invalid', `Invalid Application Id [${applicationId}].`).throwIfAny();
    }
    const extra: JsonObject = isObject(pending.request.state) ? { state: pending.request.state } : {};
    // A user with a second factor answers 242 here too, as the Login API does: the `fusionauth.trust` cookie or
    // `twoFactorTrustId` skips it (https://fusionauth.io/docs/apis/webauthn, "Request Cookies").
    return answerLogin(request, reply, body, {
      user,
      tenant,
      application: found,
      authenticationType: AUTHENTICATION_TYPE,
      refreshAllowed: true,
      extra,
      secondFactor: {
        kind: 'first-factor',
        trustId: request.cookies[TRUST_COOKIE] || text(body, 'twoFactorTrustId'),
        pending: {
          clientKey: found?.id ?? `tenant:${tenant.id}`,
          loginId: user.email ?? user.username ?? user.id,
          authenticationType: AUTHENTICATION_TYPE,
          ...(found ? { applicationId: found.id } : {}),
        },
      },
    });
  });
}

/** The members every completion needs: the browser's `credential` with its `response`, and the `origin` it ran at. */
function completionOf(body: JsonObject, errors: FieldErrors): Completion | undefined {
  const credential = body.credential;
  if (!isObject(credential) || !isObject(credential.response)) {
    errors.add('credential', 'missing', 'You must specify the [credential] property, with its [response].');
  }
  const origin = text(body, 'origin');
  if (!origin) errors.add('origin', 'blank', 'You must specify the [origin] property: the browser origin of the ceremony.');
  if (!isObject(credential) || !origin) return undefined;
  const rpId = text(body, 'rpId');
  return { credential, origin, ...(rpId ? { rpId } : {}) };
}
