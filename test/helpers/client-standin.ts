import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import { startStandin, type RunningStandin, type StandinApp } from '../../src/index.js';
import { createHttpBrowser } from './http-browser.js';
import { pkce } from './login.js';

export const CLIENT_API_KEY = 'client-e2e-api-key-0123456789abcdef';
export const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
/** Confidential (secret Required): every grant, refresh tokens on both the OAuth and the Login API side. */
export const WEB_APP = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
export const WEB_SECRET = 'web-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
/** Public (no secret, PKCE required), Login API without an API key, no Login API refresh tokens. */
export const SPA_APP = 'f0f0f0f0-0000-4000-8000-0000000000f2';
export const CALLBACK = 'http://localhost:3000/callback';
export const RICHARD_ID = '00000000-0000-0000-0000-111111111111';
export const GILFOYLE_ID = '00000000-0000-0000-0000-222222222222';
export const RICHARD = { loginId: 'richard@example.com', password: 'password' };

export interface ClientStandin {
  url: string;
  issuer: string;
  client: FusionAuthClient;
  /** The running app, for tests that reach into its database. */
  app: StandinApp;
  /** What startStandin() returned: the programmatic controls (events(), waitForEmail(), …). */
  running: RunningStandin;
}

/**
 * A listening Standin for FusionAuth-client tests: WEB_APP and SPA_APP, Richard registered to both, Gilfoyle
 * (username `gilfoyle`) registered to none. Closed when the test ends.
 */
export async function startClientStandin(t: Test): Promise<ClientStandin> {
  const application = (id: string, name: string, body: Record<string, unknown>) => ({
    url: `/api/application/${id}`,
    body: { application: { name, roles: [{ name: 'user', isDefault: true }], ...body } },
  });
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: CLIENT_API_KEY }],
      requests: [
        application(WEB_APP, 'Web', {
          oauthConfiguration: {
            authorizedRedirectURLs: [CALLBACK],
            clientSecret: WEB_SECRET,
            enabledGrants: ['authorization_code', 'refresh_token', 'password', 'client_credentials'],
            generateRefreshTokens: true,
          },
          loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true },
        }),
        application(SPA_APP, 'SPA', {
          oauthConfiguration: {
            authorizedRedirectURLs: [CALLBACK],
            clientAuthenticationPolicy: 'NotRequired',
            proofKeyForCodeExchangePolicy: 'Required',
            enabledGrants: ['authorization_code', 'refresh_token'],
            generateRefreshTokens: true,
          },
          loginConfiguration: { requireAuthentication: false },
        }),
        {
          url: `/api/user/registration/${RICHARD_ID}`,
          body: { user: { email: RICHARD.loginId, password: RICHARD.password, firstName: 'Richard' }, registration: { applicationId: WEB_APP } },
        },
        { url: `/api/user/registration/${RICHARD_ID}`, body: { registration: { applicationId: SPA_APP } } },
        { url: `/api/user/${GILFOYLE_ID}`, body: { user: { email: 'gilfoyle@example.com', username: 'gilfoyle', password: 'password' } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  return { url: standin.url, issuer: standin.issuer, client: new FusionAuthClient(CLIENT_API_KEY, standin.url), app: standin.app, running: standin };
}

/** Logs Richard in through the hosted form and returns the authorization code (and the PKCE verifier, if used). */
export async function authorizationCode(
  url: string,
  clientId: string,
  options: { pkce?: boolean; scope?: string } = {},
): Promise<{ code: string; verifier?: string }> {
  const pair = options.pkce ? pkce() : undefined;
  const params = new URLSearchParams({
    client_id: clientId,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: options.scope ?? 'openid offline_access email',
    state: 'state-1',
  });
  if (pair) {
    params.set('code_challenge', pair.challenge);
    params.set('code_challenge_method', 'S256');
  }
  const { location } = await createHttpBrowser().authorize(`${url}/oauth2/authorize?${params}`, RICHARD);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return { code, ...(pair ? { verifier: pair.verifier } : {}) };
}

/** FusionAuth's client rejects non-2xx answers with the ClientResponse itself: its status either way. */
export async function statusOf(call: Promise<{ statusCode: number }>): Promise<number> {
  return call.then(
    (response) => response.statusCode,
    (response: unknown) => (response as { statusCode: number }).statusCode,
  );
}

/** The rejected ClientResponse of a call that must fail, with the parsed JSON error as `exception`. */
export async function failureOf(call: Promise<unknown>): Promise<{ statusCode: number; exception?: any }> {
  try {
    await call;
  } catch (response) {
    return response as { statusCode: number; exception?: any };
  }
  throw new Error('the call succeeded');
}
