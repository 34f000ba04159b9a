import { generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import { keyUnusable } from '../../src/keys/key-usability.js';
import { buildEmptyApp, TENANT_ID } from '../helpers/fixtures.js';

// Which keys can sign which token (docs/built-ins-and-defaults.md, "When no key can sign").
const BUILT_IN_HS256 = '092dbedc-30af-4149-9c61-b578f2c72f59';

t.test('a stored key signs both tokens; a built-in key only id tokens, and only with a client secret', async (t) => {
  const app = await buildEmptyApp(t);
  const { keys, tenants } = app.standin.stores;
  const stored = tenants.get(TENANT_ID)!.jwtConfiguration.accessTokenKeyId!;
  t.equal(keyUnusable(keys, stored, 'access'), undefined);
  t.equal(keyUnusable(keys, stored, 'id'), undefined);
  t.equal(keyUnusable(keys, undefined, 'access'), 'unset');
  t.equal(keyUnusable(keys, 'ffffffff-0000-4000-8000-000000000000', 'id'), 'missing');
  t.equal(keyUnusable(keys, BUILT_IN_HS256, 'access'), 'idTokenOnly');
  t.equal(keyUnusable(keys, BUILT_IN_HS256, 'id', ''), 'noClientSecret');
  t.equal(keyUnusable(keys, BUILT_IN_HS256, 'id', 'a-client-secret'), undefined);
});

t.test('a key imported without its private part signs neither token', async (t) => {
  const app = await buildEmptyApp(t);
  const { keys } = app.standin.stores;
  const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const id = 'eeeeeeee-0000-4000-8000-000000000001';
  keys.insert({
    key: { id, name: 'Verifies', algorithm: 'ES256', type: 'EC', kid: 'verifies', length: 256, publicKey, hasPrivateKey: false, insertInstant: 0 },
  });
  t.equal(keys.holdsPrivateKey(id), false);
  t.equal(keyUnusable(keys, id, 'access'), 'verifyOnly');
  t.equal(keyUnusable(keys, id, 'id', 'a-client-secret'), 'verifyOnly', 'a client secret does not make it sign');
});
