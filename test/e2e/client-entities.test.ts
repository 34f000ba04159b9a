import { join } from 'node:path';
import { FusionAuthClient, Sort, type Entity, type EntityGrant, type EntityType } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Entity Management APIs (https://fusionauth.io/docs/apis/entities/entity-types, /entities, /grants)
// through @fusionauth/typescript-client against a listening Standin.
const API_KEY = 'client-entities-api-key-0123456789abcdef';
const BOUND_KEY = 'client-entities-bound-key-0123456789abcd';
const TENANT = 'e7000000-0000-4000-8000-0000000000a1';
const OTHER_TENANT = 'e7000000-0000-4000-8000-0000000000a2';
const USER = 'e7000000-0000-4000-8000-0000000000b1';
const OTHER_USER = 'e7000000-0000-4000-8000-0000000000b2';
const TYPE = 'e7000000-0000-4000-8000-0000000000c1';
const READ = 'e7000000-0000-4000-8000-0000000000d1';
const API = 'e7000000-0000-4000-8000-0000000000e1';
const UNKNOWN = 'e7999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: BOUND_KEY, tenantId: OTHER_TENANT }],
  requests: [
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    { url: `/api/user/${USER}`, tenantId: TENANT, body: { user: { email: 'dinesh@example.com', password: 'password123' } } },
    { url: `/api/user/${OTHER_USER}`, tenantId: OTHER_TENANT, body: { user: { email: 'jared@example.com', password: 'password123' } } },
  ],
};

const start = (options: { db?: string; kickstart?: object } = {}) =>
  startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, ...options });

