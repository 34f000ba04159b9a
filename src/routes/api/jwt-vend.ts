import type { FastifyInstance } from 'fastify';
import { FieldErrors } from '../../errors.js';
import { checkVendScope } from '../../manage/vend-scope.js';
import { isClientSecretKey } from '../../model/built-in-keys.js';
import type { JsonObject } from '../../model/json.js';
import { VENDED_HEADER } from '../../oauth/token-kind.js';
import { requestTenant } from './tenant-scope.js';

interface Body {
  claims?: JsonObject;
  keyId?: string;
  timeToLiveInSeconds?: number;
}

const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      claims: { type: 'object' },
      keyId: { type: 'string', maxLength: 64 },
      timeToLiveInSeconds: { type: 'integer', minimum: 1 },
    },
  },
} as const;

/**
 * `POST /api/jwt/vend` (FusionAuth 1.30+, https://fusionauth.io/docs/apis/jwt), API key required: a JWT with the
 * caller's claims, signed with `keyId` or else the tenant's access token key, living `timeToLiveInSeconds` or else
 * the tenant's JWT lifetime. `exp` and `iat` among the claims are ignored: Standin sets them. → `{token}`. A key
 * bound to a tenant vends with that tenant's keys and for that tenant only (manage/vend-scope.ts). The token is
 * marked as vended in its header: `/api/jwt/validate` takes it, nothing takes it as a user's login (RFC 8725 §3.12;
 * docs/hardening-tokens.md).
 */
export async function jwtVendRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Body | null | undefined }>('/jwt/vend', { schema }, async (request) => {
    const body = request.body ?? {};
    const tenant = requestTenant(request);
    const keyId = body.keyId ?? tenant.jwtConfiguration.accessTokenKeyId;
    const errors = new FieldErrors();
    const { exp: _exp, iat: _iat, ...claims } = body.claims ?? {};
    // The built-in OpenID Connect keys have no secret of their own: they sign id tokens with a client secret.
    if (keyId === undefined || !app.standin.stores.keys.exists(keyId) || isClientSecretKey(keyId))
      errors.add('keyId', 'invalid', `The [keyId] property does not refer to a key that exists.`);
    // A key imported as a public key or a certificate verifies and cannot sign (Key API, "Import a Key").
    else if (app.standin.stores.keys.holdsPrivateKey(keyId) === false)
      errors.add('keyId', 'invalid', `The [keyId] property refers to a key without a private key, which cannot sign.`);
    else if (request.apiKey?.tenantId !== undefined) checkVendScope(app.standin.stores, tenant, keyId, claims, errors);
    errors.throwIfAny();
    const nowSeconds = Math.floor(app.standin.config.now() / 1000);
    const ttl = body.timeToLiveInSeconds ?? tenant.jwtConfiguration.timeToLiveInSeconds;
    return { token: await app.standin.jwt.sign(keyId!, { ...claims, iat: nowSeconds, exp: nowSeconds + ttl }, { header: VENDED_HEADER }) };
  });
}
