import { FusionAuthClient, type LoginResponse } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields } from '../helpers/login.js';
import { startWithAuthenticator } from '../helpers/authenticator-standin.js';

// Step-up (docs/two-factor.md, "Step-up and trust tokens") through FusionAuth's TypeScript client:
// POST /api/two-factor/start, finished at POST /api/two-factor/login.
const API_KEY = 'two-factor-step-up-api-key-0123456789';
const APP = 'b4000000-0000-4000-8000-000000000001';
const USER = 'b4000000-0000-4000-8000-0000000000e1';
const PLAIN = 'b4000000-0000-4000-8000-0000000000e2';
const EMAIL = 'gavin@example.com';
const CALLBACK = 'http://localhost:3000/callback';
const { standin, client, code } = await startWithAuthenticator(t, {
  apiKey: API_KEY,
  userId: USER,
  requests: [
    {
      url: `/api/application/${APP}`,
      body: {
        application: {
          name: 'Hooli',
          loginConfiguration: { generateRefreshTokens: true },
          oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], enabledGrants: ['authorization_code'] },
        },
      },
    },
    { url: `/api/user/registration/${USER}`, body: { user: { email: EMAIL, password: 'password1' }, registration: { applicationId: APP } } },
    {
      url: `/api/user/registration/${PLAIN}`,
      body: { user: { username: 'bighead', password: 'password1' }, registration: { applicationId: APP } },
    },
  ],
});
const anonymous = new FusionAuthClient('', standin.url);
const methodId = (await client.retrieveUser(USER)).response.user!.twoFactor!.methods![0]!.id;

t.test('start answers a code, the methods and a twoFactorId; the code finishes the login with the state and a trustToken', async (t) => {
  const state = { redirect_uri: 'https://hooli.example/transfer', step: 2 };
  const started = await client.startTwoFactorLogin({ userId: USER, applicationId: APP, state });
  t.equal(started.statusCode, 200);
  t.match(started.response.code, /^\d{6}$/, "FusionAuth's default code: six digits");
  t.same(started.response.methods, [
    { id: methodId, method: 'authenticator', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } },
  ]);
  t.type(started.response.twoFactorId, 'string');

  const done = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId!, code: started.response.code!, applicationId: APP });
  t.equal(done.statusCode, 200);
  const answer = done.response as LoginResponse & { state?: unknown };
  t.same(answer.state, state, 'the start request state comes back unchanged');
  t.type(answer.trustToken, 'string', 'a trustToken');
  t.type(answer.token, 'string', 'and the Login API answer: a JWT');
  t.type(answer.refreshToken, 'string');
  t.equal(answer.user?.id, USER);

  const again = await settle(client.twoFactorLogin({ twoFactorId: started.response.twoFactorId!, code: started.response.code!, applicationId: APP }));
  assertEmpty(t, again, 404);
});

t.test("by loginId with the caller's own code; a code of the user's authenticator finishes it too", async (t) => {
  standin.clock.advance(30);
  const own = await client.startTwoFactorLogin({ loginId: EMAIL, applicationId: APP, code: 'pigeon-42' });
  t.equal(own.response.code, 'pigeon-42', 'the given code is the answered one');
  const wrong = await settle(client.twoFactorLogin({ twoFactorId: own.response.twoFactorId!, code: '000000', applicationId: APP }));
  assertEmpty(t, wrong, 421);
  const done = await client.twoFactorLogin({ twoFactorId: own.response.twoFactorId!, code: 'pigeon-42', applicationId: APP });
  t.equal(done.statusCode, 200, 'a wrong code leaves the step-up pending');

  const started = await client.startTwoFactorLogin({ loginId: EMAIL, loginIdTypes: ['email'], applicationId: APP });
  const byAuthenticator = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId!, code: code(), applicationId: APP });
  t.equal(byAuthenticator.statusCode, 200);
  t.notOk((byAuthenticator.response as { state?: unknown }).state, 'no state was given, none comes back');
});

t.test('a user with no method can step up: the answer has no methods', async (t) => {
  const started = await client.startTwoFactorLogin({ loginId: 'bighead', applicationId: APP });
  t.equal(started.statusCode, 200);
  t.notOk('methods' in started.response, 'methods left out');
  const done = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId!, code: started.response.code!, applicationId: APP });
  t.equal(done.statusCode, 200);
  t.equal(done.response.user?.id, PLAIN);
});

t.test('start refuses what FusionAuth refuses', async (t) => {
  assertEmpty(t, await settle(client.startTwoFactorLogin({ userId: 'b4000000-0000-4000-8000-0000000000ff', applicationId: APP })), 404);
  assertEmpty(t, await settle(client.startTwoFactorLogin({ loginId: 'nobody@example.com', applicationId: APP })), 404);
  assertFieldError(t, await settle(client.startTwoFactorLogin({ applicationId: APP })), 'loginId', 'blank');
  assertFieldError(
    t,
    await settle(client.startTwoFactorLogin({ userId: USER, applicationId: 'b4000000-0000-4000-8000-0000000000aa' })),
    'applicationId',
    'invalid',
  );
  assertEmpty(t, await settle(anonymous.startTwoFactorLogin({ userId: USER, applicationId: APP })), 401);
});

t.test('a two-factor login after a 242 answers a trustToken as well', async (t) => {
  standin.clock.advance(30);
  const first = await settle(client.login({ loginId: EMAIL, password: 'password1', applicationId: APP }));
  t.equal(first.statusCode, 242);
  const done = await client.twoFactorLogin({
    twoFactorId: (first.response as { twoFactorId: string }).twoFactorId,
    code: code(),
    applicationId: APP,
  });
  t.type(done.response.trustToken, 'string');
});

t.test("the hosted page's two-factor step does not finish a step-up: it had no password step", async (t) => {
  standin.clock.advance(30);
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  const browser = createHttpBrowser();
  const form = await (await browser.get(authorize)).text();
  const stepPage = await (
    await browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(form), loginId: EMAIL, password: 'password1' })
  ).text();
  t.match(stepPage, 'name="twoFactorId"', 'the hosted two-factor step');

  const started = await client.startTwoFactorLogin({ userId: USER, applicationId: APP });
  const posted = await browser.post(`${standin.url}/oauth2/two-factor`, {
    ...hiddenFields(stepPage),
    twoFactorId: started.response.twoFactorId!,
    code: started.response.code!,
  });
  t.not(posted.status, 302, 'no redirect with a code');
  t.notOk(browser.cookie('fusionauth.sso'), 'and no SSO session');
  const done = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId!, code: started.response.code!, applicationId: APP });
  t.equal(done.statusCode, 200, 'the step-up still finishes where it belongs');
});