t.test('the Entity Type API and its permissions', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const created = await client.createEntityType(TYPE.toUpperCase(), { entityType: { name: 'API', data: { owner: 'ops' } } });
  t.equal(created.statusCode, 200);
  t.match(created.response.entityType, { id: TYPE, name: 'API', data: { owner: 'ops' }, jwtConfiguration: { enabled: false }, permissions: [] });
  t.type(created.response.entityType!.insertInstant, 'number');
  const random = (await client.createEntityType(NO_ID, { entityType: { name: 'Device' } })).response.entityType!;
  t.match(random.id, /^[0-9a-f-]{36}$/);

  const read = await client.createEntityTypePermission(TYPE, READ, { permission: { name: 'read', isDefault: true, description: 'Read it' } });
  t.match(read.response.permission, { id: READ, name: 'read', isDefault: true, description: 'Read it', data: {} });
  const write = (await client.createEntityTypePermission(TYPE, NO_ID, { permission: { name: 'write' } })).response.permission!;
  t.match(write, { name: 'write', isDefault: false });
  const type = (await client.retrieveEntityType(TYPE)).response.entityType!;
  t.same(
    type.permissions!.map((permission) => permission.name),
    ['read', 'write'],
    'the type answers its permissions',
  );
  t.same(
    (await client.retrieveEntityTypes()).response.entityTypes!.map((each: EntityType) => each.name),
    ['API', 'Device'],
  );

  t.test('bad types and permissions get FusionAuth’s errors', async (t) => {
    assertFieldError(t, await settle(client.createEntityType(NO_ID, { entityType: { name: '' } })), 'entityType.name', 'blank');
    assertFieldError(t, await settle(client.createEntityType(NO_ID, { entityType: { name: 'API' } })), 'entityType.name', 'duplicate');
    assertFieldError(t, await settle(client.createEntityType(TYPE, { entityType: { name: 'Again' } })), 'entityTypeId', 'duplicate');
    assertFieldError(
      t,
      await settle(client.createEntityType(NO_ID, { entityType: { name: 'Signed', jwtConfiguration: { enabled: true } } })),
      'entityType.jwtConfiguration.accessTokenKeyId',
      'blank',
    );
    assertFieldError(
      t,
      await settle(
        client.createEntityType(NO_ID, {
          entityType: { name: 'Signed', jwtConfiguration: { enabled: true, accessTokenKeyId: UNKNOWN, timeToLiveInSeconds: 60 } },
        }),
      ),
      'entityType.jwtConfiguration.accessTokenKeyId',
      'invalid',
    );
    assertFieldError(
      t,
      await settle(client.createEntityTypePermission(TYPE, NO_ID, { permission: { name: 'read' } })),
      'permission.name',
      'duplicate',
    );
    assertFieldError(t, await settle(client.createEntityTypePermission(TYPE, NO_ID, { permission: {} })), 'permission.name', 'blank');
    assertEmpty(t, await settle(client.createEntityTypePermission(UNKNOWN, NO_ID, { permission: { name: 'x' } })), 404);
    assertEmpty(t, await settle(client.retrieveEntityType(UNKNOWN)), 404);
    assertGeneralError(t, await settle(client.createEntityType(NO_ID, '{' as never)), '[invalidJSON]');
    t.equal((await client.retrieveEntityTypes()).response.entityTypes!.length, 2, 'nothing was written');
  });

  t.test('update, patch and delete a type and a permission; its permissions stay through an update', async (t) => {
    const patched = (await client.patchEntityType(TYPE, { entityType: { data: { owner: 'dev' } } })).response.entityType!;
    t.match(patched, { name: 'API', data: { owner: 'dev' } });
    t.equal(patched.permissions!.length, 2);
    const replaced = (await client.updateEntityType(TYPE, { entityType: { name: 'APIs' } })).response.entityType!;
    t.same(replaced.data, {}, 'a PUT replaces data');
    t.equal(replaced.permissions!.length, 2, 'and keeps the permissions');
    const renamed = (await client.updateEntityTypePermission(TYPE, write.id!, { permission: { name: 'ignored', description: 'Write it' } })).response
      .permission!;
    t.match(renamed, { name: 'write', description: 'Write it' }, 'a permission’s name cannot change');
    const defaulted = (await client.patchEntityTypePermission(TYPE, write.id!, { permission: { isDefault: true } })).response.permission!;
    t.match(defaulted, { isDefault: true, description: 'Write it' });
    t.equal((await client.deleteEntityTypePermission(TYPE, write.id!)).statusCode, 200);
    assertEmpty(t, await settle(client.deleteEntityTypePermission(TYPE, write.id!)), 404);
    t.same(
      (await client.retrieveEntityType(TYPE)).response.entityType!.permissions!.map((permission) => permission.name),
      ['read'],
    );
    t.equal((await client.deleteEntityType(random.id!)).statusCode, 200);
    assertEmpty(t, await settle(client.retrieveEntityType(random.id!)), 404);
  });

  t.test('searchEntityTypes by name, paged and ordered', async (t) => {
    await client.createEntityType(NO_ID, { entityType: { name: 'Company' } });
    const byName = (await client.searchEntityTypes({ search: { name: 'api' } })).response;
    t.same(
      byName.entityTypes!.map((each: EntityType) => each.name),
      ['APIs'],
    );
    t.equal(byName.total, 1);
    const all = (await client.searchEntityTypesByParameters('*', 1, 'name DESC', 0)).response;
    t.same(
      all.entityTypes!.map((each: EntityType) => each.name),
      ['Company'],
    );
    t.equal(all.total, 2);
    assertFieldError(t, await settle(client.searchEntityTypes({ search: { orderBy: 'color' } })), 'search.orderBy', 'invalid');
  });

  t.test('a tenant-bound API key may not call the Entity Type API (a global API key’s)', async (t) => {
    const bound = new FusionAuthClient(BOUND_KEY, standin.url);
    assertEmpty(t, await settle(bound.retrieveEntityTypes()), 401);
    assertEmpty(t, await settle(bound.createEntityType(NO_ID, { entityType: { name: 'Bound' } })), 401);
    assertEmpty(t, await settle(bound.createEntityTypePermission(TYPE, NO_ID, { permission: { name: 'bound' } })), 401);
  });
});

