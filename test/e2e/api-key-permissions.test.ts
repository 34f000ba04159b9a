import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';

// What an API key may call (FusionAuth's API authentication docs, "API Key Permissions" and "API Endpoints Guarded
// by API Keys"): a key limited to some endpoints and methods, a key bound to a tenant on the endpoints that act on
// the whole server, and a key past its expirationInstant. Every refusal is FusionAuth's empty 401. Through
// FusionAuth's TypeScript client, with the keys declared in a kickstart as FusionAuth's Kickstart docs show.
const GLOBAL_KEY = 'permissions-global-key-0123456789abcdef';
const READER_KEY = 'permissions-reader-key-0123456789abcdef';
const BOUND_KEY = 'permissions-bound-key-0123456789abcdefgh';
const EXPIRING_KEY = 'permissions-expiring-key-0123456789abcd';
const TENANT = 'b5000000-0000-4000-8000-00000000000a';
const USER = 'b5000000-0000-4000-8000-0000000000e1';
const EMAIL = 'jian-yang@example.com';
const DAY_MS = 24 * 3600 * 1000;

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    apiKeys: [
      { key: GLOBAL_KEY },
      { key: READER_KEY, permissions: { endpoints: { '/api/user': ['GET'], '/api/user/registration': ['GET', 'POST'] } } },
      { key: BOUND_KEY, tenantId: TENANT },
      { key: EXPIRING_KEY, expirationInstant: Date.now() + DAY_MS },
    ],
    requests: [
      { url: `/api/tenant/${TENANT}`, body: { tenant: { name: 'Hooli' } } },
      { url: `/api/user/${USER}`, tenantId: TENANT, body: { user: { email: EMAIL, password: 'password1' } } },
    ],
  },
});
t.teardown(() => standin.close());
const client = (key: string) => new FusionAuthClient(key, standin.url, TENANT);
const status = async (call: Promise<{ statusCode: number; response: unknown }>) => (await settle(call)).statusCode;

t.test('a key limited to some endpoints calls those, with those methods, and nothing else', async (t) => {
  const reader = client(READER_KEY);
  t.equal(await status(reader.retrieveUser(USER)), 200, 'GET /api/user/{id}');
  t.equal(await status(reader.retrieveUserByEmail(EMAIL)), 200, 'GET /api/user?email=');
  t.equal(await status(reader.retrieveUserInfoFromAccessToken('x')), 401, 'not an API key route: its own answer');
  t.equal(await status(reader.patchUser(USER, { user: { firstName: 'Jian' } })), 401, 'PATCH /api/user is not listed');
  t.equal(await status(reader.createUser(null as unknown as string, { user: { email: 'new@example.com', password: 'password1' } })), 401);
  t.equal(await status(reader.deleteUser(USER)), 401);
  t.equal(await status(reader.searchUsersByQuery({ search: { queryString: '*' } })), 401, '/api/user/search is an endpoint of its own');
  t.equal(await status(reader.retrieveRegistration(USER, '3c219e58-ed0e-4b18-ad48-f4f92793ae32')), 404, 'listed: answered (no such registration)');
  t.equal(await status(reader.createApplication(null as unknown as string, { application: { name: 'Not mine' } })), 401);
  t.equal(await status(reader.retrieveKeys()), 401);
  const control = await fetch(`${standin.url}/_standin/emails`, { headers: { authorization: READER_KEY } });
  t.equal(control.status, 401, 'nor the control API, which acts on the whole server');
  t.equal((await client(GLOBAL_KEY).retrieveUser(USER)).response.user!.firstName, undefined, 'the refused PATCH changed nothing');
});

t.test('a key bound to a tenant calls no endpoint that acts on the whole server', async (t) => {
  const bound = client(BOUND_KEY);
  t.equal(await status(bound.retrieveUser(USER)), 200, 'its own tenant’s user');
  t.equal(await status(bound.retrieveKeys()), 401, 'keys');
  t.equal(await status(bound.retrieveLambdas()), 401, 'lambdas');
  t.equal(
    await status(
      bound.createLambda(null as unknown as string, { lambda: { name: 'x', type: 'JWTPopulate' as never, body: 'function populate(jwt) {}' } }),
    ),
    401,
  );
  t.equal(await status(bound.retrieveEmailTemplates()), 401, 'email templates');
  t.equal(await status(bound.retrieveSystemConfiguration()), 401, 'the system configuration');
  t.equal(
    await status(
      bound.patchSystemConfiguration({ systemConfiguration: { corsConfiguration: { enabled: true, allowedOrigins: ['https://evil.example'] } } }),
    ),
    401,
  );
  t.equal(await status(bound.searchEventLogs({ search: { message: '*' } })), 401, 'the event log');
  // User action definitions belong to no tenant: a hard delete would remove every tenant's actions taken with one.
  t.equal(await status(bound.retrieveUserActions()), 401, 'user action definitions');
  t.equal(await status(bound.createUserAction(null as unknown as string, { userAction: { name: 'Lock' } })), 401);
  const cors = (await client(GLOBAL_KEY).retrieveSystemConfiguration()).response.systemConfiguration?.corsConfiguration;
  t.notOk(cors?.allowedOrigins?.includes('https://evil.example'), 'the refused PATCH changed nothing');
});

t.test('a key past its expirationInstant answers 401, at Standin’s clock', async (t) => {
  const expiring = client(EXPIRING_KEY);
  t.equal(await status(expiring.retrieveUser(USER)), 200, 'before');
  standin.clock.advance(2 * 24 * 3600);
  t.teardown(() => {
    standin.clock.reset();
  });
  t.equal(await status(expiring.retrieveUser(USER)), 401, 'after');
  t.equal(await status(client(GLOBAL_KEY).retrieveUser(USER)), 200, 'a key without an expiry still works');
});
