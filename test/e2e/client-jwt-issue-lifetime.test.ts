import { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';

// `/api/jwt/issue` exchanges a live JWT for one of another application; it is no new login, so nothing it issues
// outlives what was presented (https://fusionauth.io/docs/apis/jwt, "Issue a JWT"): "the returned access token will
// have the same expiration of the one provided", the returned refresh token "will share the same creation time as
// the original refresh token", and none is returned when the two applications' expiration policies differ.
// Through FusionAuth's TypeScript client, with Standin's clock moved.
const API_KEY = 'jwt-issue-lifetime-api-key-0123456789ab';
const FIXED_A = 'b6000000-0000-4000-8000-0000000000a1';
const FIXED_B = 'b6000000-0000-4000-8000-0000000000b1';
const SLIDING = 'b6000000-0000-4000-8000-0000000000c1';
const USER = 'b6000000-0000-4000-8000-0000000000e1';
const LOGIN = { loginId: 'big-head@example.com', password: 'password1' };

const application = (id: string, name: string, policy: string, refreshMinutes: number) => ({
  url: `/api/application/${id}`,
  body: {
    application: {
      name,
      loginConfiguration: { generateRefreshTokens: true, allowTokenRefresh: true },
      jwtConfiguration: {
        enabled: true,
        timeToLiveInSeconds: 600,
        refreshTokenExpirationPolicy: policy,
        refreshTokenTimeToLiveInMinutes: refreshMinutes,
      },
    },
  },
});
const registration = (applicationId: string) => ({ url: `/api/user/registration/${USER}`, body: { registration: { applicationId } } });

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    apiKeys: [{ key: API_KEY }],
    requests: [
      application(FIXED_A, 'Fixed A', 'Fixed', 60),
      application(FIXED_B, 'Fixed B', 'Fixed', 24 * 60),
      application(SLIDING, 'Sliding', 'SlidingWindow', 60),
      { url: `/api/user/${USER}`, body: { user: { email: LOGIN.loginId, password: LOGIN.password } } },
      registration(FIXED_A),
      registration(FIXED_B),
      registration(SLIDING),
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
t.afterEach(() => {
  standin.clock.reset();
});

t.test('the JWT issued expires when the one exchanged does, and keeps its auth_time', async (t) => {
  const login = (await client.login({ ...LOGIN, applicationId: FIXED_A })).response;
  const presented = decodeJwt(login.token!);
  standin.clock.advance(300);
  const issued = await client.issueJWT(FIXED_B, login.token!, undefined as never);
  t.equal(issued.statusCode, 200);
  const claims = decodeJwt(issued.response.token!);
  t.match(claims, { aud: FIXED_B, authenticationType: 'JWT_SSO', exp: presented.exp, auth_time: presented.auth_time });

  // Exchanging the new JWT again, and again, never reaches past the first one's expiry, even after a global logout.
  await client.logout(true, login.refreshToken!);
  standin.clock.advance(240);
  const again = await client.issueJWT(FIXED_A, issued.response.token!, undefined as never);
  t.equal(decodeJwt(again.response.token!).exp, presented.exp, 'a chain of exchanges keeps the first expiry');
  standin.clock.advance(120);
  t.equal((await settle(client.issueJWT(FIXED_B, again.response.token!, undefined as never))).statusCode, 401, 'and ends with it');
});

t.test('the refresh token issued starts and expires with the one presented', async (t) => {
  const login = (await client.login({ ...LOGIN, applicationId: FIXED_A })).response;
  standin.clock.advance(5 * 60);
  const issued = await client.issueJWT(FIXED_B, login.token!, login.refreshToken!);
  t.type(issued.response.refreshToken, 'string', 'the same policy: a refresh token');
  const tokens = (await client.retrieveRefreshTokens(USER)).response.refreshTokens!;
  const source = tokens.find((token) => token.applicationId === FIXED_A && token.id === login.refreshTokenId)!;
  const target = tokens.find((token) => token.applicationId === FIXED_B && token.id !== source.id && token.startInstant === source.startInstant);
  t.ok(target, "the new token's startInstant is the presented one's");

  t.equal((await client.exchangeRefreshTokenForJWT({ refreshToken: issued.response.refreshToken! })).statusCode, 200, 'it refreshes');
  standin.clock.advance(56 * 60);
  const late = await settle(client.exchangeRefreshTokenForJWT({ refreshToken: issued.response.refreshToken! }));
  t.equal(late.statusCode, 400, "it expired with the presented token (60 minutes), not a day after the exchange (Fixed B's own lifetime)");
});

t.test('no refresh token when the two applications’ expiration policies differ', async (t) => {
  const login = (await client.login({ ...LOGIN, applicationId: FIXED_A })).response;
  const issued = await client.issueJWT(SLIDING, login.token!, login.refreshToken!);
  t.equal(issued.statusCode, 200);
  t.type(issued.response.token, 'string');
  t.notOk(issued.response.refreshToken, 'Fixed against SlidingWindow');
});
