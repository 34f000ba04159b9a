import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import {
  assertFieldError,
  assertGeneralError,
  CLIENT_API_KEY,
  CLIENT_TENANT_ID,
  GILFOYLE_ID,
  RICHARD_ID,
  settle,
  startClientStandin,
} from '../helpers/fixtures.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// FusionAuth's Bulk Delete Users API (https://fusionauth.io/docs/apis/users/bulk-delete), `DELETE /api/user/bulk`,
// through each TypeScript client method that calls it: deactivateUsersByIds and deactivateUsers send `userId`
// query parameters, deleteUsersByQuery and deleteUsers a JSON body.
const UNKNOWN = 'c9999999-0000-4000-8000-000000000009';

async function createUsers(client: FusionAuthClient, emails: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const email of emails) ids.push((await client.createUser(null as never, { user: { email, password: 'password1' } })).response.user!.id!);
  return ids;
}

t.test('deactivateUsersByIds and deactivateUsers deactivate the users named, skipping unknown ids', async (t) => {
  const { client } = await startClientStandin(t);
  const answer = await client.deactivateUsersByIds([RICHARD_ID, UNKNOWN, GILFOYLE_ID]);
  t.equal(answer.statusCode, 200);
  t.same(answer.response, { dryRun: false, hardDelete: false, total: 2, userIds: [RICHARD_ID, GILFOYLE_ID] });
  for (const id of [RICHARD_ID, GILFOYLE_ID]) t.equal((await client.retrieveUser(id)).response.user!.active, false, 'kept, but inactive');

  const [erlich] = await createUsers(client, ['erlich@example.com']);
  const deprecated = await client.deactivateUsers([erlich!]);
  t.same(deprecated.response, { dryRun: false, hardDelete: false, total: 1, userIds: [erlich] });
  t.equal((await client.retrieveUser(erlich!)).response.user!.active, false);
});

t.test('deleteUsersByQuery and deleteUsers: userIds with hardDelete removes the users; dryRun only names them', async (t) => {
  const { client } = await startClientStandin(t);
  const dry = await client.deleteUsersByQuery({ userIds: [RICHARD_ID, GILFOYLE_ID], hardDelete: true, dryRun: true });
  t.same(dry.response, { dryRun: true, hardDelete: true, total: 2, userIds: [RICHARD_ID, GILFOYLE_ID] });
  t.equal((await client.retrieveUser(RICHARD_ID)).response.user!.active, true, 'a dry run writes nothing');

  const done = await client.deleteUsersByQuery({ userIds: [RICHARD_ID.toUpperCase(), RICHARD_ID], hardDelete: true });
  t.same(done.response, { dryRun: false, hardDelete: true, total: 1, userIds: [RICHARD_ID] }, 'an id named twice counts once');
  t.equal((await settle(client.retrieveUser(RICHARD_ID))).statusCode, 404, 'gone');
  t.equal((await client.retrieveUser(GILFOYLE_ID)).response.user!.active, true, 'a user not named is untouched');

  const deprecated = await client.deleteUsers({ userIds: [GILFOYLE_ID], hardDelete: true });
  t.same(deprecated.response, { dryRun: false, hardDelete: true, total: 1, userIds: [GILFOYLE_ID] });
  t.equal((await settle(client.retrieveUser(GILFOYLE_ID))).statusCode, 404);

  const nobody = await client.deleteUsersByQuery({ userIds: [UNKNOWN], hardDelete: true });
  t.same(nobody.response, { dryRun: false, hardDelete: true, total: 0 }, 'userIds is left out when no user was affected');
});

