import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { verifyJwt } from '../../oauth/verify-jwt.js';
import { presentedJwt } from './jwt-auth.js';

/**
 * `GET /api/jwt/validate` (FusionAuth JWT API, reference §4.3): the JWT from `Authorization: Bearer` or the
 * `access_token` cookie. 200 `{jwt: claims}` when Standin signed it and it is live; otherwise an empty 401:
 * `alg:none`, a forged or edited signature, an unknown `kid`, expired, an id token (security checklist G3, G4).
 */
export async function jwtValidateRoutes(app: FastifyInstance): Promise<void> {
  app.get('/jwt/validate', { config: { public: true } }, async (request) => {
    const claims = await verifyJwt(request.server.standin, presentedJwt(request));
    if (!claims) throw ApiError.unauthorized();
    return { jwt: claims };
  });
}
