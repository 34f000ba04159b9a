import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import type { Application } from '../../model/application.js';
import { isUuid, type JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { requireSignableLoginOf } from '../../oauth/signing-keys.js';
import { refusalWhileSaturated, type Refusal } from '../../oauth/login-counts.js';
import { guardedLogin } from '../../oauth/login-guard.js';
import { decideOnce, secondFactorOf } from '../../oauth/mfa-requirement.js';
import { TRUST_COOKIE } from '../../oauth/two-factor-login.js';
import { busyAnswerHold } from '../../passwords/busy-answer-hold.js';
import { permittedApiKey } from './api-key-access.js';
import { refuseExpiredUser } from './expired-user.js';
import { refusePreventedLogin } from './login-prevented.js';
import { isVisible, requestTenant } from './tenant-scope.js';
import { twoFactorLoginRoutes } from './two-factor-login.js';
import { answerLogin } from './login-answer.js';
import { loginRefusal } from './login-refusal.js';

export interface LoginBody {
  loginId?: string;
  password?: string;
  oneTimePassword?: string;
  applicationId?: string;
  noJWT?: boolean;
  ipAddress?: string;
  metaData?: JsonObject;
  twoFactorTrustId?: string;
}

const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      loginId: { type: 'string', maxLength: 1024 },
      // argon2's work grows with the input: a bound well above any real password (user passwords stop at 256).
      password: { type: 'string', maxLength: 1024 },
      oneTimePassword: { type: 'string', maxLength: 1024 },
      applicationId: { type: 'string', maxLength: 64 },
      noJWT: { type: 'boolean' },
      ipAddress: { type: 'string', maxLength: 64 },
      metaData: { type: 'object' },
      twoFactorTrustId: { type: 'string', maxLength: 256 },
    },
  },
} as const;

/**
 * Sent, not thrown: under a flood this answer is most answers, and an Error's stack trace and the error handler
 * would be most of its cost.
 */
function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  const { statusCode, retryAfter, body } = loginRefusal(refusal);
  return reply.code(statusCode).header('retry-after', retryAfter).send(body);
}

/**
 * `POST /api/login` (https://fusionauth.io/docs/apis/login). 200 with the JWT, the refresh token (with an application
 * the user is registered to, under `loginConfiguration.generateRefreshTokens`) and the user; 202 when the user is not
 * registered to the application; an empty 404 for an unknown login id and a wrong password alike, after the same
 * password check (docs/hardening.md, "Enumeration"); an empty 410 for an expired user with the right password; an
 * empty 423 once the login id has failed too often, and 429 with Retry-After once the client address has
 * (docs/hardening.md; see oauth/login-guard.ts); 503 with Retry-After while argon2 is saturated. Sets the `access_token` and `refresh_token` cookies. Creates no SSO session, as
 * FusionAuth's Login API does not (FusionAuth GitHub issue
 * https://github.com/FusionAuth/fusionauth-issues/issues/558).
 */
