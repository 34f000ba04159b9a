// An integration suite as a CI job would write it: each test file (a tap worker) starts its own Standin
// on a free port with an in-memory database, seeded by an inline kickstart; every test starts from the
// kickstart's state (reset); expiry is tested by moving Standin's clock, outages by injecting faults.
// Run it with `npx tap examples/ci-suite.test.ts` (npm test runs it too).
import t from 'tap';
import { startStandin } from '../src/index.js'; // in your project: from 'standin'

const API_KEY = 'ci-suite-api-key-0123456789abcdefghij';
const SHOP = '5b0e0000-0000-4000-8000-000000000001';
const SHOP_SECRET = 'shop-secret-0123456789-abcdefghijklmnop';

// --- The code under test: a backend's "refresh the session" step (FusionAuth's POST /api/jwt/refresh). ---

type RefreshOutcome = { kind: 'refreshed'; jwt: string; refreshToken: string } | { kind: 'login-required' } | { kind: 'unavailable' };

async function refreshSession(authUrl: string, refreshToken: string, timeoutMs = 1000): Promise<RefreshOutcome> {
  let response: Response;
  try {
    response = await fetch(`${authUrl}/api/jwt/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return { kind: 'unavailable' }; // timed out or unreachable: keep the user's cookies, try again later
  }
  if (response.ok) {
    const body = (await response.json()) as { token: string; refreshToken: string };
    return { kind: 'refreshed', jwt: body.token, refreshToken: body.refreshToken };
  }
  return response.status >= 500 ? { kind: 'unavailable' } : { kind: 'login-required' };
}

async function logIn(authUrl: string): Promise<{ refreshToken: string }> {
  const response = await fetch(`${authUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: SHOP,
      client_secret: SHOP_SECRET,
      username: 'ci@example.com',
      password: 'password1',
      scope: 'offline_access',
    }),
  });
  const body = (await response.json()) as { refresh_token?: string; error?: string };
  if (!body.refresh_token) throw new Error(`login failed: ${body.error}`);
  return { refreshToken: body.refresh_token };
}

// --- One Standin for this worker. ---

const standin = await startStandin({
  passwordHashing: 'fast', // cheap argon2: the suite creates users, nobody attacks them
  kickstart: {
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        url: `/api/application/${SHOP}`,
        body: {
          application: {
            name: 'Shop',
            oauthConfiguration: {
              clientSecret: SHOP_SECRET,
              enabledGrants: ['password', 'refresh_token'],
              generateRefreshTokens: true,
              authorizedRedirectURLs: ['http://localhost:3000/callback'],
            },
            loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true },
          },
        },
      },
      { url: '/api/user/registration', body: { user: { email: 'ci@example.com', password: 'password1' }, registration: { applicationId: SHOP } } },
    ],
  },
});
t.teardown(() => standin.close());
// Each test starts from the kickstart's state: no sessions, no faults, the real time. Well under a millisecond or two.
t.beforeEach(() => void standin.reset());

t.test('a fresh refresh token refreshes the session', async (t) => {
  const { refreshToken } = await logIn(standin.url);
  t.match(await refreshSession(standin.url, refreshToken), { kind: 'refreshed' });
});

t.test('after 30 days the refresh token is over and the user must log in again', async (t) => {
  const { refreshToken } = await logIn(standin.url);
  standin.clock.advance(30 * 24 * 3600); // the tenant's default refresh token lifetime, in one call
  t.same(await refreshSession(standin.url, refreshToken), { kind: 'login-required' });
});

t.test('a revoked refresh token sends the user to log in', async (t) => {
  const { refreshToken } = await logIn(standin.url);
  standin.revoke({ refreshToken });
  t.same(await refreshSession(standin.url, refreshToken), { kind: 'login-required' });
});

t.test('an outage of the auth server is not a logout', async (t) => {
  const { refreshToken } = await logIn(standin.url);
  standin.faults.add({ method: 'POST', path: '/api/jwt/refresh', status: 503, times: 1 });
  t.same(await refreshSession(standin.url, refreshToken), { kind: 'unavailable' }, 'the 503: keep the session');
  t.match(await refreshSession(standin.url, refreshToken), { kind: 'refreshed' }, 'the next try works: the fault was for one request');
});

t.test('a slow auth server times out without logging the user out', async (t) => {
  const { refreshToken } = await logIn(standin.url);
  standin.faults.add({ path: '/api/jwt/refresh', delayMs: 300 });
  t.same(await refreshSession(standin.url, refreshToken, 100), { kind: 'unavailable' });
});

t.test('the same controls over HTTP, for a suite in another language', async (t) => {
  const headers = { authorization: API_KEY, 'content-type': 'application/json' };
  const { refreshToken } = await logIn(standin.url);
  await fetch(`${standin.url}/_standin/faults`, { method: 'POST', headers, body: JSON.stringify({ path: '/api/jwt/refresh', status: 503 }) });
  t.same(await refreshSession(standin.url, refreshToken), { kind: 'unavailable' });
  await fetch(`${standin.url}/_standin/clock`, { method: 'POST', headers, body: JSON.stringify({ advanceSeconds: 30 * 24 * 3600 }) });
  t.same(await refreshSession(standin.url, refreshToken), { kind: 'login-required' });
  await fetch(`${standin.url}/_standin/reset`, { method: 'POST', headers: { authorization: API_KEY } });
  t.same(standin.faults.list(), []);
});
