import fc from 'fast-check';
import t from 'tap';
import { csrfToken } from '../../src/oauth/login-csrf.js';
import {
  APP,
  basic,
  buildGrantApp,
  challengeOf,
  exchange,
  issueCode,
  loginThroughForm,
  OTHER_APP,
  REDIRECT,
  SECRET,
  VERIFIER,
} from '../helpers/fixtures.js';
import { contentType, cookieHeader, field, fuzz, huge, nasty, pairs, parsedForm, runs, serialize, type FuzzRun, type Pair } from './fuzz-helpers.js';

// Fuzzing /oauth2/*: authorize (GET, and the login POST with a valid CSRF token so that the credentials
// reach the password check), token (every grant), userinfo, introspect, logout. See fuzz-helpers.ts for the
// properties. Request counts are printed in the test's comments.

const CSRF_SECRET = 'c'.repeat(43);
const clientId = fc.constantFrom(APP, OTHER_APP, APP.toUpperCase());
// Standin's own /app/callback on another loopback port is nobody's redirect URI (docs/hardening-hosted-backend.md):
// `violation` fails a redirect there.
const redirect = fc.constantFrom(
  REDIRECT,
  REDIRECT,
  'https://forums.example.com/callback',
  'http://localhost:4444/app/callback',
  'http://localhost:9011/app/callback',
);
const authorizeFields = () => [
  field('client_id', clientId),
  field('redirect_uri', redirect),
  field('response_type', fc.constantFrom('code', 'code', 'token', 'id_token', 'code id_token')),
  field('scope', fc.constantFrom('openid offline_access', 'openid', 'profile email', 'openid openid')),
  field('state', fc.string({ maxLength: 20 })),
  field('nonce', fc.string({ maxLength: 20 })),
  field('code_challenge', challengeOf(VERIFIER)),
  field('code_challenge_method', fc.constantFrom('S256', 'plain')),
  field('prompt', fc.constantFrom('login', 'none', 'consent', 'login consent')),
  field('max_age', fc.constantFrom('0', '60', '99999999999999999999')),
  field('login_hint', fc.constantFrom('richard@example.com', '')),
  field('response_mode', fc.constantFrom('query', 'form_post', 'fragment')),
  field('tenantId', fc.constantFrom('aaaaaaaa-0000-4000-8000-000000000001', 'not-a-uuid')),
  field('idp_hint', fc.constant('x')),
];

