import { randomUUID } from 'node:crypto';
import t from 'tap';
import { CLIENT_API_KEY, failureOf, GILFOYLE_ID, RICHARD_ID, startClientStandin, WEB_APP } from '../helpers/fixtures.js';

// FusionAuth's Group and Member APIs through @fusionauth/typescript-client (https://fusionauth.io/docs/apis/groups).

const STAFF = '5a1f0000-0000-4000-8000-00000000aaaa';

t.test('groups: create with and without an id, retrieve, update, patch, search and delete', async (t) => {
  const { client, url } = await startClientStandin(t);
  const role = (await client.createApplicationRole(WEB_APP, null as unknown as string, { role: { name: 'admin' } })).response.role!;

  const created = await client.createGroup(null as unknown as string, { group: { name: 'Admins', data: { floor: 3 } }, roleIds: [role.id!] });
  t.equal(created.statusCode, 200);
  const admins = created.response.group!;
  t.match(admins, { name: 'Admins', data: { floor: 3 }, tenantId: String });
  t.same(
    (admins.roles as unknown as Record<string, { name: string }[]>)[WEB_APP]!.map((r) => r.name),
    ['admin'],
    'roles map application ids to roles',
  );
  const staff = await client.createGroup(STAFF, { group: { name: 'Staff' } });
  t.equal(staff.response.group!.id, STAFF);

  const duplicate = await failureOf(client.createGroup(null as unknown as string, { group: { name: 'Admins' } }));
  t.equal(duplicate.statusCode, 400);
  t.equal(duplicate.exception.fieldErrors['group.name'][0].code, '[duplicate]group.name');
  t.equal(
    (await failureOf(client.createGroup(null as unknown as string, { group: {} }))).exception.fieldErrors['group.name'][0].code,
    '[blank]group.name',
  );
  const badRole = await failureOf(client.createGroup(null as unknown as string, { group: { name: 'X' }, roleIds: [randomUUID()] }));
  t.equal(badRole.exception.fieldErrors.roleIds[0].code, '[invalid]roleIds');
  t.equal((await failureOf(client.createGroup(STAFF, { group: { name: 'Other' } }))).exception.fieldErrors.groupId[0].code, '[duplicate]groupId');

  t.equal((await client.retrieveGroup(admins.id!)).response.group!.name, 'Admins');
  t.equal((await failureOf(client.retrieveGroup(randomUUID()))).statusCode, 404);
  t.same((await client.retrieveGroups()).response.groups!.map((g) => g.name).sort(), ['Admins', 'Staff']);

  const patched = await client.patchGroup(admins.id!, { group: { data: { wing: 'east' } } });
  t.match(patched.response.group, { name: 'Admins', data: { floor: 3, wing: 'east' } });
  t.ok((patched.response.group!.roles as unknown as Record<string, unknown>)[WEB_APP], 'PATCH without roleIds keeps the roles');
  const updated = await client.updateGroup(admins.id!, { group: { name: 'Administrators' } });
  t.same(updated.response.group!.roles, {}, 'PUT without roleIds leaves none');
  t.equal(updated.response.group!.name, 'Administrators');
  t.equal(
    (await failureOf(client.updateGroup(admins.id!, { group: { name: 'Staff' } }))).exception.fieldErrors['group.name'][0].code,
    '[duplicate]group.name',
  );
  t.equal((await failureOf(client.updateGroup(randomUUID(), { group: { name: 'Y' } }))).statusCode, 404);

  const found = await client.searchGroups({ search: { name: 'ADMIN' } });
  t.same([found.response.total, found.response.groups!.map((g) => g.name)], [1, ['Administrators']], 'a name without * matches anywhere, any case');
  const paged = await client.searchGroups({ search: { numberOfResults: 1, startRow: 1, orderBy: 'name DESC' } });
  t.same([paged.response.total, paged.response.groups!.map((g) => g.name)], [2, ['Administrators']]);
  const byGet = await fetch(`${url}/api/group/search?name=st*`, { headers: { authorization: CLIENT_API_KEY } });
  t.same(
    ((await byGet.json()) as { groups: { name: string }[] }).groups.map((g) => g.name),
    ['Staff'],
    'GET search, `*` as a wildcard',
  );
  t.equal((await failureOf(client.searchGroups({ search: { orderBy: 'password' } }))).statusCode, 400);

  t.equal((await client.deleteGroup(STAFF)).statusCode, 200);
  t.equal((await failureOf(client.retrieveGroup(STAFF))).statusCode, 404);
  t.equal((await failureOf(client.deleteGroup(STAFF))).statusCode, 404);
});

