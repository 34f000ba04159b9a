import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin, type RunningStandin } from '../../src/index.js';
import { runCliToExit, startCli } from '../helpers/cli.js';
import { settle } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

const KEY = 'control-e2e-key-0123456789abcdefghij';
const APP = '0c0c0c0c-0000-4000-8000-000000000001';
const SECRET = 'control-secret-0123456789-abcdefghijklmnop';
const USER = '0d0d0d0d-0000-4000-8000-000000000001';
const CALLBACK = 'http://localhost:3000/callback';
const DAY = 86_400;

const kickstart = {
  apiKeys: [{ key: KEY }],
  requests: [
    {
      url: `/api/application/${APP}`,
      body: {
        application: {
          name: 'Shop',
          oauthConfiguration: {
            authorizedRedirectURLs: [CALLBACK],
            clientSecret: SECRET,
            enabledGrants: ['authorization_code', 'password', 'refresh_token'],
            generateRefreshTokens: true,
          },
        },
      },
    },
    {
      url: `/api/user/registration/${USER}`,
      body: { user: { email: 'dinesh@example.com', password: 'password1' }, registration: { applicationId: APP } },
    },
  ],
};

async function start(t: Test, options: Parameters<typeof startStandin>[0] = {}): Promise<RunningStandin> {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, ...options });
  t.teardown(() => standin.close());
  return standin;
}

const form = (url: string, fields: Record<string, string>) =>
  fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: APP, client_secret: SECRET, ...fields }),
  });
const passwordLogin = async (url: string) =>
  (await (
    await form(url, { grant_type: 'password', username: 'dinesh@example.com', password: 'password1', scope: 'openid offline_access' })
  ).json()) as { refresh_token: string; refresh_token_id: string };
const refreshStatus = async (url: string, refreshToken: string) =>
  (await form(url, { grant_type: 'refresh_token', refresh_token: refreshToken })).status;
