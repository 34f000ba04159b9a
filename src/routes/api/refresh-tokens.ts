import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { withEvents } from '../../events/emit.js';
import { refreshTokenRevokeEvent, type RevokeScope } from '../../events/token-events.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import { isSsoSessionLive, ssoIdleLimitMs } from '../../model/sso-session-liveness.js';
import { scopesOf } from '../../oauth/claims.js';
import type { RefreshToken } from '../../store/refresh-tokens.js';
import type { SsoSession } from '../../store/sso-sessions.js';
import { uuidParams } from './schemas.js';
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
 * `applicationId`, both, or `/{tokenId}` to revoke. A user's SSO session is listed among them without an
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
  const visibleUser = (request: FastifyRequest, userId: string) => {
    const user = app.standin.stores.users.get(userId);
    if (!user || !isVisible(request, user.tenantId)) throw ApiError.notFound();
    return user;
  };

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

  app.delete<{ Querystring: Selectors }>('/jwt/refresh', { schema: { querystring: selectorSchema } }, async (request, reply) => {
    const { token, userId, applicationId } = checked({ ...bodySelectors(request.body), ...definedOnly(request.query) });
    // jwt.refresh-token.revoke goes to the webhooks before the delete (docs/webhooks.md).
    const revoke = (scope: RevokeScope, write: () => unknown) =>
      withEvents(
        app.standin,
        [refreshTokenRevokeEvent(app.standin.stores, scope)].filter((event) => event !== undefined),
        write,
      );
    if (token !== undefined) {
      const found = app.standin.stores.refreshTokens.lookup(token);
      if (found.found !== 'current' || !isVisible(request, found.token.tenantId)) throw ApiError.notFound();
      await revoke({ token: found.token }, () => app.standin.stores.refreshTokens.delete(found.token.id));
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
  });

  app.delete<{ Params: { tokenId: string } }>('/jwt/refresh/:tokenId', { schema: { params: uuidParams('tokenId') } }, async (request, reply) => {
    const id = request.params.tokenId;
    const token = app.standin.stores.refreshTokens.get(id);
    if (token && isVisible(request, token.tenantId)) {
      await withEvents(
        app.standin,
        [refreshTokenRevokeEvent(app.standin.stores, { token })].filter((event) => event !== undefined),
        () => app.standin.stores.refreshTokens.delete(id),
      );
    } else if (!deleteVisibleSession(request, id)) throw ApiError.notFound();
    return reply.code(200).send();
  });

  function visibleApplication(request: FastifyRequest, applicationId: string): string {
    const application = app.standin.stores.applications.get(applicationId);
    if (!application || !isVisible(request, application.tenantId)) throw ApiError.notFound();
    return application.id;
  }

  function deleteVisibleSession(request: FastifyRequest, id: string): boolean {
    const session = app.standin.stores.ssoSessions.get(id);
    return session !== undefined && isVisible(request, session.tenantId) && app.standin.stores.ssoSessions.delete(id);
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
