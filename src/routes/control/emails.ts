import type { FastifyInstance } from 'fastify';

// Below the server's 30 s request timeout, so a long poll always answers.
const MAX_WAIT_MS = 25_000;

const listSchema = {
  querystring: {
    type: 'object',
    properties: {
      to: { type: 'string', minLength: 1, maxLength: 320 },
      type: { type: 'string', minLength: 1, maxLength: 64 },
      wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_MS },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
    additionalProperties: false,
  },
} as const;

/**
 * The outbox (docs/email.md): `GET /_standin/emails[?to=&type=&limit=]` → `{emails}`, newest first, each with its
 * `links` and ids (`verificationId`, `changePasswordId`, `code`, …) parsed out; with `&wait=<ms>` the request
 * waits, up to 25 s, until a matching email is there (`{emails: []}` if none came). `DELETE /_standin/emails`
 * → `{deleted}`.
 */
export async function emailRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { to?: string; type?: string; wait?: number; limit: number } }>('/emails', { schema: listSchema }, async (request) => {
    const { to, type, wait, limit } = request.query;
    const filter = { ...(to === undefined ? {} : { to }), ...(type === undefined ? {} : { type }) };
    if (wait !== undefined && wait > 0) await app.standin.email.outbox.waitFor(filter, wait);
    return { emails: app.standin.email.outbox.list({ ...filter, limit }) };
  });

  app.delete('/emails', async () => ({ deleted: app.standin.email.outbox.clear() }));
}
