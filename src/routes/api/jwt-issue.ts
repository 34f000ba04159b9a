import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { issueLoginTokens } from '../../oauth/issue-login.js';
import { verifyJwt } from '../../oauth/verify-jwt.js';
import { presentedJwt } from './jwt-auth.js';
import { isVisible } from './tenant-scope.js';

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
 * token for the target application when its `loginConfiguration.generateRefreshTokens` is on and the user is
 * registered. 200 `{token, refreshToken?}`; 202 when the user is not registered; 401 for a bad JWT.
 */
export async function jwtIssueRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Query }>('/jwt/issue', { config: { public: true }, schema: { querystring: querySchema } }, async (request, reply) => {
    const user = await jwtUser(request);
    const { applicationId } = request.query;
    const application = applicationId !== undefined && isUuid(applicationId) ? app.standin.stores.applications.get(applicationId) : undefined;
    if (!application?.active || application.tenantId !== user.tenantId) {
      new FieldErrors()
        .add('applicationId', applicationId === undefined ? 'missing' : 'invalid', `Invalid Application Id [${applicationId ?? ''}].`)
        .throwIfAny();
    }
    const refreshValue = request.cookies.refresh_token || request.query.refreshToken;
    if (refreshValue) checkRefreshToken(request, refreshValue, user);
    const issued = await issueLoginTokens(app.standin, {
      user,
      tenant: app.standin.stores.tenants.get(user.tenantId)!,
      application: application!,
      authenticationType: 'JWT_SSO',
      refreshToken: refreshValue !== undefined && application!.loginConfiguration.generateRefreshTokens,
    });
    return reply.code(issued.registration ? 200 : 202).send({
      ...(issued.refreshToken ? { refreshToken: issued.refreshToken.value } : {}),
      token: issued.token,
    });
  });
}

/**
 * The active user a live JWT names (`sub`, in the tenant `tid` when present); else an empty 401. A vended JWT
 * is no login to exchange (verifyJwt), and an `X-FusionAuth-TenantId` header must name the user's tenant.
 */
async function jwtUser(request: FastifyRequest): Promise<User> {
  const { standin } = request.server;
  const claims = await verifyJwt(standin, presentedJwt(request));
  const user = typeof claims?.sub === 'string' && isUuid(claims.sub) ? standin.stores.users.get(claims.sub.toLowerCase()) : undefined;
  if (!claims || !user?.active || (claims.tid !== undefined && claims.tid !== user.tenantId)) throw ApiError.unauthorized();
  if (!isVisible(request, user.tenantId)) throw ApiError.unauthorized();
  return user;
}

/** The refresh token must be a live one of the same user (FusionAuth JWT API, "Issue a JWT"). */
function checkRefreshToken(request: FastifyRequest, value: string, user: User): void {
  const { stores, config } = request.server.standin;
  const found = stores.refreshTokens.lookup(value);
  if (found.found !== 'current' || found.token.userId !== user.id || found.token.expiresAt <= config.now()) {
    new FieldErrors().add('refreshToken', 'invalid', 'The refresh token is expired, was not found, or has been revoked.').throwIfAny();
  }
}