t.test('queryString finds users as the user search does, at most limit of them', async (t) => {
  const { client } = await startClientStandin(t);
  const piedPiper = await createUsers(client, ['monica@piedpiper.example', 'jared@piedpiper.example', 'dinesh@piedpiper.example']);

  const dry = await client.deleteUsersByQuery({ queryString: '*@PIEDPIPER.example', dryRun: true });
  t.same(dry.response, { dryRun: true, hardDelete: false, total: 3, userIds: piedPiper }, 'the same matching as searchUsersByQuery');
  const search = await client.searchUsersByQuery({ search: { queryString: '*@PIEDPIPER.example' } });
  t.same(search.response.users!.map((user) => user.id).sort(), [...piedPiper].sort());

  const limited = await client.deleteUsersByQuery({ queryString: 'piedpiper', hardDelete: true, limit: 2 });
  t.equal(limited.response.total, 2);
  t.equal(limited.response.userIds!.length, 2);
  const left = await client.searchUsersByQuery({ search: { queryString: 'piedpiper' } });
  t.same(
    left.response.users!.map((user) => user.id),
    piedPiper.filter((id) => !limited.response.userIds!.includes(id)),
    'the one past the limit is still there',
  );
  t.equal((await client.retrieveUser(RICHARD_ID)).response.user!.active, true, 'a user the query does not match is untouched');
});

t.test('bad requests: an Elasticsearch query, nothing to select, a malformed id, limit or eventInfo', async (t) => {
  const { client } = await startClientStandin(t);
  const query = JSON.stringify({ match: { email: 'richard@example.com' } });
  assertGeneralError(t, await settle(client.deleteUsersByQuery({ query })), '[NotModelled]');
  assertFieldError(t, await settle(client.deleteUsersByQuery({})), 'queryString', 'blank');
  assertFieldError(t, await settle(client.deleteUsersByQuery({ userIds: [] })), 'queryString', 'blank');
  assertFieldError(t, await settle(client.deleteUsersByQuery({ queryString: '  ' })), 'queryString', 'blank');
  assertFieldError(t, await settle(client.deleteUsersByQuery({ userIds: [RICHARD_ID, 'richard'] })), 'userIds', 'invalid');
  assertFieldError(t, await settle(client.deactivateUsersByIds(['richard'])), 'userIds', 'invalid');
  assertFieldError(t, await settle(client.deleteUsersByQuery({ queryString: '*', limit: 0 })), 'limit', 'invalid');
  assertFieldError(t, await settle(client.deleteUsersByQuery({ queryString: '*', dryRun: 'yes' as never })), 'dryRun', 'invalid');
  assertGeneralError(t, await settle(client.deleteUsersByQuery({ userIds: [RICHARD_ID], eventInfo: 'kiosk' as never })), '[invalidJSON]');
  t.equal((await client.retrieveUser(RICHARD_ID)).response.user!.active, true, 'none of them wrote anything');
});

