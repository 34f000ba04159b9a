import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin, type StartOptions } from '../../src/index.js';
import { statusOf } from '../helpers/client-standin.js';

const API_KEY = 'reuse-api-key-0123456789abcdefghijklmnop';
const APP = 'bbbbbbbb-0000-4000-8000-00000000000b';
const options = (): StartOptions => ({
  passwordHashing: 'fast',
  logLevel: 'silent',
  limits: { lockoutFailures: 2 },
  kickstart: {
    apiKeys: [{ key: API_KEY }],
    requests: [
      { url: `/api/application/${APP}`, body: { application: { name: 'Reuse app' } } },
      { url: '/api/user/registration', body: { user: { email: 'ann@example.com', password: 'password-ann' }, registration: { applicationId: APP } } },
    ],
  },
});
const login = (client: FusionAuthClient, password: string) => statusOf(client.login({ loginId: 'ann@example.com', password, applicationId: APP }));

t.test('an instance closed by one test starts the next with none of its state', async (t) => {
  const first = await startStandin(options());
  const one = new FusionAuthClient(API_KEY, first.url);
  await one.register(undefined as unknown as string, {
    user: { email: 'bob@example.com', password: 'password-bob' },
    registration: { applicationId: APP },
  });
  t.equal(await login(one, 'wrong-1'), 404);
  t.equal(await login(one, 'wrong-2'), 404);
  t.equal(await login(one, 'password-ann'), 423, 'the first instance locked the login');
  first.faults.add({ path: '/api/status', status: 503, times: 5 });
  first.clock.advance(86_400);
  await first.close();

  const second = await startStandin(options());
  t.teardown(() => second.close());
  t.equal(second.app, first.app, "the first instance's server and routes are reused");
  const other = new FusionAuthClient(API_KEY, second.url);
  t.equal(await login(other, 'password-ann'), 200, 'no lock');
  t.equal(await statusOf(other.retrieveUserByEmail('bob@example.com')), 404, 'no user of the first test');
  t.equal((await fetch(`${second.url}/api/status`)).status, 200, 'no fault');
  t.ok(Math.abs(second.clock.now() - Date.now()) < 60_000, 'the clock on its base');
  const discovery = (await (await fetch(`${second.url}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  t.equal(discovery.token_endpoint, `${second.url}/oauth2/token`, 'URLs with the port it listens on now');
  t.equal(second.emails().length, 0);
});

t.test('a request in flight when close() is called is answered by its own instance', async (t) => {
  const first = await startStandin(options());
  // A fault delays the answer; close() cuts the delay short and the request ends before the instance is kept.
  first.faults.add({ path: '/api/user', status: 418, delayMs: 30_000 });
  const pending = fetch(`${first.url}/api/user?email=ann@example.com`, { headers: { authorization: API_KEY } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await first.close();
  t.equal((await pending).status, 418, "answered by the first instance's fault");
  const second = await startStandin(options());
  t.teardown(() => second.close());
  t.equal(second.app, first.app);
  const response = await fetch(`${second.url}/api/user?email=ann@example.com`, { headers: { authorization: API_KEY } });
  t.equal(response.status, 200, 'the second instance has no fault');
});

t.test('other options, freshSeed, or an instance still open: a new instance', async (t) => {
  const first = await startStandin(options());
  const open = await startStandin(options());
  t.teardown(() => open.close());
  t.not(open.app, first.app, 'an open instance is not shared');
  await first.close();
  const issuer = await startStandin({ ...options(), issuer: 'http://issuer.example' });
  t.teardown(() => issuer.close());
  t.not(issuer.app, first.app, 'another issuer');
  const fresh = await startStandin({ ...options(), freshSeed: true });
  t.teardown(() => fresh.close());
  t.not(fresh.app, first.app, 'freshSeed');
});