t.test('the Entity API and its search', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url).setTenantId(TENANT);
  await client.createEntityType(TYPE, { entityType: { name: 'API', permissions: [{ name: 'read' }, { name: 'write' }] } });

  const made = await client.createEntity(API.toUpperCase(), { entity: { name: 'Email API', type: { id: TYPE }, data: { region: 'eu' } } });
  t.equal(made.statusCode, 200);
  const entity = made.response.entity!;
  t.match(entity, { id: API, name: 'Email API', tenantId: TENANT, clientId: API, data: { region: 'eu' }, type: { id: TYPE, name: 'API' } });
  t.match(entity.clientSecret, /^.{20,}$/, 'a secret is generated');
  const own = (
    await client.createEntity(NO_ID, { entity: { name: 'Todo API', type: { id: TYPE }, clientId: 'todo-client', clientSecret: 'todo-secret' } })
  ).response.entity!;
  t.match(own, { clientId: 'todo-client', clientSecret: 'todo-secret' });
  t.same((await client.retrieveEntity(API)).response.entity, entity);

  t.test('bad entities get FusionAuth’s errors and nothing is written', async (t) => {
    assertFieldError(t, await settle(client.createEntity(NO_ID, { entity: { name: '', type: { id: TYPE } } })), 'entity.name', 'blank');
    assertFieldError(t, await settle(client.createEntity(NO_ID, { entity: { name: 'No type' } })), 'entity.type.id', 'blank');
    assertFieldError(
      t,
      await settle(client.createEntity(NO_ID, { entity: { name: 'Unknown', type: { id: UNKNOWN } } })),
      'entity.type.id',
      'invalid',
    );
    assertFieldError(
      t,
      await settle(client.createEntity(NO_ID, { entity: { name: 'Copy', type: { id: TYPE }, clientId: 'todo-client' } })),
      'entity.clientId',
      'duplicate',
    );
    assertFieldError(t, await settle(client.createEntity(API, { entity: { name: 'Again', type: { id: TYPE } } })), 'entityId', 'duplicate');
    assertFieldError(
      t,
      await settle(client.createEntity(NO_ID, { entity: { name: 'Orphan', type: { id: TYPE }, parentId: UNKNOWN } })),
      'entity.parentId',
      'invalid',
    );
    assertFieldError(t, await settle(client.deleteEntityType(TYPE)), 'entityTypeId', 'inUse');
    assertEmpty(t, await settle(client.retrieveEntity(UNKNOWN)), 404);
    t.equal((await client.searchEntities({ search: { queryString: '*' } })).response.total, 2, 'nothing was written');
  });

  t.test('updateEntity keeps the secret it leaves out; patchEntity merges', async (t) => {
    const replaced = (await client.updateEntity(API, { entity: { name: 'Mail API', type: { id: TYPE } } })).response.entity!;
    t.match(replaced, { name: 'Mail API', clientSecret: entity.clientSecret, clientId: API, data: {} });
    const patched = (await client.patchEntity(API, { entity: { data: { region: 'us' } } })).response.entity!;
    t.match(patched, { name: 'Mail API', data: { region: 'us' }, insertInstant: entity.insertInstant });
    assertEmpty(t, await settle(client.patchEntity(UNKNOWN, { entity: { name: 'x' } })), 404);
  });

  t.test('searchEntities by queryString over name, clientId and type name, by ids; Elasticsearch queries are not modelled', async (t) => {
    const names = (answer: { entities?: Entity[] }) => answer.entities!.map((each) => each.name);
    t.same(names((await client.searchEntities({ search: { queryString: 'todo' } })).response), ['Todo API']);
    t.same(names((await client.searchEntities({ search: { queryString: 'TODO-CL*' } })).response), ['Todo API'], 'clientId, any case');
    t.same(names((await client.searchEntities({ search: { queryString: 'api', sortFields: [{ name: 'name', order: Sort.desc }] } })).response), [
      'Todo API',
      'Mail API',
    ]);
    const paged = (await client.searchEntities({ search: { queryString: '*', numberOfResults: 1, startRow: 1 } })).response;
    t.same(names(paged), ['Todo API']);
    t.equal(paged.total, 2);
    t.same(names((await client.searchEntitiesByIds([own.id!, UNKNOWN])).response), ['Todo API']);
    assertGeneralError(t, await settle(client.searchEntities({ search: { query: '{"match_all":{}}' } })), '[NotModelled]');
    assertFieldError(t, await settle(client.searchEntities({ search: {} })), 'search.queryString', 'blank');
    assertFieldError(
      t,
      await settle(client.searchEntities({ search: { queryString: '*', sortFields: [{ name: 'color' }] } })),
      'search.sortFields[0].name',
      'invalid',
    );
  });

  t.test('a tenant sees only its own entities', async (t) => {
    const bound = new FusionAuthClient(BOUND_KEY, standin.url);
    assertEmpty(t, await settle(bound.retrieveEntity(API)), 404);
    assertEmpty(t, await settle(new FusionAuthClient(API_KEY, standin.url).setTenantId(OTHER_TENANT).retrieveEntity(API)), 404);
    const theirs = (await bound.createEntity(NO_ID, { entity: { name: 'Other API', type: { id: TYPE } } })).response.entity!;
    t.equal(theirs.tenantId, OTHER_TENANT, 'created in the key’s tenant');
    t.same(
      (await bound.searchEntities({ search: { queryString: '*' } })).response.entities!.map((each) => each.name),
      ['Other API'],
    );
    t.equal((await client.searchEntities({ search: { queryString: '*' } })).response.total, 2, 'the other tenant’s is not among this one’s');
    assertEmpty(t, await settle(bound.deleteEntity(API)), 404);
    const noTenant = new FusionAuthClient(API_KEY, standin.url);
    assertGeneralError(t, await settle(noTenant.createEntity(NO_ID, { entity: { name: 'Where', type: { id: TYPE } } })), '[TenantIdRequired]');
    t.equal((await noTenant.searchEntities({ search: { queryString: '*' } })).response.total, 3, 'a key of every tenant sees every entity');
  });

  t.test('deleteEntity; then its type may be deleted', async (t) => {
    t.equal((await client.deleteEntity(API)).statusCode, 200);
    assertEmpty(t, await settle(client.retrieveEntity(API)), 404);
  });
});