t.test("a request bound to a tenant reaches only that tenant's users", async (t) => {
  const GLOBAL_KEY = 'bulk-global-key-0123456789abcdefghij';
  const BOUND_KEY = 'bulk-bound-key-0123456789abcdefghijk';
  const HOOLI = 'b6000000-0000-4000-8000-00000000000a';
  const HOOLI_USER = 'b6000000-0000-4000-8000-0000000000e1';
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: CLIENT_TENANT_ID },
      apiKeys: [{ key: GLOBAL_KEY }, { key: BOUND_KEY, tenantId: HOOLI }],
      requests: [
        { url: `/api/tenant/${HOOLI}`, body: { tenant: { name: 'Hooli' } } },
        { url: `/api/user/${HOOLI_USER}`, tenantId: HOOLI, body: { user: { email: 'gavin@hooli.example', password: 'password1' } } },
        { url: `/api/user/${RICHARD_ID}`, tenantId: CLIENT_TENANT_ID, body: { user: { email: 'richard@example.com', password: 'password1' } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  const global = new FusionAuthClient(GLOBAL_KEY, standin.url);

  for (const [name, client] of [
    ['a tenant-bound key', new FusionAuthClient(BOUND_KEY, standin.url)],
    ['X-FusionAuth-TenantId', new FusionAuthClient(GLOBAL_KEY, standin.url, HOOLI)],
  ] as const) {
    const byIds = await client.deleteUsersByQuery({ userIds: [RICHARD_ID, HOOLI_USER], dryRun: true });
    t.same(byIds.response.userIds, [HOOLI_USER], `${name}: another tenant's user is skipped`);
    const byQuery = await client.deleteUsersByQuery({ queryString: '*', dryRun: true });
    t.same(byQuery.response.userIds, [HOOLI_USER], `${name}: the query sees one tenant`);
  }
  const bound = await new FusionAuthClient(BOUND_KEY, standin.url).deleteUsersByQuery({ queryString: '*', hardDelete: true });
  t.same(bound.response.userIds, [HOOLI_USER]);
  t.equal((await global.retrieveUser(RICHARD_ID)).response.user!.active, true, "the other tenant's user is untouched");
  t.same((await global.deleteUsersByQuery({ queryString: '*', dryRun: true })).response.userIds, [RICHARD_ID], 'a global key sees every tenant');
});

t.test('one user.deactivate or user.delete per user, with the eventInfo given; a dry run sends nothing', async (t) => {
  const types = ['user.deactivate', 'user.delete', 'user.delete.complete'];
  const { client, receiver, app } = await startWebhookStandin(t, types);
  const sent = async (type: string) => {
    await app.standin.events.queue.idle();
    return receiver.received.filter((entry) => entry.event.type === type).map((entry) => entry.event);
  };
  await client.deleteUsersByQuery({ userIds: [RICHARD_ID, GILFOYLE_ID], hardDelete: true, dryRun: true });
  await client.deleteUsersByQuery({ userIds: [RICHARD_ID, GILFOYLE_ID], dryRun: true });
  t.same(receiver.received, [], 'a dry run sends no event');

  const kiosk = { ipAddress: '203.0.113.9', userAgent: 'Kiosk/1.0' };
  await client.deleteUsersByQuery({ userIds: [RICHARD_ID, GILFOYLE_ID], eventInfo: kiosk });
  t.match(await sent('user.deactivate'), [
    { linkedObjectId: RICHARD_ID, tenantId: CLIENT_TENANT_ID, user: { id: RICHARD_ID, active: false }, info: kiosk },
    { linkedObjectId: GILFOYLE_ID, user: { id: GILFOYLE_ID, active: false }, info: kiosk },
  ]);

  await client.deactivateUsersByIds([RICHARD_ID]);
  t.equal((await sent('user.deactivate')).length, 2, 'deactivating an inactive user again sends nothing, as a single deactivate');

  await client.deleteUsersByQuery({ userIds: [RICHARD_ID, GILFOYLE_ID], hardDelete: true });
  t.match(await sent('user.delete'), [
    { linkedObjectId: RICHARD_ID, user: { id: RICHARD_ID, email: 'richard@example.com' }, info: { ipAddress: '127.0.0.1' } },
    { linkedObjectId: GILFOYLE_ID, user: { id: GILFOYLE_ID } },
  ]);
  t.same(
    (await sent('user.delete.complete')).map((event) => event.linkedObjectId),
    [RICHARD_ID, GILFOYLE_ID],
  );
});

t.test('all users in one transaction: a webhook refusing one user leaves every user as it was', async (t) => {
  const { client, receiver, url } = await startWebhookStandin(t, ['user.delete'], 'None');
  const HOOLI = 'b6000000-0000-4000-8000-00000000000b';
  await client.createTenant(HOOLI, { tenant: { name: 'Hooli' } });
  const hooli = new FusionAuthClient(CLIENT_API_KEY, url, HOOLI);
  await client.patchTenant(HOOLI, {
    tenant: { eventConfiguration: { events: { 'user.delete': { enabled: true, transactionType: 'Any' } } } },
  } as never);
  const [gavin] = await createUsers(hooli, ['gavin@hooli.example']);
  receiver.respond(500);

  // Richard's tenant sends user.delete after the write; Hooli's must hear it accepted first, and is refused.
  const refused = await settle(client.deleteUsersByQuery({ userIds: [RICHARD_ID, gavin!], hardDelete: true }));
  assertGeneralError(t, refused, '[WebhookTransactionException]', 504);
  t.equal((await settle(client.retrieveUser(RICHARD_ID))).statusCode, 200, 'the user listed before the refused one was not deleted');
  t.equal((await settle(client.retrieveUser(gavin!))).statusCode, 200);

  receiver.respond(200);
  const done = await client.deleteUsersByQuery({ userIds: [RICHARD_ID, gavin!], hardDelete: true });
  t.equal(done.response.total, 2);
  t.equal((await settle(client.retrieveUser(gavin!))).statusCode, 404);
});
