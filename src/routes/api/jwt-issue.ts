import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import type { Claims } from '../../keys/jwt-signer.js';
import { jwtConfigurationOf } from '../../oauth/jwt-configuration.js';
import type { RefreshToken } from '../../store/refresh-tokens.js';
import { issueLoginTokens } from '../../oauth/issue-login.js';
import { verifyJwt } from '../../oauth/verify-jwt.js';
import { presentedJwt } from './jwt-auth.js';
import { isVisible } from './tenant-scope.js';
import { hasExpired } from '../../model/user-expiry.js';

interface Query {
  applicationId?: string;
  refreshToken?: string;
}

const querySchema = {
  type: 'object',
  properties: { applicationId: { type: 'string', maxLength: 64 }, refreshToken: { type: 'string', maxLength: 4096 } },
} as const;

/**
 * `GET /api/jwt/issue?applicationId=&refreshToken=` (https://fusionauth.io/docs/apis/jwt): a JWT for another
 * application of the same tenant, in exchange for a live JWT of the user (Bearer or `access_token` cookie).
 * With a refresh token of that user (the `refresh_token` cookie wins over the parameter), also a refresh
 * token for the target application when its `loginConfiguration.generateRefreshTokens` is on, the user is
 * registered, and both applications have the same refresh token expiration policy. The new JWT expires when the
 * one exchanged does, and the new refresh token starts and expires when the one presented does. 200
 * `{token, refreshToken?}`; 202 when the user is not registered; 401 for a bad JWT.
 */
export async function jwtIssueRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Query }>('/jwt/issue', { config: { public: true }, schema: { querystring: querySchema } }, async (request, reply) => {
    const { user, claims } = await jwtUser(request);
    const { applicationId } = request.query;
    const application = applicationId !== undefined && isUuid(applicationId) ? app.standin.stores.applications.get(applicationId) : undefined;
    if (!application?.active || application.tenantId !== user.tenantId) {
      new FieldErrors()
        .add('applicationId', applicationId === undefined ? 'missing' : 'invalid', `Invalid Application Id [${applicationId ?? ''}].`)
        .throwIfAny();
    }
    const refreshValue = request.cookies.refresh_token || request.query.refreshToken;
    const source = refreshValue ? checkRefreshToken(request, refreshValue, user) : undefined;
    const tenant = app.standin.stores.tenants.get(user.tenantId)!;
    const issued = await issueLoginTokens(app.standin, {
      user,
      tenant,
      application: application!,
      authenticationType: 'JWT_SSO',
      refreshToken: source !== undefined && application!.loginConfiguration.generateRefreshTokens && samePolicy(source, application!, tenant),
      // The new JWT expires when the one exchanged does, and the new refresh token when the one presented does.
      from: {
        expiresAt: claims.exp as number,
        ...(typeof claims.auth_time === 'number' ? { authTime: claims.auth_time } : {}),
        ...(source ? { refreshToken: source.token } : {}),
      },
    });
    return reply.code(issued.registration ? 200 : 202).send({
      ...(issued.refreshToken ? { refreshToken: issued.refreshToken.value } : {}),
      token: issued.token,
    });
  });
}

/**
 * The active, unexpired user a live JWT names (`sub`, in the tenant `tid` when present); else an empty 401. A vended JWT
 * is no login to exchange (verifyJwt), and an `X-FusionAuth-TenantId` header must name the user's tenant.
 */
async function jwtUser(request: FastifyRequest): Promise<{ user: User; claims: Claims }> {
  const { standin } = request.server;
  const claims = await verifyJwt(standin, presentedJwt(request));
  const user = typeof claims?.sub === 'string' && isUuid(claims.sub) ? standin.stores.users.get(claims.sub.toLowerCase()) : undefined;
  if (!claims || !user?.active || hasExpired(user, standin.config.now()) || (claims.tid !== undefined && claims.tid !== user.tenantId))
    throw ApiError.unauthorized();
  if (!isVisible(request, user.tenantId)) throw ApiError.unauthorized();
  return { user, claims };
}

/** The refresh token must be a live one of the same user (FusionAuth JWT API, "Issue a JWT"). */
function checkRefreshToken(request: FastifyRequest, value: string, user: User): { token: RefreshToken; application?: Application } {
  const { stores, config } = request.server.standin;
  const found = stores.refreshTokens.lookup(value);
  if (found.found !== 'current' || found.token.userId !== user.id || found.token.expiresAt <= config.now()) {
    new FieldErrors().add('refreshToken', 'invalid', 'The refresh token is expired, was not found, or has been revoked.').throwIfAny();
  }
  const { token } = found as Extract<typeof found, { found: 'current' }>;
  const application = stores.applications.get(token.applicationId);
  return { token, ...(application ? { application } : {}) };
}

/** FusionAuth JWT API, "Issue a JWT": no refresh token when the two applications' expiration policies differ. */
function samePolicy(source: { application?: Application }, target: Application, tenant: Tenant): boolean {
  if (!source.application) return false;
  const policy = (application: Application) => jwtConfigurationOf(application, tenant).refreshTokenExpirationPolicy;
  return policy(source.application) === policy(target);
}
