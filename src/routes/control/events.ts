import type { FastifyInstance } from 'fastify';

// Below the server's 30 s request timeout, so a long poll always answers.
const MAX_WAIT_MS = 25_000;

const listSchema = {
  querystring: {
    type: 'object',
    properties: {
      type: { type: 'string', minLength: 1, maxLength: 128 },
      tenantId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' },
      wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_MS },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
    additionalProperties: false,
  },
} as const;

/**
 * The events sent to webhooks (docs/webhooks.md): `GET /_standin/events[?type=&tenantId=&limit=]` → `{events}`,
 * newest first, each FusionAuth's WebhookEventLog (the event as sent, every attempt and its outcome); with
 * `&wait=<ms>` the request waits, up to 25 s, until a matching event's deliveries have ended (`{events: []}` if
 * none did). `DELETE /_standin/events` → `{deleted}`.
 */
export async function eventRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { type?: string; tenantId?: string; wait?: number; limit: number } }>('/events', { schema: listSchema }, async (request) => {
    const { type, tenantId, wait, limit } = request.query;
    const filter = { ...(type === undefined ? {} : { type }), ...(tenantId === undefined ? {} : { tenantId: tenantId.toLowerCase() }) };
    if (wait !== undefined && wait > 0) {
      const settled = await app.standin.events.waitFor(filter, wait);
      if (!settled) return { events: [] };
    }
    return { events: app.standin.events.list({ ...filter, limit }) };
  });

  app.delete('/events', async () => ({ deleted: app.standin.events.clear() }));
}
