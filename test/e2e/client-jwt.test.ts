import t from 'tap';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  authorizationCode,
  CALLBACK,
  failureOf,
  RICHARD_ID,
  RICHARD_LOGIN,
  SPA_APP,
  startClientStandin,
  statusOf,
  WEB_APP,
} from '../helpers/fixtures.js';

// FusionAuth's JWT API and keys through @fusionauth/typescript-client (https://fusionauth.io/docs/apis/jwt,
// https://fusionauth.io/docs/apis/jwt#retrieve-public-keys).
t.test('JWT API through the FusionAuth client', async (t) => {
  const { url, issuer, client } = await startClientStandin(t);
  const login = async (applicationId = WEB_APP) =>
    (await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId })).response;
  const liveIds = async () => (await client.retrieveRefreshTokens(RICHARD_ID)).response.refreshTokens!.map((token) => token.id);

  t.test('exchangeRefreshTokenForJWT', async (t) => {
    const { refreshToken, refreshTokenId } = await login();
    const response = await client.exchangeRefreshTokenForJWT({ refreshToken: refreshToken! });
    t.equal(response.statusCode, 200);
    t.match(response.response, { refreshToken, refreshTokenId });
    t.equal(decodeJwt(response.response.token!).sub, RICHARD_ID);
    const bad = await failureOf(client.exchangeRefreshTokenForJWT({ refreshToken: 'nope' }));
    t.equal(bad.statusCode, 400);
    t.ok(bad.exception.fieldErrors.refreshToken);
  });

  t.test('validateJWT', async (t) => {
    const { token } = await login();
    const valid = await client.validateJWT(token!);
    t.equal(valid.statusCode, 200);
    t.match(valid.response.jwt, { sub: RICHARD_ID, aud: WEB_APP, iss: issuer });
    const [header, payload] = token!.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const [name, jwt] of [
      ['alg none', none],
      ['tampered', `${header}.${payload}x.sig`],
      ['garbage', 'nope'],
    ] as Array<[string, string]>) {
      const failed = await failureOf(client.validateJWT(jwt));
      t.equal(failed.statusCode, 401, name);
      t.equal(failed.exception, undefined, `${name}: empty body`);
    }
  });

  t.test('vendJWT', async (t) => {
    const vended = await client.vendJWT({ claims: { sub: 'batch-job', exp: 1 }, timeToLiveInSeconds: 120 });
    t.equal(vended.statusCode, 200);
    const claims = decodeJwt(vended.response.token!);
    t.equal(claims.sub, 'batch-job');
    t.equal(claims.exp! - claims.iat!, 120, 'exp is Standin’s, not the caller’s');
    t.equal((await client.validateJWT(vended.response.token!)).statusCode, 200);
    t.equal(await statusOf(client.vendJWT({ claims: {}, keyId: '00000000-0000-4000-8000-000000000000' })), 400);
  });

  t.test('retrieveJWTPublicKey', async (t) => {
    const { token } = await login();
    const { kid } = decodeProtectedHeader(token!);
    const response = await client.retrieveJWTPublicKey(kid!);
    t.equal(response.statusCode, 200);
    t.match(response.response.publicKey, /^-----BEGIN PUBLIC KEY-----/);
    t.equal(await statusOf(client.retrieveJWTPublicKey('no-such-kid')), 404);
  });

  t.test('retrieveJWTPublicKeyByApplicationId', async (t) => {
    const response = await client.retrieveJWTPublicKeyByApplicationId(WEB_APP);
    t.equal(response.statusCode, 200);
    t.match(response.response.publicKey, /^-----BEGIN PUBLIC KEY-----/);
    t.equal(await statusOf(client.retrieveJWTPublicKeyByApplicationId('00000000-0000-4000-8000-000000000000')), 404);
  });

  t.test('retrieveJWTPublicKeys', async (t) => {
    const response = await client.retrieveJWTPublicKeys();
    t.equal(response.statusCode, 200);
    const { kid } = decodeProtectedHeader((await login()).token!);
    t.match(response.response.publicKeys![kid!], /^-----BEGIN PUBLIC KEY-----/);
  });

  t.test('retrieveJsonWebKeySet', async (t) => {
    const response = await client.retrieveJsonWebKeySet();
    t.equal(response.statusCode, 200);
    const { kid } = decodeProtectedHeader((await login()).token!);
    const key = response.response.keys!.find((jwk) => jwk.kid === kid);
    t.match(key, { kty: 'RSA', alg: 'RS256', use: 'sig' });
    t.notOk(key && 'd' in key, 'public members only');
  });

  t.test('retrieveOpenIdConfiguration', async (t) => {
    const response = await client.retrieveOpenIdConfiguration();
    t.equal(response.statusCode, 200);
    t.match(response.response, { issuer, token_endpoint: `${url}/oauth2/token`, jwks_uri: `${url}/.well-known/jwks.json` });
  });

  t.test('retrieveRefreshTokens', async (t) => {
    const { refreshTokenId } = await login();
    const response = await client.retrieveRefreshTokens(RICHARD_ID);
    t.equal(response.statusCode, 200);
    const token = response.response.refreshTokens!.find((one) => one.id === refreshTokenId);
    t.match(token, { applicationId: WEB_APP, userId: RICHARD_ID });
    t.equal(await statusOf(client.retrieveRefreshTokens('00000000-0000-4000-8000-000000000000')), 404);
  });

  t.test('retrieveRefreshTokenById', async (t) => {
    const { refreshTokenId } = await login();
    const response = await client.retrieveRefreshTokenById(refreshTokenId!);
    t.equal(response.statusCode, 200);
    t.match(response.response.refreshToken, { id: refreshTokenId, applicationId: WEB_APP });
    t.equal(await statusOf(client.retrieveRefreshTokenById('00000000-0000-4000-8000-000000000000')), 404);
  });

  t.test('revokeRefreshToken', async (t) => {
    const { refreshToken, refreshTokenId } = await login();
    const response = await client.revokeRefreshToken(refreshToken!, undefined as never, undefined as never);
    t.equal(response.statusCode, 200);
    t.notOk((await liveIds()).includes(refreshTokenId));
  });

  t.test('revokeRefreshTokenById', async (t) => {
    const { refreshTokenId } = await login();
    t.equal((await client.revokeRefreshTokenById(refreshTokenId!)).statusCode, 200);
    t.notOk((await liveIds()).includes(refreshTokenId));
    t.equal(await statusOf(client.revokeRefreshTokenById(refreshTokenId!)), 404, 'gone');
  });

  t.test('revokeRefreshTokenByToken', async (t) => {
    const { refreshToken } = await login();
    t.equal((await client.revokeRefreshTokenByToken(refreshToken!)).statusCode, 200);
    t.equal(await statusOf(client.exchangeRefreshTokenForJWT({ refreshToken: refreshToken! })), 400);
    t.equal(await statusOf(client.revokeRefreshTokenByToken(refreshToken!)), 404, 'gone');
  });

  // JWT API, "Revoke a single Refresh Token by Id" and "by value": either an API key or a JWT authenticates these,
  // and a JWT only for its owner's own token. FusionAuth's client sends its key as the raw Authorization header,
  // so a client built on `Bearer <jwt>` makes exactly the JWT-authenticated call.
  t.test("revokeRefreshTokenById / revokeRefreshTokenByToken with the owner's JWT instead of an API key", async (t) => {
    const asUser = (jwt: string) => new FusionAuthClient(`Bearer ${jwt}`, url);
    const byId = await login();
    t.equal((await asUser(byId.token!).revokeRefreshTokenById(byId.refreshTokenId!)).statusCode, 200, 'by id');
    t.notOk((await liveIds()).includes(byId.refreshTokenId));
    t.equal(await statusOf(client.exchangeRefreshTokenForJWT({ refreshToken: byId.refreshToken! })), 400, 'revoked');

    const byValue = await login();
    t.equal((await asUser(byValue.token!).revokeRefreshTokenByToken(byValue.refreshToken!)).statusCode, 200, 'by value');
    t.notOk((await liveIds()).includes(byValue.refreshTokenId));

    // The access_token cookie authenticates too, and the token may come as a form body (kept out of URLs).
    const byCookie = await login();
    const cookie = await fetch(`${url}/api/jwt/refresh`, {
      method: 'DELETE',
      headers: { cookie: `access_token=${byCookie.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: byCookie.refreshToken! }).toString(),
    });
    t.equal(cookie.status, 200, 'access_token cookie');
    t.notOk((await liveIds()).includes(byCookie.refreshTokenId));
  });

  t.test("with a JWT: another user's token, an unknown one, and the by-user/by-application variants are 401", async (t) => {
    const richard = await login();
    const other = (await client.login({ loginId: 'gilfoyle', password: 'password' })).response;
    t.ok(other.token, 'gilfoyle has a JWT');
    const gilfoyle = new FusionAuthClient(`Bearer ${other.token}`, url);
    t.equal(await statusOf(gilfoyle.revokeRefreshTokenById(richard.refreshTokenId!)), 401, "another user's token by id");
    t.equal(await statusOf(gilfoyle.revokeRefreshTokenByToken(richard.refreshToken!)), 401, "another user's token by value");
    const own = new FusionAuthClient(`Bearer ${richard.token}`, url);
    t.equal(await statusOf(own.revokeRefreshTokenById('00000000-0000-4000-8000-000000000000')), 401, 'unknown id');
    t.equal(await statusOf(own.revokeRefreshTokenByToken('nope')), 401, 'unknown value');
    t.equal(await statusOf(own.revokeRefreshTokensByUserId(RICHARD_ID)), 401, 'by user: API key only');
    t.equal(await statusOf(own.revokeRefreshTokensByApplicationId(WEB_APP)), 401, 'by application: API key only');
    t.equal(await statusOf(own.revokeRefreshTokensByUserIdForApplication(RICHARD_ID, WEB_APP)), 401, 'by both: API key only');
    const forged = `${richard.token!.slice(0, -4)}AAAA`;
    t.equal(await statusOf(new FusionAuthClient(`Bearer ${forged}`, url).revokeRefreshTokenById(richard.refreshTokenId!)), 401, 'bad signature');
    t.ok((await liveIds()).includes(richard.refreshTokenId), 'nothing revoked');
  });

  t.test('revokeRefreshTokensByApplicationId', async (t) => {
    const web = await login();
    t.equal((await client.revokeRefreshTokensByApplicationId(WEB_APP)).statusCode, 200);
    t.notOk((await liveIds()).includes(web.refreshTokenId));
    t.equal(await statusOf(client.revokeRefreshTokensByApplicationId('00000000-0000-4000-8000-000000000000')), 404);
  });

  t.test('revokeRefreshTokensByUserId', async (t) => {
    await login();
    t.equal((await client.revokeRefreshTokensByUserId(RICHARD_ID)).statusCode, 200);
    t.same(await liveIds(), []);
  });

  t.test('revokeRefreshTokensByUserIdForApplication', async (t) => {
    const web = await login();
    const { code, verifier } = await authorizationCode(url, SPA_APP, { pkce: true });
    const spa = (await client.exchangeOAuthCodeForAccessTokenUsingPKCE(code, SPA_APP, undefined as never, CALLBACK, verifier!)).response;
    t.equal((await client.revokeRefreshTokensByUserIdForApplication(RICHARD_ID, WEB_APP)).statusCode, 200);
    const live = await liveIds();
    t.notOk(live.includes(web.refreshTokenId));
    t.ok(live.includes(spa.refresh_token_id), "the other application's token lives");
  });

  t.test('revokeRefreshTokensWithRequest', async (t) => {
    const { refreshToken, refreshTokenId } = await login();
    const kept = await login();
    t.equal((await client.revokeRefreshTokensWithRequest({ token: refreshToken! })).statusCode, 200);
    const live = await liveIds();
    t.notOk(live.includes(refreshTokenId));
    t.ok(live.includes(kept.refreshTokenId), 'only that token');
    t.equal(await statusOf(client.revokeRefreshTokensWithRequest({})), 400, 'nothing to revoke named');
  });
});
