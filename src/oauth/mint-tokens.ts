import { randomUUID } from 'node:crypto';
import { OAuthError } from '../errors.js';
import type { JwtSigner } from '../keys/jwt-signer.js';
import type { LambdaRuntime } from '../lambdas/lambda-runtime.js';
import type { Tenant } from '../model/tenant.js';
import type { KeyStore } from '../store/keys.js';
import { accessTokenClaims, idTokenClaims, scopesOf, type IdTokenExtras, type TokenSubject } from './claims.js';
import { jwtConfigurationOf } from './jwt-configuration.js';
import { populateJwtClaims } from './populate-claims.js';

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
  /** Runs the application's JWT populate lambdas (docs/lambdas.md). */
  lambdas: LambdaRuntime;
}

/**
 * Signs an access token with the application's (else the tenant's) access token key. `jti` may be chosen
 * beforehand, so that the transaction that issues the token can record it before it is signed.
 */
export async function mintAccessToken(
  { jwt, tenant, nowSeconds, lambdas }: Minting,
  subject: TokenSubject,
  ttl?: number,
  jti: string = randomUUID(),
): Promise<MintedAccessToken> {
  const config = jwtConfigurationOf(subject.application, tenant);
  const keyId = keyOrFail(config.accessTokenKeyId);
  const claims = await populateJwtClaims(
    lambdas,
    'access',
    subject.application,
    accessTokenClaims(subject, nowSeconds, ttl ?? config.timeToLiveInSeconds, jti),
    populateInput(subject),
  );
  const token = await jwt.sign(keyId, claims);
  // A lambda may have lowered `exp`; the token response says when the token really expires.
  const expiresAt = claims.exp as number;
  return { token, jti, expiresIn: expiresAt - nowSeconds, expiresAt };
}

/** Signs an id token with the application's (else the tenant's) id token key. */
export async function mintIdToken(
  { jwt, keys, tenant, nowSeconds, lambdas }: Minting,
  subject: TokenSubject,
  extras: Omit<IdTokenExtras, 'algorithm'>,
): Promise<string> {
  const config = jwtConfigurationOf(subject.application, tenant);
  const keyId = keyOrFail(config.idTokenKeyId);
  const algorithm = keys.get(keyId)?.key.algorithm ?? 'RS256';
  // A built-in OpenID Connect key signs with the application's client secret (Kickstart docs, "Default entities").
  const built = idTokenClaims(subject, nowSeconds, config.timeToLiveInSeconds, randomUUID(), { ...extras, algorithm });
  const claims = await populateJwtClaims(lambdas, 'id', subject.application, built, populateInput(subject));
  return jwt.sign(keyId, claims, { clientSecret: subject.application.oauthConfiguration.clientSecret });
}

function populateInput(subject: TokenSubject) {
  return { user: subject.user, registration: subject.registration, scopes: [...scopesOf(subject.scope)] };
}

function keyOrFail(keyId: string | undefined): string {
  if (keyId === undefined) throw new OAuthError('server_error', 'unknown', 'No signing key is configured for this application or its tenant.');
  return keyId;
}
