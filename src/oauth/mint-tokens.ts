import { randomUUID } from 'node:crypto';
import { OAuthError } from '../errors.js';
import type { JwtSigner } from '../keys/jwt-signer.js';
import type { Tenant } from '../model/tenant.js';
import type { KeyStore } from '../store/keys.js';
import { accessTokenClaims, idTokenClaims, type IdTokenExtras, type TokenSubject } from './claims.js';
import { jwtConfigurationOf } from './jwt-configuration.js';

export interface MintedAccessToken {
  token: string;
  jti: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

interface Minting {
  jwt: JwtSigner;
  keys: KeyStore;
  tenant: Tenant;
  /** Seconds since the epoch. */
  nowSeconds: number;
}

/**
 * Signs an access token with the application's (else the tenant's) access token key. `jti` may be chosen
 * beforehand, so that the transaction that issues the token can record it before it is signed.
 */
export async function mintAccessToken({ jwt, tenant, nowSeconds }: Minting, subject: TokenSubject, ttl?: number, jti: string = randomUUID()): Promise<MintedAccessToken> {
  const config = jwtConfigurationOf(subject.application, tenant);
  const expiresIn = ttl ?? config.timeToLiveInSeconds;
  const token = await jwt.sign(keyOrFail(config.accessTokenKeyId), accessTokenClaims(subject, nowSeconds, expiresIn, jti));
  return { token, jti, expiresIn, expiresAt: nowSeconds + expiresIn };
}

/** Signs an id token with the application's (else the tenant's) id token key. */
export async function mintIdToken({ jwt, keys, tenant, nowSeconds }: Minting, subject: TokenSubject, extras: Omit<IdTokenExtras, 'algorithm'>): Promise<string> {
  const config = jwtConfigurationOf(subject.application, tenant);
  const keyId = keyOrFail(config.idTokenKeyId);
  const algorithm = keys.get(keyId)?.key.algorithm ?? 'RS256';
  // A built-in OpenID Connect key signs with the application's client secret (Kickstart docs, "Default entities").
  const claims = idTokenClaims(subject, nowSeconds, config.timeToLiveInSeconds, randomUUID(), { ...extras, algorithm });
  return jwt.sign(keyId, claims, { clientSecret: subject.application.oauthConfiguration.clientSecret });
}

function keyOrFail(keyId: string | undefined): string {
  if (keyId === undefined) throw new OAuthError('server_error', 'unknown', 'No signing key is configured for this application or its tenant.');
  return keyId;
}
