import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { buildApp, type StandinApp } from '../../src/app.js';
import type { ConfigInput } from '../../src/config.js';
import { KickstartError, type Kickstart } from '../../src/kickstart/types.js';

const QUICKSTART_FILE = fileURLToPath(new URL('../fixtures/quickstart-react/kickstart.json', import.meta.url));
const QUICKSTART_API_KEY = 'this_really_should_be_a_long_random_alphanumeric_value_but_this_still_works';
const QUICKSTART_TENANT_ID = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APPLICATION_ID = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const CLIENT_SECRET = 'super-secret-secret-that-should-be-regenerated-for-production';
const RICHARD_ID = '00000000-0000-0000-0000-111111111111';
const FUSIONAUTH_APPLICATION_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

const KEY = 'kickstart-test-api-key-0123456789abcdefghijklmnop';
const TENANT_ID = 'bbbbbbbb-0000-4000-8000-000000000001';
const OTHER_TENANT_ID = 'bbbbbbbb-0000-4000-8000-000000000002';
const APP_ID = 'cccccccc-0000-4000-8000-000000000001';

// Every table a seed writes to; after a failed kickstart each must be empty.
const SEEDED_TABLES = ['tenants', 'applications', 'users', 'registrations', 'keys', 'api_keys', 'system_configuration', 'standin_meta'];

/** buildApp with the test settings; the app is closed when the test ends. */
async function start(t: Test, options: ConfigInput): Promise<StandinApp> {
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', ...options });
  t.teardown(() => app.close());
  return app;
}

/** buildApp expected to fail: returns its error (or fails the test if it built). */
async function startFails(options: ConfigInput): Promise<Error> {
  try {
    const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', ...options });
    await app.close();
  } catch (error) {
    return error as Error;
  }
  return new Error('buildApp did not fail');
}

async function get(app: StandinApp, url: string, key = KEY) {
  const response = await app.inject({ url, headers: { authorization: key } });
  return { status: response.statusCode, body: response.body === '' ? undefined : response.json<Record<string, any>>() };
}

