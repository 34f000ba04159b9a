import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { KeyStore, StoredKey } from '../store/keys.js';

/**
 * Why a JWT from another identity provider was refused, as FusionAuth's JWT library names the failure
 * (docs/identity-providers.md, "The JWT Reconcile API"): not a JWT, no key for it, a signature that does not verify,
 * expired, or not valid yet.
 */
export type ExternalJwtFailure = 'InvalidJWT' | 'MissingVerifier' | 'InvalidJWTSignature' | 'JWTExpired' | 'JWTUnavailableForProcessing';

export class ExternalJwtRefused extends Error {
  constructor(
    readonly reason: ExternalJwtFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface ExternalJwtKeys {
  /** The JWT header parameter that names the key (`kid`, `x5t`, …). */
  headerKeyParameter: string;
  /** The keys the provider verifies with, the default first. */
  verificationKeyIds: readonly string[];
}

/**
 * Verifies a JWT an External JWT identity provider issued (https://fusionauth.io/docs/apis/identity-providers/external-jwt):
 * the key is the one of the provider's verification keys whose `kid` is the value of the header parameter the
 * provider names (or whose Id it is); with no such header parameter, the provider's default key. The signature must
 * verify with that key's algorithm, and `exp` and `nbf` hold on `now` (milliseconds, Standin's clock). Answers the
 * claims; throws `ExternalJwtRefused`.
 */
export async function verifyExternalJwt(keys: KeyStore, provider: ExternalJwtKeys, encoded: string, now: number): Promise<JWTPayload> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(encoded);
  } catch {
    throw new ExternalJwtRefused('InvalidJWT', 'The JWT could not be decoded: it is not a signed JWT.');
  }
  const stored = verificationKey(keys, provider, header[provider.headerKeyParameter]);
  const key = stored && keyObjectOf(stored);
  if (!stored || !key) {
    throw new ExternalJwtRefused(
      'MissingVerifier',
      `No verification key of the identity provider matches the JWT header [${provider.headerKeyParameter}].`,
    );
  }
  try {
    const { payload } = await jwtVerify(encoded, key, { algorithms: [stored.key.algorithm], currentDate: new Date(now) });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new ExternalJwtRefused('JWTExpired', 'The JWT has expired.');
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
      throw new ExternalJwtRefused('JWTUnavailableForProcessing', 'The JWT is not valid yet (nbf).');
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JOSEAlgNotAllowed) {
      throw new ExternalJwtRefused('InvalidJWTSignature', 'The signature of the JWT could not be verified with the verification key.');
    }
    throw new ExternalJwtRefused('InvalidJWT', 'The JWT could not be verified: it is malformed.');
  }
}

function verificationKey(keys: KeyStore, provider: ExternalJwtKeys, named: unknown): StoredKey | undefined {
  const candidates = provider.verificationKeyIds.map((id) => keys.get(id)).filter((key): key is StoredKey => key !== undefined);
  if (named === undefined) return candidates[0];
  if (typeof named !== 'string') return undefined;
  return candidates.find((candidate) => candidate.key.kid === named || candidate.key.id === named.toLowerCase());
}

/** The key to verify with: the public part of an RSA or EC key, the secret of an HMAC one. */
function keyObjectOf(stored: StoredKey): KeyObject | undefined {
  try {
    if (stored.key.type === 'HMAC') return stored.privateKey === undefined ? undefined : createSecretKey(Buffer.from(stored.privateKey, 'base64'));
    return stored.key.publicKey === undefined ? undefined : createPublicKey(stored.key.publicKey);
  } catch {
    return undefined;
  }
}
