import { fileURLToPath } from 'node:url';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { failureOf, startTenantStandin, statusOf } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';

// FusionAuth takes ids in any case and answers them in lower case: its Remix and Flask quickstarts create
// their application as E9FDB985-… and use that spelling as the client_id (docs/identifiers-and-unmodelled.md).
const API_KEY = 'uuid-case-api-key-0123456789abcdef';
const TENANT = 'D7D09513-A3F5-401C-9685-34AB6C552453';
const OTHER_TENANT = 'AB000000-0000-4000-8000-0000000000CD';
const APP = 'E9FDB985-9173-4E01-9D73-AC2D60D1DC8E';
const KEY = '5A1E8C3B-0D4F-4C6A-9E2B-7F3A1C5D9E01';
const USER = '00000000-0000-0000-0000-00000000ABCD';
const SECRET = 'uuid-case-secret-0123456789abcdefghijkl';
const CALLBACK = 'http://localhost:3000/auth/callback';
const LOGGED_OUT = 'http://localhost:3000/logged-out';
const RICHARD = { loginId: 'richard@example.com', password: 'password' };
// Looks like a UUID but is a username: its case is the user's, never changed.
const UUID_SHAPED_USERNAME = 'CAFEBABE-0000-4000-8000-00000000BEEF';

const lower = (id: string) => id.toLowerCase();

async function codeFor(url: string, clientId: string, extra: Record<string, string> = {}): Promise<string> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid offline_access',
    state: 'S-E9FDB985-9173-4E01-9D73-AC2D60D1DC8E',
    ...extra,
  });
  const { location } = await createHttpBrowser().authorize(`${url}/oauth2/authorize?${query}`, RICHARD);
  const back = new URL(location);
  // The state is the client's: its case comes back untouched.
  if (back.searchParams.get('state') !== query.get('state')) throw new Error(`state changed: ${location}`);
  return back.searchParams.get('code') ?? Promise.reject(new Error(`no code in ${location}`));
}

