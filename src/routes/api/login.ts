import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { userWithRegistrations } from '../../manage/users.js';
import type { Application } from '../../model/application.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import { issueLoginTokens } from '../../oauth/issue-login.js';
import { guardedLogin } from '../../oauth/login-guard.js';
import { isVisible, requestTenant } from './tenant-scope.js';
import { setTokenCookies } from './token-cookies.js';

interface Body {
  loginId?: string;
  password?: string;
  applicationId?: string;
  noJWT?: boolean;
  ipAddress?: string;
  metaData?: JsonObject;
}

const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      loginId: { type: 'string', maxLength: 1024 },
      // argon2's work grows with the input: a bound well above any real password (user passwords stop at 256).
      password: { type: 'string', maxLength: 1024 },
      applicationId: { type: 'string', maxLength: 64 },
      noJWT: { type: 'boolean' },
      ipAddress: { type: 'string', maxLength: 64 },
      metaData: { type: 'object' },
    },
  },
} as const;

/**
 * `POST /api/login` (FusionAuth Login API, reference §5.3). 200 with the JWT, the refresh token (with an
 * application the user is registered to, under `loginConfiguration.generateRefreshTokens`) and the user;
 * 202 when the user is not registered to the application; an empty 404 for an unknown login id and a wrong
 * password alike, after the same password check (security checklist K3); an empty 423 once the login id has
 * failed too often, and 429 with Retry-After once the client address has (checklist K1; see
 * oauth/login-guard.ts); 503 with Retry-After while argon2 is saturated (checklist R13). Sets the `access_token` and `refresh_token`
 * cookies. Creates no SSO session, as FusionAuth's Login API does not (FusionAuth issue 558).
 */
export async function loginRoutes(app: FastifyInstance): Promise<void> {
  const { standin } = app;
  app.post<{ Body: Body | null | undefined }>('/login', { config: { public: true }, schema }, async (request, reply) => {
    const body = request.body ?? {};
    const { application, tenant } = loginContext(request, body.applicationId);
    const errors = new FieldErrors();
    if (!body.loginId) errors.add('loginId', 'blank', 'You must specify the [loginId] property.');
    if (!body.password) errors.add('password', 'blank', 'You must specify the [password] property.');
    errors.throwIfAny();
    const loginId = body.loginId!;

    const now = standin.config.now();
    const clientKey = application?.id ?? `tenant:${tenant.id}`;
    const check = await guardedLogin(standin, { ip: request.ip, clientKey, tenantId: tenant.id, loginId, password: body.password! });
    if (!check.ok) {
      if (!('refusal' in check)) throw ApiError.notFound();
      const { kind, retryAfterSeconds } = check.refusal;
      // FusionAuth: 423 for a locked user, with no body (reference §5.3).
      if (kind === 'lockout') return reply.code(423).send();
      reply.header('retry-after', String(retryAfterSeconds));
      if (kind === 'busy') throw ApiError.general('[ServiceUnavailable]', 'Standin is busy checking other passwords; try again shortly.', 503);
      throw ApiError.general('[TooManyRequests]', `Too many failed logins from this address; try again in ${retryAfterSeconds} seconds.`, 429);
    }

    const issued = await issueLoginTokens(standin, {
      user: check.user,
      tenant,
      ...(application ? { application } : {}),
      authenticationType: 'PASSWORD',
      noJWT: body.noJWT === true,
      refreshToken: application?.loginConfiguration.generateRefreshTokens === true,
      ...(isObject(body.metaData?.device) ? { device: body.metaData.device } : {}),
      ...(body.ipAddress === undefined ? {} : { ipAddress: body.ipAddress }),
    });
    const { token, tokenExpirationInstant, refreshToken } = issued;
    setTokenCookies(request, reply, { ...(token ? { token } : {}), ...(refreshToken ? { refreshToken: { ...refreshToken, now } } : {}) });
    return reply.code(application && !issued.registration ? 202 : 200).send({
      ...(refreshToken ? { refreshToken: refreshToken.value, refreshTokenId: refreshToken.id } : {}),
      ...(token ? { token, tokenExpirationInstant } : {}),
      user: userWithRegistrations(standin.stores, issued.user),
    });
  });
}

/**
 * The application and tenant of a login, and the API key check: required when the application's (with no
 * application, the tenant's) `loginConfiguration.requireAuthentication` is on (FusionAuth Login API). An
 * unknown application is judged by the tenant's setting, so it cannot be used to skip the key.
 */
function loginContext(request: FastifyRequest, applicationId: string | undefined): { application?: Application; tenant: Tenant } {
  const { stores } = request.server.standin;
  const header = request.headers.authorization;
  const apiKey = header ? stores.apiKeys.find(header) : undefined;
  if (apiKey) request.apiKey = apiKey;
  const found = applicationId !== undefined && isUuid(applicationId) ? stores.applications.get(applicationId) : undefined;
  const application = found?.active && isVisible(request, found.tenantId) ? found : undefined;
  const tenant = application ? stores.tenants.get(application.tenantId) : soleOrNamedTenant(request);
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
