import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FusionAuthClient, type BaseConnectorConfiguration } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

// A Generic connector at login (https://fusionauth.io/docs/lifecycle/migrate-users/connectors/generic-connector), through
// @fusionauth/typescript-client against a listening Standin, the connector's endpoint a node:http server on loopback
// started here: who it authenticates, what it is sent, migrate true and false, domains, and its failures.
const API_KEY = 'client-connector-login-api-key-0123456789';
const TENANT = 'c0200000-0000-4000-8000-0000000000a1';
const APP = 'c0200000-0000-4000-8000-0000000000b1';
const SECRET = 'client-connector-login-client-secret-012345';
const PLAIN = 'c0200000-0000-4000-8000-0000000000c1';
const MIGRATING = 'c0200000-0000-4000-8000-0000000000c2';
const FUSIONAUTH_CONNECTOR = 'e3306678-a53a-4964-9040-1c96f36dda72';
const ALICE = 'c0200000-0000-4000-8000-0000000000d1';
const BOB = 'c0200000-0000-4000-8000-0000000000d2';
const GRACE = 'c0200000-0000-4000-8000-0000000000d3';
const NO_ID = undefined as unknown as string;

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, any>;
}

/**
 * The legacy user store: `right-password` authenticates the users below, anyone else is a 404; `mode` makes it fail
 * every request (500), answer too late, or answer a 200 with no user.
 */
async function startLegacyStore() {
  const users: Record<string, { id: string; email: string; firstName: string }> = {
    'alice@legacy.example': { id: ALICE, email: 'alice@legacy.example', firstName: 'Alice' },
    'bob@migrate.example': { id: BOB, email: 'bob@migrate.example', firstName: 'Bob' },
    'grace@legacy.example': { id: GRACE, email: 'grace@legacy.example', firstName: 'Grace' },
  };
  const received: Received[] = [];
  const state = { mode: 'up' as 'up' | 'down' | 'slow' | 'no-user', firstName: '' };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body = JSON.parse(text) as Record<string, any>;
      received.push({ path: request.url ?? '', headers: request.headers, body });
      if (state.mode === 'down') return void response.writeHead(500).end('{}');
      if (state.mode === 'slow') return void setTimeout(() => response.writeHead(404).end(), 2000).unref();
      if (state.mode === 'no-user')
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"user": {"email": "x@legacy.example"}}');
      const user = users[body.loginId as string];
      if (!user || body.password !== 'right-password') return void response.writeHead(404).end();
      const answered = { ...user, ...(state.firstName ? { firstName: state.firstName } : {}), registrations: [{ applicationId: APP, roles: [] }] };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user: answered }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    state,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

