import t from 'tap';
import { buildApp } from '../../src/app.js';
import { startCliWithKickstart } from '../helpers/cli.js';

// The bundle replaces the functions find-my-way compiles as routes are added with closures
// (scripts/uncompiled-router.mjs). The built CLI must route every path as Standin's sources do with find-my-way as
// published: the same status for static paths that share prefixes and for near misses of each, and for paths whose
// answer depends on the ids they carry (the params object), each id in its place or swapped.
const API_KEY = 'bundled-router-api-key-0123456789abcdef';
const APP = 'b7000000-0000-4000-8000-000000000001';
const USER = 'b7000000-0000-4000-8000-0000000000e1';
const kickstart = {
  apiKeys: [{ key: API_KEY }],
  requests: [
    { url: `/api/application/${APP}`, body: { application: { name: 'Routed' } } },
    {
      url: `/api/user/registration/${USER}`,
      body: { user: { email: 'routed@example.com', password: 'password1' }, registration: { applicationId: APP } },
    },
  ],
};
const PATHS = [
  '/api/status',
  '/api/user',
  '/api/user/registration',
  '/api/user/change-password',
  '/api/user/forgot-password',
  '/api/user/search',
  '/api/user/verify-email',
  '/api/user/two-factor',
  '/api/two-factor/status',
  '/api/two-factor/start',
  '/api/two-factor/login',
  '/api/login',
  '/api/logout',
  '/api/jwt/refresh',
  '/api/jwt/validate',
  '/api/jwt/public-key',
  '/api/application',
  '/api/application/search',
  '/api/tenant/search',
  '/api/key/search',
  '/api/system/version',
  '/api/system-configuration',
  '/api/group/member',
  '/api/email/template',
  '/api/webhook',
  '/api/lambda',
  '/api/passwordless/start',
  '/oauth2/token',
  '/oauth2/authorize',
  '/oauth2/userinfo',
  '/oauth2/introspect',
  '/oauth2/logout',
  '/oauth2/register',
  '/oauth2/two-factor',
  '/.well-known/openid-configuration',
  '/.well-known/jwks.json',
  '/_standin/reset',
  '/password/forgot',
];
/** Each path, and its near misses: one character short, one character changed, one character more. */
const candidates = PATHS.flatMap((path) => [
  path,
  path.slice(0, -1),
  `${path.slice(0, -1)}#`.replace('#', path.endsWith('x') ? 'y' : 'x'),
  `${path}s`,
]);

t.test('the built CLI routes every path and its near misses as the sources do', async (t) => {
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'silent', folderPrefix: 'standin-router-' });
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', kickstart });
  t.teardown(() => app.close());
  const differences: string[] = [];
  for (const url of candidates) {
    for (const method of ['GET', 'POST'] as const) {
      const built = await fetch(`${cli.url}${url}`, { method, headers: { authorization: API_KEY }, redirect: 'manual' });
      await built.arrayBuffer();
      const source = await app.inject({ method, url, headers: { authorization: API_KEY } });
      if (built.status !== source.statusCode) differences.push(`${method} ${url}: built ${built.status}, sources ${source.statusCode}`);
    }
  }
  t.same(differences, [], `${candidates.length * 2} requests answered alike`);
  t.ok(candidates.length > 150, 'and the list is not empty');
  const found = await fetch(`${cli.url}/api/user/registration/${USER}/${APP}`, { headers: { authorization: API_KEY } });
  t.equal(found.status, 200, 'a path with two ids finds what they name');
});