t.test('members: add, replace, search, user.memberships and every removal form', async (t) => {
  const { client, url } = await startClientStandin(t);
  const groupId = (await client.createGroup(STAFF, { group: { name: 'Staff' } })).response.group!.id!;
  const api = (method: string, path: string) => fetch(`${url}${path}`, { method, headers: { authorization: CLIENT_API_KEY } });

  const added = await client.createGroupMembers({ members: { [groupId]: [{ userId: RICHARD_ID, data: { seat: 1 } }] } });
  t.equal(added.statusCode, 200);
  const member = (added.response.members as unknown as Record<string, { id: string; userId: string; data: object; insertInstant: number }[]>)[
    groupId
  ]![0]!;
  t.match(member, { id: String, userId: RICHARD_ID, data: { seat: 1 }, insertInstant: Number });
  const user = (await client.retrieveUser(RICHARD_ID)).response.user!;
  t.same(
    user.memberships,
    [{ id: member.id, groupId, userId: RICHARD_ID, insertInstant: member.insertInstant, data: { seat: 1 } }],
    'the user shows FusionAuth member shape',
  );

  const search = await client.searchGroupMembers({ search: { groupId } });
  t.same([search.response.total, search.response.members!.map((m) => [m.groupId, m.userId])], [1, [[groupId, RICHARD_ID]]]);
  const unknownUser = await failureOf(client.createGroupMembers({ members: { [groupId]: [{ userId: randomUUID() }] } }));
  t.equal(unknownUser.statusCode, 400);
  t.equal((await failureOf(client.createGroupMembers({ members: { [randomUUID()]: [{ userId: RICHARD_ID }] } }))).statusCode, 400);

  const replaced = await client.updateGroupMembers({ members: { [groupId]: [{ userId: GILFOYLE_ID }] } });
  t.equal(replaced.statusCode, 200);
  t.same(
    (await client.searchGroupMembers({ search: { groupId } })).response.members!.map((m) => m.userId),
    [GILFOYLE_ID],
    'PUT replaces the membership',
  );
  t.equal((await client.deleteGroupMembers({ members: { [groupId]: [GILFOYLE_ID] } })).statusCode, 200);
  t.equal((await client.searchGroupMembers({ search: { groupId } })).response.total, 0, 'removed by group and user ids in the body');

  const add = async (userId: string) =>
    (await client.createGroupMembers({ members: { [groupId]: [{ userId }] } })).response.members as unknown as Record<string, { id: string }[]>;
  const first = (await add(RICHARD_ID))[groupId]![0]!.id;
  t.equal((await client.deleteGroupMembers({ memberIds: [first] })).statusCode, 200, 'removed by member ids in the body');
  const second = (await add(RICHARD_ID))[groupId]![0]!.id;
  t.equal((await api('DELETE', `/api/group/member/${second}`)).status, 200, 'removed by member id in the path');
  t.equal((await api('DELETE', `/api/group/member/${second}`)).status, 404);
  await add(RICHARD_ID);
  t.equal((await api('DELETE', `/api/group/member?groupId=${groupId}&userId=${RICHARD_ID}`)).status, 200, 'removed by group and user in the query');
  await add(RICHARD_ID);
  await add(GILFOYLE_ID);
  t.equal((await api('DELETE', `/api/group/member?groupId=${groupId}`)).status, 200, 'every member removed by group in the query');
  const bySearchGet = await api('GET', `/api/group/member/search?userId=${RICHARD_ID}`);
  t.same(await bySearchGet.json(), { members: [], total: 0 });
  t.same((await client.retrieveUser(RICHARD_ID)).response.user!.memberships, []);
});

t.test('a user created with user.memberships joins those groups; a group of another tenant refuses the user', async (t) => {
  const { client } = await startClientStandin(t);
  const groupId = (await client.createGroup(STAFF, { group: { name: 'Staff' } })).response.group!.id!;
  const memberId = randomUUID();
  const created = await client.createUser(null as unknown as string, {
    user: { email: 'jared@example.com', password: 'password', memberships: [{ groupId, id: memberId, data: { desk: 'B' } }] },
  });
  t.match(created.response.user!.memberships, [{ id: memberId, groupId, data: { desk: 'B' } }]);
  t.equal((await client.searchGroupMembers({ search: { groupId } })).response.total, 1);

  const refused = await failureOf(
    client.createUser(null as unknown as string, {
      user: { email: 'erlich@example.com', password: 'password', memberships: [{ groupId: randomUUID() }] },
    }),
  );
  t.equal(refused.exception.fieldErrors['user.memberships[0].groupId'][0].code, '[invalid]user.memberships[0].groupId');
  t.equal((await failureOf(client.retrieveUserByEmail('erlich@example.com'))).statusCode, 404, 'nothing was written');
});
