import { decodeJwt } from 'jose';
import * as openid from 'openid-client';
import t, { type Test } from 'tap';
import { CALLBACK, type ClientStandin, RICHARD_ID, RICHARD_LOGIN, startClientStandin, WEB_APP, WEB_SECRET } from '../helpers/fixtures.js';
import { openIdLogin } from '../helpers/openid-login.js';

// A group's application roles join a registered member's roles in every token minted after the change
// (https://fusionauth.io/docs/get-started/core-concepts/groups; docs/groups.md).

const GROUP = '6b000000-0000-4000-8000-0000000000ad';

/** WEB_APP gets an `admin` role (Richard's registration has only the default `user`); group GROUP grants it. */
async function withAdminGroup(t: Test): Promise<ClientStandin & { roleId: string }> {
  const standin = await startClientStandin(t);
  const roleId = (await standin.client.createApplicationRole(WEB_APP, null as unknown as string, { role: { name: 'admin' } })).response.role!.id!;
  await standin.client.createGroup(GROUP, { group: { name: 'Admins' }, roleIds: [roleId] });
  await standin.client.createGroupMembers({ members: { [GROUP]: [{ userId: RICHARD_ID }] } });
  return { ...standin, roleId };
}

const rolesOf = (jwt: string) => decodeJwt(jwt).roles;

t.test('openid-client: group roles in the access token after a hosted login and after refresh; gone once the membership or group is', async (t) => {
  const { url, client } = await withAdminGroup(t);
  const tokens = await openIdLogin({ url, clientId: WEB_APP, clientSecret: WEB_SECRET, redirectUri: CALLBACK, ...RICHARD_LOGIN });
  t.same(rolesOf(tokens.access_token), ['user', 'admin'], "the registration's roles, then the group's");
  t.equal(tokens.claims()!.roles, undefined, 'the id token carries no roles (FusionAuth since 1.24)');

  const configuration = await openid.discovery(new URL(url), WEB_APP, WEB_SECRET, undefined, { execute: [openid.allowInsecureRequests] });
  let refreshToken = tokens.refresh_token!;
  const refreshedRoles = async () => {
    const refreshed = await openid.refreshTokenGrant(configuration, refreshToken);
    refreshToken = refreshed.refresh_token ?? refreshToken;
    return rolesOf(refreshed.access_token);
  };
  t.same(await refreshedRoles(), ['user', 'admin'], 'after refresh');

  await client.deleteGroupMembers({ members: { [GROUP]: [RICHARD_ID] } });
  t.same(await refreshedRoles(), ['user'], 'removed from the group: the registration keeps its own roles');
  await client.createGroupMembers({ members: { [GROUP]: [{ userId: RICHARD_ID }] } });
  t.same(await refreshedRoles(), ['user', 'admin'], 'a member again');
  await client.deleteGroup(GROUP);
  t.same(await refreshedRoles(), ['user'], 'the group deleted');
  t.same(
    (await client.retrieveRegistration(RICHARD_ID, WEB_APP)).response.registration!.roles,
    ['user'],
    "the registration's own roles never change",
  );
});

t.test('Login API and /api/jwt/refresh: group roles for a registered member; a deleted role is gone; none without a registration', async (t) => {
  const { client, roleId, url } = await withAdminGroup(t);
  const gilfoyle = (await client.retrieveUserByUsername('gilfoyle')).response.user!.id!;
  await client.createGroupMembers({ members: { [GROUP]: [{ userId: gilfoyle }] } });

  const login = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP });
  t.same(rolesOf(login.response.token!), ['user', 'admin']);
  t.same(
    login.response.user!.registrations!.find((r) => r.applicationId === WEB_APP)!.roles,
    ['user'],
    'the login response shows the registration as stored',
  );
  t.same(
    login.response.user!.memberships!.map((m) => m.groupId),
    [GROUP],
  );
  const refreshed = await client.exchangeRefreshTokenForJWT({ refreshToken: login.response.refreshToken! });
  t.same(rolesOf(refreshed.response.token!), ['user', 'admin'], '/api/jwt/refresh');
  const passwordGrant = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${WEB_APP}:${WEB_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'password', username: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, scope: 'openid' }),
  });
  t.same(rolesOf(((await passwordGrant.json()) as { access_token: string }).access_token), ['user', 'admin'], 'the password grant');

  await client.deleteApplicationRole(WEB_APP, roleId);
  t.same(
    rolesOf((await client.exchangeRefreshTokenForJWT({ refreshToken: login.response.refreshToken! })).response.token!),
    ['user'],
    'the role deleted',
  );
  t.same((await client.retrieveGroup(GROUP)).response.group!.roles, {}, 'the group no longer lists it');

  const unregistered = await client.login({ loginId: 'gilfoyle', password: 'password', applicationId: WEB_APP });
  t.equal(unregistered.statusCode, 202);
  t.equal(rolesOf(unregistered.response.token!), undefined, 'a member without a registration gets no roles claim');
});
