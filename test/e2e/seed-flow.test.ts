import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { QUICKSTART_APP, QUICKSTART_SECRET, RICHARD_LOGIN, statusOf } from '../helpers/fixtures.js';

// The seed article's flow (docs/login-flow.md) over real HTTP: the store logs in, refreshes, the forums log in
// through SSO, a revoked refresh token forces a new login, and logout ends SSO.
const FORUMS_APP = 'f0f0f0f0-0000-4000-8000-0000000000f2';
const STORE_CALLBACK = 'http://localhost:3000';
const FORUMS_CALLBACK = 'http://localhost:3001/callback';
const API_KEY = 'seed-flow-api-key-0123456789abcdef';

/** The seed article's store and forums, and Richard registered to the store, on a clock the test moves. */
function startSeedFlowStandin(now: () => number) {
  return startStandin({
    passwordHashing: 'fast',
    now,
    kickstart: {
      variables: { defaultTenantId: 'd7d09513-a3f5-401c-9685-34ab6c552453' },
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          url: `/api/application/${QUICKSTART_APP}`,
          body: {
            application: {
              name: 'Store',
              oauthConfiguration: {
                authorizedRedirectURLs: [STORE_CALLBACK],
                clientSecret: QUICKSTART_SECRET,
                enabledGrants: ['authorization_code', 'refresh_token'],
                generateRefreshTokens: true,
                requireRegistration: true,
              },
              jwtConfiguration: { enabled: true, timeToLiveInSeconds: 300, refreshTokenUsagePolicy: 'OneTimeUse' },
            },
          },
        },
        {
          url: `/api/application/${FORUMS_APP}`,
          body: {
            application: {
              name: 'Forums',
              oauthConfiguration: {
                authorizedRedirectURLs: [FORUMS_CALLBACK],
                clientSecret: 'forums-secret-0123456789',
                enabledGrants: ['authorization_code', 'refresh_token'],
                generateRefreshTokens: true,
              },
            },
          },
        },
        {
          url: '/api/user/registration',
          body: {
            user: { email: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, firstName: 'Richard', lastName: 'Hendricks' },
            registration: { applicationId: QUICKSTART_APP },
          },
        },
      ],
    },
  });
}

