import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { requireBody } from '../../manage/request-body.js';
import { importCredentials } from '../../manage/webauthn-import.js';
import { isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { found, uuidParams } from './schemas.js';
import { requestTenant } from './tenant-scope.js';
import { webAuthnCeremonyRoutes } from './webauthn-ceremony.js';

interface Params {
  id: string;
}

interface Query {
  userId?: string;
}

// Shape only: each passkey's members are checked in code (manage/webauthn-import.ts), in FusionAuth's error shape.
const importSchema = {
  body: { type: ['object', 'null'], properties: { credentials: { type: 'array', maxItems: 10000 }, validateDbConstraints: { type: 'boolean' } } },
} as const;

const query = { type: 'object', properties: { userId: { type: 'string', maxLength: 64 } } } as const;

/**
 * FusionAuth's WebAuthn passkeys API (https://fusionauth.io/docs/apis/webauthn): retrieve and delete one passkey or
 * all of a user's, import passkeys; the ceremonies are in webauthn-ceremony.ts. Tenant scoping as everywhere: a
 * tenant-bound key or `X-FusionAuth-TenantId` sees its own tenant's passkeys only (docs/webauthn.md).
 */
export async function webAuthnRoutes(app: FastifyInstance): Promise<void> {
  const userOf = (request: FastifyRequest<{ Querystring: Query }>): User => {
    const { userId } = request.query;
    if (userId === undefined) new FieldErrors().add('userId', 'missing', 'You must specify the [userId] parameter.').throwIfAny();
    return found(request, isUuid(userId) ? app.standin.stores.users.get(userId.toLowerCase()) : undefined);
  };

  app.get<{ Querystring: Query }>('/webauthn', { schema: { querystring: query } }, async (request) => ({
    credentials: app.standin.stores.webAuthn.ofUser(userOf(request).id),
  }));
  app.delete<{ Querystring: Query }>('/webauthn', { schema: { querystring: query } }, async (request, reply) => {
    app.standin.stores.webAuthn.deleteOfUser(userOf(request).id);
    return reply.code(200).send();
  });
  app.get<{ Params: Params }>('/webauthn/:id', { schema: { params: uuidParams('id') } }, async (request) => ({
    credential: found(request, app.standin.stores.webAuthn.get(request.params.id)),
  }));
  app.delete<{ Params: Params }>('/webauthn/:id', { schema: { params: uuidParams('id') } }, async (request, reply) => {
    const credential = found(request, app.standin.stores.webAuthn.get(request.params.id));
    if (!app.standin.stores.webAuthn.delete(credential.id)) throw ApiError.notFound();
    return reply.code(200).send();
  });
  // "X-FusionAuth-TenantId … required" unless the key or the only tenant names it (requestTenant).
  app.post('/webauthn/import', { schema: importSchema }, async (request, reply) => {
    importCredentials(app.standin.stores, requestTenant(request), requireBody(request.body), app.standin.config.now());
    return reply.code(200).send();
  });
  await webAuthnCeremonyRoutes(app);
}
