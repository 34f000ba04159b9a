import type { FastifyInstance } from 'fastify';
import { APP_COOKIES, setHostedBackendTokenCookies } from '../../hosted-backend/cookies.js';
import { applicationOf, cookieScope, cookieValues, paths, tokenRequest, type AppRequest } from './shared.js';

/** `POST /app/refresh`: the app.rt cookie for fresh cookies, or 400 when the user must log in again. */
export function refreshRoutes(app: FastifyInstance): void {
  for (const url of paths('refresh')) {
    app.post(url, async (request: AppRequest, reply) => {
      const client = applicationOf(app.standin, request);
      const refreshToken = request.cookies[APP_COOKIES.refreshToken];
      const tokens =
        client && refreshToken ? await tokenRequest(app, client, { grant_type: 'refresh_token', refresh_token: refreshToken }) : undefined;
      if (!tokens)
        return reply.code(400).send({ error: 'invalid_grant', error_description: 'The refresh token is missing or invalid: log in again.' });
      setHostedBackendTokenCookies(reply, await cookieScope(app.standin, request), cookieValues(app.standin, tokens));
      return reply.code(200).send();
    });
  }
}
