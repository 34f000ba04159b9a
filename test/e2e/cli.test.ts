import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import Database from 'better-sqlite3';
import { createRemoteJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import t from 'tap';
import { runCliToExit, startCli } from '../helpers/cli.js';
import { settle } from '../helpers/fusionauth-client.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

const API_KEY = 'e2e-api-key-that-is-long-enough-0123456789';
const TENANT_ID = 'bbbbbbbb-0000-4000-8000-000000000001';
const APP_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';

const kickstart = {
  variables: { defaultTenantId: TENANT_ID, keyId: '#{UUID()}' },
  apiKeys: [{ key: API_KEY }],
  requests: [
    { method: 'POST', url: '/api/key/generate/#{keyId}', body: { key: { algorithm: 'RS256', name: 'e2e key', length: 2048 } } },
    { method: 'PATCH', url: 'api/tenant/#{defaultTenantId}', body: { tenant: { issuer: 'https://e2e.example' } } },
    {
      method: 'POST',
      url: `/api/application/${APP_ID}`,
      body: {
        application: {
          name: 'E2E app',
          oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:4000/callback'], clientSecret: 'e2e-secret' },
          jwtConfiguration: { enabled: true, accessTokenKeyId: '#{keyId}', idTokenKeyId: '#{keyId}' },
        },
      },
    },
    {
      method: 'POST',
      url: '/api/user/registration',
      body: { user: { email: 'e2e@example.com', password: 'correct horse' }, registration: { applicationId: APP_ID } },
    },
  ],
};

// Every workspace is removed when the file's tests end (the file's own `t`, not a subtest's), after each test has
// killed its processes.
function workspace(): { dir: string; db: string; kickstartFile: string } {
  const dir = temporaryFolder(t, 'standin-e2e-');
  const kickstartFile = join(dir, 'kickstart.json');
  writeFileSync(kickstartFile, JSON.stringify(kickstart));
  return { dir, db: join(dir, 'data', 'standin.db'), kickstartFile };
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.json() };
}

t.test('the CLI seeds from a kickstart file, serves discovery and JWKS, and keeps everything across a restart', async (t) => {
  const { db, kickstartFile } = workspace();
  const args = ['--port', '0', '--db', db, '--kickstart', kickstartFile, '--password-hashing', 'fast', '--log-level', 'warn'];

  const first = await startCli(args);
  t.teardown(() => first.child.kill('SIGKILL'));
  t.equal((await fetch(`${first.url}/api/status`)).status, 200, '/api/status answers 200 once ready');

  const discovery = await getJson(`${first.url}/.well-known/openid-configuration`);
  t.equal(discovery.body.issuer, 'https://e2e.example', 'the issuer is the tenant issuer the kickstart set');
  t.equal(discovery.body.jwks_uri, `${first.url}/.well-known/jwks.json`);
  t.equal(discovery.body.token_endpoint, `${first.url}/oauth2/token`);

  const jwks = await getJson(discovery.body.jwks_uri);
  t.equal(jwks.body.keys.length, 2, 'the default signing key and the kickstart key, both RS256');
  for (const key of jwks.body.keys) {
    t.same(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use', 'x5c', 'x5t', 'x5t#S256'], 'public members only, with the certificate');
  }
  // A token signed with the private key in the database verifies against the served JWKS: the JWKS
  // publishes the very keys Standin holds.
  const reader = new Database(db, { readonly: true });
  const row = reader.prepare('SELECT kid, public_key, private_key FROM keys WHERE name = ?').get('e2e key') as {
    kid: string;
    public_key: string;
    private_key: string;
  };
  reader.close();
  const publicKey = await getJson(`${first.url}/api/jwt/public-key?applicationId=${APP_ID}`);
  t.equal(publicKey.body.publicKey, row.public_key, "/api/jwt/public-key?applicationId= gives the application's access token key");
  const token = await new SignJWT({ sub: 'someone' })
    .setProtectedHeader({ alg: 'RS256', kid: row.kid })
    .setIssuer('https://e2e.example')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importPKCS8(row.private_key, 'RS256'));
  const verified = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.body.jwks_uri)), {
    issuer: 'https://e2e.example',
    algorithms: ['RS256'],
  });
  t.equal(verified.protectedHeader.kid, row.kid);

  const user = await getJson(`${first.url}/api/user?email=e2e@example.com`, { authorization: API_KEY });
  t.equal(user.status, 200);
  t.equal(user.body.user.registrations[0].applicationId, APP_ID);

  t.equal(await first.stop('SIGTERM'), 0, 'SIGTERM closes the server and the database, and exits 0');
  t.equal(statSync(db).mode & 0o777, 0o600, 'the database file is 0600');
  t.equal(statSync(join(db, '..')).mode & 0o777, 0o700, 'its folder is 0700');

  const second = await startCli(args);
  t.teardown(() => second.child.kill('SIGKILL'));
  t.notMatch(second.stdout(), /seeded/, 'the kickstart does not run again on a database that holds data');
  const again = await getJson(`${second.url}/api/user?email=e2e@example.com`, { authorization: API_KEY });
  t.equal(again.body.user.id, user.body.user.id, 'the same user after the restart');
  const jwksAgain = await getJson(`${second.url}/.well-known/jwks.json`);
  t.same(jwksAgain.body.keys, jwks.body.keys, 'the same keys and kids after the restart');
  t.equal(await second.stop('SIGINT'), 0, 'SIGINT also exits cleanly');
});

