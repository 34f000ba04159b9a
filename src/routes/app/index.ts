import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hostedBackendCallback } from '../../hosted-backend/callback-uri.js';
import {
  APP_COOKIES,
  clearHostedBackendCookies,
  clearLoginCookie,
  cookieDomain,
  setHostedBackendTokenCookies,
  setLoginCookie,
  type CookieScope,
} from '../../hosted-backend/cookies.js';
import { finishLogin, startLogin } from '../../hosted-backend/login-state.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import { registrationConfigurationOf } from '../../model/registration-configuration.js';
import { isRegisteredRedirectUri } from '../../oauth/redirect-uri.js';
import { secureCookies } from '../../cookie-security.js';
import { requestBaseUrl } from '../../request-base-url.js';
import type { Standin } from '../../standin.js';

interface AppQuery {
  client_id?: string;
  redirect_uri?: string;
  post_logout_redirect_uri?: string;
  state?: string;
  scope?: string;
  code?: string;
  locale?: string;
  userState?: string;
}

type AppRequest = FastifyRequest<{ Params: { clientId?: string }; Querystring: AppQuery }>;

/** Both path styles the SDKs and FusionAuth's docs use: `/app/x/{clientId}` and `/app/x/?client_id=`. */
function paths(name: string): string[] {
  return [`/${name}`, `/${name}/`, `/${name}/:clientId`, `/${name}/:clientId/`];
}

/**
 * FusionAuth's hosted backend (https://fusionauth.io/docs/apis/hosted-backend): the `/app/*` endpoints FusionAuth's
 * React, Angular and Vue SDKs call, so that a SPA with no backend of its own keeps its tokens in HttpOnly
 * cookies. Each call runs through Standin's own OAuth endpoints, with their rules.
 */
