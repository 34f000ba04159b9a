import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { certificateContext, withCertificates } from '../../manage/key-certificates.js';
import { importSigningKey } from '../../manage/import-key.js';
import { generateSigningKey, searchKeys } from '../../manage/keys.js';
import { requireMember } from '../../manage/request-body.js';
import { refuseInUse } from '../../manage/refuse-in-use.js';
import { updateSigningKey } from '../../manage/update-key.js';
import { isClientSecretKey } from '../../model/built-in-keys.js';
import { keyWithDefaults } from '../../model/key-defaults.js';
import type { Stores } from '../../store/index.js';
import type { Key } from '../../store/keys.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

interface Params {
  keyId?: string;
}

/** FusionAuth's Key API: generate, import, list, read, rename and delete signing keys. The private part never leaves. */
export async function keyRoutes(app: FastifyInstance): Promise<void> {
  // An RSA or EC key is shown with its certificate, made the first time it is shown (manage/key-certificates.ts).
  const shown = async (keys: Key[]) => (await withCertificates(certificateContext(app.standin), keys)).map(keyWithDefaults);
  const params = uuidParams('keyId');
  const load = (id: string | undefined) => {
    const stored = id === undefined ? undefined : app.standin.stores.keys.get(id);
    if (!stored) throw ApiError.notFound();
    return stored.key;
  };

  for (const url of ['/key/generate', '/key/generate/:keyId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const key = await generateSigningKey(app.standin.stores, app.standin.config.now(), request.params.keyId, requireMember(request.body, 'key'));
      return { key: (await shown([key]))[0] };
    });
  }
  for (const url of ['/key/import', '/key/import/:keyId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const key = importSigningKey(app.standin.stores, app.standin.config.now(), request.params.keyId, requireMember(request.body, 'key'));
      return { key: (await shown([key]))[0] };
    });
  }
  app.put<{ Params: Params }>('/key/:keyId', { schema: { params } }, async (request) => {
    const key = updateSigningKey(app.standin.stores, app.standin.config.now(), request.params.keyId!, requireMember(request.body, 'key'));
    return { key: (await shown([key]))[0] };
  });
  app.get('/key', async () => ({ keys: await shown(app.standin.stores.keys.list()) }));
  // Ordering by `expiration` needs the certificates, so every key is shown before the search, as `GET /api/key` shows them.
  searchRoutes(app, '/key/search', async (search) => {
    const { results, total } = searchKeys(await shown(app.standin.stores.keys.list()), search.criteria, search.prefix);
    return { keys: results, total };
  });
  app.get<{ Params: Params }>('/key/:keyId', { schema: { params } }, async (request) => ({ key: (await shown([load(request.params.keyId)]))[0] }));
  app.delete<{ Params: Params }>('/key/:keyId', { schema: { params } }, async (request, reply) => {
    const key = load(request.params.keyId);
    if (isClientSecretKey(key.id)) {
      new FieldErrors().add('keyId', 'invalid', 'The key is a built-in OpenID Connect key and cannot be deleted.').throwIfAny();
    }
    const user = keyUser(app.standin.stores, key.id);
    refuseInUse('keyId', 'key', user === undefined ? [] : [user]);
    app.standin.stores.keys.delete(key.id);
    return reply.code(200).send();
  });
}

/** What signs with the key, if anything: deleting it would leave their tokens unverifiable. */
function keyUser(stores: Stores, keyId: string): string | undefined {
  const signsWith = (config: { accessTokenKeyId?: string; idTokenKeyId?: string }) =>
    config.accessTokenKeyId === keyId || config.idTokenKeyId === keyId;
  const tenant = stores.tenants.list().find((t) => signsWith(t.jwtConfiguration));
  if (tenant) return `tenant [${tenant.id}]`;
  const application = stores.applications.list().find((a) => signsWith(a.jwtConfiguration));
  if (application) return `application [${application.id}]`;
  // FusionAuth refuses it for a webhook that signs its events with the key too: they would go out unsigned or not at all.
  const webhook = stores.webhooks.list().find((w) => w.signatureConfiguration.signingKeyId === keyId);
  if (webhook) return `webhook [${webhook.id}]`;
  // An entity type's own key signs its entities' client credentials tokens (docs/entities.md).
  const entityType = stores.entityTypes.list().find((type) => type.jwtConfiguration.accessTokenKeyId === keyId);
  if (entityType) return `entity type [${entityType.id}]`;
  // An External JWT identity provider verifies its JWTs with the key: without it every reconcile would be refused.
  const provider = stores.identityProviders.list().find((found) => found.type === 'ExternalJWT' && found.verificationKeyIds.includes(keyId));
  return provider ? `identity provider [${provider.id}]` : undefined;
}
