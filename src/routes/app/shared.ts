import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secureCookies } from '../../cookie-security.js';
import { cookieDomain, type CookieScope } from '../../hosted-backend/cookies.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { TokenResponse } from '../../oauth/token-response.js';
import { requestBaseUrl } from '../../request-base-url.js';
import type { Standin } from '../../standin.js';

export interface AppQuery {
  client_id?: string;
  redirect_uri?: string;
  post_logout_redirect_uri?: string;
  state?: string;
  scope?: string;
  code?: string;
  locale?: string;
  userState?: string;
}

export type AppRequest = FastifyRequest<{ Params: { clientId?: string }; Querystring: AppQuery }>;

/** Both path styles the SDKs and FusionAuth's docs use: `/app/x/{clientId}` and `/app/x/?client_id=`. */
export function paths(name: string): string[] {
  return [`/${name}`, `/${name}/`, `/${name}/:clientId`, `/${name}/:clientId/`];
}

/**
 * The browser's view of Standin: cookies and the callback under the origin it used (a container's name or
 * localhost alike), so the callback it is sent to is one it can reach, with the cookies it holds.
 */
export function browserBase(standin: Standin, request: FastifyRequest): string {
  return requestBaseUrl(request, standin.baseUrl());
}

/** Where the `app.*` token cookies live; Secure by the one rule every Standin cookie follows (cookie-security.ts). */
export async function cookieScope(standin: Standin, request: FastifyRequest): Promise<CookieScope> {
  const domain = await cookieDomain(browserBase(standin, request));
  return { ...(domain === undefined ? {} : { domain }), secure: secureCookies(request) };
}

/** The active application the request names by path or `client_id`, if any. */
export function applicationOf(standin: Standin, request: AppRequest): Application | undefined {
  const clientId = request.params.clientId ?? request.query.client_id;
  const found = isUuid(clientId) ? standin.stores.applications.get(clientId) : undefined;
  return found?.active ? found : undefined;
}

export function refuse(reply: FastifyReply, description: string): FastifyReply {
  return reply.code(400).view('error', { description, error: { error: 'invalid_request', error_description: description } });
}

/** Calls Standin's own token endpoint as the application, which the hosted backend is part of. */
export async function tokenRequest(app: FastifyInstance, client: Application, form: Record<string, string>): Promise<TokenResponse | undefined> {
  const response = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...form, client_id: client.id, client_secret: client.oauthConfiguration.clientSecret }).toString(),
  });
  return response.statusCode === 200 ? response.json<TokenResponse>() : undefined;
}

/** The values of the `app.*` cookies for the tokens just issued. */
export function cookieValues(standin: Standin, tokens: TokenResponse) {
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
