import t from 'tap';
import { canonicalId, canonicalizeIds, isIdName } from '../../src/model/ids.js';

const UPPER = 'E9FDB985-9173-4E01-9D73-AC2D60D1DC8E';
const LOWER = UPPER.toLowerCase();

t.test('only UUIDs change case', async (t) => {
  t.equal(canonicalId(UPPER), LOWER);
  t.equal(canonicalId('Richard@Example.com'), 'Richard@Example.com');
  t.equal(canonicalId(`${UPPER}X`), `${UPPER}X`, 'almost a UUID is not one');
});

t.test('id names: id, ids, *Id, *Ids; not the FusionAuth ids that are not UUIDs', async (t) => {
  for (const name of ['id', 'ids', 'applicationId', 'tenantId', 'accessTokenKeyId', 'roleIds', 'userId']) t.ok(isIdName(name, 'json'), name);
  for (const name of [
    'loginId',
    'changePasswordId',
    'verificationId',
    'twoFactorId',
    'identityProviderUserId',
    'clientId',
    'client_id',
    'state',
    'Id',
    'username',
    'email',
  ]) {
    t.notOk(isIdName(name, 'json'), name);
  }
  t.ok(isIdName('client_id', 'query'), 'the OAuth parameter names an application');
  t.ok(isIdName('clientId', 'path'), "the hosted backend's {clientId} names an application");
  t.notOk(isIdName('client_id', 'json'), "a JSON client_id is an identity provider's, not Standin's");
});

t.test('a JSON body: every id member at any depth, never free-form data or claims, never a login id', async (t) => {
  const body = {
    user: {
      id: UPPER,
      loginId: UPPER,
      username: UPPER,
      tenantId: UPPER,
      data: { appId: UPPER, nested: { userId: UPPER } },
      memberships: [{ groupId: UPPER }],
    },
    registration: { applicationId: UPPER, roles: ['Admin'], data: { tenantId: UPPER } },
    application: { roles: [{ id: UPPER, name: 'Admin' }], jwtConfiguration: { accessTokenKeyId: UPPER } },
    search: { ids: [UPPER, 'not-a-uuid'] },
    claims: { customId: UPPER },
  };
  canonicalizeIds(body, 'json', true);
  t.same(body, {
    user: {
      id: LOWER,
      loginId: UPPER,
      username: UPPER,
      tenantId: LOWER,
      data: { appId: UPPER, nested: { userId: UPPER } },
      memberships: [{ groupId: LOWER }],
    },
    registration: { applicationId: LOWER, roles: ['Admin'], data: { tenantId: UPPER } },
    application: { roles: [{ id: LOWER, name: 'Admin' }], jwtConfiguration: { accessTokenKeyId: LOWER } },
    search: { ids: [LOWER, 'not-a-uuid'] },
    claims: { customId: UPPER },
  });
});

t.test('a query or form: top-level id parameters and client_id; state, codes and hints keep their case', async (t) => {
  const query = { client_id: UPPER, tenantId: UPPER, state: UPPER, nonce: UPPER, login_hint: UPPER, applicationId: [UPPER, UPPER] };
  canonicalizeIds(query, 'query', false);
  t.same(query, { client_id: LOWER, tenantId: LOWER, state: UPPER, nonce: UPPER, login_hint: UPPER, applicationId: [LOWER, LOWER] });
  const shallow = { user: { id: UPPER } };
  canonicalizeIds(shallow, 'query', false);
  t.same(shallow, { user: { id: UPPER } }, 'not deep');
  for (const nothing of [undefined, null, 'text', 3, [UPPER]])
    t.doesNotThrow(() => {
      canonicalizeIds(nothing, 'json', true);
    });
});

t.test('a body nested half a million levels deep, or with a huge list, is walked without exhausting the stack', async (t) => {
  const depth = 500_000;
  const nested = JSON.parse(`${'['.repeat(depth)}{"applicationId":"${UPPER}"}${']'.repeat(depth)}`) as unknown;
  t.doesNotThrow(() => {
    canonicalizeIds(nested, 'json', true);
  });
  let inner = nested;
  while (Array.isArray(inner)) inner = inner[0];
  t.same(inner, { applicationId: LOWER });
  const wide = { items: Array.from({ length: 300_000 }, () => ({ userId: UPPER })) };
  t.doesNotThrow(() => {
    canonicalizeIds(wide, 'json', true);
  });
  t.equal(wide.items[299_999]!.userId, LOWER);
});
