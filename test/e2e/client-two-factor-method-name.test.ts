import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';
import { authenticatorCode } from '../helpers/totp.js';

// FusionAuth 1.68's Update Multi-Factor Method, `PUT /api/user/two-factor/{userId}` (TSC updateTwoFactor;
// https://fusionauth.io/docs/apis/two-factor/update-multi-factor-method): a method's display name set, changed and
// cleared; the name given when the method was enabled; errors; tenant-bound keys; a restart; a reset.
const API_KEY = 'two-factor-name-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const OTHER_TENANT = 'c3000000-0000-4000-8000-0000000000f2';
const OTHER_KEY = 'two-factor-name-other-key-0123456789abcd';
const USER = 'c3000000-0000-4000-8000-000000000001';
const UNKNOWN = 'c3999999-0000-4000-8000-000000000009';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const T0 = Date.UTC(2030, 0, 1, 0, 0, 5);

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OTHER_KEY, tenantId: OTHER_TENANT }],
  requests: [
    { url: `/api/user/${USER}`, body: { user: { email: 'dinesh@example.com', password: 'password1' } } },
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
  ],
};

const methodsOf = async (client: FusionAuthClient) => (await client.retrieveUser(USER)).response.user!.twoFactor!.methods!;

t.test('Update Multi-Factor Method through the FusionAuth client', async (t) => {
  const dir = temporaryFolder(t, 'standin-two-factor-name-');
  const options = { db: join(dir, 'standin.db'), passwordHashing: 'fast' as const, logLevel: 'silent' as const, now: () => T0, kickstart };
  const standin = await startStandin(options);
  let closed = false;
  t.teardown(async () => {
    if (!closed) await standin.close();
  });
  const client = new FusionAuthClient(API_KEY, standin.url);

  const enabled = await client.enableTwoFactor(USER, {
    method: 'authenticator',
    secretBase32Encoded: SECRET,
    code: authenticatorCode(SECRET, T0),
    name: 'Work phone',
  });
  t.equal(enabled.statusCode, 200);
  const [method] = await methodsOf(client);
  t.equal(method!.name, 'Work phone', 'the name given on enabling is kept');
  const methodId = method!.id!;

  t.test('updateTwoFactor renames the method and changes nothing else', async (t) => {
    const answer = await client.updateTwoFactor(USER.toUpperCase(), { methodId, name: 'Personal phone' });
    t.equal(answer.statusCode, 200);
    t.equal(answer.response, undefined, 'no body');
    const [renamed] = await methodsOf(client);
    t.same(renamed, { ...method, name: 'Personal phone' });
  });

  t.test('methodId may come in the query string, as the docs show it', async (t) => {
    const response = await fetch(`${standin.url}/api/user/two-factor/${USER}?methodId=${methodId}`, {
      method: 'PUT',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'From the query' }),
    });
    t.equal(response.status, 200);
    t.equal((await methodsOf(client))[0]!.name, 'From the query');
  });

  t.test('omitting the name clears it', async (t) => {
    await client.updateTwoFactor(USER, { methodId });
    t.notOk('name' in (await methodsOf(client))[0]!);
  });

  t.test('bad requests are refused', async (t) => {
    assertFieldError(t, await settle(client.updateTwoFactor(USER, { name: 'x' })), 'methodId', 'blank');
    assertFieldError(t, await settle(client.updateTwoFactor(USER, { methodId: 'NOPE', name: 'x' })), 'methodId', 'invalid');
    assertFieldError(t, await settle(client.updateTwoFactor(USER, { methodId, name: 'x'.repeat(257) })), 'name', 'tooLong');
    assertFieldError(t, await settle(client.updateTwoFactor(USER, { methodId, name: 7 as never })), 'name', 'invalid');
    assertEmpty(t, await settle(client.updateTwoFactor(UNKNOWN, { methodId, name: 'x' })), 404);
    const badJson = await fetch(`${standin.url}/api/user/two-factor/${USER}`, {
      method: 'PUT',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: '{"methodId": ',
    });
    t.equal(badJson.status, 400);
  });

  t.test('a key bound to another tenant cannot see the user', async (t) => {
    const other = new FusionAuthClient(OTHER_KEY, standin.url);
    assertEmpty(t, await settle(other.updateTwoFactor(USER, { methodId, name: 'Stolen' })), 404);
    t.notOk('name' in (await methodsOf(client))[0]!);
  });

  t.test('the name survives a restart; a reset takes back a rename', async (t) => {
    await client.updateTwoFactor(USER, { methodId, name: 'Kept' });
    await standin.close();
    closed = true;
    const second = await startStandin(options);
    t.teardown(() => second.close());
    const again = new FusionAuthClient(API_KEY, second.url);
    t.equal((await methodsOf(again))[0]!.name, 'Kept');
    // A reset goes back to the state at start-up: here, the restart's.
    await again.updateTwoFactor(USER, { methodId, name: 'Renamed after start-up' });
    second.reset();
    t.equal((await methodsOf(again))[0]!.name, 'Kept', 'the rename made since start-up is taken back');
  });
});