t.test('the seed: store login, refresh, forums SSO, revocation, logout', async (t) => {
  // The real clock plus an offset the test moves: openid-client checks id tokens against the real time.
  let offset = 0;
  const standin = await startSeedFlowStandin(() => Date.now() + offset);
  t.teardown(() => standin.close());

  const browser = createHttpBrowser();
  const store = await client.discovery(new URL(standin.url), QUICKSTART_APP, QUICKSTART_SECRET, undefined, {
    execute: [client.allowInsecureRequests],
  });
  const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));

  // 5–11: the store sends the browser to log in; the backend trades the code with its secret and PKCE.
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizeUrl = client.buildAuthorizationUrl(store, {
    redirect_uri: STORE_CALLBACK,
    scope: 'openid offline_access email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const login = await browser.authorize(authorizeUrl.href, RICHARD_LOGIN);
  t.ok(login.showedForm, 'the first login shows the form');
  t.ok(browser.cookie('fusionauth.sso'), 'and leaves an SSO session cookie on Standin');
  const tokens = await client.authorizationCodeGrant(store, new URL(login.location), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  t.ok(tokens.access_token && tokens.refresh_token && tokens.id_token, 'access, refresh and id tokens');
  const idClaims = tokens.claims()!;
  t.equal(idClaims.email, RICHARD_LOGIN.loginId, 'openid-client validated the id token; the email scope gave the email');
  t.equal(idClaims.given_name, 'Richard');

  // 17–18: the backend verifies the JWT against the JWKS.
  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: standin.issuer, audience: QUICKSTART_APP });
  t.equal(payload.sub, idClaims.sub);
  t.ok(protectedHeader.kid);
  const userinfo = await client.fetchUserInfo(store, tokens.access_token, idClaims.sub);
  t.equal(userinfo.email, RICHARD_LOGIN.loginId, 'userinfo agrees');

  // 19–22: the JWT expires; the backend refreshes through /oauth2/token and through /api/jwt/refresh.
  offset += 301_000;
  await t.rejects(
    jwtVerify(tokens.access_token, jwks, { issuer: standin.issuer, audience: QUICKSTART_APP, currentDate: new Date(Date.now() + offset) }),
    'the JWT has expired',
  );
  const refreshed = await client.refreshTokenGrant(store, tokens.refresh_token!);
  t.not(refreshed.refresh_token, tokens.refresh_token, 'OneTimeUse: a new refresh token');
  t.equal(refreshed.claims()!.sub, idClaims.sub);
  const fusionauth = new FusionAuthClient(API_KEY, standin.url);
  const viaApi = await fusionauth.exchangeRefreshTokenForJWT({ refreshToken: refreshed.refresh_token! });
  t.equal(viaApi.statusCode, 200);
  t.ok(viaApi.response.token);
  const latestRefreshToken = viaApi.response.refreshToken!;
  t.equal(await statusOf(fusionauth.exchangeRefreshTokenForJWT({ refreshToken: tokens.refresh_token! })), 400, 'the rotated-away token is dead');

  await t.test('the forums log in through SSO; revoked refresh tokens are refused; logout ends SSO', async (t) => {
    // 28–36: the forums log the same user in through the SSO cookie, with no form.
    const forums = await client.discovery(new URL(standin.url), FORUMS_APP, 'forums-secret-0123456789', undefined, {
      execute: [client.allowInsecureRequests],
    });
    const forumsVerifier = client.randomPKCECodeVerifier();
    const forumsState = client.randomState();
    const forumsLogin = await browser.authorize(
      client.buildAuthorizationUrl(forums, {
        redirect_uri: FORUMS_CALLBACK,
        scope: 'openid offline_access',
        code_challenge: await client.calculatePKCECodeChallenge(forumsVerifier),
        code_challenge_method: 'S256',
        state: forumsState,
      }).href,
    );
    t.notOk(forumsLogin.showedForm, 'no login form for the second app');
    const forumsCode = new URL(forumsLogin.location).searchParams.get('code')!;
    const forumsTokens = await fusionauth.exchangeOAuthCodeForAccessTokenUsingPKCE(
      forumsCode,
      FORUMS_APP,
      'forums-secret-0123456789',
      FORUMS_CALLBACK,
      forumsVerifier,
    );
    t.equal(forumsTokens.statusCode, 200, "FusionAuth's client exchanges the forums code");
    t.equal(forumsTokens.response.userId, idClaims.sub, 'the same user');
    const forumsRefresh = forumsTokens.response.refresh_token!;
    t.equal(
      (await fusionauth.revokeRefreshToken(forumsRefresh, undefined as never, undefined as never)).statusCode,
      200,
      'revokeRefreshToken(token)',
    );
    t.equal(await statusOf(fusionauth.exchangeRefreshTokenForJWT({ refreshToken: forumsRefresh })), 400, "the forums' revoked token is refused");

    // 23–27: the store's refresh token is revoked; refreshing fails with 400 and the user logs in again.
    const revoked = await fusionauth.revokeRefreshTokenByToken(latestRefreshToken);
    t.equal(revoked.statusCode, 200);
    t.equal(await statusOf(fusionauth.exchangeRefreshTokenForJWT({ refreshToken: latestRefreshToken })), 400, 'the revoked token is refused');
    const again = await browser.authorize(
      client.buildAuthorizationUrl(store, {
        redirect_uri: STORE_CALLBACK,
        scope: 'openid offline_access',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      }).href,
    );
    t.notOk(again.showedForm, 'the SSO session still logs the store in without a form');

    // Logout ends SSO: the forums' next login shows the form again.
    const logout = await browser.get(
      `${standin.url}/oauth2/logout?client_id=${QUICKSTART_APP}&post_logout_redirect_uri=${encodeURIComponent(STORE_CALLBACK)}`,
    );
    t.equal(logout.status, 302);
    t.equal(logout.headers.get('location'), STORE_CALLBACK);
    t.notOk(browser.cookie('fusionauth.sso'), 'the SSO cookie is cleared');
    const afterLogout = await browser.get(client.buildAuthorizationUrl(forums, { redirect_uri: FORUMS_CALLBACK, scope: 'openid', state: 'x' }).href);
    t.equal(afterLogout.status, 200, 'the login form shows again');
  });
});
