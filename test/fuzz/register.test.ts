import fc from 'fast-check';
import t from 'tap';
import { csrfToken } from '../../src/oauth/login-csrf.js';
import { apiHeaders, APP, buildGrantApp, challengeOf, OTHER_APP, REDIRECT, VERIFIER } from '../helpers/fixtures.js';
import { contentType, cookieHeader, field, fuzz, nasty, pairs, parsedForm, runs, serialize, type FuzzRun, type Pair } from './fuzz-helpers.js';

// Fuzzing the hosted registration page (docs/self-service-registration.md): GET with odd OAuth parameters, and
// the POST with a valid CSRF token so the fields reach the user checks. A refused form writes nothing.
const CSRF_SECRET = 'c'.repeat(43);

t.test('fuzzing /oauth2/register', async (t) => {
  const app = await buildGrantApp(t);
  const enabled = await app.inject({
    method: 'PATCH',
    url: `/api/application/${APP}`,
    headers: apiHeaders(),
    payload: {
      application: {
        registrationConfiguration: {
          enabled: true,
          confirmPassword: true,
          birthDate: { enabled: true },
          firstName: { enabled: true, required: true },
          preferredLanguages: { enabled: true },
        },
      },
    },
  });
  t.equal(enabled.statusCode, 200);
  const run: FuzzRun = { count: 0 };
  const oauthFields = () => [
    field('client_id', fc.constantFrom(APP, APP, OTHER_APP, APP.toUpperCase())),
    field('redirect_uri', fc.constantFrom(REDIRECT, REDIRECT, 'https://evil.example/cb')),
    field('response_type', fc.constantFrom('code', 'token')),
    field('scope', fc.constantFrom('openid offline_access', 'openid')),
    field('state', fc.string({ maxLength: 20 })),
    field('code_challenge', challengeOf(VERIFIER)),
    field('code_challenge_method', fc.constantFrom('S256', 'plain')),
    field('prompt', fc.constantFrom('login', 'none')),
  ];
  await fuzz(t, app, run, 'GET /oauth2/register', pairs(oauthFields()), (list) => ({ method: 'GET', url: `/oauth2/register?${serialize(list)}` }), {
    numRuns: runs(400),
    countsUnchangedOnRefusal: () => true,
  });

  const formFields = [
    ...oauthFields(),
    field('user.email', fc.constantFrom('new@example.com', 'richard@example.com', 'not-an-email', '')),
    field('user.password', fc.constantFrom('long-enough', 'short', '')),
    field('passwordConfirm', fc.constantFrom('long-enough', 'other-one')),
    field('user.firstName', fc.oneof(fc.constant('Monica'), nasty)),
    field('user.birthDate', fc.constantFrom('1990-01-02', '1990-13-45', 'yesterday')),
    field('user.preferredLanguages', fc.oneof(fc.constant('en, fr'), nasty)),
    field('rememberDevice', fc.constantFrom('true', 'false')),
  ];
  await fuzz(
    t,
    app,
    run,
    'POST /oauth2/register',
    fc.tuple(pairs(formFields), contentType('application/x-www-form-urlencoded'), fc.boolean()),
    ([list, type, validCsrf]) => {
      const parsed = parsedForm(list);
      const withToken: Pair[] = validCsrf && parsed ? [...list, ['csrf_token', csrfToken(CSRF_SECRET, parsed)]] : list;
      return {
        method: 'POST',
        url: '/oauth2/register',
        headers: { ...(type === undefined ? {} : { 'content-type': type }), ...cookieHeader({ 'standin.csrf': CSRF_SECRET }) },
        payload: serialize(withToken),
      };
    },
    { numRuns: runs(600), countsUnchangedOnRefusal: (response) => response.statusCode !== 302 },
  );
  t.comment(`fuzzed ${run.count} requests on /oauth2/register`);
});
