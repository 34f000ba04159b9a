import type { FastifyInstance } from 'fastify';
import type { TokenTarget } from '../../store/token-admin.js';

const id = { type: 'string', minLength: 1, maxLength: 256 } as const;

const targetSchema = {
  body: {
    type: 'object',
    properties: {
      userId: id,
      applicationId: id,
      refreshTokenId: id,
      refreshToken: { type: 'string', minLength: 1, maxLength: 1024 },
      ssoSessionId: id,
    },
  },
} as const;

const listSchema = {
  querystring: { type: 'object', properties: { userId: id, applicationId: id } },
} as const;

/**
 * Login state (store/token-admin.ts): `POST /_standin/revoke` and `/_standin/expire` with a target →
 * `{refreshTokens, ssoSessions, authorizationCodes}` (how many); `GET /_standin/sessions` → `{sessions}`;
 * `GET /_standin/refresh-tokens` → `{refreshTokens}`.
 */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: TokenTarget | undefined }>('/revoke', { schema: targetSchema }, async (request) => app.standin.control.revoke(request.body ?? {}));
  app.post<{ Body: TokenTarget | undefined }>('/expire', { schema: targetSchema }, async (request) => app.standin.control.expire(request.body ?? {}));

  app.get<{ Querystring: { userId?: string } }>('/sessions', { schema: listSchema }, async (request) => ({
    sessions: app.standin.control.sessions(request.query.userId === undefined ? {} : { userId: request.query.userId }),
  }));

  app.get<{ Querystring: { userId?: string; applicationId?: string } }>('/refresh-tokens', { schema: listSchema }, async (request) => {
    const { userId, applicationId } = request.query;
    return {
      refreshTokens: app.standin.control.refreshTokens({
        ...(userId === undefined ? {} : { userId }),
        ...(applicationId === undefined ? {} : { applicationId }),
      }),
    };
  });
}