t.test('on a restart the kickstart is only parsed: an environment variable it named may be gone, bad JSON still stops', async (t) => {
  const { dir, db } = workspace();
  const kickstartFile = join(dir, 'kickstart-env.json');
  writeFileSync(kickstartFile, JSON.stringify({ ...kickstart, apiKeys: [{ key: '#{ENV.STANDIN_E2E_SEED_KEY}' }] }));
  const args = ['--port', '0', '--db', db, '--kickstart', kickstartFile, '--password-hashing', 'fast', '--log-level', 'warn'];

  const first = await startCli(args, { STANDIN_E2E_SEED_KEY: API_KEY });
  t.teardown(() => first.child.kill('SIGKILL'));
  t.match(first.stdout(), /seeded/, 'seeded with the key from the environment');
  t.equal(await first.stop(), 0);

  const second = await startCli(args);
  t.teardown(() => second.child.kill('SIGKILL'));
  t.notMatch(second.stdout(), /seeded/, 'the variable is not set now, and the kickstart does not run');
  t.equal((await getJson(`${second.url}/api/application/${APP_ID}`, { authorization: API_KEY })).status, 200, 'the seeded key still works');
  t.equal(await second.stop(), 0);

  writeFileSync(kickstartFile, '{ "apiKeys": [');
  const broken = await runCliToExit(args);
  t.equal(broken.code, 2, 'a kickstart file that is not JSON still stops the start');
  t.match(broken.stderr, /is not valid JSON/);
});

t.test('FUSIONAUTH_APP_KICKSTART_FILE is honoured as FusionAuth does', async (t) => {
  const { db, kickstartFile } = workspace();
  const cli = await startCli(['--port', '0', '--db', db, '--password-hashing', 'fast', '--log-level', 'warn'], {
    FUSIONAUTH_APP_KICKSTART_FILE: kickstartFile,
  });
  t.teardown(() => cli.child.kill('SIGKILL'));
  const app = await getJson(`${cli.url}/api/application/${APP_ID}`, { authorization: API_KEY });
  t.equal(app.body.application.name, 'E2E app');
  await cli.stop();
});