export async function hostedBackendRoutes(app: FastifyInstance): Promise<void> {
  const { standin } = app;
  // The browser's view of Standin: cookies and the callback under the origin it used (a container's name
  // or localhost alike), so the callback it is sent to is one it can reach, with the cookies it holds.
  const base = (request: FastifyRequest) => requestBaseUrl(request, standin.baseUrl());
  // Secure by the one rule every Standin cookie follows (cookie-security.ts).
  const scope = (request: FastifyRequest): CookieScope => {
    const domain = cookieDomain(base(request));
    return { ...(domain === undefined ? {} : { domain }), secure: secureCookies(request) };
  };

  // The SDKs send empty bodies as text/plain or JSON (docs/hosted-backend.md): any body here is ignored.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => {
    done(null, undefined);
  });
  // Every answer here sets or reads token cookies: never cached (RFC 6749 §5.1).
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  // CORS here is the app-wide policy's (src/plugins/cors.ts): the system configuration's origins, and the
  // applications' authorizedOriginURLs with credentials (docs/cors-and-discovery.md).

  const application = (request: AppRequest): Application | undefined => {
    const clientId = request.params.clientId ?? request.query.client_id;
    const found = isUuid(clientId) ? standin.stores.applications.get(clientId) : undefined;
    return found?.active ? found : undefined;
  };
  const refuse = (reply: FastifyReply, description: string) =>
    reply.code(400).view('error', { description, error: { error: 'invalid_request', error_description: description } });

  // Login and register: to /oauth2/authorize (or /oauth2/register) with PKCE S256, coming back to /app/callback.
  for (const name of ['login', 'register']) {
    for (const url of paths(name)) {
      app.get(url, async (request: AppRequest, reply) => {
        const client = application(request);
        if (!client) return refuse(reply, 'Unknown or missing client_id.');
        const redirectUri = request.query.redirect_uri;
        // No open redirect: the caller's redirect_uri must be one of the application's (RFC 9700 §4.11).
        if (!redirectUri || !isRegisteredRedirectUri(client.oauthConfiguration.authorizedRedirectURLs, redirectUri)) {
          return refuse(reply, `Invalid redirect uri ${redirectUri ?? ''}`);
        }
        const { client_id: _clientId, redirect_uri: _redirect, state, scope: requestedScope, ...authParams } = request.query;
        // The login is bound to this browser: the verifier in its cookie, the state keyed by it.
        const started = startLogin({ clientId: client.id, redirectUri, ...(state === undefined ? {} : { state }) });
        setLoginCookie(reply, secureCookies(request), started.verifier);
        const authorize = new URLSearchParams({
          ...stringsOnly(authParams),
          client_id: client.id,
          redirect_uri: hostedBackendCallback(base(request)),
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

  // The callback: only for a login this browser started at /app/login (its cookie, the state bound to it),
  // then trade the code with that login's verifier, set the cookies, and go back to the caller.
  app.get('/callback', async (request: AppRequest, reply) => {
    const verifier = request.cookies[APP_COOKIES.pkceVerifier];
    clearLoginCookie(reply, secureCookies(request));
    const pending = finishLogin(request.query.state, verifier);
    const client = pending && standin.stores.applications.get(pending.clientId);
    // Refused before any exchange: a code is never traded without the verifier of a login started here.
    if (!verifier || !pending || !client || !isRegisteredRedirectUri(client.oauthConfiguration.authorizedRedirectURLs, pending.redirectUri)) {
      return refuse(reply, 'This login was not started in this browser by the hosted backend, or it expired: start again from the application.');
    }
    if (!request.query.code) return refuse(reply, 'The login ended without an authorization code.');
    const tokens = await tokenRequest(app, client, {
      grant_type: 'authorization_code',
      code: request.query.code,
      redirect_uri: hostedBackendCallback(base(request)),
      code_verifier: verifier,
    });
    if (!tokens) return refuse(reply, 'The authorization code could not be exchanged.');
    setHostedBackendTokenCookies(reply, scope(request), cookieValues(standin, tokens));
    const back = new URL(pending.redirectUri);
    for (const [name, value] of Object.entries({ state: pending.state, locale: request.query.locale, userState: request.query.userState })) {
      if (value !== undefined) back.searchParams.append(name, value);
    }
    return reply.redirect(back.href, 302);
  });

  // Refresh: the app.rt cookie for fresh cookies, or 400 when the user must log in again.
  for (const url of paths('refresh')) {
    app.post(url, async (request: AppRequest, reply) => {
      const client = application(request);
      const refreshToken = request.cookies[APP_COOKIES.refreshToken];
      const tokens =
        client && refreshToken ? await tokenRequest(app, client, { grant_type: 'refresh_token', refresh_token: refreshToken }) : undefined;
      if (!tokens)
        return reply.code(400).send({ error: 'invalid_grant', error_description: 'The refresh token is missing or invalid: log in again.' });
      setHostedBackendTokenCookies(reply, scope(request), cookieValues(standin, tokens));
      return reply.code(200).send();
    });
  }

  // Me: the user's claims from userinfo, with the app.at cookie (or a Bearer header).
  for (const url of ['/me', '/me/']) {
    app.get(url, async (request, reply) => {
      const accessToken = request.cookies[APP_COOKIES.accessToken];
      const authorization = request.headers.authorization ?? (accessToken ? `Bearer ${accessToken}` : undefined);
      if (!authorization) return reply.code(401).send({ error: 'invalid_token', error_description: 'Not logged in.' });
      const response = await app.inject({ method: 'GET', url: '/oauth2/userinfo', headers: { authorization } });
      return reply.code(response.statusCode).type('application/json').send(response.body);
    });
  }

  // Logout: forget the cookies here, then end the SSO session at /oauth2/logout.
  for (const url of paths('logout')) {
    app.get(url, async (request: AppRequest, reply) => {
      clearHostedBackendCookies(reply, scope(request), [
        APP_COOKIES.accessToken,
        APP_COOKIES.refreshToken,
        APP_COOKIES.idToken,
        APP_COOKIES.accessTokenExpiry,
      ]);
      const client = application(request);
      const logout = new URLSearchParams(client ? { client_id: client.id } : {});
      const postLogout = request.query.post_logout_redirect_uri ?? request.query.redirect_uri;
      if (postLogout) logout.set('post_logout_redirect_uri', postLogout);
      return reply.redirect(`/oauth2/logout?${logout}`, 302);
    });
  }
}

interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  refresh_token_id?: string;
  id_token?: string;
}

/** Calls Standin's own token endpoint as the application, which the hosted backend is part of. */
async function tokenRequest(app: FastifyInstance, client: Application, form: Record<string, string>): Promise<TokenResponse | undefined> {
  const response = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...form, client_id: client.id, client_secret: client.oauthConfiguration.clientSecret }).toString(),
  });
  return response.statusCode === 200 ? response.json<TokenResponse>() : undefined;
}

function cookieValues(standin: Standin, tokens: TokenResponse) {
  const nowSeconds = Math.floor(standin.config.now() / 1000);
  const refresh = tokens.refresh_token_id ? standin.stores.refreshTokens.get(tokens.refresh_token_id) : undefined;
  return {
    accessToken: tokens.access_token,
    expiresIn: tokens.expires_in,
    expiresAt: nowSeconds + tokens.expires_in,
    ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(refresh ? { refreshTokenMaxAge: Math.max(1, Math.floor((refresh.expiresAt - standin.config.now()) / 1000)) } : {}),
  };
}

function stringsOnly(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
