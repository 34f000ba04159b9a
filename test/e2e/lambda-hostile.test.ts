import { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';

// A hostile JWT populate lambda cannot stop Standin or the request that runs it
// (docs/lambdas.md, "Isolation"): the token is issued unmodified, and other requests are answered meanwhile.
const API_KEY = 'lambda-hostile-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const USER = { loginId: 'jared@example.com', password: 'password' };
const USER_ID = '00000000-0000-0000-0000-444444444444';
const BODIES: Record<string, string> = {
  loop: 'function populate(jwt) { jwt.loop = true; while (true) {} }',
  memory: 'function populate(jwt) { jwt.memory = []; while (true) jwt.memory.push(new Array(1e6).fill(1)); }',
  escape: "function populate(jwt) { const p = this.constructor.constructor('return process')(); jwt.pid = p.pid; }",
  reserved:
    'function populate(jwt) { jwt.exp = jwt.exp + 86400; jwt.iat = 1; delete jwt.tid; jwt.sub = "nobody"; jwt.auth_time = 2; jwt.tty = "x"; jwt.amr = ["x"]; jwt.cnf = {}; jwt.jti = "mine"; jwt.extra = 1; }',
  fine: 'function populate(jwt, user) { jwt.fine = user.data.favoriteColor; }',
};
const appId = (index: number) => `c8000000-0000-4000-8000-00000000000${index}`;
const lambdaId = (index: number) => `c8000000-0000-4000-8000-0000000000a${index}`;
const NAMES = Object.keys(BODIES);

t.test('hostile lambdas', async (t) => {
  const requests: Array<{ url: string; body: Record<string, unknown> }> = NAMES.flatMap((name, index) => [
    { url: `/api/lambda/${lambdaId(index)}`, body: { lambda: { name, type: 'JWTPopulate', body: BODIES[name] } } },
    { url: `/api/application/${appId(index)}`, body: { application: { name, lambdaConfiguration: { accessTokenPopulateId: lambdaId(index) } } } },
  ]);
  requests.push({ url: `/api/user/${USER_ID}`, body: { user: { email: USER.loginId, password: USER.password, data: { favoriteColor: 'green' } } } });
  for (const [index] of NAMES.entries())
    requests.push({
      url: `/api/user/registration/${USER_ID}`,
      body: { registration: { applicationId: appId(index) }, skipRegistrationVerification: true },
    });
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: { variables: { defaultTenantId: TENANT }, apiKeys: [{ key: API_KEY }], requests },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const login = async (name: string) => decodeJwt((await client.login({ ...USER, applicationId: appId(NAMES.indexOf(name)) })).response.token!);

  t.test('an infinite loop: the login answers with the token unmodified, and the server answers others meanwhile', async (t) => {
    const order: string[] = [];
    const looping = login('loop').then((claims) => (order.push('login'), claims));
    const status = fetch(`${standin.url}/api/status`).then((response) => (order.push('status'), response.status));
    const [claims, code] = await Promise.all([looping, status]);
    t.equal(code, 200);
    t.same(order, ['status', 'login'], 'the status answer did not wait for the lambda');
    t.notOk('loop' in claims);
    t.match(claims, { sub: USER_ID, aud: appId(NAMES.indexOf('loop')) });
  });

  for (const name of ['memory', 'escape']) {
    t.test(`${name}: the token is issued without the lambda’s changes`, async (t) => {
      const claims = await login(name);
      t.notOk(name in claims || 'pid' in claims);
      t.equal(claims.sub, USER_ID);
    });
  }

  t.test('reserved claims stay Standin’s and exp is never raised', async (t) => {
    const plain = decodeJwt((await client.login({ ...USER, applicationId: appId(NAMES.indexOf('fine')) })).response.token!);
    const before = Math.floor(Date.now() / 1000);
    const claims = await login('reserved');
    const after = Math.floor(Date.now() / 1000);
    t.equal(claims.extra, 1, 'other claims are the lambda’s');
    t.match(claims, { sub: USER_ID, tid: TENANT });
    // The login's own time, whatever the lambda set (two logins may fall in different seconds).
    const authTime = Number(claims.auth_time);
    t.ok(authTime >= before && authTime <= after, 'auth_time is the login’s');
    t.equal(claims.exp! - claims.iat!, plain.exp! - plain.iat!, 'exp kept');
    t.not(claims.iat, 1);
    t.not(claims.jti, 'mine');
    for (const name of ['tty', 'amr', 'cnf']) t.notOk(name in claims, `${name} not added`);
  });

  t.test('after all of them, a lambda still runs and the server still serves', async (t) => {
    t.equal((await login('fine')).fine, 'green');
    t.equal((await fetch(`${standin.url}/api/status`)).status, 200);
    const failures = await client.searchEventLogs({ search: { type: 'Error' as never, message: 'Lambda invocation failed' } });
    t.ok(failures.response.total! >= 3, 'each failure is in the event log');
  });
});
