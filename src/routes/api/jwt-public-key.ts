import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { signingKeyIdOf } from '../../keys/signing-key-of.js';
import { isUuid } from '../../model/json.js';

interface Query {
  applicationId?: string;
  kid?: string;
}

/**
 * `GET /api/jwt/public-key` (FusionAuth JWT API): every public key as `{publicKeys: {kid: PEM}}`, or one as
 * `{publicKey}` by `kid` or by the application whose access tokens it signs. HMAC keys have no public
 * part and are never shown. No API key is needed.
 */
export async function jwtPublicKeyRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Query }>(
    '/jwt/public-key',
    {
      config: { public: true },
      schema: { querystring: { type: 'object', properties: { applicationId: { type: 'string' }, kid: { type: 'string' } } } },
    },
    async (request) => {
      const { applicationId, kid } = request.query;
      if (applicationId !== undefined) {
        const application = isUuid(applicationId) ? app.standin.stores.applications.get(applicationId) : undefined;
        const keyId = application && signingKeyIdOf(app.standin.stores, application, 'access');
        return { publicKey: publicPem(keyId === undefined ? undefined : app.standin.stores.keys.get(keyId)?.key.publicKey) };
      }
      if (kid !== undefined) return { publicKey: publicPem(app.standin.stores.keys.byKid(kid)?.key.publicKey) };
      const publicKeys = Object.fromEntries(app.standin.stores.keys.list().flatMap((key) => (key.publicKey ? [[key.kid, key.publicKey]] : [])));
      return { publicKeys };
    },
  );
}

function publicPem(pem: string | undefined): string {
  if (pem === undefined) throw ApiError.notFound();
  return pem;
}
