import fc from 'fast-check';
import t from 'tap';
import { startLogin } from '../../src/hosted-backend/login-state.js';
import { APP, buildGrantApp, exchange, issueCode, OTHER_APP, REDIRECT } from '../helpers/fixtures.js';
import { cookieHeader, field, fuzz, nasty, pairs, runs, serialize, type FuzzRun } from './fuzz-helpers.js';

// Fuzzing the hosted backend (/app/*), discovery, JWKS, the home page, assets and unknown paths: odd methods,
// nasty path segments and query values, forged `state` for /app/callback, nasty Origin and cookies.

t.test('fuzzing /app/*, /.well-known/*, / and unknown paths', async (t) => {
  const app = await buildGrantApp(t);
  const run: FuzzRun = { count: 0 };
  const tokens = (await exchange(app, issueCode(app))).json<{ access_token: string; refresh_token: string }>();
  await t.test('/app/*: login, callback with forged states, logout, me and refresh', async (t) => {
    const clientId = fc.constantFrom(APP, OTHER_APP, APP.toUpperCase());
    // States made by someone else: bound to a verifier this browser does not hold, or hand-made with no binding.
    const loginState = fc
      .record(
        { clientId: fc.oneof(clientId, nasty), redirectUri: fc.oneof(fc.constant(REDIRECT), nasty), state: fc.option(nasty, { nil: undefined }) },
        { requiredKeys: ['clientId', 'redirectUri'] },
      )
      .map((value) => value as { clientId: string; redirectUri: string; state?: string });
    const forgedState = fc.oneof(
      loginState.map((value) => startLogin(value).state),
      loginState.map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
      loginState.map((value) => Buffer.from(JSON.stringify({ ...value, binding: 'x'.repeat(43) })).toString('base64url')),
    );
    const hosted = fc.oneof(
      fc.tuple(
        fc.constantFrom('/app/login', '/app/login/', '/app/register/'),
        fc.boolean(),
        pairs([
          field('client_id', clientId),
          field('redirect_uri', REDIRECT),
          field('state', nasty),
          field('scope', 'openid'),
          field('locale', nasty),
        ]),
      ),
      fc.tuple(
        fc.constant('/app/callback'),
        fc.constant(false),
        pairs([field('state', forgedState), field('code', fc.constant('issue')), field('locale', nasty), field('userState', nasty)]),
      ),
      fc.tuple(
        fc.constantFrom('/app/logout', '/app/logout/'),
        fc.boolean(),
        pairs([field('client_id', clientId), field('post_logout_redirect_uri', REDIRECT), field('redirect_uri', REDIRECT)]),
      ),
      fc.tuple(fc.constantFrom('/app/me', '/app/refresh', '/app/refresh/'), fc.constant(false), pairs([field('client_id', clientId)])),
    );
    const request = fc.tuple(
      hosted,
      fc.constantFrom('GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'OPTIONS', 'HEAD'),
      fc.oneof(
        { arbitrary: fc.constant(null), weight: 4 },
        { arbitrary: fc.oneof(fc.constant('https://store.example.com'), fc.constant('null'), nasty), weight: 1 },
      ),
      fc.boolean(),
      fc.oneof(fc.constant(undefined), nasty),
    );
    await fuzz(
      t,
      app,
      run,
      '/app/*',
      request,
      ([[path, clientInPath, list], method, origin, withCookies, body]) => {
        const query = list.map(
          ([k, v]) =>
            [k, k === 'code' && v === 'issue' ? issueCode(app, { redirectUri: 'http://localhost:9011/app/callback' }) : v] as (typeof list)[number],
        );
        const clientPair = query.find(([k]) => k === 'client_id');
        const url =
          clientInPath && clientPair && typeof clientPair[1] === 'string'
            ? `${path.replace(/\/$/, '')}/${encodeURIComponent(clientPair[1].replace(/[\uD800-\uDFFF]/g, ''))}`
            : path;
        return {
          method: method as 'GET',
          url: `${url}?${serialize(query)}`,
          headers: {
            ...(origin === null ? {} : { origin: origin.replace(/[^\t\x20-\x7e\x80-\xff]/g, '') }),
            ...cookieHeader(
              withCookies ? { 'app.rt': tokens.refresh_token, 'app.at': tokens.access_token, 'app.pkce_v': 'x'.repeat(43) } : { 'app.rt': undefined },
            ),
            ...(body === undefined ? {} : { 'content-type': 'text/plain' }),
          },
          ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { payload: body }),
        };
      },
      {
        numRuns: runs(1000),
        // Login CSRF (docs/hardening-hosted-backend.md): a callback this browser did not start never logs it in.
        alsoRequire: (response, [[path]]) => {
          if (path !== '/app/callback') return undefined;
          if (response.statusCode < 400) return `a forged /app/callback answered ${response.statusCode}`;
          return response.cookies.some((c) => c.name.startsWith('app.') && c.name !== 'app.pkce_v' && c.value !== '')
            ? 'a forged /app/callback set token cookies'
            : undefined;
        },
      },
    );
  });

  await t.test('discovery, JWKS, the home page, assets and unknown paths', async (t) => {
    const segment = fc.oneof(
      fc.constantFrom(
        '.well-known',
        'openid-configuration',
        'jwks.json',
        'oauth-authorization-server',
        'api',
        'oauth2',
        'app',
        '..',
        '.',
        '%2e%2e',
        '%00',
        '',
        'standin.css',
        'form-post.js',
        '_standin',
      ),
      nasty.map((v) => encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, ''))),
    );
    const publicPaths = fc.oneof(
      fc.constantFrom(
        '/.well-known/openid-configuration',
        '/.well-known/jwks.json',
        '/',
        '/standin.css',
        '/form-post.js',
        '/.well-known/openid-configuration/aaaaaaaa-0000-4000-8000-000000000001',
      ),
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
    );
    await fuzz(
      t,
      app,
      run,
      'public and unknown paths',
      fc.tuple(
        publicPaths,
        fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
        pairs([field('tenantId', 'aaaaaaaa-0000-4000-8000-000000000001'), field('x', nasty)]),
      ),
      ([path, method, list]) => ({
        method: method as 'GET',
        url: `${path}?${serialize(list)}`,
        headers: { host: 'localhost:9011' },
      }),
      { numRuns: runs(800), countsUnchangedOnRefusal: () => true },
    );
  });

  t.comment(`fuzzed ${run.count} requests on /app/*, discovery and unknown paths`);
});
