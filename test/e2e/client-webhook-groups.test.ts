import t from 'tap';
import { CLIENT_API_KEY, CLIENT_TENANT_ID, failureOf, GILFOYLE_ID, RICHARD_ID } from '../helpers/fixtures.js';
import type { ReceivedEvent } from '../helpers/webhook-receiver.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// Group and group member events (docs/webhooks.md), each from the @fusionauth/typescript-client call that causes it.
const GROUP = 'a1000000-0000-4000-8000-0000000000a1';
const TYPES = ['group.create', 'group.update', 'group.delete', 'group.member.add', 'group.member.update', 'group.member.remove'];

async function waitUntil(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited > 5000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The events of `type` received so far, oldest first. */
function eventsOf(received: ReceivedEvent[], type: string) {
  return received.filter((entry) => entry.event.type === type).map((entry) => entry.event);
}

t.test('group create, update and delete send their events and .complete events, in the group tenant', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, [...TYPES, ...TYPES.map((type) => `${type}.complete`)]);
  await client.createGroup(GROUP, { group: { name: 'Admins', data: { floor: 3 } } });
  const created = (await receiver.waitFor('group.create')).event;
  t.match(created, {
    type: 'group.create',
    tenantId: CLIENT_TENANT_ID,
    linkedObjectId: GROUP,
    group: { id: GROUP, name: 'Admins', tenantId: CLIENT_TENANT_ID, data: { floor: 3 }, roles: {} },
  });
  t.type(created.id, 'string');
  t.type(created.createInstant, 'number');
  t.equal((await receiver.waitFor('group.create.complete')).event.group.id, GROUP);

  await client.patchGroup(GROUP, { group: { name: 'Administrators' } });
  const updated = (await receiver.waitFor('group.update')).event;
  t.match(updated, { tenantId: CLIENT_TENANT_ID, group: { name: 'Administrators' }, original: { name: 'Admins' } });
  await receiver.waitFor('group.update.complete');

  await client.deleteGroup(GROUP);
  t.match((await receiver.waitFor('group.delete')).event, {
    tenantId: CLIENT_TENANT_ID,
    linkedObjectId: GROUP,
    group: { id: GROUP, name: 'Administrators' },
  });
  await receiver.waitFor('group.delete.complete');
});

t.test('members added, replaced and removed send group.member.add, .update and .remove with the members', async (t) => {
  const { client, receiver, url } = await startWebhookStandin(t, TYPES);
  await client.createGroup(GROUP, { group: { name: 'Staff' } });
  await client.createGroupMembers({ members: { [GROUP]: [{ userId: RICHARD_ID, data: { desk: 7 } }] } });
  const added = (await receiver.waitFor('group.member.add')).event;
  t.match(added, { tenantId: CLIENT_TENANT_ID, linkedObjectId: GROUP, group: { id: GROUP, name: 'Staff' } });
  t.equal(added.members.length, 1);
  t.match(added.members[0], { userId: RICHARD_ID, data: { desk: 7 } });
  t.type(added.members[0].id, 'string');
  t.type(added.members[0].insertInstant, 'number');

  // Adding a member again changes nothing and sends nothing; a new one is sent alone.
  await client.createGroupMembers({ members: { [GROUP]: [{ userId: RICHARD_ID }, { userId: GILFOYLE_ID }] } });
  await receiver.waitFor('group.member.add');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const adds = eventsOf(receiver.received, 'group.member.add');
  t.equal(adds.length, 2);
  t.same(
    adds.at(-1)?.members.map((member: { userId: string }) => member.userId),
    [GILFOYLE_ID],
  );

  await client.updateGroupMembers({ members: { [GROUP]: [{ userId: GILFOYLE_ID }] } });
  const replaced = (await receiver.waitFor('group.member.update')).event;
  t.same(
    replaced.members.map((member: { userId: string }) => member.userId),
    [GILFOYLE_ID],
    'the group members after the PUT',
  );

  await client.deleteGroupMembers({ members: { [GROUP]: [GILFOYLE_ID] } });
  const removed = (await receiver.waitFor('group.member.remove')).event;
  t.match(removed, { tenantId: CLIENT_TENANT_ID, group: { id: GROUP } });
  t.same(
    removed.members.map((member: { userId: string }) => member.userId),
    [GILFOYLE_ID],
  );

  // Emptying a group (the query form the client has no method for) is an update with no members left.
  await client.createGroupMembers({ members: { [GROUP]: [{ userId: RICHARD_ID }] } });
  const emptied = await fetch(`${url}/api/group/member?groupId=${GROUP}`, { method: 'DELETE', headers: { authorization: CLIENT_API_KEY } });
  t.equal(emptied.status, 200);
  await waitUntil(() => eventsOf(receiver.received, 'group.member.update').length === 2);
  t.same(eventsOf(receiver.received, 'group.member.update').at(-1)?.members, []);
  t.equal(eventsOf(receiver.received, 'group.member.remove').length, 1, 'no .remove for emptying the group');
});

t.test('under transactionType Any a refusing webhook stops the group and member writes with a 504', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, TYPES, 'Any');
  receiver.respond(500);
  const refused = await failureOf(client.createGroup(GROUP, { group: { name: 'Refused' } }));
  t.equal(refused.statusCode, 504);
  t.equal((await failureOf(client.retrieveGroup(GROUP))).statusCode, 404, 'no group was written');

  receiver.respond(200);
  await client.createGroup(GROUP, { group: { name: 'Accepted' } });
  receiver.respond(500);
  t.equal((await failureOf(client.createGroupMembers({ members: { [GROUP]: [{ userId: RICHARD_ID }] } }))).statusCode, 504);
  const members = await client.searchGroupMembers({ search: { groupId: GROUP } });
  t.equal(members.response.total, 0, 'no member was written');
  t.equal((await failureOf(client.deleteGroup(GROUP))).statusCode, 504);
  t.equal((await client.retrieveGroup(GROUP)).response.group!.name, 'Accepted', 'the group is still there');
});
