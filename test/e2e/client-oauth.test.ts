import t from 'tap';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  authorizationCode,
  CALLBACK,
  failureOf,
  RICHARD_ID,
  RICHARD_LOGIN,
  SPA_APP,
  startClientStandin,
  WEB_APP,
  WEB_SECRET,
} from '../helpers/fixtures.js';

// FusionAuth's OAuth calls through @fusionauth/typescript-client
// (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints).
t.test('OAuth through the FusionAuth client', async (t) => {
  const { url, issuer, client } = await startClientStandin(t);
  const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`));

  t.test('exchangeOAuthCodeForAccessToken', async (t) => {
    const { code } = await authorizationCode(url, WEB_APP);
    const response = await client.exchangeOAuthCodeForAccessToken(code, WEB_APP, WEB_SECRET, CALLBACK);
    t.equal(response.statusCode, 200);
    const tokens = response.response;
    t.ok(tokens.access_token && tokens.id_token && tokens.refresh_token);
    t.equal(tokens.token_type, 'Bearer');
    t.equal(tokens.userId, RICHARD_ID);
    const { payload } = await jwtVerify(tokens.access_token!, jwks, { issuer, audience: WEB_APP });
    t.equal(payload.sub, RICHARD_ID);
    const again = await failureOf(client.exchangeOAuthCodeForAccessToken(code, WEB_APP, WEB_SECRET, CALLBACK));
    t.equal(again.statusCode, 400, 'a code works once');
    t.match(again.exception, { error: 'invalid_request', error_reason: 'auth_code_not_found' });
    const wrongSecret = await failureOf(
      client.exchangeOAuthCodeForAccessToken((await authorizationCode(url, WEB_APP)).code, WEB_APP, 'wrong', CALLBACK),
    );
    t.equal(wrongSecret.statusCode, 401);
    t.match(wrongSecret.exception, { error: 'invalid_client' });
  });

  t.test('exchangeOAuthCodeForAccessTokenUsingPKCE', async (t) => {
    const { code, verifier } = await authorizationCode(url, SPA_APP, { pkce: true });
    const response = await client.exchangeOAuthCodeForAccessTokenUsingPKCE(code, SPA_APP, undefined as never, CALLBACK, verifier!);
    t.equal(response.statusCode, 200, 'a public client: no secret, the verifier');
    t.ok(response.response.refresh_token);
    const other = await authorizationCode(url, SPA_APP, { pkce: true });
    const bad = await failureOf(client.exchangeOAuthCodeForAccessTokenUsingPKCE(other.code, SPA_APP, undefined as never, CALLBACK, verifier!));
    t.equal(bad.statusCode, 400, "another request's verifier");
  });

  t.test('exchangeRefreshTokenForAccessToken', async (t) => {
    const { code } = await authorizationCode(url, WEB_APP);
    const tokens = (await client.exchangeOAuthCodeForAccessToken(code, WEB_APP, WEB_SECRET, CALLBACK)).response;
    const refreshed = await client.exchangeRefreshTokenForAccessToken(
      tokens.refresh_token!,
      WEB_APP,
      WEB_SECRET,
      undefined as never,
      undefined as never,
    );
    t.equal(refreshed.statusCode, 200);
    t.ok(refreshed.response.access_token);
    t.equal(refreshed.response.refresh_token, tokens.refresh_token, 'Reusable by default');
    const narrowed = await client.exchangeRefreshTokenForAccessToken(tokens.refresh_token!, WEB_APP, WEB_SECRET, 'openid', undefined as never);
    t.equal(narrowed.response.scope, 'openid');
    const bad = await failureOf(client.exchangeRefreshTokenForAccessToken('nope', WEB_APP, WEB_SECRET, undefined as never, undefined as never));
    t.equal(bad.statusCode, 400);
    t.match(bad.exception, { error: 'invalid_grant', error_reason: 'refresh_token_not_found' });
  });

  t.test('exchangeUserCredentialsForAccessToken', async (t) => {
    const response = await client.exchangeUserCredentialsForAccessToken(
      RICHARD_LOGIN.loginId,
      RICHARD_LOGIN.password,
      WEB_APP,
      WEB_SECRET,
      'openid offline_access',
      undefined as never,
    );
    t.equal(response.statusCode, 200);
    t.ok(response.response.access_token && response.response.id_token && response.response.refresh_token);
    t.equal(response.response.userId, RICHARD_ID);
    const wrong = await failureOf(
      client.exchangeUserCredentialsForAccessToken(RICHARD_LOGIN.loginId, 'nope-nope', WEB_APP, WEB_SECRET, undefined as never, undefined as never),
    );
    const unknown = await failureOf(
      client.exchangeUserCredentialsForAccessToken('nobody@example.com', 'nope-nope', WEB_APP, WEB_SECRET, undefined as never, undefined as never),
    );
    t.equal(wrong.statusCode, 400);
    t.same(unknown.exception, wrong.exception, 'one answer for unknown user and wrong password');
    t.match(wrong.exception, { error: 'invalid_grant', error_reason: 'invalid_user_credentials' });
    const disabled = await failureOf(
      client.exchangeUserCredentialsForAccessToken(
        RICHARD_LOGIN.loginId,
        RICHARD_LOGIN.password,
        SPA_APP,
        undefined as never,
        undefined as never,
        undefined as never,
      ),
    );
    t.match(disabled.exception, { error: 'unauthorized_client', error_reason: 'grant_type_disabled' }, 'only where the application enables it');
  });

  t.test('clientCredentialsGrant', async (t) => {
    const response = await client.clientCredentialsGrant(WEB_APP, WEB_SECRET, 'reports:read');
    t.equal(response.statusCode, 200);
    t.same(Object.keys(response.response).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    const { payload } = await jwtVerify(response.response.access_token!, jwks, { issuer, audience: WEB_APP });
    t.equal(payload.sub, WEB_APP, 'the token speaks for the client, never a user');
    const noSecret = await failureOf(client.clientCredentialsGrant(WEB_APP, undefined as never, undefined as never));
    t.equal(noSecret.statusCode, 401, 'confidential clients only: the secret is required');
    t.match(noSecret.exception, { error: 'invalid_client', error_reason: 'client_authentication_missing' });
    const disabled = await failureOf(client.clientCredentialsGrant(SPA_APP, undefined as never, undefined as never));
    t.match(disabled.exception, { error: 'unauthorized_client', error_reason: 'grant_type_disabled' });
  });

  t.test('introspectAccessToken', async (t) => {
    const { code, verifier } = await authorizationCode(url, SPA_APP, { pkce: true });
    const tokens = (await client.exchangeOAuthCodeForAccessTokenUsingPKCE(code, SPA_APP, undefined as never, CALLBACK, verifier!)).response;
    const live = await client.introspectAccessToken(SPA_APP, tokens.access_token!);
    t.equal(live.statusCode, 200);
    t.match(live.response, { active: true, sub: RICHARD_ID, aud: SPA_APP });
    for (const [name, token] of [
      ['garbage', 'nope'],
      ['an id token', tokens.id_token!],
      ['a refresh token', tokens.refresh_token!],
    ] as Array<[string, string]>) {
      t.same((await client.introspectAccessToken(SPA_APP, token)).response, { active: false }, name);
    }
    // The client sends client_id alone; a client whose secret is Required must authenticate (RFC 7662 §2.1).
    t.equal((await failureOf(client.introspectAccessToken(WEB_APP, tokens.access_token!))).statusCode, 401);
  });

  t.test('retrieveUserInfoFromAccessToken', async (t) => {
    const { code } = await authorizationCode(url, WEB_APP);
    const tokens = (await client.exchangeOAuthCodeForAccessToken(code, WEB_APP, WEB_SECRET, CALLBACK)).response;
    const info = await client.retrieveUserInfoFromAccessToken(tokens.access_token!);
    t.equal(info.statusCode, 200);
    t.match(info.response, { sub: RICHARD_ID, email: RICHARD_LOGIN.loginId, email_verified: true });
    const bad = await failureOf(client.retrieveUserInfoFromAccessToken('nope'));
    t.equal(bad.statusCode, 401);
    t.equal((await failureOf(client.retrieveUserInfoFromAccessToken(tokens.id_token!))).statusCode, 401, 'an id token is not an access token');
  });
});
