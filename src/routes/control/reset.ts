import type { FastifyInstance } from 'fastify';

/** `POST /_standin/reset`: back to the state right after the kickstart, in place (control/control.ts) → `{ms}`. */
export async function resetRoutes(app: FastifyInstance): Promise<void> {
  app.post('/reset', async (request) => {
    const result = app.standin.control.reset();
    request.log.info({ ms: result.ms }, 'control: reset to the kickstart state');
    return result;
  });
}
