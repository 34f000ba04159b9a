import t from 'tap';
import type { StandinApp } from '../../../src/app.js';
import { parseAuthorizeRequest, type AuthorizeRequest } from '../../../src/oauth/authorize-request.js';
import { pickableUsers, pickedUser } from '../../../src/oauth/dev-user-picker.js';
import { buildMintedTokenApp, FORUMS_APP, MONICA_ID, RICHARD_ID, STORE_APP, TENANT_ID } from '../../helpers/fixtures.js';

// buildMintedTokenApp: Richard and Monica are registered to the store, only Richard to the forums.
function authorizeRequest(app: StandinApp, clientId: string): AuthorizeRequest {
  const name = clientId === STORE_APP ? 'store' : 'forums';
  const params = { client_id: clientId, redirect_uri: `https://${name}.example.com/callback`, response_type: 'code', scope: 'openid' };
  return parseAuthorizeRequest(app.standin.stores, params, []);
}

function deactivate(app: StandinApp, userId: string): void {
  const { users } = app.standin.stores;
  users.update({ ...users.get(userId)!, active: false });
}

t.test("pickableUsers: the application's active registered users, in registration order, labelled by email", async (t) => {
  const app = await buildMintedTokenApp(t);
  const { standin } = app;
  t.same(pickableUsers(standin, authorizeRequest(app, STORE_APP)), [
    { id: RICHARD_ID, label: 'richard@example.com' },
    { id: MONICA_ID, label: 'monica@example.com' },
  ]);
  t.same(
    pickableUsers(standin, authorizeRequest(app, FORUMS_APP)).map((user) => user.id),
    [RICHARD_ID],
    'only the users registered to this application',
  );
  deactivate(app, MONICA_ID);
  t.same(
    pickableUsers(standin, authorizeRequest(app, STORE_APP)).map((user) => user.id),
    [RICHARD_ID],
    'an inactive user is not offered',
  );
});

t.test('pickedUser: an active user of this tenant registered to this application, by id in any case', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { standin } = app;
  const tenant = standin.stores.tenants.get(TENANT_ID)!;
  const store = authorizeRequest(app, STORE_APP);
  t.equal(pickedUser(standin, store, tenant, MONICA_ID)?.id, MONICA_ID, 'a registered user');
  t.equal(pickedUser(standin, store, tenant, MONICA_ID.toUpperCase())?.id, MONICA_ID, 'the id in upper case');
  t.equal(pickedUser(standin, authorizeRequest(app, FORUMS_APP), tenant, MONICA_ID), undefined, 'not registered to this application');
  t.equal(pickedUser(standin, store, { ...tenant, id: 'aaaaaaaa-0000-4000-8000-00000000ffff' }, MONICA_ID), undefined, 'another tenant');
  for (const value of [undefined, '', "' OR 1=1 --", ['x'], '00000000-0000-4000-8000-00000000dead']) {
    t.equal(pickedUser(standin, store, tenant, value), undefined, `not a known user id: ${JSON.stringify(value)}`);
  }
  deactivate(app, MONICA_ID);
  t.equal(pickedUser(standin, store, tenant, MONICA_ID), undefined, 'an inactive user');
});
