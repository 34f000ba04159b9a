import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, CLIENT_API_KEY, RICHARD_LOGIN, settle, startClientStandin, WEB_APP } from '../helpers/fixtures.js';

// FusionAuth's Reactivate an Application (https://fusionauth.io/docs/apis/applications) through the TypeScript
// client's reactivateApplication: `PUT /api/application/{id}?reactivate=true` with no body.
const UNKNOWN = 'c9999999-0000-4000-8000-000000000009';

t.test('reactivateApplication: a deactivated application is active again, logins included', async (t) => {
  const { client, url } = await startClientStandin(t);
  await client.deactivateApplication(WEB_APP);
  const before = (await client.retrieveApplication(WEB_APP)).response.application!;
  assertFieldError(t, await settle(client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP })), 'applicationId', 'invalid');

  const reactivated = await client.reactivateApplication(WEB_APP);
  t.equal(reactivated.statusCode, 200);
  const application = reactivated.response.application!;
  t.match(application, { id: WEB_APP, name: 'Web', active: true, state: 'Active' });
  t.same(application.oauthConfiguration, before.oauthConfiguration, 'its configuration is kept');
  t.same(application.roles, before.roles, 'its roles are kept');
  t.same((await client.retrieveApplication(WEB_APP)).response.application, application, 'stored as answered');
  t.ok(
    (await client.retrieveApplications()).response.applications!.some((listed) => listed.id === WEB_APP),
    'listed among the active applications',
  );
  t.same((await client.retrieveInactiveApplications()).response.applications, [], 'no longer among the inactive ones');
  t.equal((await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP })).statusCode, 200, 'the Login API takes it again');

  assertEmpty(t, await settle(new FusionAuthClient('not-the-api-key', url).reactivateApplication(WEB_APP)), 401);
});

t.test('reactivateApplication: an active application is answered unchanged; an unknown or hidden one is a 404', async (t) => {
  const { client, url } = await startClientStandin(t);
  const before = (await client.retrieveApplication(WEB_APP)).response.application!;
  const again = await client.reactivateApplication(WEB_APP);
  t.equal(again.statusCode, 200);
  t.same(again.response.application, before);

  assertEmpty(t, await settle(client.reactivateApplication(UNKNOWN)), 404);
  // Another tenant's application is not there for a request made in this one.
  const other = (await client.createTenant(undefined as unknown as string, { tenant: { name: 'Other' } })).response.tenant!;
  await client.deactivateApplication(WEB_APP);
  assertEmpty(t, await settle(new FusionAuthClient(CLIENT_API_KEY, url, other.id).reactivateApplication(WEB_APP)), 404);
  t.equal((await client.retrieveApplication(WEB_APP)).response.application!.active, false, 'and it stays inactive');
});
