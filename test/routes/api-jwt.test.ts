import { createSecretKey } from 'node:crypto';
import t from 'tap';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import {
  ALICE_ID,
  apiHeaders,
  BOB_ID,
  buildLoginApiApp,
  idToken,
  login,
  LOGIN_APP,
  movableClock,
  PASSWORD,
  PUBLIC_APP,
  T0,
} from '../helpers/fixtures.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function aliceToken(app: Awaited<ReturnType<typeof buildLoginApiApp>>, applicationId = LOGIN_APP) {
  return (await login(app, { loginId: 'alice', password: PASSWORD, applicationId })).json<{ token: string; refreshToken?: string }>();
}

t.test('validate: 200 {jwt} for a live JWT, by Bearer or access_token cookie', async (t) => {
  const app = await buildLoginApiApp(t);
  const { token } = await aliceToken(app);
  const byHeader = await app.inject({ url: '/api/jwt/validate', headers: { authorization: `Bearer ${token}` } });
  t.equal(byHeader.statusCode, 200);
  t.same(byHeader.json().jwt, decodeJwt(token));
  const byCookie = await app.inject({ url: '/api/jwt/validate', cookies: { access_token: token } });
  t.equal(byCookie.statusCode, 200);
});

t.test('validate: an empty 401 for forged, expired, foreign and id tokens', async (t) => {
  const clock = movableClock();
  const app = await buildLoginApiApp(t, { now: clock.now });
  const { token } = await aliceToken(app);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = decodeJwt(token);
  const { kid } = decodeProtectedHeader(token);
  const publicPem = app.standin.stores.keys.byKid(kid!)!.key.publicKey!;
  const forged = {
    'alg none': `${b64({ alg: 'none', typ: 'JWT', kid })}.${payload}.`,
    'alg None': `${b64({ alg: 'None', typ: 'JWT', kid })}.${payload}.`,
    'an edited payload': `${header}.${b64({ ...claims, sub: BOB_ID })}.${signature}`,
    'HS256 with the RSA public key': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: kid! })
      .sign(createSecretKey(Buffer.from(publicPem))),
    'an unknown kid': `${b64({ alg: 'RS256', typ: 'JWT', kid: "' OR 1=1--" })}.${payload}.${signature}`,
    'an id token': await idToken(app, LOGIN_APP, ALICE_ID),
    garbage: 'not-a-jwt',
  };
  for (const [name, jwt] of Object.entries(forged)) {
    const response = await app.inject({ url: '/api/jwt/validate', headers: { authorization: `Bearer ${jwt}` } });
    t.equal(response.statusCode, 401, name);
    t.equal(response.body, '', `${name}: empty body`);
  }
  t.equal((await app.inject({ url: '/api/jwt/validate' })).statusCode, 401, 'no token');
  clock.advance(3600_000);
  t.equal((await app.inject({ url: '/api/jwt/validate', headers: { authorization: `Bearer ${token}` } })).statusCode, 401, 'expired');
});

t.test('vend: the caller claims, Standin sets iat and exp, signs with the tenant key or keyId', async (t) => {
  const app = await buildLoginApiApp(t);
  const vend = (payload: object, headers = apiHeaders()) => app.inject({ method: 'POST', url: '/api/jwt/vend', headers, payload });
  const response = await vend({ claims: { sub: 'service-1', roles: ['reader'], exp: 1, iat: 1 }, timeToLiveInSeconds: 60 });
  t.equal(response.statusCode, 200);
  const { token } = response.json();
  const claims = decodeJwt(token);
  t.match(claims, { sub: 'service-1', roles: ['reader'], iat: T0 / 1000, exp: T0 / 1000 + 60 });
  t.equal((await app.inject({ url: '/api/jwt/validate', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'a vended JWT validates');
  const unknownKey = await vend({ claims: {}, keyId: '00000000-0000-4000-8000-000000000000' });
  t.equal(unknownKey.statusCode, 400);
  t.ok(unknownKey.json().fieldErrors.keyId);
  t.equal((await vend({ claims: {} }, {})).statusCode, 401, 'an API key is required');
});

t.test('issue: a JWT for another application of the user, and a refresh token when asked and allowed', async (t) => {
  const app = await buildLoginApiApp(t);
  const { token } = await aliceToken(app, PUBLIC_APP);
  const { refreshToken } = await aliceToken(app, LOGIN_APP);
  const issued = await app.inject({
    url: `/api/jwt/issue?applicationId=${LOGIN_APP}&refreshToken=${refreshToken}`,
    headers: { authorization: `Bearer ${token}` },
  });
  t.equal(issued.statusCode, 200);
  const body = issued.json();
  t.match(decodeJwt(body.token), { aud: LOGIN_APP, sub: ALICE_ID, authenticationType: 'JWT_SSO', roles: ['user'] });
  t.type(body.refreshToken, 'string');
  t.not(body.refreshToken, refreshToken, 'a new refresh token for the target application');

  const noRefresh = await app.inject({ url: `/api/jwt/issue?applicationId=${PUBLIC_APP}`, cookies: { access_token: token } });
  t.equal(noRefresh.statusCode, 200);
  t.notOk('refreshToken' in noRefresh.json());
});

t.test('issue: 202 when not registered, 401 for a bad JWT, 400 for a bad application or refresh token', async (t) => {
  const app = await buildLoginApiApp(t);
  const { token: bobToken } = (await login(app, { loginId: 'bob@example.com', password: PASSWORD })).json();
  t.equal((await app.inject({ url: `/api/jwt/issue?applicationId=${LOGIN_APP}`, headers: { authorization: `Bearer ${bobToken}` } })).statusCode, 202);
  const bad = await app.inject({ url: `/api/jwt/issue?applicationId=${LOGIN_APP}`, headers: { authorization: 'Bearer nope' } });
  t.equal(bad.statusCode, 401);
  t.equal(bad.body, '');
  const { token } = await aliceToken(app);
  t.equal(
    (await app.inject({ url: '/api/jwt/issue?applicationId=00000000-0000-4000-8000-000000000000', headers: { authorization: `Bearer ${token}` } }))
      .statusCode,
    400,
  );
  t.equal(
    (await app.inject({ url: `/api/jwt/issue?applicationId=${LOGIN_APP}&refreshToken=nope`, headers: { authorization: `Bearer ${token}` } }))
      .statusCode,
    400,
  );
});
