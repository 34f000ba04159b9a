import t, { type Test } from 'tap';
import { accessToken, apiClient, buildEmptyApp, buildMintedTokenApp, FORUMS_APP, RICHARD_ID, TENANT_ID, testKickstart } from '../helpers/fixtures.js';

// Group and Member API rules that the client tests do not reach: tenants, cascades, bad input (docs/groups.md).

const OTHER_TENANT = 'aaaaaaaa-0000-4000-8000-000000000002';
const APP = 'aaaaaaaa-1111-4000-8000-0000000000a1';
const USER = 'bbbbbbbb-1111-4000-8000-0000000000b1';
const GROUP = 'cccccccc-1111-4000-8000-0000000000c1';

async function withTwoTenants(t: Test) {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
      { url: `/api/application/${APP}`, tenantId: TENANT_ID, body: { application: { name: 'Web', roles: [{ name: 'admin' }, { name: 'user' }] } } },
      {
        url: `/api/user/registration/${USER}`,
        tenantId: TENANT_ID,
        body: { user: { email: 'richard@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
    ]),
  });
  const roles = app.standin.stores.applications.get(APP)!.roles;
  return { app, api: apiClient(t, app), adminRole: roles[0]!.id, userRole: roles[1]!.id };
}

const inTenant = (tenantId: string) => ({ 'x-fusionauth-tenantid': tenantId });

t.test('groups belong to the tenant the request names, and are hidden from the others', async (t) => {
  const { api } = await withTwoTenants(t);
  const missing = await api('POST', '/api/group', { group: { name: 'Admins' } });
  t.same([missing.status, missing.body.generalErrors[0].code], [400, '[TenantIdRequired]'], 'two tenants and none named');
  const mine = await api('POST', `/api/group/${GROUP}`, { group: { name: 'Admins' } }, inTenant(TENANT_ID));
  t.equal(mine.body.group.tenantId, TENANT_ID);
  const theirs = await api('POST', '/api/group', { group: { name: 'Admins' } }, inTenant(OTHER_TENANT));
  t.equal(theirs.status, 200, 'the same name in another tenant');

  t.equal((await api('GET', `/api/group/${GROUP}`, undefined, inTenant(OTHER_TENANT))).status, 404);
  t.same(
    (await api('GET', '/api/group', undefined, inTenant(OTHER_TENANT))).body.groups.map((g: { id: string }) => g.id),
    [theirs.body.group.id],
  );
  t.equal((await api('GET', '/api/group')).body.groups.length, 2, 'an unscoped key sees every tenant');
  t.equal((await api('POST', '/api/group/search', { search: { tenantId: OTHER_TENANT } })).body.total, 1);
  t.equal((await api('POST', '/api/group/search', { search: {} }, inTenant(TENANT_ID))).body.total, 1);
  t.equal((await api('DELETE', `/api/group/${GROUP}`, undefined, inTenant(OTHER_TENANT))).status, 404);

  const crossTenant = await api('POST', '/api/group/member', { members: { [theirs.body.group.id]: [{ userId: USER }] } });
  t.equal(crossTenant.status, 400, "a user joins only a group of the user's tenant");
  t.match(crossTenant.body.fieldErrors, {
    [`members[${theirs.body.group.id}][0].userId`]: [{ code: `[invalid]members[${theirs.body.group.id}][0].userId` }],
  });
  await api('POST', '/api/group/member', { members: { [GROUP]: [{ userId: USER }] } });
  t.equal((await api('GET', '/api/group/member/search', undefined, inTenant(OTHER_TENANT))).body.total, 0, 'member search is scoped too');
  t.equal((await api('DELETE', `/api/group/member?groupId=${GROUP}`, undefined, inTenant(OTHER_TENANT))).status, 404);
});

t.test('deleting a user, a role, an application or a tenant leaves no membership or group role behind', async (t) => {
  const { app, api, adminRole, userRole } = await withTwoTenants(t);
  await api('POST', `/api/group/${GROUP}`, { group: { name: 'Admins' }, roleIds: [adminRole, userRole] }, inTenant(TENANT_ID));
  await api('POST', '/api/group/member', { members: { [GROUP]: [{ userId: USER }] } });
  const { db } = app.standin.stores;
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();

  await api('DELETE', `/api/application/${APP}/role/${userRole}`);
  t.same(
    Object.values((await api('GET', `/api/group/${GROUP}`)).body.group.roles)
      .flat()
      .map((r: any) => r.name),
    ['admin'],
    'the Role API',
  );
  const application = (await api('GET', `/api/application/${APP}`)).body.application;
  await api('PUT', `/api/application/${APP}`, { application: { ...application, roles: [{ name: 'viewer' }] } });
  t.equal(count('group_application_roles'), 0, 'a PUT of the application without the role');

  await api('PATCH', `/api/group/${GROUP}`, { group: {}, roleIds: [app.standin.stores.applications.get(APP)!.roles[0]!.id] });
  t.equal(count('group_application_roles'), 1);
  await api('DELETE', `/api/application/${APP}?hardDelete=true`);
  t.equal(count('group_application_roles'), 0, 'the application deleted');

  await api('DELETE', `/api/user/${USER}?hardDelete=true`);
  t.equal(count('group_members'), 0, 'the user deleted');
  await api('DELETE', `/api/tenant/${TENANT_ID}`);
  t.equal(count('groups'), 0, 'the tenant deleted');
});

