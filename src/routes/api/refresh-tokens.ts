import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { withEvents } from '../../events/emit.js';
import { refreshTokenRevokeEvent, type RevokeScope } from '../../events/token-events.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import { isSsoSessionLive, ssoIdleLimitMs } from '../../model/sso-session-liveness.js';
import { scopesOf } from '../../oauth/claims.js';
import type { User } from '../../model/user.js';
import type { RefreshToken } from '../../store/refresh-tokens.js';
import type { SsoSession } from '../../store/sso-sessions.js';
import { apiKeyOf, jwtUser } from './caller.js';
import { presentedJwt } from './jwt-auth.js';
import { found, uuidParams } from './schemas.js';
import { isVisible } from './tenant-scope.js';

interface Selectors {
  token?: string;
  userId?: string;
  applicationId?: string;
}

const selectorSchema = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 1024 }, userId: { type: 'string' }, applicationId: { type: 'string' } },
} as const;

/**
 * FusionAuth's JWT API for refresh tokens (https://fusionauth.io/docs/apis/jwt), API key required: `GET
 * /api/jwt/refresh?userId=` and `GET /api/jwt/refresh/{tokenId}` to inspect, `DELETE` by `token`, `userId`,
 * `applicationId`, both, or `/{tokenId}` to revoke. The two single-token revocations (`/{tokenId}` and `?token=`)
 * also take the owner's JWT instead of a key ("Revoke a single Refresh Token by Id" / "by value"). A user's SSO session is listed among them without an
 * `applicationId`, and revoking it ends the session, as FusionAuth keeps its SSO session as such a token (Logout and
 * session management). The token value is never shown: Standin keeps only its hash (a documented difference).
 */
export async function refreshTokenRoutes(app: FastifyInstance): Promise<void> {
  // FusionAuth takes `token` as a form body too, to keep it out of URLs and logs (JWT API, "Revoke Refresh Tokens").
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  const liveToken = (token: RefreshToken | undefined) => (token && token.expiresAt > app.standin.config.now() ? token : undefined);
  const liveSession = (session: SsoSession | undefined) =>
    session && isSsoSessionLive(session.lastUsed, ssoIdleLimitMs(app.standin.stores.tenants.get(session.tenantId)), app.standin.config.now())
      ? session
      : undefined;
  const visibleUser = (request: FastifyRequest, userId: string) => found(request, app.standin.stores.users.get(userId));

  app.get<{ Querystring: Selectors }>('/jwt/refresh', { schema: { querystring: selectorSchema } }, async (request) => {
    const { userId } = checked(request.query);
    if (userId === undefined) throw ApiError.general('[missing]userId', 'You must specify the [userId] parameter.');
    const user = visibleUser(request, userId);
    const tokens = app.standin.stores.refreshTokens.ofUser(user.id).filter((token) => liveToken(token));
    const sessions = app.standin.stores.ssoSessions.ofUser(user.id).filter((session) => liveSession(session));
    return { refreshTokens: [...tokens.map(refreshTokenJson), ...sessions.map(ssoSessionJson)] };
  });

  app.get<{ Params: { tokenId: string } }>('/jwt/refresh/:tokenId', { schema: { params: uuidParams('tokenId') } }, async (request) => {
    const id = request.params.tokenId;
    const token = liveToken(app.standin.stores.refreshTokens.get(id));
    if (token && isVisible(request, token.tenantId)) return { refreshToken: refreshTokenJson(token) };
    const session = liveSession(app.standin.stores.ssoSessions.get(id));
    if (session && isVisible(request, session.tenantId)) return { refreshToken: ssoSessionJson(session) };
    throw ApiError.notFound();
  });

  // Public as far as the API-key hook goes: these two routes also take the owner's JWT (revoker below).
  app.delete<{ Querystring: Selectors }>(
    '/jwt/refresh',
    { config: { public: true }, schema: { querystring: selectorSchema } },
    async (request, reply) => {
      const owner = await revoker(request);
      const { token, userId, applicationId } = checked({ ...bodySelectors(request.body), ...definedOnly(request.query) });
      // With a JWT only the by-value revocation is open, and only for the JWT's own token; the by-user and
      // by-application ones stay API-key operations (JWT API, "Revoke Refresh Tokens").
      if (owner !== undefined && token === undefined) throw ApiError.unauthorized();
      // jwt.refresh-token.revoke goes to the webhooks before the delete (docs/webhooks.md).
      const revoke = (scope: RevokeScope, write: () => unknown) =>
        withEvents(
          app.standin,
          [refreshTokenRevokeEvent(app.standin.stores, scope)].filter((event) => event !== undefined),
          write,
        );
      if (token !== undefined) {
        const found = app.standin.stores.refreshTokens.lookup(token);
        const current = found.found === 'current' && isVisible(request, found.token.tenantId) ? found.token : undefined;
        if (owner !== undefined && current?.userId !== owner.id) throw ApiError.unauthorized();
        if (!current) throw ApiError.notFound();
        await revoke({ token: current }, () => app.standin.stores.refreshTokens.delete(current.id));
      } else if (userId !== undefined) {
        const user = visibleUser(request, userId);
        if (applicationId !== undefined) {
          const application = visibleApplication(request, applicationId);
          await revoke({ userId: user.id, applicationId: application }, () =>
            app.standin.stores.refreshTokens.deleteOfUserAndApplication(user.id, application),
          );
        } else {
          // FusionAuth: every refresh token of the user, the SSO one included.
          await revoke({ userId: user.id }, () => {
            app.standin.stores.db
              .transaction(() => {
                app.standin.stores.refreshTokens.deleteOfUser(user.id);
                app.standin.stores.ssoSessions.deleteOfUser(user.id);
              })
              .immediate();
          });
        }
      } else if (applicationId !== undefined) {
        const application = visibleApplication(request, applicationId);
        await revoke({ applicationId: application }, () => app.standin.stores.refreshTokens.deleteOfApplication(application));
      } else {
        throw ApiError.general('[missing]', 'Specify the refresh tokens to revoke: a token, a userId, an applicationId, or a token id in the path.');
      }
      return reply.code(200).send();
    },
  );

  app.delete<{ Params: { tokenId: string } }>(
    '/jwt/refresh/:tokenId',
    { config: { public: true }, schema: { params: uuidParams('tokenId') } },
    async (request, reply) => {
      const owner = await revoker(request);
      const id = request.params.tokenId;
      const stored = app.standin.stores.refreshTokens.get(id);
      const token = stored && isVisible(request, stored.tenantId) ? stored : undefined;
      const session = token ? undefined : app.standin.stores.ssoSessions.get(id);
      const visibleSession = session && isVisible(request, session.tenantId) ? session : undefined;
      if (owner !== undefined && (token ?? visibleSession)?.userId !== owner.id) throw ApiError.unauthorized();
      if (token) {
        await withEvents(
          app.standin,
          [refreshTokenRevokeEvent(app.standin.stores, { token })].filter((event) => event !== undefined),
          () => app.standin.stores.refreshTokens.delete(id),
        );
      } else if (!visibleSession || !app.standin.stores.ssoSessions.delete(id)) throw ApiError.notFound();
      return reply.code(200).send();
    },
  );

  /**
   * Who revokes a single token: undefined for an API key that may call the route (which sees every token of its
   * tenant), else the active user whose live JWT came as `Authorization: Bearer` or the `access_token` cookie, who
   * may revoke only their own tokens (JWT API, "Revoke a single Refresh Token by Id": a JWT's owner must own the token);
   * neither is FusionAuth's empty 401. A token the JWT's user does not own, or that does not exist, is the same
   * 401, so a JWT cannot probe for other users' tokens (docs/hardening-tokens.md).
   */
  async function revoker(request: FastifyRequest): Promise<User | undefined> {
    if (apiKeyOf(request)) return undefined;
    const jwt = presentedJwt(request);
    if (jwt === undefined) throw ApiError.unauthorized();
    return jwtUser(request, jwt);
  }

  function visibleApplication(request: FastifyRequest, applicationId: string): string {
    return found(request, app.standin.stores.applications.get(applicationId)).id;
  }
}

