import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import type { StandinApp } from '../../src/app.js';
import type { ConfigInput } from '../../src/config.js';
import { apiHeaders, buildEmptyApp, testKickstart } from './build.js';
import { ALICE_ID, BOB_ID, LOGIN_APP, LOGIN_SECRET, PASSWORD, PLAIN_APP, PUBLIC_APP } from './constants.js';

/**
 * A Standin for Login API tests: LOGIN_APP (refresh tokens on, API key required, password and client
 * credentials grants), PUBLIC_APP (no API key required, no refresh tokens), PLAIN_APP (neither grant).
 * ALICE_ID (username `alice`) is registered to LOGIN_APP and PUBLIC_APP with role `user`; BOB_ID to none.
 */
export async function buildLoginApiApp(
  t: Test,
  options: { now?: () => number; oauth?: Record<string, unknown>; config?: ConfigInput } = {},
): Promise<StandinApp> {
  const application = (id: string, name: string, extra: Record<string, unknown>, oauth: Record<string, unknown> = {}) => ({
    url: `/api/application/${id}`,
    body: {
      application: {
        name,
        roles: [{ name: 'user', isDefault: true }],
        oauthConfiguration: { authorizedRedirectURLs: ['https://app.example.com/callback'], clientSecret: `${LOGIN_SECRET}-${name}`, ...oauth },
        ...extra,
      },
    },
  });
  return buildEmptyApp(t, {
    ...options.config,
    ...(options.now ? { now: options.now } : {}),
    kickstart: testKickstart([
      application(
        LOGIN_APP,
        'login',
        { loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true } },
        {
          clientSecret: LOGIN_SECRET,
          enabledGrants: ['password', 'refresh_token', 'client_credentials'],
          generateRefreshTokens: true,
          ...options.oauth,
        },
      ),
      application(PUBLIC_APP, 'public', { loginConfiguration: { requireAuthentication: false } }),
      application(PLAIN_APP, 'plain', {}, { enabledGrants: ['authorization_code'] }),
      {
        url: `/api/user/registration/${ALICE_ID}`,
        body: { user: { email: 'alice@example.com', username: 'alice', password: PASSWORD }, registration: { applicationId: LOGIN_APP } },
      },
      { url: `/api/user/registration/${ALICE_ID}`, body: { registration: { applicationId: PUBLIC_APP } } },
      { url: `/api/user/${BOB_ID}`, body: { user: { email: 'bob@example.com', password: PASSWORD } } },
    ]),
  });
}

/** `POST /api/login` with the test API key unless `headers` says otherwise. */
export function login(
  app: StandinApp,
  body: Record<string, unknown>,
  headers: Record<string, string> = apiHeaders(),
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/login',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

export function cookieOf(response: LightMyRequestResponse, name: string) {
  return response.cookies.find((cookie) => cookie.name === name);
}
