import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { decodeJwt } from 'jose';
import {
  CLIENT_API_KEY,
  failureOf,
  GILFOYLE_ID,
  RICHARD_ID,
  RICHARD_LOGIN,
  SPA_APP,
  startClientStandin,
  statusOf,
  WEB_APP,
} from '../helpers/fixtures.js';

// FusionAuth's Login API through @fusionauth/typescript-client (https://fusionauth.io/docs/apis/login).
t.test('Login API through the FusionAuth client', async (t) => {
  const { url, client } = await startClientStandin(t);

  t.test('login', async (t) => {
    const ok = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP });
    t.equal(ok.statusCode, 200);
    t.ok(ok.response.token && ok.response.refreshToken && ok.response.refreshTokenId);
    t.equal(ok.response.user?.id, RICHARD_ID);
    t.type(ok.response.tokenExpirationInstant, 'number');
    t.equal(decodeJwt(ok.response.token!).sub, RICHARD_ID);

    const spa = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: SPA_APP });
    t.equal(spa.statusCode, 200);
    t.notOk(spa.response.refreshToken, 'no refresh token without loginConfiguration.generateRefreshTokens');

    const unregistered = await client.login({ loginId: 'gilfoyle', password: 'password', applicationId: WEB_APP });
    t.equal(unregistered.statusCode, 202);
    t.ok(unregistered.response.token);
    t.notOk(unregistered.response.refreshToken);

    for (const [name, loginId, password] of [
      ['unknown user', 'nobody@example.com', 'password'],
      ['wrong password', RICHARD_LOGIN.loginId, 'nope-nope'],
    ] as Array<[string, string, string]>) {
      const failed = await failureOf(client.login({ loginId, password, applicationId: WEB_APP }));
      t.equal(failed.statusCode, 404, name);
      t.equal(failed.exception, undefined, `${name}: empty body`);
    }
    const keyless = await failureOf(
      new FusionAuthClient('', url).login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP }),
    );
    t.equal(keyless.statusCode, 401, 'an API key is required by default');

    // The client does not expose headers: the cookies are checked on the same request sent raw.
    const raw = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { authorization: CLIENT_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP }),
    });
    t.match(raw.headers.get('content-type'), /^application\/json/);
    const cookies = raw.headers.getSetCookie();
    t.match(
      cookies.find((cookie) => cookie.startsWith('access_token=')),
      /; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    t.match(
      cookies.find((cookie) => cookie.startsWith('refresh_token=')),
      /; Max-Age=2592000; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/,
    );
  });

  t.test('logout', async (t) => {
    const first = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP });
    const second = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP });
    const one = await client.logout(false, first.response.refreshToken!);
    t.equal(one.statusCode, 200);
    t.equal(one.response, undefined, 'an empty body');
    t.equal(await statusOf(client.exchangeRefreshTokenForJWT({ refreshToken: first.response.refreshToken! })), 400, 'that refresh token is revoked');
    t.equal((await client.exchangeRefreshTokenForJWT({ refreshToken: second.response.refreshToken! })).statusCode, 200, 'the other still works');

    const everywhere = await client.logout(true, second.response.refreshToken!);
    t.equal(everywhere.statusCode, 200);
    const left = await client.retrieveRefreshTokens(RICHARD_ID);
    t.same(left.response.refreshTokens, [], 'global: every refresh token and SSO session of the user is gone');

    const raw = await fetch(`${url}/api/logout`, { method: 'POST', headers: { 'content-type': 'text/plain' } });
    t.equal(raw.status, 200);
    const cleared = raw.headers.getSetCookie();
    t.ok(
      cleared.some((cookie) => /^access_token=;.*Expires=Thu, 01 Jan 1970/.test(cookie)),
      'access_token deleted',
    );
    t.ok(
      cleared.some((cookie) => /^refresh_token=;.*Expires=Thu, 01 Jan 1970/.test(cookie)),
      'refresh_token deleted',
    );
  });

  t.test('loginPing', async (t) => {
    const ping = await client.loginPing(RICHARD_ID, WEB_APP, '127.0.0.1');
    t.equal(ping.statusCode, 200);
    t.equal(ping.response.user?.id, RICHARD_ID);
    t.type(ping.response.user?.lastLoginInstant, 'number');
    t.equal((await client.loginPing(GILFOYLE_ID, WEB_APP, '127.0.0.1')).statusCode, 202, 'not registered');
    t.equal(await statusOf(client.loginPing('00000000-0000-4000-8000-000000000000', WEB_APP, '127.0.0.1')), 404);
    t.equal((await client.loginPingWithRequest({ userId: RICHARD_ID, applicationId: WEB_APP })).statusCode, 200, 'loginPingWithRequest');
  });

  t.test('issueJWT', async (t) => {
    const spa = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: SPA_APP });
    const web = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP });
    const issued = await client.issueJWT(WEB_APP, spa.response.token!, web.response.refreshToken!);
    t.equal(issued.statusCode, 200);
    t.match(decodeJwt(issued.response.token!), { aud: WEB_APP, sub: RICHARD_ID, authenticationType: 'JWT_SSO' });
    t.type(issued.response.refreshToken, 'string');
    const gilfoyle = await client.login({ loginId: 'gilfoyle', password: 'password' });
    t.equal((await client.issueJWT(WEB_APP, gilfoyle.response.token!, undefined as never)).statusCode, 202, 'not registered');
    t.equal(await statusOf(client.issueJWT(WEB_APP, 'not.a.jwt', undefined as never)), 401);
  });
});