const controlCall = (url: string, method: string, path: string, body?: object, key: string | undefined = KEY) =>
  fetch(`${url}${path}`, {
    method,
    headers: { ...(key ? { authorization: key } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

t.test('startStandin() with :memory: starts fast enough to run one per test worker', async (t) => {
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
    times.push(performance.now() - started);
    t.equal((await fetch(`${standin.url}/api/status`)).status, 200);
    await standin.close();
  }
  // Measured, not asserted (test/README.md: speed goals live in bench/): the first start also loads the modules.
  t.comment(`startStandin(:memory:, kickstart of 1 app + 1 user): ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
});

t.test('the clock, through startStandin() and over HTTP, expires a 30-day refresh token', async (t) => {
  const standin = await start(t);
  const first = await passwordLogin(standin.url);
  standin.clock.advance(30 * DAY);
  t.equal(await refreshStatus(standin.url, first.refresh_token), 400, 'programmatic: expired');
  standin.clock.reset();
  t.equal(await refreshStatus(standin.url, first.refresh_token), 200, 'back on the base clock');
  const moved = await controlCall(standin.url, 'POST', '/_standin/clock', { advanceSeconds: 30 * DAY });
  t.equal(moved.status, 200);
  t.equal(((await moved.json()) as { offsetMs: number }).offsetMs, 30 * DAY * 1000);
  t.equal(await refreshStatus(standin.url, first.refresh_token), 400, 'over HTTP: expired');
});

t.test('faults, through startStandin() and over HTTP, hit only their N requests', async (t) => {
  const standin = await start(t);
  standin.faults.add({ path: '/oauth2/token', status: 503, times: 2 });
  t.equal((await form(standin.url, { grant_type: 'password', username: 'x', password: 'y' })).status, 503);
  t.equal((await form(standin.url, { grant_type: 'password', username: 'x', password: 'y' })).status, 503);
  t.equal(
    (await form(standin.url, { grant_type: 'password', username: 'dinesh@example.com', password: 'password1' })).status,
    200,
    'the third is served',
  );

  t.equal(
    (
      await controlCall(standin.url, 'POST', '/_standin/faults', {
        path: '/oauth2/token',
        clientId: APP,
        oauthError: 'invalid_grant',
        errorReason: 'invalid_user_credentials',
      })
    ).status,
    201,
  );
  const refused = await form(standin.url, { grant_type: 'password', username: 'dinesh@example.com', password: 'password1' });
  t.equal(refused.status, 400);
  t.match(await refused.json(), { error: 'invalid_grant', error_reason: 'invalid_user_credentials' });
  t.same(standin.faults.list(), []);
  t.same(await (await controlCall(standin.url, 'GET', '/_standin/faults')).json(), { faults: [] });
});

t.test('revoke, expire and the listings, through startStandin() and over HTTP', async (t) => {
  const standin = await start(t);
  const browser = createHttpBrowser();
  await browser.authorize(
    `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', state: 's' })}`,
    { loginId: 'dinesh@example.com', password: 'password1' },
  );
  const a = await passwordLogin(standin.url);
  t.equal(standin.sessions().length, 1, 'the hosted login made an SSO session');
  t.same(
    standin.refreshTokens().map((family) => family.id),
    [a.refresh_token_id],
  );
  const listed = (await (await controlCall(standin.url, 'GET', '/_standin/refresh-tokens')).json()) as { refreshTokens: { id: string }[] };
  t.same(
    listed.refreshTokens.map((family) => family.id),
    [a.refresh_token_id],
  );
  t.equal(
    ((await (await controlCall(standin.url, 'GET', `/_standin/sessions?userId=${USER}`)).json()) as { sessions: unknown[] }).sessions.length,
    1,
  );

  t.same(standin.revoke({ refreshTokenId: a.refresh_token_id }), { refreshTokens: 1, ssoSessions: 0, authorizationCodes: 0 });
  t.equal(await refreshStatus(standin.url, a.refresh_token), 400);
  const b = await passwordLogin(standin.url);
  t.match(await (await controlCall(standin.url, 'POST', '/_standin/expire', { userId: USER })).json(), { refreshTokens: 1, ssoSessions: 1 });
  t.equal(await refreshStatus(standin.url, b.refresh_token), 400);
  const c = await passwordLogin(standin.url);
  t.match(await (await controlCall(standin.url, 'POST', '/_standin/revoke', { refreshToken: c.refresh_token })).json(), { refreshTokens: 1 });
  t.equal(await refreshStatus(standin.url, c.refresh_token), 400);
  t.same(standin.expire({ applicationId: APP }).refreshTokens, 0, 'nothing live is left');
});

t.test('reset, through startStandin() and over HTTP, returns to the kickstart', async (t) => {
  const standin = await start(t);
  const createUser = (id: string) =>
    fetch(`${standin.url}/api/user/${id}`, {
      method: 'POST',
      headers: { authorization: KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email: `${id}@example.com`, password: 'password1' } }),
    });
  const userStatus = async (id: string) => (await fetch(`${standin.url}/api/user/${id}`, { headers: { authorization: KEY } })).status;
  const extra = '0d0d0d0d-0000-4000-8000-0000000000ee';
  t.equal((await createUser(extra)).status, 200);
  const result = standin.reset();
  t.type(result.ms, 'number');
  t.equal(await userStatus(extra), 404, 'programmatic reset');
  t.equal((await createUser(extra)).status, 200);
  t.equal((await controlCall(standin.url, 'POST', '/_standin/reset')).status, 200);
  t.equal(await userStatus(extra), 404, 'HTTP reset');
  t.equal(await userStatus(USER), 200, 'the kickstart user stays');
});

t.test('reset on a database file, through the CLI: over HTTP, again after a restart, its copy removed at exit', async (t) => {
  const dir = temporaryFolder(t, 'standin-control-file-');
  // The CLI's temporary files go to a folder of this test's own (TMPDIR), to be counted.
  const temporary = join(dir, 'tmp');
  mkdirSync(temporary);
  const kickstartFile = join(dir, 'kickstart.json');
  writeFileSync(kickstartFile, JSON.stringify(kickstart));
  const args = ['--port', '0', '--db', join(dir, 'standin.db'), '--kickstart', kickstartFile, '--password-hashing', 'fast', '--log-level', 'warn'];
  const extra = '0d0d0d0d-0000-4000-8000-0000000000ef';
  for (const start of ['the first start, which seeds the file', 'a restart on it']) {
    const cli = await startCli(args, { TMPDIR: temporary });
    const client = new FusionAuthClient(KEY, cli.url);
    t.equal((await client.createUser(extra, { user: { email: 'extra@example.com', password: 'password1' } })).statusCode, 200);
    t.equal((await controlCall(cli.url, 'POST', '/_standin/reset')).status, 200, `${start}: reset answers 200`);
    t.equal((await settle(client.retrieveUser(extra))).statusCode, 404, `${start}: the user made since is gone`);
    t.equal((await client.retrieveUser(USER)).statusCode, 200, `${start}: the kickstart's user stays`);
    t.equal(readdirSync(temporary).length, 1, `${start}: one copy of the database kept aside`);
    t.equal(await cli.stop(), 0);
    t.same(readdirSync(temporary), [], `${start}: the copy is removed when Standin stops`);
  }
});

t.test('over HTTP a control needs the key, and is not there at all when switched off', async (t) => {
  const on = await start(t);
  t.equal((await controlCall(on.url, 'POST', '/_standin/reset', undefined, '')).status, 401, 'no key');
  t.equal((await controlCall(on.url, 'POST', '/_standin/clock', { advanceSeconds: 1 }, 'not-the-key')).status, 401, 'wrong key');

  const off = await start(t, { control: false });
  t.equal((await controlCall(off.url, 'GET', '/_standin/clock')).status, 404, 'off: 404 even with the key');
  off.clock.advance(60);
  t.equal(off.clock.offsetMs(), 60_000, 'the object startStandin() returns always has the controls');
});

t.test('the CLI: on by default on loopback, --control false and STANDIN_CONTROL=false switch it off, a bad value exits 2', async (t) => {
  const args = ['--port', '0', '--db', ':memory:', '--password-hashing', 'fast', '--log-level', 'warn'];
  for (const [label, extraArgs, env, status] of [
    ['default on loopback', [], {}, 401],
    ['--control false', ['--control', 'false'], {}, 404],
    ['STANDIN_CONTROL=false', [], { STANDIN_CONTROL: 'false' }, 404],
    ['--control beats the variable', ['--control'], { STANDIN_CONTROL: 'false' }, 401],
  ] as const) {
    const cli = await startCli([...args, ...extraArgs], env);
    t.teardown(() => cli.stop());
    t.equal((await fetch(`${cli.url}/_standin/clock`)).status, status, label);
  }
  const bad = await runCliToExit([...args, '--control', 'maybe']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /^standin: invalid --control "maybe"/);
});