t.test('fuzzing /oauth2/*', async (t) => {
  const app = await buildGrantApp(t);
  const run: FuzzRun = { count: 0 };
  const login = await loginThroughForm(
    app,
    { client_id: APP, redirect_uri: REDIRECT, scope: 'openid offline_access' },
    { loginId: 'richard@example.com', password: 'password1' },
  );
  const sso = login.sso!;
  const tokens = (await exchange(app, issueCode(app))).json<{ access_token: string; refresh_token: string; id_token: string }>();

  await t.test('GET /oauth2/authorize: fuzzed query, SSO cookie and CSRF cookie', async (t) => {
    await fuzz(
      t,
      app,
      run,
      'GET /oauth2/authorize',
      fc.tuple(pairs(authorizeFields()), fc.boolean(), fc.option(nasty)),
      ([list, withSso, cookie]) => ({
        method: 'GET',
        url: `/oauth2/authorize?${serialize(list)}`,
        headers: cookieHeader({ 'fusionauth.sso': withSso ? sso : undefined, 'standin.csrf': cookie ?? undefined }),
      }),
      { numRuns: runs(1800), countsUnchangedOnRefusal: () => true },
    );
  });

  await t.test('POST /oauth2/authorize: the login form with a valid or fuzzed CSRF token', async (t) => {
    // The login POST, with the CSRF token computed for exactly the fields sent, so the fuzzed credentials and
    // fields reach the password check; a failed login re-renders the page (200) and must write nothing.
    const loginFields = [
      ...authorizeFields(),
      field('loginId', fc.constantFrom('richard@example.com', 'RICHARD@example.com', 'monica@example.com', 'nobody@example.com')),
      field('password', fc.constantFrom('password1', 'wrong')),
      field('rememberDevice', fc.constantFrom('true', 'false')),
    ];
    await fuzz(
      t,
      app,
      run,
      'POST /oauth2/authorize (login)',
      fc.tuple(pairs(loginFields), contentType('application/x-www-form-urlencoded'), fc.boolean()),
      ([list, type, validCsrf]) => {
        const parsed = parsedForm(list);
        const withToken: Pair[] = validCsrf && parsed ? [...list, ['csrf_token', csrfToken(CSRF_SECRET, parsed)]] : list;
        return {
          method: 'POST',
          url: '/oauth2/authorize',
          headers: { ...(type === undefined ? {} : { 'content-type': type }), ...cookieHeader({ 'standin.csrf': CSRF_SECRET }) },
          payload: serialize(withToken),
        };
      },
      { numRuns: runs(1000), countsUnchangedOnRefusal: (response) => response.statusCode !== 302 },
    );
  });

  await t.test('POST /oauth2/token: every grant with fuzzed fields and client authentication', async (t) => {
    const tokenFields = [
      field(
        'grant_type',
        fc.constantFrom(
          'authorization_code',
          'authorization_code',
          'refresh_token',
          'refresh_token',
          'password',
          'client_credentials',
          'urn:ietf:params:oauth:grant-type:device_code',
        ),
      ),
      field('code', fc.constant('issue')),
      field('redirect_uri', redirect),
      field('client_id', fc.constantFrom(APP, APP, APP, OTHER_APP)),
      field('client_secret', fc.constantFrom(SECRET, SECRET, SECRET, 'wrong')),
      field('code_verifier', fc.constantFrom(VERIFIER, 'short')),
      field('refresh_token', fc.constant(tokens.refresh_token)),
      field('scope', fc.constantFrom('openid', 'openid offline_access admin', 'profile')),
      field('expires_in', fc.constantFrom('1', '60', '0', '1e3', '999999999999')),
      field('username', fc.constantFrom('richard@example.com', 'nobody@example.com')),
      field('password', fc.constantFrom('password1', 'wrong')),
    ];
    const authorization = fc.oneof(
      { arbitrary: fc.constant(null), weight: 5 },
      {
        arbitrary: fc.oneof(
          fc.constant(basic(APP, SECRET).authorization!),
          fc.constant('Basic !!!'),
          fc.constant(`Basic ${Buffer.from('a').toString('base64')}`),
          nasty.map((v) => `Basic ${Buffer.from(v).toString('base64')}`),
          nasty.map((v) => `Bearer ${v}`),
        ),
        weight: 1,
      },
    );
    await fuzz(
      t,
      app,
      run,
      'POST /oauth2/token',
      fc.tuple(pairs(tokenFields), contentType('application/x-www-form-urlencoded'), authorization),
      ([list, type, auth]) => {
        // A live code each time `code` keeps its valid value, so that mismatches are found past the lookup.
        const body = list.map(([k, v]): Pair =>
          k === 'code' && v === 'issue' ? [k, issueCode(app, { codeChallenge: challengeOf(VERIFIER) })] : [k, v],
        );
        return {
          method: 'POST',
          url: '/oauth2/token',
          headers: {
            ...(type === undefined ? {} : { 'content-type': type }),
            ...(auth === null ? {} : { authorization: auth.replace(/[^\t\x20-\x7e\x80-\xff]/g, '') }),
          },
          payload: serialize(body),
        };
      },
      { numRuns: runs(1500) },
    );
  });

  await t.test('userinfo, introspect, logout and unknown /oauth2 paths', async (t) => {
    const bearer = fc.option(
      fc.oneof(
        fc.constant(`Bearer ${tokens.access_token}`),
        fc.constant(`Bearer ${tokens.id_token}`),
        nasty.map((v) => `Bearer ${v}`),
        nasty,
        huge.map((v) => `Bearer ${v.slice(0, 8000)}`),
      ),
    );
    const endpoints = fc.oneof(
      fc.tuple(fc.constantFrom('GET', 'POST'), fc.constant('/oauth2/userinfo'), pairs([field('access_token', tokens.access_token)])),
      fc.tuple(
        fc.constant('POST'),
        fc.constant('/oauth2/introspect'),
        pairs([
          field('token', fc.constantFrom(tokens.access_token, tokens.refresh_token, tokens.id_token)),
          field('client_id', clientId),
          field('client_secret', SECRET),
          field('token_type_hint', fc.constantFrom('access_token', 'refresh_token')),
        ]),
      ),
      fc.tuple(
        fc.constantFrom('GET', 'POST'),
        fc.constant('/oauth2/logout'),
        pairs([
          field('client_id', clientId),
          field('post_logout_redirect_uri', redirect),
          field('id_token_hint', fc.constantFrom(tokens.id_token, tokens.access_token)),
          field('state', fc.string({ maxLength: 10 })),
          field('tenantId', fc.constant('x')),
        ]),
      ),
      fc.tuple(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
        fc.constantFrom('/oauth2/nope', '/oauth2/token', '/oauth2/authorize', '/oauth2/%00', '/oauth2/..%2f..%2fapi/status'),
        pairs([field('x', 'y')]),
      ),
    );
    await fuzz(
      t,
      app,
      run,
      'userinfo, introspect, logout, unknown',
      fc.tuple(endpoints, bearer, fc.boolean(), fc.boolean()),
      ([[method, url, list], auth, inQuery, withSso]) => ({
        method: method as 'GET',
        url: inQuery || method === 'GET' ? `${url}?${serialize(list)}` : url,
        headers: {
          ...(auth === null ? {} : { authorization: auth.replace(/[^\t\x20-\x7e\x80-\xff]/g, '') }),
          ...(inQuery || method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
          ...cookieHeader({ 'fusionauth.sso': withSso ? sso : undefined }),
        },
        ...(inQuery || method === 'GET' ? {} : { payload: serialize(list) }),
      }),
      { numRuns: runs(1200) },
    );
  });

  t.comment(`fuzzed ${run.count} requests on /oauth2/*`);
});
