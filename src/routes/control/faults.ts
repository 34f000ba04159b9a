import type { FastifyInstance } from 'fastify';
import type { FaultInput } from '../../control/faults.js';

const schema = {
  body: {
    type: 'object',
    required: ['path'],
    properties: {
      path: { type: 'string', maxLength: 2048 },
      method: { type: 'string', maxLength: 16 },
      clientId: { type: 'string', maxLength: 256 },
      times: { type: 'integer' },
      delayMs: { type: 'integer' },
      oauthError: { type: 'string', maxLength: 128 },
      errorReason: { type: 'string', maxLength: 128 },
      errorDescription: { type: 'string', maxLength: 1024 },
      status: { type: 'integer' },
      body: {},
    },
  },
} as const;

/**
 * `/_standin/faults` (control/faults.ts): `POST` one fault → 201 `{fault}`; `GET` → `{faults}`;
 * `DELETE` all, or `DELETE /{id}` one → `{cleared}` (404 for an unknown id).
 */
export async function faultRoutes(app: FastifyInstance): Promise<void> {
  app.get('/faults', async () => ({ faults: app.standin.control.faults.list() }));

  app.post<{ Body: FaultInput }>('/faults', { schema }, async (request, reply) =>
    reply.code(201).send({ fault: app.standin.control.faults.add(request.body) }),
  );

  app.delete('/faults', async () => ({ cleared: app.standin.control.faults.clear() }));

  app.delete<{ Params: { id: string } }>('/faults/:id', async (request, reply) => {
    const cleared = app.standin.control.faults.clear(request.params.id);
    return cleared === 0 ? reply.code(404).send({ error: 'not_found', message: 'No such fault: it may have run out.' }) : { cleared };
  });
}