export async function loginRoutes(app: FastifyInstance): Promise<void> {
  // `POST /api/two-factor/login` ends a login the way this route does (docs/two-factor.md).
  await app.register(twoFactorLoginRoutes, {
    answerLogin: (request, reply, body, who, extra, authenticationType, refreshAllowed) =>
      answerLogin(request, reply, body, { ...who, authenticationType, refreshAllowed, extra, secondFactor: { kind: 'second-factor-given' } }),
  });
  // Before the body is parsed: while argon2 is saturated, the answer a password login would get, after the hold
  // every such refusal gets (passwords/busy-answer-hold.ts).
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const refusal = refusalWhileSaturated(app.standin, request.ip);
    if (!refusal) return;
    await busyAnswerHold();
    return refuse(reply, refusal);
  };
  app.post<{ Body: LoginBody | null | undefined }>('/login', { config: { public: true }, schema, onRequest }, async (request, reply) => {
    const body = request.body ?? {};
    if (body.oneTimePassword !== undefined && body.loginId === undefined && body.password === undefined) {
      return oneTimePasswordLogin(request, reply, body, body.oneTimePassword);
    }
    const { application, tenant } = loginContext(request, body.applicationId);
    const errors = new FieldErrors();
    if (!body.loginId) errors.add('loginId', 'blank', 'You must specify the [loginId] property.');
    if (!body.password) errors.add('password', 'blank', 'You must specify the [password] property.');
    errors.throwIfAny();
    const loginId = body.loginId!;

    const clientKey = application?.id ?? `tenant:${tenant.id}`;
    // The trust cookie wins over the body's twoFactorTrustId (https://fusionauth.io/docs/apis/login, "Request Cookies").
    const trustId = request.cookies[TRUST_COOKIE] || body.twoFactorTrustId;
    const challenge = decideOnce((user: User) => secondFactorOf(app.standin, { user, tenant, trustId, ...(application ? { application } : {}) }));
    const check = await guardedLogin(app.standin, {
      ip: request.ip,
      clientKey,
      tenantId: tenant.id,
      loginId,
      password: body.password!,
      secondFactorFollows: async (user) => (await challenge(user)) !== undefined,
    });
    if (!check.ok) {
      if (!('refusal' in check)) throw ApiError.notFound();
      // FusionAuth: 423 for a locked user, with no body (https://fusionauth.io/docs/apis/login).
      if (check.refusal.kind === 'lockout') return reply.code(423).send();
      return refuse(reply, check.refusal);
    }
    refuseExpiredUser(app.standin, check.user);
    refusePreventedLogin(app.standin, check.user);
    return answerLogin(request, reply, body, {
      user: check.user,
      tenant,
      application,
      authenticationType: 'PASSWORD',
      refreshAllowed: true,
      // The guard asked already; the same decision, so that the MFA requirement lambda runs once.
      secondFactor: {
        kind: 'first-factor',
        trustId,
        decided: challenge,
        pending: { clientKey, loginId, ...(application ? { applicationId: application.id } : {}) },
      },
    });
  });

  /**
   * FusionAuth's Login API with a `oneTimePassword` (from the Change Password API) in place of loginId and
   * password: it logs its user in once, then is gone; unknown, used or expired, it is an empty 404 like a wrong
   * password. The login gets a refresh token only when the password change was made holding one.
   */
  async function oneTimePasswordLogin(request: FastifyRequest, reply: FastifyReply, body: LoginBody, value: string): Promise<FastifyReply> {
    const holder = app.standin.stores.oneTimePasswords.holder(value, app.standin.config.now());
    const owner = holder === undefined ? undefined : app.standin.stores.users.get(holder);
    // With no application named, the tenant of the password's user decides whether an API key is needed.
    const { application } = loginContext(request, body.applicationId, owner ? app.standin.stores.tenants.get(owner.tenantId) : undefined);
    // A login in the wrong tenant or application finds nothing, and leaves the password for the right one.
    if (!owner || !isVisible(request, owner.tenantId) || (application && application.tenantId !== owner.tenantId)) throw ApiError.notFound();
    // A login no key can sign is refused before the one-time password is used up.
    if (body.noJWT !== true) requireSignableLoginOf(app.standin.stores, owner.id, application?.id);
    const grant = app.standin.stores.oneTimePasswords.take(value, app.standin.config.now());
    const user = grant ? app.standin.stores.users.get(grant.userId) : undefined;
    const tenant = user ? app.standin.stores.tenants.get(user.tenantId) : undefined;
    if (!grant || grant.userId !== owner.id || !user || !tenant) throw ApiError.notFound();
    refuseExpiredUser(app.standin, user);
    refusePreventedLogin(app.standin, user);
    // A user with a second factor answers 242 here too: an emailed changePasswordId alone can change the password
    // this login follows, and it must not stand in for the second factor (docs/two-factor.md).
    return answerLogin(request, reply, body, {
      user,
      tenant,
      application,
      authenticationType: 'ONE_TIME_PASSWORD',
      refreshAllowed: grant.refreshAllowed,
      secondFactor: {
        kind: 'first-factor',
        trustId: request.cookies[TRUST_COOKIE] || body.twoFactorTrustId,
        pending: {
          clientKey: application?.id ?? `tenant:${tenant.id}`,
          loginId: user.email ?? user.username ?? user.id,
          authenticationType: 'ONE_TIME_PASSWORD',
          refreshAllowed: grant.refreshAllowed,
          ...(application ? { applicationId: application.id } : {}),
        },
      },
    });
  }
}

/**
 * The application and tenant of a login, and the API key check: required when the application's (with no
 * application, the tenant's) `loginConfiguration.requireAuthentication` is on (FusionAuth Login API). An
 * unknown application is judged by the tenant's setting, so it cannot be used to skip the key. `impliedTenant`
 * stands in when no application is named and the request names no tenant among several.
 */
function loginContext(
  request: FastifyRequest,
  applicationId: string | undefined,
  impliedTenant?: Tenant,
): { application?: Application; tenant: Tenant } {
  const { stores } = request.server.standin;
  const apiKey = permittedApiKey(request);
  const found = applicationId !== undefined && isUuid(applicationId) ? stores.applications.get(applicationId) : undefined;
  const application = found?.active && isVisible(request, found.tenantId) ? found : undefined;
  const tenant = application ? stores.tenants.get(application.tenantId) : (soleOrNamedTenant(request) ?? impliedTenant);
  const required = application ? application.loginConfiguration.requireAuthentication : (tenant?.loginConfiguration.requireAuthentication ?? true);
  if (required && !apiKey) throw ApiError.unauthorized();
  if (applicationId !== undefined && !application) {
    new FieldErrors().add('applicationId', 'invalid', `Invalid Application Id [${applicationId}].`).throwIfAny();
  }
  return { ...(application ? { application } : {}), tenant: tenant ?? requestTenant(request) };
}

function soleOrNamedTenant(request: FastifyRequest): Tenant | undefined {
  try {
    return requestTenant(request);
  } catch {
    return undefined;
  }
}
