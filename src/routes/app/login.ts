import type { FastifyInstance } from 'fastify';
import { secureCookies } from '../../cookie-security.js';
import { hostedBackendCallback } from '../../hosted-backend/callback-uri.js';
import { setLoginCookie } from '../../hosted-backend/cookies.js';
import { startLogin } from '../../hosted-backend/login-state.js';
import { registrationConfigurationOf } from '../../model/registration-configuration.js';
import { isApplicationRedirectUri } from '../../oauth/redirect-uri.js';
import { applicationOf, browserBase, paths, refuse, type AppRequest } from './shared.js';

/** `/app/login` and `/app/register`: to /oauth2/authorize (or /oauth2/register) with PKCE S256, coming back to /app/callback. */
export function loginRoutes(app: FastifyInstance): void {
  for (const name of ['login', 'register']) {
    for (const url of paths(name)) {
      app.get(url, async (request: AppRequest, reply) => {
        const client = applicationOf(app.standin, request);
        if (!client) return refuse(reply, 'Unknown or missing client_id.');
        const redirectUri = request.query.redirect_uri;
        // No open redirect: the caller's redirect_uri must be one of the application's (RFC 9700 §4.11).
        if (!redirectUri || !isApplicationRedirectUri(client.oauthConfiguration, redirectUri)) {
          return refuse(reply, `Invalid redirect uri ${redirectUri ?? ''}`);
        }
        const { client_id: _clientId, redirect_uri: _redirect, state, scope: requestedScope, ...authParams } = request.query;
        // The login is bound to this browser: the verifier in its cookie, the state keyed by it.
        const started = startLogin({ clientId: client.id, redirectUri, ...(state === undefined ? {} : { state }) });
        setLoginCookie(reply, secureCookies(request), started.verifier);
        const authorize = new URLSearchParams({
          ...stringsOnly(authParams),
          client_id: client.id,
          redirect_uri: hostedBackendCallback(browserBase(app.standin, request)),
          response_type: 'code',
          scope: requestedScope ?? 'openid offline_access',
          code_challenge: started.challenge,
          code_challenge_method: 'S256',
          state: started.state,
        });
        // Register goes to the registration page, or to the login when the application has none (Hosted Backend API).
        const page = name === 'register' && registrationConfigurationOf(client).enabled ? 'register' : 'authorize';
        return reply.redirect(`/oauth2/${page}?${authorize}`, 302);
      });
    }
  }
}

function stringsOnly(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