t.test('the Grant APIs', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url).setTenantId(TENANT);
  await client.createEntityType(TYPE, { entityType: { name: 'API', permissions: [{ name: 'read', isDefault: true }, { name: 'write' }] } });
  await client.createEntity(API, { entity: { name: 'Email API', type: { id: TYPE } } });
  const todo = (await client.createEntity(NO_ID, { entity: { name: 'Todo API', type: { id: TYPE } } })).response.entity!;
  const TODO = todo.id!;

  t.equal((await client.upsertEntityGrant(API, { grant: { recipientEntityId: TODO, permissions: ['write'] } })).statusCode, 200);
  await client.upsertEntityGrant(API, { grant: { userId: USER } });
  const toTodo = (await client.retrieveEntityGrant(API, todo.id!, NO_ID)).response.grant!;
  t.match(toTodo, { recipientEntityId: TODO, permissions: ['write'], data: {}, entity: { id: API, name: 'Email API', type: { id: TYPE } } });
  t.match(
    (await client.retrieveEntityGrant(API, NO_ID, USER)).response.grant,
    { userId: USER, permissions: ['read'] },
    'no permissions: the type’s default ones',
  );

  t.test('an upsert replaces the grant to the same recipient', async (t) => {
    await client.upsertEntityGrant(API, { grant: { recipientEntityId: TODO, permissions: ['read', 'write'], data: { why: 'reminders' } } });
    const again = (await client.retrieveEntityGrant(API, todo.id!, NO_ID)).response.grant!;
    t.match(again, { id: toTodo.id, permissions: ['read', 'write'], data: { why: 'reminders' }, insertInstant: toTodo.insertInstant });
    const all = (await client.retrieveEntityGrant(API, NO_ID, NO_ID)).response as { grants: EntityGrant[] };
    t.equal(all.grants.length, 2, 'no id or recipient: every grant of the entity');
  });

  t.test('bad grants get FusionAuth’s errors', async (t) => {
    assertFieldError(t, await settle(client.upsertEntityGrant(API, { grant: { permissions: ['read'] } })), 'grant.userId', 'blank');
    assertFieldError(t, await settle(client.upsertEntityGrant(API, { grant: { userId: UNKNOWN } })), 'grant.userId', 'invalid');
    assertFieldError(t, await settle(client.upsertEntityGrant(API, { grant: { userId: OTHER_USER } })), 'grant.userId', 'invalid');
    assertFieldError(t, await settle(client.upsertEntityGrant(API, { grant: { recipientEntityId: UNKNOWN } })), 'grant.recipientEntityId', 'invalid');
    assertFieldError(
      t,
      await settle(client.upsertEntityGrant(API, { grant: { userId: USER, permissions: ['sue'] } })),
      'grant.permissions',
      'invalid',
    );
    assertEmpty(t, await settle(client.upsertEntityGrant(UNKNOWN, { grant: { userId: USER } })), 404);
    assertEmpty(t, await settle(client.retrieveEntityGrant(API, UNKNOWN, NO_ID)), 404);
  });

  t.test('searchEntityGrants by entity, user and name', async (t) => {
    const byUser = (await client.searchEntityGrants({ search: { userId: USER } })).response;
    t.equal(byUser.total, 1);
    t.match(byUser.grants![0], { userId: USER, entity: { id: API } });
    t.equal(byUser.grants![0]!.entity!.clientSecret, undefined, 'the entity is answered without its secret');
    t.equal((await client.searchEntityGrantsByParameters(API, NO_ID, NO_ID, 25, 'insertInstant DESC', 0)).response.total, 2);
    t.equal((await client.searchEntityGrants({ search: { name: 'todo' } })).response.total, 0, 'by the name of the entity granting');
    t.equal((await client.searchEntityGrants({ search: { name: 'email*' } })).response.total, 2);
    assertFieldError(t, await settle(client.searchEntityGrants({ search: { userId: 'nope' } })), 'search.userId', 'invalid');
    const bound = new FusionAuthClient(BOUND_KEY, standin.url);
    t.equal((await bound.searchEntityGrants({ search: {} })).response.total, 0, 'another tenant’s key finds none of these');
  });

  t.test('deleteEntityGrant; deleting an entity deletes its grants', async (t) => {
    t.equal((await client.deleteEntityGrant(API, NO_ID, USER)).statusCode, 200);
    assertEmpty(t, await settle(client.deleteEntityGrant(API, NO_ID, USER)), 404);
    await client.deleteEntity(todo.id!);
    t.equal((await client.searchEntityGrants({ search: {} })).response.total, 0);
  });
});

