import { fileURLToPath } from 'node:url';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';

// A kickstart that creates groups with application roles and adds a member, as FusionAuth projects seed them:
// Standin replays it (docs/groups.md) instead of listing `/api/group` as ignored.
const KICKSTART = fileURLToPath(new URL('../fixtures/groups/kickstart.json', import.meta.url));
const API_KEY = 'groups-fixture-api-key-change-me-0123456789';
const APP = '3e7c9a51-1b2d-4f60-8a7e-5d4c3b2a1f00';
const ADMINS = '7d1f2e3c-4b5a-4968-8776-a5b4c3d2e1f0';
const RICHARD = '00000000-0000-0000-0000-111111111111';

t.test('a kickstart with groups and members replays, and the member logs in with the group roles', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: KICKSTART });
  t.teardown(() => standin.close());
  t.same(standin.app.seedReport.ignored, [], 'no request was ignored');
  const client = new FusionAuthClient(API_KEY, standin.url);

  const groups = (await client.retrieveGroups()).response.groups!;
  t.same(groups.map((group) => group.name).sort(), ['Intranet admins', 'Newsletter readers']);
  const admins = (await client.retrieveGroup(ADMINS)).response.group!;
  t.same(((admins.roles as unknown as Record<string, { name: string }[]>)[APP] ?? []).map((role) => role.name).sort(), ['admin', 'editor']);
  t.same(admins.data, { pager: 'on call' });
  const user = (await client.retrieveUser(RICHARD)).response.user!;
  t.match(user.memberships, [{ groupId: ADMINS, userId: RICHARD, data: { since: '2026' } }]);

  const login = await client.login({ loginId: 'richard@example.com', password: 'password', applicationId: APP });
  t.same(decodeJwt(login.response.token!).roles, ['user', 'admin', 'editor']);
});
