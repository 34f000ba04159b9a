import type { FastifyInstance } from 'fastify';
import { currentCode } from '../../manage/two-factor.js';

const schema = {
  params: { type: 'object', properties: { userId: { type: 'string', minLength: 1, maxLength: 64 } } },
  querystring: { type: 'object', properties: { methodId: { type: 'string', minLength: 1, maxLength: 64 } }, additionalProperties: false },
} as const;

/**
 * Beyond FusionAuth, for tests (docs/test-control.md, docs/two-factor.md): `GET /_standin/two-factor/{userId}/code
 * [?methodId=]` → `{code, methodId, used, expiresInSeconds}`, the TOTP code the user's authenticator shows now on
 * Standin's clock, so a test needs no authenticator library. 404 when the user has no such method.
 */
export async function twoFactorControlRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { userId: string }; Querystring: { methodId?: string } }>('/two-factor/:userId/code', { schema }, async (request, reply) => {
    const code = currentCode(app.standin.stores, request.params.userId.toLowerCase(), app.standin.config.now(), request.query.methodId);
    if (!code) return reply.code(404).send({ error: 'not_found', message: 'This user has no such two-factor method.' });
    return code;
  });
}
