import * as client from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { T0 } from '../helpers/fixtures.js';

t.test('startStandin() listens on a free port with an in-memory database and the default seed', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast' });
  t.teardown(() => standin.close());
  t.match(standin.url, /^http:\/\/localhost:\d+$/);
  t.equal(standin.issuer, standin.url, 'the issuer follows the port it listens on');
  t.equal(standin.app.standin.config.db, ':memory:');
  t.equal((await fetch(`${standin.url}/api/status`)).status, 200);

  // openid-client validates discovery strictly (issuer equals the URL it was fetched from, required fields).
  const config = await client.discovery(
    new URL(standin.url),
    'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e',
    'super-secret-secret-that-should-be-regenerated-for-production',
    undefined,
    {
      execute: [client.allowInsecureRequests],
    },
  );
  const metadata = config.serverMetadata();
  t.equal(metadata.issuer, standin.url);
  t.equal(metadata.token_endpoint, `${standin.url}/oauth2/token`);
  t.ok(metadata.supportsPKCE(), 'PKCE S256 is advertised');
});

t.test('startStandin() takes an inline kickstart and an injected clock', async (t) => {
  const standin = await startStandin({
    passwordHashing: 'fast',
    now: () => T0,
    kickstart: { apiKeys: [{ key: 'inline-key-0123456789' }], requests: [{ url: '/api/tenant', body: { tenant: { name: 'Second' } } }] },
  });
  t.teardown(() => standin.close());
  const response = await fetch(`${standin.url}/api/tenant`, { headers: { authorization: 'inline-key-0123456789' } });
  const { tenants } = (await response.json()) as { tenants: { name: string; insertInstant: number }[] };
  t.same(
    tenants.map((tenant) => tenant.name),
    ['Default', 'Second'],
  );
  t.ok(
    tenants.every((tenant) => tenant.insertInstant === T0),
    'timestamps come from the injected clock',
  );
});

t.test('close() frees the port and the database', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast' });
  await standin.close();
  await t.rejects(fetch(`${standin.url}/api/status`));
  t.notOk(standin.app.standin.stores.db.open, 'the database is closed');
});
