import type { FastifyInstance } from 'fastify';
import { secureCookies } from '../../cookie-security.js';
import { hostedBackendCallback } from '../../hosted-backend/callback-uri.js';
import { APP_COOKIES, clearLoginCookie, setHostedBackendTokenCookies } from '../../hosted-backend/cookies.js';
import { finishLogin } from '../../hosted-backend/login-state.js';
import { isApplicationRedirectUri } from '../../oauth/redirect-uri.js';
import { withQueryParams } from '../../oauth/with-query-params.js';
import { browserBase, cookieScope, cookieValues, refuse, tokenRequest, type AppRequest } from './shared.js';

/**
 * `/app/callback`: only for a login this browser started at /app/login (its cookie, the state bound to it),
 * then trade the code with that login's verifier, set the cookies, and go back to the caller.
 */
export function callbackRoute(app: FastifyInstance): void {
  app.get('/callback', async (request: AppRequest, reply) => {
    const verifier = request.cookies[APP_COOKIES.pkceVerifier];
    clearLoginCookie(reply, secureCookies(request));
    const pending = finishLogin(request.query.state, verifier);
    const client = pending && app.standin.stores.applications.get(pending.clientId);
    // Refused before any exchange: a code is never traded without the verifier of a login started here.
    if (!verifier || !pending || !client || !isApplicationRedirectUri(client.oauthConfiguration, pending.redirectUri)) {
      return refuse(reply, 'This login was not started in this browser by the hosted backend, or it expired: start again from the application.');
    }
    if (!request.query.code) return refuse(reply, 'The login ended without an authorization code.');
    const tokens = await tokenRequest(app, client, {
      grant_type: 'authorization_code',
      code: request.query.code,
      redirect_uri: hostedBackendCallback(browserBase(app.standin, request)),
      code_verifier: verifier,
    });
    if (!tokens) return refuse(reply, 'The authorization code could not be exchanged.');
    setHostedBackendTokenCookies(reply, await cookieScope(app.standin, request), cookieValues(app.standin, tokens));
    const back = Object.entries({ state: pending.state, locale: request.query.locale, userState: request.query.userState }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    );
    return reply.redirect(withQueryParams(pending.redirectUri, back), 302);
  });
}
