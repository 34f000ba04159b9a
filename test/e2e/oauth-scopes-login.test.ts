import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import t from 'tap';
import { startTenantStandin } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';

// Custom OAuth scopes end to end (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/scopes): an
// application with the custom scope `api:read`, logins through openid-client under each unknownScopePolicy,
// the `scope` of the token response and of the tokens, and refreshes that narrow it.
const API_KEY = 'oauth-scopes-login-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c6000000-0000-4000-8000-000000000001';
const SECRET = 'oauth-scopes-login-secret-0123456789abcdef';
const CALLBACK = 'http://localhost:3000/callback';
const USER = { loginId: 'richard@example.com', password: 'password' };
const USER_ID = '00000000-0000-0000-0000-111111111111';
type Policy = 'Allow' | 'Remove' | 'Reject';

t.test('custom scopes and unknownScopePolicy through openid-client', async (t) => {
  const standin = await startTenantStandin(t, {
    apiKey: API_KEY,
    tenantId: TENANT,
    requests: [
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'API client',
            oauthConfiguration: {
              authorizedRedirectURLs: [CALLBACK],
              clientSecret: SECRET,
              enabledGrants: ['authorization_code', 'refresh_token', 'password'],
              generateRefreshTokens: true,
            },
          },
        },
      },
      { url: `api/application/${APP}/scope`, body: { scope: { name: 'api:read', description: 'Read the API' } } },
      {
        url: `/api/user/registration/${USER_ID}`,
        body: { user: { email: USER.loginId, password: USER.password }, registration: { applicationId: APP } },
      },
    ],
  });
  const fusionauth = new FusionAuthClient(API_KEY, standin.url);
  const config = await client.discovery(new URL(standin.url), APP, SECRET, undefined, { execute: [client.allowInsecureRequests] });
  const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));

  const setPolicy = async (oauthConfiguration: Record<string, unknown>) => {
    const response = await fusionauth.patchApplication(APP, { application: { oauthConfiguration } });
    if (response.statusCode !== 200) throw new Error(`PATCH answered ${response.statusCode}`);
  };
  /** The browser logs in on the hosted page; the redirect back to the client, as openid-client sees it. */
  const authorize = async (scope: string) => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope,
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { location, showedForm } = await createHttpBrowser().authorize(url.href, USER);
    return { callback: new URL(location), verifier, state, showedForm };
  };
  const login = async (scope: string) => {
    const { callback, verifier, state } = await authorize(scope);
    return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
  };
  const accessScope = async (accessToken: string) => (await jwtVerify(accessToken, jwks, { issuer: standin.issuer, audience: APP })).payload.scope;
  const ASKED = 'openid offline_access api:read nonsense';
  /** The error a call that must fail fails with (openid-client's AuthorizationResponseError or ResponseBodyError). */
  const failure = (call: Promise<unknown>) =>
    call.then(
      () => {
        throw new Error('the call succeeded');
      },
      (error: unknown) => error,
    );

  t.test('Reject (the default): an unknown scope sends the browser back with invalid_scope before any login', async (t) => {
    const { oauthConfiguration } = (await fusionauth.retrieveApplication(APP)).response.application!;
    t.equal(oauthConfiguration!.unknownScopePolicy, 'Reject', 'an application created without the member gets Reject');
    const { callback, verifier, state, showedForm } = await authorize(ASKED);
    t.notOk(showedForm, 'no login form');
    t.equal(callback.origin + callback.pathname, CALLBACK);
    t.equal(callback.searchParams.get('error_reason'), 'unknown_scope');
    t.equal(callback.searchParams.get('iss'), standin.issuer, 'the error response names the issuer (RFC 9207)');
    t.match(callback.searchParams.get('error_description'), /nonsense/);
    t.notMatch(callback.searchParams.get('error_description'), /api:read/, 'only the unknown scope is named');
    t.match(
      await failure(client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state })),
      { error: 'invalid_scope' },
      'openid-client reads the error response',
    );
  });

  t.test('Reject: known scopes, the custom one included, reach the token response and both tokens', async (t) => {
    const tokens = await login('openid offline_access api:read');
    t.equal(tokens.scope, 'openid offline_access api:read');
    t.equal(await accessScope(tokens.access_token), 'openid offline_access api:read');
    t.equal(tokens.claims()!.scope, 'openid offline_access api:read', 'the id token carries it too');
  });

  t.test('Remove: the unknown scope is dropped and the login goes on', async (t) => {
    await setPolicy({ unknownScopePolicy: 'Remove' });
    const tokens = await login(ASKED);
    t.equal(tokens.scope, 'openid offline_access api:read');
    t.equal(await accessScope(tokens.access_token), 'openid offline_access api:read');
  });

  t.test('Allow: the unknown scope is kept and written to the tokens', async (t) => {
    await setPolicy({ unknownScopePolicy: 'Allow' });
    const tokens = await login(ASKED);
    t.equal(tokens.scope, ASKED);
    t.equal(await accessScope(tokens.access_token), ASKED);

    t.test('a refresh may ask for a subset, and gets exactly it; the refresh token keeps the whole scope', async (t) => {
      const narrow = await client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid api:read' });
      t.equal(narrow.scope, 'openid api:read');
      t.equal(await accessScope(narrow.access_token), 'openid api:read');
      const whole = await client.refreshTokenGrant(config, tokens.refresh_token!);
      t.equal(whole.scope, ASKED, 'without scope= the original scope');
      t.match(
        await failure(client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid api:write' })),
        { error: 'invalid_scope', status: 400 },
        'never more than was granted',
      );
    });

    t.test('once the application Rejects, a refresh token holding an unknown scope is revoked when used', async (t) => {
      await setPolicy({ unknownScopePolicy: 'Reject' });
      t.match(await failure(client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid api:read' })), {
        error: 'invalid_scope',
        cause: { error_reason: 'unknown_scope' },
      });
      t.match(
        await failure(client.refreshTokenGrant(config, tokens.refresh_token!)),
        { error: 'invalid_grant', cause: { error_reason: 'refresh_token_not_found' } },
        'and is gone',
      );
    });
  });

  t.test('a required scope is granted when asked for and never added when not (first-party: no consent)', async (t) => {
    await setPolicy({ unknownScopePolicy: 'Reject' });
    await fusionauth.createOAuthScope(APP, undefined as never, { scope: { name: 'api:admin', required: true } });
    t.equal((await login('openid api:read')).scope, 'openid api:read');
    t.equal((await login('openid api:admin')).scope, 'openid api:admin');
  });

  t.test('a disabled provided scope is unknown: Reject refuses it, Remove drops it', async (t) => {
    await setPolicy({ unknownScopePolicy: 'Reject', providedScopePolicy: { email: { enabled: false } } });
    const refused = await authorize('openid email');
    t.equal(refused.callback.searchParams.get('error'), 'invalid_scope');
    t.equal(refused.callback.searchParams.get('error_reason'), 'unknown_scope');
    await setPolicy({ unknownScopePolicy: 'Remove' });
    const tokens = await login('openid email profile');
    t.equal(tokens.scope, 'openid profile');
    t.notOk('email' in tokens.claims()!, 'no email claim without the email scope');
    await setPolicy({ providedScopePolicy: { email: { enabled: true } } });
    t.equal((await login('openid email')).scope, 'openid email', 'enabled again');
  });

  t.test('the password grant follows the same policy', async (t) => {
    const asked = 'openid api:read nonsense';
    for (const [policy, expected] of [
      ['Allow', asked],
      ['Remove', 'openid api:read'],
    ] as [Policy, string][]) {
      await setPolicy({ unknownScopePolicy: policy });
      const response = await fusionauth.exchangeUserCredentialsForAccessToken(USER.loginId, USER.password, APP, SECRET, asked, undefined as never);
      t.equal(response.response.scope, expected, policy);
      t.equal(await accessScope(response.response.access_token!), expected);
    }
    await setPolicy({ unknownScopePolicy: 'Reject' });
    const refused = await fusionauth
      .exchangeUserCredentialsForAccessToken(USER.loginId, USER.password, APP, SECRET, asked, undefined as never)
      .catch((error: unknown) => error as { statusCode: number; exception: unknown });
    t.match(refused, { statusCode: 400, exception: { error: 'invalid_scope', error_reason: 'unknown_scope' } });
  });

  t.test('a deleted custom scope: Remove drops it on refresh, Reject revokes the refresh token', async (t) => {
    await setPolicy({ unknownScopePolicy: 'Reject' });
    const tokens = await login('openid offline_access api:read');
    const readScope = (await fusionauth.retrieveApplication(APP)).response.application!.scopes!.find((scope) => scope.name === 'api:read')!;
    await fusionauth.deleteOAuthScope(APP, readScope.id!);
    await setPolicy({ unknownScopePolicy: 'Remove' });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    t.equal(refreshed.scope, 'openid offline_access');
    t.equal(await accessScope(refreshed.access_token), 'openid offline_access');
    const { callback } = await authorize('openid api:read');
    t.equal(new URLSearchParams(callback.search).get('error'), null, 'a new login just loses the scope');
    await setPolicy({ unknownScopePolicy: 'Reject' });
    t.match(await failure(client.refreshTokenGrant(config, tokens.refresh_token!)), {
      error: 'invalid_scope',
      cause: { error_reason: 'unknown_scope' },
    });
    t.match(await failure(client.refreshTokenGrant(config, tokens.refresh_token!)), { error: 'invalid_grant' });
  });
});
