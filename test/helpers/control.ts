import type { LightMyRequestResponse } from 'fastify';
import type { StandinApp } from '../../src/app.js';
import { apiHeaders } from './build.js';
import { loginThroughForm } from './login.js';
import { APP, REDIRECT } from './constants.js';
import { exchange } from './oauth-token.js';

/** A control API call with the test API key (or the given headers). */
export function control(
  app: StandinApp,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = apiHeaders(),
): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
}

export interface LoggedIn {
  sso: string;
  accessToken: string;
  refreshToken: string;
  refreshTokenId: string;
}

/**
 * Logs `richard@example.com` into APP of buildTokenApp through the hosted form (an SSO session) and
 * exchanges the code (a JWT and a refresh token).
 */
export async function logIn(app: StandinApp, loginId = 'richard@example.com'): Promise<LoggedIn> {
  const login = await loginThroughForm(
    app,
    { client_id: APP, redirect_uri: REDIRECT, scope: 'openid offline_access', state: 's' },
    { loginId, password: 'password1' },
  );
  const code = new URL(login.location!).searchParams.get('code');
  if (!code || !login.sso) throw new Error(`login failed: ${login.status} ${login.location ?? login.body.slice(0, 200)}`);
  const tokens = await exchange(app, code);
  if (tokens.statusCode !== 200) throw new Error(`exchange failed: ${tokens.body}`);
  const body = tokens.json();
  return { sso: login.sso, accessToken: body.access_token, refreshToken: body.refresh_token, refreshTokenId: body.refresh_token_id };
}
