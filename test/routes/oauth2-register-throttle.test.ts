import t from 'tap';
import { buildEmptyApp, hiddenFields, T0, testKickstart } from '../helpers/fixtures.js';

// The hosted registration page's POST is throttled per client address like the login form's
// (docs/hardening.md): each sign-up costs an argon2 hash and can tell which addresses have an account.
const APP = 'b0000000-0000-4000-8000-0000000000c1';
const CALLBACK = 'http://localhost:3000/cb';

t.test('past limits.failedLoginsPerAddress sign-ups a minute from one address: 429 with Retry-After, no user; the window ends', async (t) => {
  let now = T0;
  const app = await buildEmptyApp(t, {
    now: () => now,
    limits: { failedLoginsPerAddress: 3 },
    kickstart: testKickstart([
      {
        url: `/api/application/${APP}`,
        body: {
          application: { name: 'Sign-up', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] }, registrationConfiguration: { enabled: true } },
        },
      },
    ]),
  });
  const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code' });
  const page = await app.inject(`/oauth2/register?${query}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')?.value ?? '';
  const signUp = (email: string, remoteAddress = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: '/oauth2/register',
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { 'standin.csrf': csrf },
      payload: new URLSearchParams({ ...hiddenFields(page.body), 'user.email': email, 'user.password': 'long-enough-1' }).toString(),
    });

  t.equal((await signUp('one@example.com')).statusCode, 302, 'a sign-up');
  t.equal((await signUp('one@example.com')).statusCode, 400, 'a duplicate counts too');
  t.equal((await signUp('two@example.com')).statusCode, 302);
  const refused = await signUp('three@example.com');
  t.equal(refused.statusCode, 429, 'the fourth in the minute is refused');
  t.equal(refused.headers['retry-after'], '60');
  t.match(refused.body, /Too many sign-ups from your address. Try again in 60 seconds./);
  t.notMatch(refused.body, /Please correct the errors below/);
  t.equal(
    (await app.inject({ url: '/api/user?email=three@example.com', headers: { authorization: 'test-api-key-0123456789-abcdefghijklmnopqrstuvwxyz' } }))
      .statusCode,
    404,
    'no user was created',
  );
  t.equal((await signUp('four@example.com', '10.0.0.9')).statusCode, 302, 'another address is not affected');

  // The form's own errors cost no hash and do not count.
  const blank = await signUp('');
  t.equal(blank.statusCode, 400, 'a blank field is still answered by the form');

  now += 60_000;
  t.equal((await signUp('three@example.com')).statusCode, 302, 'the next minute: allowed again');
});
