import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import { startStandin, type RunningStandin, type StandinApp } from '../../src/index.js';
import type { KickstartRequest } from '../../src/kickstart/types.js';
import { createHttpBrowser } from './http-browser.js';
import { CALLBACK, CLIENT_API_KEY, CLIENT_TENANT_ID, GILFOYLE_ID, RICHARD_ID, RICHARD_LOGIN, SPA_APP, WEB_APP, WEB_SECRET } from './constants.js';
import { pkce } from './login.js';

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
 * (username `gilfoyle`) registered to none. `more` adds API keys and requests after those (a second tenant must come
 * last: the requests before it name no tenant). Closed when the test ends.
 */
export async function startClientStandin(
  t: Test,
  more: { apiKeys?: { key: string; tenantId?: string }[]; requests?: KickstartRequest[] } = {},
): Promise<ClientStandin> {
  const application = (id: string, name: string, body: Record<string, unknown>) => ({
    url: `/api/application/${id}`,
    body: { application: { name, roles: [{ name: 'user', isDefault: true }], ...body } },
  });
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: CLIENT_TENANT_ID },
      apiKeys: [{ key: CLIENT_API_KEY }, ...(more.apiKeys ?? [])],
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
          body: {
            user: { email: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, firstName: 'Richard' },
            registration: { applicationId: WEB_APP },
          },
        },
        { url: `/api/user/registration/${RICHARD_ID}`, body: { registration: { applicationId: SPA_APP } } },
        { url: `/api/user/${GILFOYLE_ID}`, body: { user: { email: 'gilfoyle@example.com', username: 'gilfoyle', password: 'password' } } },
        ...(more.requests ?? []),
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
  const { location } = await createHttpBrowser().authorize(`${url}/oauth2/authorize?${params}`, RICHARD_LOGIN);
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

/**
 * A listening Standin on fast hashing and a silent log whose kickstart is one API key, the default tenant's
 * id pinned, and `requests`: the set-up of the e2e files that build their own project. Closed when the test ends.
 */
export async function startTenantStandin(
  t: Test,
  project: { apiKey: string; tenantId: string; requests: KickstartRequest[] },
): Promise<RunningStandin> {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: { variables: { defaultTenantId: project.tenantId }, apiKeys: [{ key: project.apiKey }], requests: project.requests },
  });
  t.teardown(() => standin.close());
  return standin;
}

/**
 * A listening Standin holding nothing but two API keys: `globalKey`, and `boundKey` bound to its default tenant
 * `tenantId`; for the APIs whose tests are about the answers and who may call them, not about users. Closed when
 * the test ends.
 */
export async function startTwoKeyStandin(t: Test, keys: { globalKey: string; boundKey: string; tenantId: string }): Promise<RunningStandin> {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: keys.tenantId },
      apiKeys: [{ key: keys.globalKey }, { key: keys.boundKey, tenantId: keys.tenantId }],
    },
  });
  t.teardown(() => standin.close());
  return standin;
}