/** Row counts of the seeded tables of a file database, read with a connection of our own. */
function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(SEEDED_TABLES.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

const EMPTY = Object.fromEntries(SEEDED_TABLES.map((table) => [table, 0]));

/** A small kickstart: a user registered to the FusionAuth app, then an application, then `more`. */
function smallKickstart(more: unknown[] = [], overrides: Partial<Kickstart> = {}): Kickstart {
  return {
    variables: { defaultTenantId: TENANT_ID },
    apiKeys: [{ key: KEY }],
    requests: [
      {
        url: '/api/user/registration',
        body: { user: { email: 'first@example.com', password: 'password' }, registration: { applicationId: '#{FUSIONAUTH_APPLICATION_ID}' } },
      },
      { url: `/api/application/${APP_ID}`, body: { application: { name: 'Small app' } } },
      ...(more as Kickstart['requests'] & unknown[]),
    ],
    ...overrides,
  };
}

t.test("FusionAuth's React quickstart kickstart runs unchanged", async (t) => {
  const app = await start(t, { kickstart: QUICKSTART_FILE });
  const key = QUICKSTART_API_KEY;

  t.equal(app.seedReport.source, 'kickstart');
  t.equal(app.seedReport.apiKey, undefined, 'a kickstart brings its own API keys: none is made');

  // The application, pointing at the key the first request generated.
  const { status, body: appBody } = await get(app, `/api/application/${APPLICATION_ID}`, key);
  t.equal(status, 200);
  const application = appBody!.application;
  t.equal(application.tenantId, QUICKSTART_TENANT_ID);
  t.equal(application.name, 'Example app');
  t.equal(application.oauthConfiguration.clientSecret, CLIENT_SECRET);
  t.same(application.oauthConfiguration.authorizedRedirectURLs, ['http://localhost:3000/logged-out', 'http://localhost:3000']);
  t.same(application.oauthConfiguration.authorizedOriginURLs, ['http://localhost:3000']);
  t.equal(application.oauthConfiguration.logoutURL, 'http://localhost:3000');
  t.same(application.oauthConfiguration.enabledGrants, ['authorization_code', 'refresh_token']);
  t.equal(application.oauthConfiguration.requireRegistration, true);
  t.equal(application.oauthConfiguration.generateRefreshTokens, true);
  const keyId = application.jwtConfiguration.accessTokenKeyId as string;
  t.equal(application.jwtConfiguration.idTokenKeyId, keyId);

  const { status: keyStatus, body: keyBody } = await get(app, `/api/key/${keyId}`, key);
  t.equal(keyStatus, 200, 'the application signs with a key that exists');
  t.equal(keyBody!.key.algorithm, 'RS256');
  t.equal(keyBody!.key.name, 'For exampleapp');

  // The tenant: the quickstart's id, its issuer, and a key of its own other than the application's.
  const { body: tenantBody } = await get(app, `/api/tenant/${QUICKSTART_TENANT_ID}`, key);
  t.equal(tenantBody!.tenant.issuer, 'http://localhost:9011');
  t.not(tenantBody!.tenant.jwtConfiguration.accessTokenKeyId, keyId);
  const { body: keys } = await get(app, '/api/key', key);
  t.equal(keys!.keys.length, 5, "the default tenant's key, FusionAuth's three built-in OpenID Connect keys and the generated one");

  // The users and their registrations.
  const { status: richardStatus, body: richardBody } = await get(app, `/api/user/${RICHARD_ID}`, key);
  t.equal(richardStatus, 200);
  const richard = richardBody!.user;
  t.match(richard, {
    email: 'richard@example.com',
    firstName: 'Richard',
    lastName: 'Hendricks',
    birthDate: '1985-11-23',
    tenantId: QUICKSTART_TENANT_ID,
  });
  t.same(
    richard.registrations.map((r: { applicationId: string }) => r.applicationId),
    [APPLICATION_ID],
  );
  const { body: adminBody } = await get(app, '/api/user?email=admin@example.com', key);
  const admin = adminBody!.user;
  t.equal(admin.registrations.length, 1);
  t.equal(admin.registrations[0].applicationId, FUSIONAUTH_APPLICATION_ID);
  t.same(admin.registrations[0].roles, ['admin']);
  const { passwords, stores } = app.standin;
  for (const id of [RICHARD_ID, admin.id as string]) {
    const hash = stores.users.passwordHash(id);
    t.ok(hash && (await passwords.verify(hash, 'password')), `user ${id} logs in with "password"`);
    t.notOk(hash && (await passwords.verify(hash, 'Password')), 'and with nothing else');
  }

  // The API key works on /api, and nothing else does.
  t.equal((await get(app, '/api/tenant', key)).status, 200);
  t.equal((await get(app, '/api/tenant', 'not-the-key')).status, 401);
  t.equal((await app.inject({ url: '/api/tenant' })).statusCode, 401);

  // "api/system-configuration", written without its leading slash, was applied.
  const { body: system } = await get(app, '/api/system-configuration', key);
  t.match(system!.systemConfiguration.corsConfiguration, { enabled: true, allowedOrigins: ['http://localhost:3000'], allowCredentials: true });

  // The theme requests are replayed, not ignored: the theme the tenant names exists, with the files it included.
  const themeId = tenantBody!.tenant.themeId as string;
  t.same(app.seedReport.ignored, []);
  const { body: themeBody } = await get(app, `/api/theme/${themeId}`, key);
  t.equal(themeBody!.theme.name, 'Thymeleaf theme');
  t.equal(themeBody!.theme.stylesheet, readFileSync(new URL('../fixtures/quickstart-react/css/styles.css', import.meta.url), 'utf8'));
  t.equal(Object.keys(themeBody!.theme.templates).length, 9, 'every template the kickstart sent');

  // The JWKS publishes the generated key.
  const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json<{ keys: { kid: string; alg: string; kty: string }[] }>();
  t.match(
    jwks.keys.find((jwk) => jwk.kid === keyBody!.key.kid),
    { alg: 'RS256', kty: 'RSA' },
    'the generated key is in the JWKS',
  );
  t.equal(jwks.keys.length, 2);
});

t.test('a refused request fails start-up naming the request, and applies nothing', async (t) => {
  const dir = t.testdir();
  const db = `${dir}/standin.db`;
  const duplicate = { url: '/api/user', body: { user: { email: 'FIRST@example.com', password: 'password' } } };
  const error = await startFails({ db, kickstart: smallKickstart([duplicate]) });
  t.type(error, KickstartError);
  t.match(error.message, /^requests\[2\] POST \/api\/user failed with HTTP 400: .*duplicate/);
  t.same(rowCounts(db), EMPTY, 'no tenant, user, application, key or API key was written');

  // The database is still empty, so the fixed kickstart runs on it.
  const app = await start(t, {
    db,
    kickstart: smallKickstart([{ ...duplicate, body: { user: { email: 'second@example.com', password: 'password' } } }]),
  });
  t.equal(app.seedReport.source, 'kickstart');
  t.equal((await get(app, '/api/user?email=second@example.com')).status, 200);
  t.equal((await get(app, `/api/application/${APP_ID}`)).status, 200);
});

t.test('a request naming an unknown application fails start-up with its index and URL', async (t) => {
  const dir = t.testdir();
  const db = `${dir}/standin.db`;
  const unknownApp = {
    url: '/api/user/registration',
    body: { user: { email: 'x@example.com', password: 'password' }, registration: { applicationId: 'dddddddd-0000-4000-8000-000000000009' } },
  };
  const error = await startFails({ db, kickstart: smallKickstart([unknownApp]) });
  t.type(error, KickstartError);
  t.match(error.message, /^requests\[2\] POST \/api\/user\/registration failed with HTTP 400: .*registration\.applicationId/);
  t.same(rowCounts(db), EMPTY);
});

t.test('a kickstart runs only on an empty database', async (t) => {
  const dir = t.testdir();
  const db = `${dir}/standin.db`;
  const first = await buildApp({ db, logLevel: 'silent', passwordHashing: 'fast', kickstart: smallKickstart() });
  t.equal(first.seedReport.source, 'kickstart');
  await first.close();

  const otherKey = 'another-kickstart-key-0123456789abcdefghijklmnop';
  const second = await start(t, {
    db,
    kickstart: {
      variables: { defaultTenantId: OTHER_TENANT_ID },
      apiKeys: [{ key: otherKey }],
      requests: [{ url: '/api/application/dddddddd-0000-4000-8000-000000000001', body: { application: { name: 'Second app' } } }],
    },
  });
  t.same(second.seedReport, { source: 'none', ignored: [] });
  t.equal((await get(second, '/api/tenant', otherKey)).status, 401, "the second kickstart's API key was not added");
  t.equal((await get(second, '/api/application/dddddddd-0000-4000-8000-000000000001')).status, 404, 'nor its application');
  t.equal((await get(second, `/api/tenant/${OTHER_TENANT_ID}`)).status, 404, 'nor its default tenant');
  const { body: tenants } = await get(second, '/api/tenant');
  t.same(
    tenants!.tenants.map((tenant: { id: string }) => tenant.id),
    [TENANT_ID],
    "the first kickstart's tenant is the only one",
  );
  t.equal((await get(second, `/api/application/${APP_ID}`)).status, 200, "the first kickstart's application remains");
  t.equal((await get(second, '/api/user?email=first@example.com')).status, 200, 'and its user');
});

t.test('with no kickstart, the default seed creates what the quickstart kickstart creates', async (t) => {
  const dir = t.testdir();
  const db = `${dir}/standin.db`;
  const first = await buildApp({ db, logLevel: 'silent', passwordHashing: 'fast' });
  const { seedReport } = first;
  const apiKey = seedReport.apiKey!;
  try {
    t.equal(seedReport.source, 'default');
    t.same(seedReport.ignored, []);
    t.type(apiKey, 'string');
    t.ok(apiKey.length >= 32, 'a long random API key');

    const { status, body } = await get(first, `/api/application/${APPLICATION_ID}`, apiKey);
    t.equal(status, 200, 'the API key is reported, and works');
    const { oauthConfiguration, tenantId } = body!.application;
    t.equal(tenantId, QUICKSTART_TENANT_ID);
    t.equal(oauthConfiguration.clientSecret, CLIENT_SECRET);
    t.same([...oauthConfiguration.authorizedRedirectURLs].sort(), ['http://localhost:3000', 'http://localhost:3000/logged-out']);
    t.same(oauthConfiguration.authorizedOriginURLs, ['http://localhost:3000']);
    t.same(oauthConfiguration.enabledGrants, ['authorization_code', 'refresh_token']);

    const { body: richard } = await get(first, `/api/user/${RICHARD_ID}`, apiKey);
    t.equal(richard!.user.email, 'richard@example.com');
    t.same(
      richard!.user.registrations.map((r: { applicationId: string }) => r.applicationId),
      [APPLICATION_ID],
    );
    const { body: admin } = await get(first, '/api/user?email=admin@example.com', apiKey);
    t.match(admin!.user.registrations, [{ applicationId: FUSIONAUTH_APPLICATION_ID, roles: ['admin'] }]);
    const { passwords, stores } = first.standin;
    for (const id of [RICHARD_ID, admin!.user.id as string]) {
      const hash = stores.users.passwordHash(id);
      t.ok(hash && (await passwords.verify(hash, 'password')), `user ${id} has the password "password"`);
      t.notOk(hash && (await passwords.verify(hash, 'passwordx')));
    }

    const { body: keys } = await get(first, '/api/key', apiKey);
    t.equal(keys!.keys.length, 4, 'one signing key and the three built-in OpenID Connect keys');
    t.equal(keys!.keys[0].algorithm, 'RS256');
    const { body: tenant } = await get(first, `/api/tenant/${QUICKSTART_TENANT_ID}`, apiKey);
    t.equal(tenant!.tenant.jwtConfiguration.accessTokenKeyId, keys!.keys[0].id, 'the tenant signs with it');
    const jwks = (await first.inject({ url: '/.well-known/jwks.json' })).json<{ keys: { kid: string }[] }>();
    t.same(
      jwks.keys.map((jwk) => jwk.kid),
      [keys!.keys[0].kid],
    );
  } finally {
    await first.close();
  }

  const raw = new Database(db, { readonly: true });
  const stored = JSON.stringify(raw.prepare('SELECT * FROM api_keys').all());
  raw.close();
  t.notMatch(stored, apiKey, 'the database does not hold the raw API key');

  // Shown once: a restart makes no new key and reports none, and the first one still works.
  const again = await start(t, { db });
  t.same(again.seedReport, { source: 'none', ignored: [] });
  t.equal((await get(again, '/api/tenant', apiKey)).status, 200);
  const other = await start(t, {});
  t.not(other.seedReport.apiKey, apiKey, 'each default seed makes its own key');
});

t.test(
  'on a database that is not empty, a kickstart file that cannot be read or parsed fails start-up; one that is only wrong does not',
  async (t) => {
    const dir = t.testdir({ 'broken.json': '{"apiKeys": [{"key": "k"}],}' });
    const db = `${dir}/standin.db`;
    const seeded = await buildApp({ db, logLevel: 'silent', passwordHashing: 'fast', kickstart: smallKickstart() });
    await seeded.close();
    const before = rowCounts(db);

    for (const kickstart of [`${dir}/broken.json`, `${dir}/missing.json`]) {
      const error = await startFails({ db, kickstart: kickstart });
      t.type(error, KickstartError, `refused: ${kickstart.slice(dir.length)}`);
    }
    // A kickstart that will not run is not checked further (docs/kickstart.md).
    for (const kickstart of [{ apiKeys: [] }, smallKickstart([{ url: '/api/user', method: 'GET' as never }])]) {
      const app = await buildApp({ db, logLevel: 'silent', passwordHashing: 'fast', kickstart });
      t.same(app.seedReport, { source: 'none', ignored: [] }, `not run: ${JSON.stringify(kickstart).slice(0, 60)}`);
      await app.close();
    }
    t.same(rowCounts(db), before, 'and the database is as it was');
    t.equal(before.users, 1);
  },
);

t.test('an API key may be bound to a tenant that a later request creates', async (t) => {
  const scopedKey = 'scoped-kickstart-key-0123456789abcdefghijklmnop';
  const app = await start(t, {
    kickstart: {
      variables: { defaultTenantId: TENANT_ID, second: OTHER_TENANT_ID },
      apiKeys: [{ key: KEY }, { key: scopedKey, tenantId: '#{second}', description: 'Second tenant only' }],
      requests: [{ url: '/api/tenant/#{second}', body: { tenant: { name: 'Second' } } }],
    },
  });
  const { status, body } = await get(app, '/api/tenant', scopedKey);
  t.equal(status, 200);
  t.same(
    body!.tenants.map((tenant: { id: string }) => tenant.id),
    [OTHER_TENANT_ID],
    'the bound key sees its tenant only',
  );
  t.equal((await get(app, `/api/tenant/${TENANT_ID}`, scopedKey)).status, 404);
  t.equal((await get(app, '/api/tenant')).body!.tenants.length, 2, 'the first key sees both');
});

t.test('an API key bound to a tenant that no request creates fails start-up naming the key, and applies nothing', async (t) => {
  const dir = t.testdir();
  const db = `${dir}/standin.db`;
  const error = await startFails({
    db,
    kickstart: smallKickstart([], { apiKeys: [{ key: KEY }, { key: 'other-key', tenantId: OTHER_TENANT_ID }] }),
  });
  t.type(error, KickstartError);
  t.match(error.message, `apiKeys[1]: "tenantId" ${OTHER_TENANT_ID} names no tenant`);
  t.same(rowCounts(db), EMPTY);
});
