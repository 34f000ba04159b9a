import type { FastifyInstance } from 'fastify';
import { APP_COOKIES } from '../../hosted-backend/cookies.js';

/** `GET /app/me`: the user's claims from userinfo, with the app.at cookie (or a Bearer header). */
export function meRoutes(app: FastifyInstance): void {
  for (const url of ['/me', '/me/']) {
    app.get(url, async (request, reply) => {
      const accessToken = request.cookies[APP_COOKIES.accessToken];
      const authorization = request.headers.authorization ?? (accessToken ? `Bearer ${accessToken}` : undefined);
      if (!authorization) return reply.code(401).send({ error: 'invalid_token', error_description: 'Not logged in.' });
      const response = await app.inject({ method: 'GET', url: '/oauth2/userinfo', headers: { authorization } });
      return reply.code(response.statusCode).type('application/json').send(response.body);
    });
  }
}
