import t from 'tap';
import { CLIENT_TENANT_ID, failureOf } from '../helpers/fixtures.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// Entity events (https://fusionauth.io/docs/extend/events-and-webhooks/events/entity/entity-create and its siblings;
// docs/webhooks.md), each from the @fusionauth/typescript-client call that causes it.
const TYPE = 'e9000000-0000-4000-8000-0000000000c1';
const ENTITY = 'e9000000-0000-4000-8000-0000000000e1';
const TYPES = ['entity.create', 'entity.update', 'entity.delete'];

t.test('entity create, update and delete send their events and .complete events, in the entity’s tenant', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, [...TYPES, ...TYPES.map((type) => `${type}.complete`)]);
  await client.createEntityType(TYPE, { entityType: { name: 'API' } });
  await client.createEntity(ENTITY, { entity: { name: 'Email API', type: { id: TYPE }, data: { region: 'eu' } } });
  const created = (await receiver.waitFor('entity.create')).event;
  t.match(created, {
    type: 'entity.create',
    tenantId: CLIENT_TENANT_ID,
    linkedObjectId: ENTITY,
    entity: { id: ENTITY, name: 'Email API', tenantId: CLIENT_TENANT_ID, data: { region: 'eu' }, type: { id: TYPE, name: 'API' } },
  });
  t.equal((await receiver.waitFor('entity.create.complete')).event.entity.id, ENTITY);

  await client.patchEntity(ENTITY, { entity: { name: 'Mail API' } });
  t.match((await receiver.waitFor('entity.update')).event, { entity: { name: 'Mail API' }, original: { name: 'Email API' } });
  await receiver.waitFor('entity.update.complete');

  await client.deleteEntity(ENTITY);
  t.match((await receiver.waitFor('entity.delete')).event, { linkedObjectId: ENTITY, entity: { name: 'Mail API' } });
  await receiver.waitFor('entity.delete.complete');
});

t.test('a refused transactional entity.create leaves no entity behind', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, ['entity.create'], 'Any');
  await client.createEntityType(TYPE, { entityType: { name: 'API' } });
  receiver.respond(500);
  const refused = await failureOf(client.createEntity(ENTITY, { entity: { name: 'Email API', type: { id: TYPE } } }));
  t.equal(refused.statusCode, 504);
  t.equal((await failureOf(client.retrieveEntity(ENTITY))).statusCode, 404, 'nothing was written');
});
