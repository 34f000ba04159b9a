import type { Claims } from '../keys/jwt-signer.js';
import type { StoredEntity } from '../model/entity.js';
import type { Standin } from '../standin.js';
import { isVended } from './token-kind.js';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_LENGTH = 16 * 1024;

export interface VerifiedEntityToken {
  claims: Claims;
  /** The entity the token speaks for (`sub`). */
  entity: StoredEntity;
  /** False once it has expired on Standin's clock: introspection answers it inactive rather than unknown. */
  live: boolean;
}

/**
 * The claims of `token` when it is an access token of an entity's client credentials grant
 * (oauth/entity-client-credentials.ts), and whether it is still live on Standin's clock: signed with the access-token
 * key of the entity's type or tenant (the one that signs its tokens now), not revoked, its `sub` an entity of the tenant `tid`
 * names, its `iss` that tenant's issuer. Else undefined. For introspection (FusionAuth 1.46 and later,
 * https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints, "Introspect").
 */
export async function verifyEntityToken(standin: Standin, token: string | undefined): Promise<VerifiedEntityToken | undefined> {
  if (token === undefined || token.length > MAX_LENGTH || !COMPACT_JWS.test(token)) return undefined;
  const nowSeconds = Math.floor(standin.config.now() / 1000);
  const verified = await standin.jwt.verify(token, nowSeconds, { ignoreExpiry: true });
  if (!verified) return undefined;
  const { claims, header, key } = verified;
  if (typeof claims.exp !== 'number' || isVended(header) || 'at_hash' in claims) return undefined;
  const { sub, tid, iss, jti, gty } = claims;
  if (!Array.isArray(gty) || gty.length !== 1 || gty[0] !== 'client_credentials') return undefined;
  if (typeof sub !== 'string' || typeof tid !== 'string' || typeof jti !== 'string') return undefined;
  const { stores } = standin;
  if (stores.revokedAccessTokens.isRevoked(jti)) return undefined;
  const entity = stores.entities.get(sub);
  const tenant = entity && entity.tenantId === tid ? stores.tenants.get(tid) : undefined;
  if (!entity || !tenant || iss !== standin.issuerOf(tenant)) return undefined;
  const own = stores.entityTypes.get(entity.typeId)!.jwtConfiguration;
  const signer = own.enabled ? own.accessTokenKeyId : tenant.jwtConfiguration.accessTokenKeyId;
  return key.key.id === signer ? { claims, entity, live: claims.exp > nowSeconds } : undefined;
}

/** Whether the entity token's audience, a string or a list (FusionAuth's "aud" for several targets), holds `id`. */
export function audienceHolds(claims: Claims, id: string): boolean {
  const { aud } = claims;
  return aud === id || (Array.isArray(aud) && aud.includes(id));
}
