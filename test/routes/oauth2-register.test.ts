import t, { type Test } from 'tap';
import { apiHeaders, buildEmptyApp, hiddenFields, testKickstart } from '../helpers/fixtures.js';

// The hosted registration page's form variants (docs/self-service-registration.md), through app.inject.
const APP = 'b0000000-0000-4000-8000-0000000000b1';
const CALLBACK = 'http://localhost:3000/cb';

async function setUp(t: Test, registrationConfiguration: object) {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Sign-up',
            oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], enabledGrants: ['authorization_code'] },
            registrationConfiguration,
          },
        },
      },
    ]),
  });
  const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', state: '<script>x</script>' });
  const page = await app.inject(`/oauth2/register?${query}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')?.value ?? '';
  const post = (fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/oauth2/register',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { 'standin.csrf': csrf },
      payload: new URLSearchParams({ ...hiddenFields(page.body), ...fields }).toString(),
    });
  return { app, page, post };
}

t.test('loginIdType username asks for a username, and the optional fields are stored as FusionAuth types them', async (t) => {
  const { app, page, post } = await setUp(t, {
    enabled: true,
    loginIdType: 'username',
    birthDate: { enabled: true, required: true },
    preferredLanguages: { enabled: true },
    mobilePhone: { enabled: true },
  });
  t.equal(page.statusCode, 200);
  t.match(page.body, 'name="user.username"');
  t.notMatch(page.body, 'name="user.email"');
  t.notMatch(page.body, '<script>x</script>', 'reflected values are escaped');
  t.notMatch(page.body, 'name="passwordConfirm"', 'no confirmation unless confirmPassword');

  const missing = await post({ 'user.username': 'bighead', 'user.password': 'bighead-pass' });
  t.equal(missing.statusCode, 400);
  t.match(missing.body, /id="birthDate-error">Required</);
  const bad = await post({ 'user.username': 'bighead', 'user.password': 'bighead-pass', 'user.birthDate': '1990-13-45' });
  t.match(bad.body, /id="birthDate-error">Invalid</);
  const languages = Array.from({ length: 21 }, (_, index) => `en-${String(100 + index)}`).join(', ');
  const tooMany = await post({ 'user.username': 'bighead', 'user.password': 'bighead-pass', 'user.preferredLanguages': languages });
  t.match(tooMany.body, /id="preferredLanguages-error">Too many</, 'FusionAuth allows at most 20 languages');

  const done = await post({
    'user.username': 'bighead',
    'user.password': 'bighead-pass',
    'user.birthDate': '1990-02-03',
    'user.preferredLanguages': 'en, fr',
    'user.mobilePhone': '+15555550111',
  });
  t.equal(done.statusCode, 302);
  t.match(done.headers.location, /^http:\/\/localhost:3000\/cb\?code=/);
  const user = (await app.inject({ url: '/api/user?username=bighead', headers: apiHeaders() })).json().user;
  t.match(user, { username: 'bighead', birthDate: '1990-02-03', preferredLanguages: ['en', 'fr'], mobilePhone: '+15555550111' });
  t.notOk('email' in user);

  const taken = await post({ 'user.username': 'BigHead', 'user.password': 'bighead-pass', 'user.birthDate': '1990-02-03' });
  t.match(taken.body, 'An account already exists for that username');
});

t.test('an advanced registration that names no form says so', async (t) => {
  const { page } = await setUp(t, { enabled: true, type: 'advanced' });
  t.equal(page.statusCode, 400);
  t.match(page.body, 'The registration form of this application does not exist.');
});

t.test('a form that was not rendered by Standin is refused', async (t) => {
  const { app, page } = await setUp(t, { enabled: true });
  const response = await app.inject({
    method: 'POST',
    url: '/oauth2/register',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    payload: new URLSearchParams({ ...hiddenFields(page.body), 'user.email': 'x@example.com', 'user.password': 'long-enough' }).toString(),
  });
  t.equal(response.statusCode, 403);
  t.equal((await app.inject({ url: '/api/user?email=x%40example.com', headers: apiHeaders() })).statusCode, 404);
});