t.test('a Generic connector at login', async (t) => {
  const legacy = await startLegacyStore();
  t.teardown(() => legacy.close());
  const receiver = await startWebhookReceiver();
  t.teardown(() => receiver.close());
  const connector = (name: string, path: string) => ({
    type: 'Generic',
    name,
    authenticationURL: `${legacy.url}${path}`,
    connectTimeout: 1000,
    readTimeout: 500,
    headers: { 'X-Legacy-Key': 'header-secret' },
    httpAuthenticationUsername: 'standin',
    httpAuthenticationPassword: 'basic-secret',
    debug: true,
  });
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        { url: `/api/connector/${PLAIN}`, body: { connector: connector('Legacy', '/plain') } },
        { url: `/api/connector/${MIGRATING}`, body: { connector: connector('Migrating', '/migrate') } },
        {
          method: 'PATCH',
          url: `/api/tenant/${TENANT}`,
          body: {
            tenant: {
              connectorPolicies: [
                { connectorId: PLAIN, domains: ['legacy.example'], migrate: false },
                { connectorId: MIGRATING, domains: ['migrate.example'], migrate: true },
                { connectorId: FUSIONAUTH_CONNECTOR },
              ],
              eventConfiguration: { events: { 'user.login.success': { enabled: true, transactionType: 'None' } } },
            },
          },
        },
        {
          url: `/api/application/${APP}`,
          body: { application: { name: 'Shop', oauthConfiguration: { clientSecret: SECRET, enabledGrants: ['password'] } } },
        },
        {
          url: '/api/webhook',
          body: {
            webhook: { url: receiver.url, connectTimeout: 1000, readTimeout: 2000, global: true, eventsEnabled: { 'user.login.success': true } },
          },
        },
        {
          url: '/api/user/registration',
          body: { user: { email: 'dave@other.example', password: 'local-password' }, registration: { applicationId: APP } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const login = (loginId: string, password: string) => settle(client.login({ loginId, password, applicationId: APP }));

  t.test('the connector authenticates a user it knows, who is created here with its registrations', async (t) => {
    const answer = await login('alice@legacy.example', 'right-password');
    t.equal(answer.statusCode, 200);
    t.match(answer.response.user, { id: ALICE, email: 'alice@legacy.example', firstName: 'Alice' });
    t.type(answer.response.token, 'string', 'a JWT for a user registered to the application by the connector');

    const sent = legacy.received.at(-1)!;
    t.equal(sent.path, '/plain');
    t.match(sent.body, { loginId: 'alice@legacy.example', password: 'right-password', applicationId: APP, eventInfo: { ipAddress: String } });
    t.equal(sent.headers['x-legacy-key'], 'header-secret');
    t.equal(sent.headers.authorization, `Basic ${Buffer.from('standin:basic-secret').toString('base64')}`);
    t.match(sent.headers['content-type'], /^application\/json/);

    const stored = (await client.retrieveUser(ALICE)).response.user!;
    t.match(stored, { tenantId: TENANT, registrations: [{ applicationId: APP }] });
    await receiver.waitFor('user.login.success');
    for (let tries = 0; tries < 100 && !receiver.received.some((each) => each.event.user?.id === ALICE); tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const event = receiver.received.find((each) => each.event.type === 'user.login.success' && each.event.user?.id === ALICE);
    t.equal(event?.event.connectorId, PLAIN, 'user.login.success names the connector');
    const debug = (await client.searchEventLogs({ search: { message: '*Legacy*', numberOfResults: 10, startRow: 0 } })).response.eventLogs ?? [];
    t.ok(
      debug.some((log) => log.type === 'Debug' && log.message!.includes('answered HTTP 200')),
      'debug writes an event log',
    );
  });

  t.test('a wrong password or a user the connector does not know is a 404, and nothing is made', async (t) => {
    t.equal((await login('alice@legacy.example', 'wrong-password')).statusCode, 404);
    t.equal((await login('nobody@legacy.example', 'right-password')).statusCode, 404);
    t.equal((await settle(client.retrieveUserByEmail('nobody@legacy.example'))).statusCode, 404);
  });

  t.test(
    'without migrate, the connector stays the user’s: it is asked again, its answer updates the user, and while it is down the login fails',
    async (t) => {
      const before = legacy.received.length;
      legacy.state.firstName = 'Alicia';
      t.equal((await login('alice@legacy.example', 'right-password')).statusCode, 200);
      legacy.state.firstName = '';
      t.equal(legacy.received.length, before + 1, 'the connector was asked');
      t.equal((await client.retrieveUser(ALICE)).response.user!.firstName, 'Alicia', 'the user was updated from its answer');
      legacy.state.mode = 'down';
      t.teardown(() => (legacy.state.mode = 'up'));
      t.equal((await login('alice@legacy.example', 'right-password')).statusCode, 404, 'no password is kept here');
    },
  );

  t.test('with migrate, the password is kept here and later logins never reach the connector', async (t) => {
    t.equal((await login('bob@migrate.example', 'right-password')).statusCode, 200);
    t.equal(legacy.received.at(-1)!.path, '/migrate');
    const before = legacy.received.length;
    legacy.state.mode = 'down';
    t.teardown(() => (legacy.state.mode = 'up'));
    const again = await login('bob@migrate.example', 'right-password');
    t.equal(again.statusCode, 200, 'the migrated user logs in with the connector down');
    t.equal(again.response.user?.id, BOB);
    t.equal((await login('bob@migrate.example', 'wrong-password')).statusCode, 404);
    t.equal(legacy.received.length, before, 'the connector was not asked');
    const grant = await settle(client.exchangeUserCredentialsForAccessToken('bob@migrate.example', 'right-password', APP, SECRET, '', ''));
    t.equal(grant.statusCode, 200, 'the password grant checks the same password');
  });

  t.test('a failing, slow or nonsensical connector is a failed login (404), never a 500', async (t) => {
    t.teardown(() => (legacy.state.mode = 'up'));
    for (const mode of ['down', 'slow', 'no-user'] as const) {
      legacy.state.mode = mode;
      t.equal((await login('grace@legacy.example', 'right-password')).statusCode, 404, mode);
    }
    t.equal((await settle(client.retrieveUser(GRACE))).statusCode, 404, 'nobody was made');
    legacy.state.mode = 'up';
    t.equal((await login('grace@legacy.example', 'right-password')).statusCode, 200, 'once it answers again');
  });

  t.test('policies apply by email domain: other domains go to the FusionAuth connector only', async (t) => {
    const before = legacy.received.length;
    t.equal((await login('dave@other.example', 'local-password')).statusCode, 200);
    t.equal((await login('alice@other.example', 'right-password')).statusCode, 404);
    t.equal(legacy.received.length, before, 'the connector was not asked');
  });

  t.test('the password grant goes through the connector too', async (t) => {
    const before = legacy.received.length;
    const grant = await settle(client.exchangeUserCredentialsForAccessToken('grace@legacy.example', 'right-password', APP, SECRET, '', ''));
    t.equal(grant.statusCode, 200);
    t.equal(legacy.received.length, before + 1);
  });

  t.test('a deleted connector’s users go through the policies again', async (t) => {
    await client.patchTenant(TENANT, {
      tenant: {
        connectorPolicies: [{ connectorId: MIGRATING, domains: ['legacy.example'], migrate: true }, { connectorId: FUSIONAUTH_CONNECTOR }],
      },
    });
    t.equal((await settle(client.deleteConnector(PLAIN))).statusCode, 200);
    t.equal((await login('alice@legacy.example', 'right-password')).statusCode, 200);
    t.equal(legacy.received.at(-1)!.path, '/migrate', 'the policy now in force');
    legacy.state.mode = 'down';
    t.teardown(() => (legacy.state.mode = 'up'));
    t.equal((await login('alice@legacy.example', 'right-password')).statusCode, 200, 'and migrated');
  });
});

t.test('a connector’s URL is checked when it is stored', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: { apiKeys: [{ key: API_KEY }] } });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const answer = await settle(
    client.createConnector(NO_ID, {
      connector: {
        type: 'Generic',
        name: 'x',
        authenticationURL: 'gopher://127.0.0.1/',
        connectTimeout: 1,
        readTimeout: 1,
      } as BaseConnectorConfiguration,
    }),
  );
  t.equal(answer.statusCode, 400);
});
