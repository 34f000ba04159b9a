import type { Claims, Header } from '../keys/jwt-signer.js';
import { signingKeyIdOf } from '../keys/signing-key-of.js';
import type { Application } from '../model/application.js';
import type { Stores } from '../store/index.js';

/**
 * Access tokens, id tokens and vended JWTs are different kinds of JWT that must not be taken for one another
 * (RFC 8725 §3.11–3.12). FusionAuth types them all `typ: JWT`, and consumers of vended JWTs may insist on that
 * `typ`, so Standin tells them apart by the key that signed them and, for vended JWTs, by a private header
 * parameter (RFC 7515 §4.3) that `POST /api/jwt/vend` always sets and no other path does (docs/hardening-tokens.md).
 */
export const VENDED_HEADER = { vended: true } as const;

/** True for a JWT `POST /api/jwt/vend` signed: its claims are whatever an API key holder chose, never a login. */
export function isVended(header: Header): boolean {
  return header.vended === true;
}

/**
 * Whether `keyId` is a key that signs access tokens where the token says it belongs: the access-token key of the
 * application in `aud` (its own or its tenant's) or of the tenant in `tid`, which must agree. A JWT that names
 * neither (only a vended one can) must be signed with a key some tenant or application signs access tokens with.
 */
export function isAccessTokenKey(stores: Stores, claims: Claims, keyId: string): boolean {
  const { aud, tid } = claims;
  const application = typeof aud === 'string' ? stores.applications.get(aud) : undefined;
  if (tid !== undefined && (typeof tid !== 'string' || (application !== undefined && tid !== application.tenantId))) return false;
  const tenantId = application?.tenantId ?? tid;
  if (tenantId === undefined) return accessTokenKeysInUse(stores).has(keyId);
  const tenant = stores.tenants.get(tenantId);
  if (!tenant) return false;
  return keyId === tenant.jwtConfiguration.accessTokenKeyId || (application !== undefined && keyId === signingKeyIdOf(stores, application, 'access'));
}

/** Whether `keyId` is the key that signs `application`'s id tokens (its own, else its tenant's). */
export function isIdTokenKey(stores: Stores, application: Application, keyId: string): boolean {
  return keyId === signingKeyIdOf(stores, application, 'id');
}

function accessTokenKeysInUse(stores: Stores): Set<string> {
  const keys = new Set<string>();
  for (const tenant of stores.tenants.list()) if (tenant.jwtConfiguration.accessTokenKeyId) keys.add(tenant.jwtConfiguration.accessTokenKeyId);
  for (const application of stores.applications.list()) {
    const keyId = application.jwtConfiguration.enabled ? application.jwtConfiguration.accessTokenKeyId : undefined;
    if (keyId) keys.add(keyId);
  }
  return keys;
}
