import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// User action reasons (https://fusionauth.io/docs/apis/user-action-reasons; docs/user-actions.md) through
// @fusionauth/typescript-client: global definitions a tenant-bound key may not touch, named by `reasonId` when a
// user is actioned, whose text and code the action keeps.
const API_KEY = 'user-action-reasons-api-key-0123456789ab';
const TENANT_KEY = 'user-action-reasons-tenant-key-0123456789';
const TENANT = 'ae000000-0000-4000-8000-000000000001';
const USER = 'ae000000-0000-4000-8000-0000000000d1';
const ADMIN = 'ae000000-0000-4000-8000-0000000000d2';
const WARN = 'ae000000-0000-4000-8000-0000000000c1';
const SPAM = 'AE000000-0000-4000-8000-0000000000E1';
const T0 = Date.UTC(2027, 0, 1);

async function start(t: Test, db?: string) {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => T0,
    ...(db === undefined ? {} : { db }),
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }, { key: TENANT_KEY, tenantId: TENANT }],
      requests: [
        { url: `/api/user/${USER}`, body: { user: { email: 'richard@example.com', password: 'password1' } } },
        { url: `/api/user/${ADMIN}`, body: { user: { email: 'admin@example.com', password: 'password2' } } },
        { url: `/api/user-action/${WARN}`, body: { userAction: { name: 'Warn' } } },
        // A kickstart's reasons are replayed through the API, no longer ignored.
        { url: '/api/user-action-reason', body: { userActionReason: { text: 'From the kickstart', code: 'KS' } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  return { standin, client: new FusionAuthClient(API_KEY, standin.url) };
}

const spam = { userActionReason: { text: 'Spamming the forum', code: 'SP', localizedTexts: { de: 'Spam im Forum' } } };

t.test('create with and without an id, retrieve one and all, update, patch, delete', async (t) => {
  const { client } = await start(t);
  const kickstarted = (await client.retrieveUserActionReasons()).response.userActionReasons!;
  t.match(kickstarted, [{ text: 'From the kickstart', code: 'KS', insertInstant: T0, lastUpdateInstant: T0 }]);

  const created = (await client.createUserActionReason(SPAM, spam)).response.userActionReason!;
  t.same(created, { id: SPAM.toLowerCase(), ...spam.userActionReason, insertInstant: T0, lastUpdateInstant: T0 }, 'the id answered lower-case');
  const generated = (await client.createUserActionReason(null as never, { userActionReason: { text: 'Rude', code: 'RD' } })).response
    .userActionReason!;
  t.match(generated.id, /^[0-9a-f-]{36}$/);
  t.same((await client.retrieveUserActionReason(SPAM)).response.userActionReason, created, 'retrieved in any case');
  t.same(
    (await client.retrieveUserActionReasons()).response.userActionReasons!.map((reason) => reason.code),
    ['KS', 'SP', 'RD'],
  );

  const updated = (await client.updateUserActionReason(SPAM, { userActionReason: { text: 'Spam', code: 'SPAM' } })).response.userActionReason!;
  t.same(updated, { id: created.id, text: 'Spam', code: 'SPAM', insertInstant: T0, lastUpdateInstant: T0 }, 'PUT replaces: localizedTexts gone');
  const patched = (await client.patchUserActionReason(SPAM, { userActionReason: { localizedTexts: { fr: 'Pourriel' } } })).response.userActionReason!;
  t.same(patched, { ...updated, localizedTexts: { fr: 'Pourriel' } }, 'PATCH merges');

  t.equal((await client.deleteUserActionReason(SPAM)).statusCode, 200);
  t.equal((await settle(client.retrieveUserActionReason(SPAM))).statusCode, 404);
  t.equal((await settle(client.deleteUserActionReason(SPAM))).statusCode, 404);
  t.equal((await settle(client.updateUserActionReason(SPAM, spam))).statusCode, 404);
});

t.test("FusionAuth's errors: text and code required, a duplicate id, bad JSON", async (t) => {
  const { client, standin } = await start(t);
  const missing = await settle(client.createUserActionReason(null as never, { userActionReason: { text: ' ' } }));
  assertFieldError(t, missing, 'userActionReason.text', 'blank');
  assertFieldError(t, missing, 'userActionReason.code', 'blank');
  assertFieldError(
    t,
    await settle(client.createUserActionReason(null as never, { userActionReason: { text: 'x', code: 'x', localizedTexts: { de: 7 } } as never })),
    'userActionReason.localizedTexts',
    'invalid',
  );
  await client.createUserActionReason(SPAM, spam);
  assertFieldError(t, await settle(client.createUserActionReason(SPAM, spam)), 'userActionReasonId', 'duplicate');
  assertFieldError(t, await settle(client.patchUserActionReason(SPAM, { userActionReason: { code: '' } })), 'userActionReason.code', 'blank');
  const badJson = await fetch(`${standin.url}/api/user-action-reason`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: '{"userActionReason": ',
  });
  t.equal(badJson.status, 400, 'bad JSON is a 400');
});

t.test('the reasons are global: a tenant-bound key may not call the API', async (t) => {
  const { client, standin } = await start(t);
  await client.createUserActionReason(SPAM, spam);
  const tenantClient = new FusionAuthClient(TENANT_KEY, standin.url);
  t.equal((await settle(tenantClient.retrieveUserActionReasons())).statusCode, 401);
  t.equal((await settle(tenantClient.retrieveUserActionReason(SPAM))).statusCode, 401);
  t.equal((await settle(tenantClient.createUserActionReason(null as never, spam))).statusCode, 401);
  t.equal((await settle(tenantClient.deleteUserActionReason(SPAM))).statusCode, 401);
  t.equal((await client.retrieveUserActionReasons()).response.userActionReasons!.length, 2, 'nothing was created');
});

t.test("actioning a user with a reasonId: the action carries the reason's text and code", async (t) => {
  const { client, standin } = await start(t);
  await client.createUserActionReason(SPAM, spam);
  const take = (reasonId: string) =>
    client.actionUser({ broadcast: false, action: { actioneeUserId: USER, actionerUserId: ADMIN, userActionId: WARN, reasonId, comment: 'Again' } });
  const action = (await take(SPAM)).response.action!;
  t.match(action, { userActionId: WARN, reason: 'Spamming the forum', reasonCode: 'SP', comment: 'Again' });
  t.same((await client.retrieveAction(action.id!)).response.action, action);

  assertFieldError(t, await settle(take('ae000000-0000-4000-8000-0000000000ff')), 'action.reasonId', 'invalid');
  assertFieldError(t, await settle(take('spam')), 'action.reasonId', 'invalid');

  await client.updateUserActionReason(SPAM, { userActionReason: { text: 'Spam', code: 'SPAM' } });
  await client.deleteUserActionReason(SPAM);
  t.match(
    (await client.retrieveAction(action.id!)).response.action,
    { reason: 'Spamming the forum', reasonCode: 'SP' },
    'the action keeps the reason as it was when taken',
  );
  const tenantClient = new FusionAuthClient(TENANT_KEY, standin.url);
  t.match(
    (await tenantClient.retrieveActions(USER)).response.actions,
    [{ reasonCode: 'SP' }],
    "a tenant-bound key reads the tenant's actions with their reasons",
  );
});

t.test('reasons go on reset and survive a restart of a file database', async (t) => {
  const folder = temporaryFolder(t, 'standin-user-action-reasons-');
  const db = join(folder, 'standin.db');
  const first = await start(t, db);
  await first.client.createUserActionReason(SPAM, spam);
  first.standin.reset();
  t.equal((await settle(first.client.retrieveUserActionReason(SPAM))).statusCode, 404, 'a reset forgets the reason');
  const kept = (await first.client.createUserActionReason(SPAM, spam)).response.userActionReason!;
  await first.standin.close();

  const second = await start(t, db);
  t.same((await second.client.retrieveUserActionReason(SPAM)).response.userActionReason, kept, 'read back after the restart');
});