t.test('piped, the log is JSON lines; the replayed kickstart is one banner line, not a request line each', async (t) => {
  const { db, kickstartFile } = workspace();
  const cli = await startCli(['--port', '0', '--db', db, '--kickstart', kickstartFile, '--password-hashing', 'fast', '--log-level', 'info']);
  t.teardown(() => cli.child.kill('SIGKILL'));
  await fetch(`${cli.url}/api/status`);
  await cli.stop();
  const lines = cli.stdout().split('\n');
  t.match(cli.stdout(), /seeded {4}now, from the kickstart: 4 requests replayed, 0 ignored\n/, 'the banner counts the replayed requests');
  const logLines = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; req?: { url: string } });
  const requests = logLines.filter((line) => line.msg === 'incoming request').map((line) => line.req!.url);
  t.same(requests, ['/api/status'], "the one request that came over the network is logged; the kickstart's are not");
});

t.test('after a restart, each route family is built by its first requests, and every request is logged once under one id', async (t) => {
  const { db, kickstartFile } = workspace();
  const args = ['--port', '0', '--db', db, '--kickstart', kickstartFile, '--password-hashing', 'fast', '--log-level', 'info'];
  const first = await startCli(args);
  t.teardown(() => first.child.kill('SIGKILL'));
  await first.stop();
  // The database has data: the kickstart is not replayed, so no request has built a route family yet.
  const cli = await startCli(args);
  t.teardown(() => cli.child.kill('SIGKILL'));
  const statusOf = async (path: string, headers: Record<string, string> = {}) => (await fetch(`${cli.url}${path}`, { headers })).status;
  t.equal(await statusOf('/api/status'), 200);
  // Requests arriving together while the API's family is built: each is answered as the API answers it.
  const together = await Promise.all([
    statusOf(`/api/application/${APP_ID}`, { authorization: API_KEY }),
    statusOf(`/api/application/${APP_ID}`),
    statusOf('/api/no-such-api', { authorization: API_KEY }),
  ]);
  t.same(together, [200, 401, 404]);
  const client = new FusionAuthClient(API_KEY, cli.url);
  t.equal((await client.retrieveApplication(APP_ID)).response.application?.name, 'E2E app', "FusionAuth's client is answered by the API's family");
  t.equal(await statusOf('/oauth2/authorize'), 400, "the hosted pages' family answers a bad authorize request");
  t.equal(await statusOf('/'), 200, 'and the home page');
  t.equal(await statusOf('/_standin/emails'), 401, "the test controls' family wants a key");
  t.equal(await statusOf('/nowhere'), 404);
  await cli.stop();

  const lines = cli
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; reqId?: string; req?: { url: string }; res?: { statusCode: number } });
  const incoming = lines.filter((line) => line.msg === 'incoming request');
  const completed = lines.filter((line) => line.msg === 'request completed');
  t.equal(incoming.length, 9, 'one incoming line a request');
  t.same(
    completed.map((line) => line.reqId).sort(),
    incoming.map((line) => line.reqId).sort(),
    'and one completion line under the same id, written once',
  );
  const statusById = new Map(completed.map((line) => [line.reqId, line.res?.statusCode]));
  const logged = incoming.map((line) => `${line.req!.url} ${statusById.get(line.reqId)}`);
  t.ok(logged.includes(`/api/application/${APP_ID} 200`), "the completion line has the family's status");
  t.ok(logged.includes('/_standin/emails 401'));
});

t.test('every option can come from the environment', async (t) => {
  const { dir } = workspace();
  const db = join(dir, 'env.db');
  const cli = await startCli([], {
    STANDIN_PORT: '0',
    STANDIN_DB: db,
    STANDIN_ISSUER: 'http://issuer.test:1234',
    STANDIN_LOG_LEVEL: 'warn',
    STANDIN_PASSWORD_HASHING: 'fast',
  });
  t.teardown(() => cli.child.kill('SIGKILL'));
  const discovery = await getJson(`${cli.url}/.well-known/openid-configuration`);
  t.equal(discovery.body.issuer, 'http://issuer.test:1234');
  t.ok(statSync(db).isFile(), 'STANDIN_DB chose the file');
  t.match(cli.stdout(), /default seed/, 'an empty database without a kickstart gets the default seed');
  await cli.stop();
});

