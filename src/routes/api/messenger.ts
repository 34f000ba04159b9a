import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createMessenger, deleteMessenger, updateMessenger } from '../../manage/messengers.js';
import { requireMember } from '../../manage/request-body.js';
import type { Messenger } from '../../model/messenger.js';
import { uuidParams } from './schemas.js';

interface Params {
  messengerId?: string;
}

/**
 * FusionAuth's Messenger API (https://fusionauth.io/docs/apis/messengers, Generic and Twilio; Kafka as FusionAuth's
 * OpenAPI description gives it): create, retrieve one or all, replace, merge-patch, delete (refused while a tenant
 * names the messenger). Messengers belong to no tenant: FusionAuth asks for a key bound to none (model/api-key.ts).
 * Standin never sends a message through one, nor connects to its endpoint (docs/messengers.md).
 */
export async function messengerRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('messengerId');
  const load = (id: string | undefined): Messenger => {
    const messenger = id === undefined ? undefined : app.standin.stores.messengers.get(id);
    if (!messenger) throw ApiError.notFound();
    return messenger;
  };

  for (const url of ['/messenger', '/messenger/:messengerId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'messenger');
      const { stores, config } = request.server.standin;
      const messenger = stores.db.transaction(() => createMessenger(stores, config.now(), request.params.messengerId, input)).immediate();
      return { messenger };
    });
  }
  app.get('/messenger', async () => ({ messengers: app.standin.stores.messengers.list() }));
  app.get<{ Params: Params }>('/messenger/:messengerId', { schema: { params } }, async (request) => ({
    messenger: load(request.params.messengerId),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/messenger/:messengerId', { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'messenger');
      const { stores, config } = request.server.standin;
      const messenger = stores.db.transaction(() => updateMessenger(stores, config.now(), load(request.params.messengerId), input, mode)).immediate();
      return { messenger };
    });
  }
  app.delete<{ Params: Params }>('/messenger/:messengerId', { schema: { params } }, async (request, reply) => {
    const { stores } = request.server.standin;
    stores.db
      .transaction(() => {
        deleteMessenger(stores, load(request.params.messengerId));
      })
      .immediate();
    return reply.code(200).send();
  });
}