t.test('bad input gets FusionAuth error bodies, never a 500', async (t) => {
  const { api } = await withTwoTenants(t);
  await api('POST', `/api/group/${GROUP}`, { group: { name: 'Admins' } }, inTenant(TENANT_ID));
  const cases: [string, string, unknown, string][] = [
    ['POST', `/api/group/${GROUP.replace('c1', 'c2')}`, {}, '[blank]group'],
    ['POST', '/api/group', { group: { name: 'X' }, roleIds: 'nope' }, '[invalid]roleIds'],
    ['POST', '/api/group', { group: { name: 'X', data: 3 } }, '[invalid]group.data'],
    ['POST', '/api/group/member', { members: [] }, '[blank]members'],
    ['POST', '/api/group/member', { members: { [GROUP]: 'x' } }, `[invalid]members[${GROUP}]`],
    ['POST', '/api/group/member', { members: { [GROUP]: [7] } }, `[blank]members[${GROUP}][0].userId`],
    ['POST', '/api/group/member', { members: { [GROUP]: [{ userId: USER, data: [] }] } }, `[invalid]members[${GROUP}][0].data`],
    ['POST', '/api/group/member', { members: { 'not-a-group': [{ userId: USER }] } }, '[invalid]groupId'],
    ['DELETE', '/api/group/member', { memberIds: ['x'] }, '[invalid]memberIds'],
    ['DELETE', '/api/group/member', { members: { [GROUP]: 'x' } }, '[invalid]members'],
    ['POST', '/api/group/search', { search: { numberOfResults: -1 } }, '[invalid]search.numberOfResults'],
    ['POST', '/api/group/member/search', { search: { orderBy: 'name; DROP TABLE groups' } }, '[invalid]search.orderBy'],
    ['POST', '/api/group/member/search', { search: { userId: 3 } }, '[invalid]search.userId'],
  ];
  for (const [method, url, body, code] of cases) {
    const response = await api(method as 'POST', url, body, inTenant(TENANT_ID));
    t.equal(response.status, 400, `${method} ${url} ${JSON.stringify(body)}`);
    t.same(
      Object.values(response.body.fieldErrors)
        .flat()
        .map((e: any) => e.code),
      [code],
    );
  }
  t.same((await api('DELETE', '/api/group/member')).body.generalErrors[0].code, '[missing]', 'DELETE with neither query nor body');
  t.equal((await api('GET', '/api/group/member/search?groupId=x')).status, 400);
});

t.test('userinfo under Compatibility lists the group roles of a registered member', async (t) => {
  const app = await buildMintedTokenApp(t);
  const api = apiClient(t, app);
  const role = (await api('POST', `/api/application/${FORUMS_APP}/role`, { role: { name: 'moderator' } })).body.role;
  const group = (await api('POST', '/api/group', { group: { name: 'Mods' }, roleIds: [role.id] })).body.group;
  await api('POST', '/api/group/member', { members: { [group.id]: [{ userId: RICHARD_ID }] } });
  const { token } = await accessToken(app, FORUMS_APP, RICHARD_ID, 'openid');
  const claims = (await app.inject({ url: '/oauth2/userinfo', headers: { authorization: `Bearer ${token}` } })).json();
  t.same(claims.roles, ['admin', 'moderator']);
});

t.test('user search shows memberships unless expand leaves them out', async (t) => {
  const { api } = await withTwoTenants(t);
  await api('POST', `/api/group/${GROUP}`, { group: { name: 'Admins' } }, inTenant(TENANT_ID));
  await api('POST', '/api/group/member', { members: { [GROUP]: [{ userId: USER }] } });
  const search = (expand?: string[]) => api('POST', '/api/user/search', { search: { ids: [USER], ...(expand ? { expand } : {}) } });
  t.match((await search()).body.users[0].memberships, [{ groupId: GROUP, userId: USER }]);
  const onlyRegistrations = (await search(['registrations'])).body.users[0];
  t.same(['memberships' in onlyRegistrations, 'registrations' in onlyRegistrations], [false, true]);
  t.match((await search(['memberships'])).body.users[0], { memberships: [{ groupId: GROUP }] });
});

t.test('DELETE ?groupId&userId removes one user, or several when userId repeats', async (t) => {
  const { api } = await withTwoTenants(t);
  const other = (await api('POST', '/api/user', { user: { email: 'monica@example.com', password: 'password1' } }, inTenant(TENANT_ID))).body.user.id;
  await api('POST', `/api/group/${GROUP}`, { group: { name: 'Admins' } }, inTenant(TENANT_ID));
  await api('POST', '/api/group/member', { members: { [GROUP]: [{ userId: USER }, { userId: other }] } });
  t.equal((await api('DELETE', `/api/group/member?groupId=${GROUP}&userId=${USER.toUpperCase()}`)).status, 200);
  t.same(
    (await api('GET', `/api/group/member/search?groupId=${GROUP}`)).body.members.map((m: { userId: string }) => m.userId),
    [other],
  );
  t.equal((await api('DELETE', `/api/group/member?groupId=${GROUP}&userId=${USER}`)).status, 404, 'no longer a member');
  await api('POST', '/api/group/member', { members: { [GROUP]: [{ userId: USER }] } });
  t.equal((await api('DELETE', `/api/group/member?groupId=${GROUP}&userId=${USER}&userId=${other}`)).status, 200);
  t.equal((await api('GET', `/api/group/member/search?groupId=${GROUP}`)).body.total, 0);
});
