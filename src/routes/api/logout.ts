import { emitEvent } from '../../events/emit.js';
import { refreshTokenRevokeEvent } from '../../events/token-events.js';
import type { FastifyInstance } from 'fastify';
import { isObject } from '../../model/json.js';
import { clearApiTokenCookies } from './token-cookies.js';

interface Query {
  global?: string;
  refreshToken?: string;
}

const querySchema = {
  type: 'object',
  properties: { global: { type: 'string', maxLength: 8 }, refreshToken: { type: 'string', maxLength: 4096 } },
} as const;

/**
 * `POST /api/logout` (https://fusionauth.io/docs/apis/login): no API key. Deletes the `access_token` and
 * `refresh_token` cookies and revokes the refresh token named by `refreshToken` (which wins, as FusionAuth
 * documents), else the cookie's;
 * with `global=true`, every refresh token of that token's owner and their SSO sessions too. TSC `logout`
 * sends both as query parameters with an empty `text/plain` body; a JSON body is read as well. Always an
 * empty 200: an unknown token changes nothing and says nothing.
 */
export async function apiLogoutRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Querystring: Query }>('/logout', { config: { public: true }, schema: { querystring: querySchema } }, async (request, reply) => {
    const body = isObject(request.body) ? request.body : {};
    const global = request.query.global === 'true' || body.global === true;
    const value =
      request.query.refreshToken ||
      (typeof body.refreshToken === 'string' && body.refreshToken !== '' ? body.refreshToken : undefined) ||
      request.cookies.refresh_token;
    if (value) {
      const revoked = app.standin.stores.db
        .transaction(() => {
          const found = app.standin.stores.refreshTokens.lookup(value);
          if (found.found !== 'current') return undefined;
          // Built before the delete, sent after it: a logout is never refused by a webhook (docs/webhooks.md).
          const event = refreshTokenRevokeEvent(app.standin.stores, global ? { userId: found.token.userId } : { token: found.token });
          if (!global) app.standin.stores.refreshTokens.delete(found.token.id);
          else {
            app.standin.stores.refreshTokens.deleteOfUser(found.token.userId);
            app.standin.stores.ssoSessions.deleteOfUser(found.token.userId);
          }
          return event;
        })
        .immediate();
      if (revoked) emitEvent(app.standin, revoked);
    }
    clearApiTokenCookies(request, reply);
    return reply.code(200).send();
  });
}