t.test('a kickstart’s entity requests are replayed; a reset returns to them', async (t) => {
  const standin = await start({
    kickstart: {
      ...kickstart,
      requests: [
        ...kickstart.requests,
        { method: 'POST', url: `/api/entity/type/${TYPE}`, body: { entityType: { name: 'API' } } },
        { method: 'POST', url: `/api/entity/type/${TYPE}/permission/${READ}`, body: { permission: { name: 'read' } } },
        {
          method: 'POST',
          url: `/api/entity/${API}`,
          tenantId: TENANT,
          body: { entity: { name: 'Email API', type: { id: TYPE }, clientSecret: 'kick' } },
        },
        { method: 'POST', url: `/api/entity/${API}/grant`, tenantId: TENANT, body: { grant: { userId: USER, permissions: ['read'] } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  t.same(standin.app.seedReport.ignored, [], 'nothing was ignored');
  const client = new FusionAuthClient(API_KEY, standin.url);
  t.match((await client.retrieveEntity(API)).response.entity, { name: 'Email API', clientSecret: 'kick', type: { permissions: [{ id: READ }] } });
  t.match((await client.retrieveEntityGrant(API, NO_ID, USER)).response.grant, { permissions: ['read'] });

  await client.createEntityType(NO_ID, { entityType: { name: 'Added later' } });
  await client.deleteEntityGrant(API, NO_ID, USER);
  standin.reset();
  t.same(
    (await client.retrieveEntityTypes()).response.entityTypes!.map((each: EntityType) => each.name),
    ['API'],
  );
  t.equal((await client.retrieveEntityGrant(API, NO_ID, USER)).statusCode, 200, 'the kickstart’s grant is back');
});

t.test('entity types, entities and grants survive a restart of a file-backed Standin', async (t) => {
  const dir = temporaryFolder(t, 'standin-entities-');
  const db = join(dir, 'standin.db');
  const first = await start({ db });
  const before = new FusionAuthClient(API_KEY, first.url).setTenantId(TENANT);
  await before.createEntityType(TYPE, { entityType: { name: 'API', permissions: [{ name: 'read' }] } });
  const made = (await before.createEntity(API, { entity: { name: 'Email API', type: { id: TYPE } } })).response.entity;
  await before.upsertEntityGrant(API, { grant: { userId: USER, permissions: ['read'] } });
  await first.close();

  const second = await start({ db });
  t.teardown(() => second.close());
  const after = new FusionAuthClient(API_KEY, second.url);
  t.same((await after.retrieveEntity(API)).response.entity, made);
  t.match((await after.retrieveEntityGrant(API, NO_ID, USER)).response.grant, { permissions: ['read'] });
});