t.test('after a restart the banner shows "password" only beside the default seed\'s users who still have it', async (t) => {
  const { dir } = workspace();
  const args = ['--port', '0', '--db', join(dir, 'demo.db'), '--password-hashing', 'fast', '--log-level', 'warn'];
  const first = await startCli(args);
  t.teardown(() => first.child.kill('SIGKILL'));
  t.match(first.stdout(), /^ {2}admin@example\.com \/ password {2}/m);
  t.match(first.stdout(), /^ {2}richard@example\.com \/ password {2}/m);
  const client = new FusionAuthClient(/API key {3}(\S+)/.exec(first.stdout())![1]!, first.url);
  await client.createUser(null as never, { user: { email: 'newcomer@example.com', password: 'a-password-of-their-own' } });
  const richard = (await client.retrieveUserByEmail('richard@example.com')).response.user!;
  await client.patchUser(richard.id!, { user: { password: 'richards-new-password' } });
  t.equal(await first.stop(), 0);

  const second = await startCli(args);
  t.teardown(() => second.child.kill('SIGKILL'));
  const users = second.stdout().slice(second.stdout().indexOf('\nUsers\n'));
  t.match(users, /^ {2}admin@example\.com \/ password {2}/m, "the admin still has the seed's password");
  t.match(users, /^ {2}richard@example\.com {2}registered/m, 'Richard changed his');
  t.match(users, /^ {2}newcomer@example\.com$/m, 'a user made through the API has a password of their own');
  const again = new FusionAuthClient(/API key {3}(\S+)/.exec(first.stdout())![1]!, second.url);
  const admin = await settle(again.login({ loginId: 'admin@example.com', password: 'password' }));
  t.equal(admin.statusCode, 200, 'what the banner shows logs in');
  await second.stop();
});

t.test('bad configuration prints one clear line on stderr and exits 2', async (t) => {
  const { dir } = workspace();
  const db = join(dir, 'bad.db');
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "apiKeys": [ ');
  const cases: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
    ['a port that is not a number', ['--port', 'abc'], {}, /invalid port "abc"/],
    ['a port out of range', ['--port', '70000'], {}, /invalid port 70000/],
    ['a port from the environment that is not a number', [], { STANDIN_PORT: 'eleven' }, /invalid port "eleven"/],
    ['an unknown password hashing cost', ['--password-hashing', 'none'], {}, /password-hashing.*none/],
    ['an unknown log level', ['--log-level', 'loud'], {}, /log-level.*loud/],
    ['an issuer that is not a URL', ['--issuer', 'not a url'], {}, /invalid issuer/],
    ['an unknown option', ['--colour', 'blue'], {}, /unknown option '--colour'/],
    ['a kickstart file that does not exist', ['--kickstart', join(dir, 'nope.json')], {}, /cannot read the kickstart file .*ENOENT/],
    ['a kickstart file that is not JSON', ['--kickstart', broken], {}, /is not valid JSON/],
  ];
  for (const [name, args, env, message] of cases) {
    const port = env.STANDIN_PORT === undefined ? ['--port', '0'] : [];
    const result = await runCliToExit(['--db', db, ...port, ...args], env, 30_000);
    t.equal(result.code, 2, `${name}: exit code 2`);
    const lines = result.stderr.trim().split('\n');
    t.equal(lines.length, 1, `${name}: one line`);
    t.match(lines[0], /^standin: /);
    t.match(lines[0], message, name);
  }
});

t.test('--help prints usage and exits 0', async (t) => {
  const result = await runCliToExit(['--help']);
  t.equal(result.code, 0);
  t.match(result.stdout, /--kickstart <file>/);
});
