import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { verifyJwt } from '../../oauth/verify-jwt.js';
import { presentedJwt } from './jwt-auth.js';

/**
 * `GET /api/jwt/validate` (https://fusionauth.io/docs/apis/jwt): the JWT from `Authorization: Bearer` or the
 * `access_token` cookie. 200 `{jwt: claims}` when Standin signed it with an access-token key and it is live,
 * vended JWTs included (FusionAuth JWT API, "Vend a JWT"); otherwise an empty 401: `alg:none`, a forged or
 * edited signature, an unknown `kid`, a key that does not sign its tenant's access tokens, expired, an id token
 * (RFC 8725 §3.8–3.12; docs/hardening-tokens.md).
 */
export async function jwtValidateRoutes(app: FastifyInstance): Promise<void> {
  app.get('/jwt/validate', { config: { public: true } }, async (request) => {
    const claims = await verifyJwt(request.server.standin, presentedJwt(request), { acceptVended: true });
    if (!claims) throw ApiError.unauthorized();
    return { jwt: claims };
  });
}