t.test('upper-case ids through @fusionauth/typescript-client', async (t) => {
  const standin = await startTenantStandin(t, { apiKey: API_KEY, tenantId: TENANT, requests: [] });
  const client = new FusionAuthClient(API_KEY, standin.url);
  const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));

  t.test('created with upper-case ids, in the path and in the body, stored and answered in lower case', async (t) => {
    const key = await client.generateKey(KEY, { key: { algorithm: 'RS256' as never, name: 'upper', length: 2048 } });
    t.equal(key.response.key!.id, lower(KEY));
    const created = await client.createApplication(APP, {
      application: {
        name: 'Upper',
        oauthConfiguration: {
          authorizedRedirectURLs: [CALLBACK, LOGGED_OUT],
          clientSecret: SECRET,
          enabledGrants: ['authorization_code', 'refresh_token', 'client_credentials', 'password'] as never,
          generateRefreshTokens: true,
        },
        jwtConfiguration: { enabled: true, accessTokenKeyId: KEY, idTokenKeyId: KEY },
      },
    });
    t.equal(created.statusCode, 200);
    t.equal(created.response.application!.id, lower(APP));
    t.equal(created.response.application!.tenantId, lower(TENANT));
    t.equal(created.response.application!.jwtConfiguration!.accessTokenKeyId, lower(KEY), 'an id in the body');
    t.equal(created.response.application!.oauthConfiguration!.clientId, lower(APP));

    const registered = await client.register(USER, {
      user: { email: RICHARD.loginId, password: RICHARD.password, data: { favouriteAppId: APP, list: [APP] } },
      registration: { applicationId: APP, data: { pickedTenantId: TENANT } },
    });
    t.equal(registered.statusCode, 200, 'registering a user to the upper-case id');
    t.equal(registered.response.user!.id, lower(USER));
    t.equal(registered.response.registration!.applicationId, lower(APP));
    t.same(registered.response.user!.data, { favouriteAppId: APP, list: [APP] }, "the user's own data keeps its case");
    t.same(registered.response.registration!.data, { pickedTenantId: TENANT });

    const again = await failureOf(client.register(lower(USER), { registration: { applicationId: lower(APP) } }));
    t.equal(again.statusCode, 400, 'the lower-case spelling names the same registration');

    const retrieved = await client.retrieveApplication(APP);
    t.equal(retrieved.response.application!.id, lower(APP), 'retrieveApplication with the upper-case id answers lower case');
    const user = await client.retrieveUser(USER);
    t.equal(user.response.user!.id, lower(USER));
    t.equal(user.response.user!.registrations![0]!.applicationId, lower(APP));
    t.equal((await client.retrieveRegistration(USER, APP)).response.registration!.applicationId, lower(APP));
  });

  t.test('a login id shaped like a UUID keeps its case', async (t) => {
    const created = await client.createUser(null as never, { user: { username: UUID_SHAPED_USERNAME, password: 'password' } });
    t.equal(created.response.user!.username, UUID_SHAPED_USERNAME);
    await client.register(created.response.user!.id!, { registration: { applicationId: APP } });
    const login = await client.login({ loginId: UUID_SHAPED_USERNAME, password: 'password', applicationId: APP });
    t.equal(login.statusCode, 200, '/api/login with the upper-case applicationId');
    t.equal(decodeJwt(login.response.token!).aud, lower(APP));
  });

  t.test('OAuth with the upper-case client_id: code, refresh, client credentials, Basic, logout', async (t) => {
    const code = await codeFor(standin.url, APP);
    const tokens = await client.exchangeOAuthCodeForAccessToken(code, APP, SECRET, CALLBACK);
    t.equal(tokens.statusCode, 200, 'the token endpoint knows the client authorize knew');
    t.equal(tokens.response.userId, lower(USER));
    const { payload } = await jwtVerify(tokens.response.access_token!, jwks, { issuer: standin.issuer, audience: lower(APP) });
    t.equal(payload.applicationId, lower(APP), 'claims carry the canonical id');
    t.equal(decodeJwt(tokens.response.id_token!).aud, lower(APP));

    const refreshed = await client.exchangeRefreshTokenForAccessToken(
      tokens.response.refresh_token!,
      APP,
      SECRET,
      undefined as never,
      undefined as never,
    );
    t.equal(refreshed.statusCode, 200);
    const viaApi = await client.exchangeRefreshTokenForJWT({ refreshToken: tokens.response.refresh_token! });
    t.equal(viaApi.statusCode, 200);
    t.equal((await client.retrieveRefreshTokens(USER)).statusCode, 200);

    const credentials = await client.clientCredentialsGrant(APP, SECRET, undefined as never);
    t.equal(credentials.statusCode, 200, 'client credentials with the upper-case client_id');
    t.equal(decodeJwt(credentials.response.access_token!).sub, lower(APP));
    const basic = await fetch(`${standin.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${APP}:${SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: lower(APP) }).toString(),
    });
    t.equal(basic.status, 200, 'HTTP Basic with the upper-case client_id, the body naming the same client in lower case');
    const wrongSecret = await failureOf(client.clientCredentialsGrant(APP, 'wrong', undefined as never));
    t.equal(wrongSecret.statusCode, 401, 'the secret is still checked');

    const logout = await fetch(`${standin.url}/oauth2/logout?${new URLSearchParams({ client_id: APP, post_logout_redirect_uri: LOGGED_OUT })}`, {
      redirect: 'manual',
    });
    t.equal(logout.status, 302, '/oauth2/logout accepts the upper-case client_id');
    t.equal(logout.headers.get('location'), LOGGED_OUT);

    const hosted = await fetch(`${standin.url}/app/login/${APP}?${new URLSearchParams({ redirect_uri: CALLBACK })}`, { redirect: 'manual' });
    t.equal(hosted.status, 302, 'the hosted backend too');
    t.equal(new URL(hosted.headers.get('location')!, standin.url).searchParams.get('client_id'), lower(APP));
  });

  t.test('X-FusionAuth-TenantId in upper case, through client.setTenantId', async (t) => {
    await client.createTenant(OTHER_TENANT, { tenant: { name: 'Other' } });
    const inOther = new FusionAuthClient(API_KEY, standin.url).setTenantId(OTHER_TENANT);
    const made = await inOther.createUser(null as never, { user: { email: 'other@example.com', password: 'password' } });
    t.equal(made.response.user!.tenantId, lower(OTHER_TENANT));
    t.equal(await statusOf(inOther.retrieveApplication(APP)), 404, "another tenant's application is hidden");
    const inDefault = new FusionAuthClient(API_KEY, standin.url).setTenantId(TENANT);
    t.equal((await inDefault.retrieveApplication(APP)).response.application!.id, lower(APP));
  });
});

t.test('openid-client with the upper-case client_id: authorize, login, token, refresh, logout', async (t) => {
  const standin = await startTenantStandin(t, {
    apiKey: API_KEY,
    tenantId: TENANT,
    requests: [
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Upper',
            oauthConfiguration: {
              authorizedRedirectURLs: [CALLBACK, LOGGED_OUT],
              clientSecret: SECRET,
              enabledGrants: ['authorization_code', 'refresh_token'],
              generateRefreshTokens: true,
            },
          },
        },
      },
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: RICHARD.loginId, password: RICHARD.password }, registration: { applicationId: APP } },
      },
    ],
  });
  const config = await oidc.discovery(new URL(standin.url), APP, SECRET, undefined, { execute: [oidc.allowInsecureRequests] });
  const browser = createHttpBrowser();
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  // Without `openid`: an id token's `aud` is the canonical lower-case id, which openid-client would compare
  // to the upper-case client_id it was given, exactly (OIDC Core §3.1.3.7); see the docs page.
  const authorizeUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  t.equal(authorizeUrl.searchParams.get('client_id'), APP);
  const login = await browser.authorize(authorizeUrl.href, RICHARD);
  t.ok(login.showedForm);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(login.location), { pkceCodeVerifier: verifier, expectedState: state });
  t.ok(tokens.access_token && tokens.refresh_token, 'the token endpoint accepted the upper-case client_id');
  t.equal(decodeJwt(tokens.access_token).aud, lower(APP));
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  t.ok(refreshed.access_token, 'refresh with the upper-case client_id');

  const endSession = oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: LOGGED_OUT, state: 'bye' });
  t.equal(endSession.searchParams.get('client_id'), APP);
  const logout = await browser.get(endSession.href);
  t.equal(logout.status, 302, 'logout with the upper-case client_id');
  t.equal(logout.headers.get('location'), `${LOGGED_OUT}?state=bye`);
  t.notOk(browser.cookie('fusionauth.sso'), 'the SSO session is over');

  // A client configured with the canonical id gets id tokens it accepts.
  const canonical = await oidc.discovery(new URL(standin.url), lower(APP), SECRET, undefined, { execute: [oidc.allowInsecureRequests] });
  const nonce = oidc.randomNonce();
  const again = await createHttpBrowser().authorize(
    oidc.buildAuthorizationUrl(canonical, { redirect_uri: CALLBACK, scope: 'openid', nonce, state }).href,
    RICHARD,
  );
  const idTokens = await oidc.authorizationCodeGrant(canonical, new URL(again.location), {
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
  t.equal(idTokens.claims()!.aud, lower(APP));
});

t.test('a kickstart in upper-case ids, Remix-style, boots and logs a user in', async (t) => {
  const fixture = fileURLToPath(new URL('../fixtures/uppercase-ids/kickstart.json', import.meta.url));
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: fixture });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient('uppercase-ids-fixture-api-key-0123456789abcdef', standin.url);
  const application = (await client.retrieveApplication(APP)).response.application!;
  t.equal(application.id, lower(APP));
  t.equal(application.tenantId, lower(TENANT));
  t.equal(application.jwtConfiguration!.accessTokenKeyId, lower(KEY));
  const user = (await client.retrieveUser(USER)).response.user!;
  t.equal(user.registrations![0]!.applicationId, lower(APP));
  t.same(user.data, { favouriteAppId: APP, note: '#{not a variable} @{not a file}' }, 'data as written, escapes resolved');

  // The Remix app's own calls: its CLIENT_ID is the upper-case id, sent in the token request's body.
  const code = await codeFor(standin.url, APP, { scope: 'openid email profile offline_access' });
  const response = await fetch(`${standin.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: APP,
      client_secret: 'super-secret-secret-that-should-be-regenerated-for-production',
    }).toString(),
  });
  t.equal(response.status, 200);
  const tokens = (await response.json()) as { access_token: string; id_token: string };
  const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));
  const { protectedHeader, payload } = await jwtVerify(tokens.access_token, jwks, { audience: lower(APP) });
  t.equal(payload.sub, lower(USER));
  t.equal(decodeJwt(tokens.id_token).email, RICHARD.loginId);
  const key = (await client.retrieveKey(KEY)).response.key!;
  t.equal(protectedHeader.kid, key.kid, 'signed with the key the kickstart named in upper case');
});
