import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { passwordlessEnabled, sendPasswordless, startPasswordless, takePasswordless } from '../../manage/passwordless.js';
import { verificationAnswer } from '../../manage/email-verification.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import { requireSignableLoginOf } from '../../oauth/signing-keys.js';
import { TRUST_COOKIE } from '../../oauth/two-factor-login.js';
import { answerLogin } from './login-answer.js';
import { apiKeyOf } from './caller.js';
import { userByLoginId } from './login-id.js';
import { isVisible } from './tenant-scope.js';
import { refuseExpiredUser } from './expired-user.js';
import { refusePreventedLogin } from './login-prevented.js';

const text = { type: 'string', maxLength: 1024 } as const;
const startSchema = {
  body: {
    type: ['object', 'null'],
    properties: {
      applicationId: { type: 'string', maxLength: 64 },
      loginId: text,
      loginIdTypes: {},
      state: { type: 'object' },
      loginStrategy: { type: 'string', maxLength: 32 },
    },
  },
} as const;
const sendSchema = { body: { type: ['object', 'null'], properties: { code: text } } } as const;
const loginSchema = {
  body: {
    type: ['object', 'null'],
    properties: {
      code: text,
      applicationId: { type: 'string', maxLength: 64 },
      ipAddress: { type: 'string', maxLength: 64 },
      metaData: { type: 'object' },
      noJWT: { type: 'boolean' },
      twoFactorTrustId: { type: 'string', maxLength: 256 },
    },
  },
} as const;

interface StartBody {
  applicationId?: string;
  loginId?: string;
  loginIdTypes?: unknown;
  state?: JsonObject;
  loginStrategy?: string;
}
interface LoginBody {
  code?: string;
  applicationId?: string;
  ipAddress?: string;
  metaData?: JsonObject;
  noJWT?: boolean;
  twoFactorTrustId?: string;
}

/**
 * FusionAuth's Passwordless API (https://fusionauth.io/docs/apis/passwordless): `start` (API key) answers
 * `{code}`, `send` emails it, `login` exchanges it once for the Login API's answer, with the start's `state`.
 */
export async function passwordlessRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: StartBody | null }>('/passwordless/start', { config: { public: true }, schema: startSchema }, async (request) => {
    if (!apiKeyOf(request)) throw ApiError.unauthorized();
    const body = request.body ?? {};
    const errors = new FieldErrors();
    if (!body.applicationId) errors.add('applicationId', 'blank', 'You must specify the [applicationId] property.');
    if (!body.loginId) errors.add('loginId', 'blank', 'You must specify the [loginId] property.');
    if (body.loginStrategy !== undefined && body.loginStrategy !== 'ClickableLink') {
      errors.add('loginStrategy', 'invalid', 'Standin models the ClickableLink strategy only; see docs/forgot-password-and-passwordless.md.');
    }
    const found = body.applicationId && isUuid(body.applicationId) ? app.standin.stores.applications.get(body.applicationId) : undefined;
    const application = found?.active && isVisible(request, found.tenantId) ? found : undefined;
    if (body.applicationId && !application) errors.add('applicationId', 'invalid', `Invalid Application Id [${body.applicationId}].`);
    errors.throwIfAny();
    if (!passwordlessEnabled(application!))
      throw ApiError.general('[PasswordlessDisabled]', 'Passwordless login is not enabled for this application (passwordlessConfiguration.enabled).');
    const user = userByLoginId(app.standin.stores, application!.tenantId, body.loginId!, body.loginIdTypes);
    if (!user) throw ApiError.notFound();
    return { code: startPasswordless(app.standin, user, application!, isObject(body.state) ? body.state : undefined) };
  });

  app.post<{ Body: { code?: string } | null }>('/passwordless/send', { config: { public: true }, schema: sendSchema }, async (request, reply) => {
    const code = request.body?.code;
    if (!code) new FieldErrors().add('code', 'blank', 'You must specify the [code] property.').throwIfAny();
    sendPasswordless(app.standin, code!);
    return reply.code(200).send();
  });

  app.post<{ Body: LoginBody | null }>('/passwordless/login', { config: { public: true }, schema: loginSchema }, async (request, reply) => {
    const body = request.body ?? {};
    if (!body.code) new FieldErrors().add('code', 'blank', 'You must specify the [code] property.').throwIfAny();
    // A login no key can sign is refused before the code is used up.
    const peeked = app.standin.stores.passwordlessCodes.find(body.code!, app.standin.config.now());
    const peekedUser = peeked && app.standin.stores.users.get(peeked.userId);
    if (peekedUser && body.noJWT !== true && isVisible(request, peekedUser.tenantId)) {
      requireSignableLoginOf(app.standin.stores, peekedUser.id, peeked.applicationId);
    }
    const taken = takePasswordless(app.standin, body.code!);
    // FusionAuth: an unknown, used or expired code is a 404, as a wrong password is on the Login API.
    if (!taken || !isVisible(request, taken.user.tenantId)) throw ApiError.notFound();
    const { grant, user, application } = taken;
    refuseExpiredUser(app.standin, user);
    refusePreventedLogin(app.standin, user);
    const tenant = app.standin.stores.tenants.get(user.tenantId)!;
    // As the Login API: 212/213 for an unverified email or registration, and no token when that gates.
    const verification = verificationAnswer(app.standin, user, tenant, application);
    if (verification.gated)
      return reply
        .code(verification.status!)
        .send({ ...(grant.state ? { state: grant.state } : {}), user: userWithRegistrations(app.standin.stores, user) });
    // A user with a second factor answers 242 here too, finished at /api/two-factor/login (docs/two-factor.md).
    // The trust cookie wins over the body's twoFactorTrustId (https://fusionauth.io/docs/apis/passwordless).
    return answerLogin(request, reply, body, {
      user,
      tenant,
      application,
      authenticationType: 'PASSWORDLESS',
      refreshAllowed: true,
      ...(grant.state ? { extra: { state: grant.state } } : {}),
      secondFactor: {
        kind: 'first-factor',
        trustId: request.cookies[TRUST_COOKIE] || body.twoFactorTrustId,
        pending: {
          applicationId: application.id,
          clientKey: application.id,
          loginId: user.email ?? user.username ?? user.id,
          authenticationType: 'PASSWORDLESS',
        },
      },
    });
  });
}
