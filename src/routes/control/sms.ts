import type { FastifyInstance } from 'fastify';

const listSchema = {
  querystring: {
    type: 'object',
    properties: {
      to: { type: 'string', minLength: 1, maxLength: 64 },
      type: { type: 'string', minLength: 1, maxLength: 64 },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
    additionalProperties: false,
  },
} as const;

/**
 * The SMS outbox (docs/test-control.md): `GET /_standin/sms[?to=&type=&limit=]` → `{messages}`, newest first, every text
 * Standin sent or tried to send through a messenger, with its `code`, `textMessage` and `delivery` (`sent`, `failed`).
 * A send has finished before the API call that asked for it answers, so there is nothing to wait for.
 * `DELETE /_standin/sms` → `{deleted}`.
 */
export async function smsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { to?: string; type?: string; limit: number } }>('/sms', { schema: listSchema }, async (request) => {
    const { to, type, limit } = request.query;
    return { messages: app.standin.stores.smsOutbox.list({ ...(to === undefined ? {} : { to }), ...(type === undefined ? {} : { type }), limit }) };
  });

  app.delete('/sms', async () => ({ deleted: app.standin.stores.smsOutbox.clear() }));
}