/** The selectors of a JSON body (TSC `revokeRefreshTokensWithRequest`) or a form body. */
function bodySelectors(body: unknown): Selectors {
  if (!isObject(body)) return {};
  const pick = (name: keyof Selectors) => (typeof body[name] === 'string' && body[name] !== '' ? { [name]: body[name] } : {});
  return { ...pick('token'), ...pick('userId'), ...pick('applicationId') };
}

function definedOnly(query: Selectors): Selectors {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''));
}

/** Ids must be UUIDs (FusionAuth cannot bind anything else); they are stored lower-case. */
function checked(selectors: Selectors): Selectors {
  const errors = new FieldErrors();
  for (const field of ['userId', 'applicationId'] as const) {
    const value = selectors[field];
    if (value !== undefined && !isUuid(value)) errors.add(field, 'invalid', `The [${field}] parameter must be a UUID.`);
  }
  errors.throwIfAny();
  return {
    ...(selectors.token === undefined ? {} : { token: selectors.token }),
    ...(selectors.userId === undefined ? {} : { userId: selectors.userId }),
    ...(selectors.applicationId === undefined ? {} : { applicationId: selectors.applicationId }),
  };
}

/** A refresh token as FusionAuth's JWT API shows one (JSONEX refresh-tokens-get-response.json), minus `token`. */
function refreshTokenJson(token: RefreshToken): JsonObject {
  const device = isObject(token.metaData.device) ? token.metaData.device : {};
  return {
    applicationId: token.applicationId,
    id: token.id,
    insertInstant: token.insertInstant,
    metaData: { ...token.metaData, device, scopes: [...scopesOf(token.scope)] },
    startInstant: token.startInstant,
    tenantId: token.tenantId,
    userId: token.userId,
  };
}

/** An SSO session in the same shape: FusionAuth's SSO refresh token, which has no applicationId. */
function ssoSessionJson(session: SsoSession): JsonObject {
  return {
    id: session.id,
    insertInstant: session.authTime,
    metaData: { device: { lastAccessedInstant: session.lastUsed }, scopes: [] },
    startInstant: session.authTime,
    tenantId: session.tenantId,
    userId: session.userId,
  };
}
