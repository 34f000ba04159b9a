import type { FastifyInstance } from 'fastify';
import { APP_COOKIES, clearHostedBackendCookies } from '../../hosted-backend/cookies.js';
import { applicationOf, cookieScope, paths, type AppRequest } from './shared.js';

/** `GET /app/logout`: forget the cookies here, then end the SSO session at /oauth2/logout. */
export function logoutRoutes(app: FastifyInstance): void {
  for (const url of paths('logout')) {
    app.get(url, async (request: AppRequest, reply) => {
      clearHostedBackendCookies(reply, await cookieScope(app.standin, request), [
        APP_COOKIES.accessToken,
        APP_COOKIES.refreshToken,
        APP_COOKIES.idToken,
        APP_COOKIES.accessTokenExpiry,
      ]);
      const client = applicationOf(app.standin, request);
      const logout = new URLSearchParams(client ? { client_id: client.id } : {});
      const postLogout = request.query.post_logout_redirect_uri ?? request.query.redirect_uri;
      if (postLogout) logout.set('post_logout_redirect_uri', postLogout);
      return reply.redirect(`/oauth2/logout?${logout}`, 302);
    });
  }
}
