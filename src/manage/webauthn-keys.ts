import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { webAuthnHelpers } from './webauthn-library.js';

// COSE key parameters (RFC 9052 §7, RFC 9053 §7): kty, alg, and the curve and coordinates of each key type.
const KTY = 1;
const ALG = 3;
const CRV = -1;
const X = -2;
const Y = -3;
const N = -1;
const E = -2;
const KTY_EC2 = 2;
const KTY_RSA = 3;
const CURVES: Record<string, number> = { 'P-256': 1, 'P-384': 2, 'P-521': 3 };

/**
 * A passkey's public key as FusionAuth stores and answers it, PEM (https://fusionauth.io/docs/apis/webauthn, "Import
 * Passkeys": "encoded in PEM format"), from the COSE key the authenticator registered (WebAuthn §6.5.1.1).
 */
export async function coseToPem(cose: Uint8Array<ArrayBuffer>): Promise<string> {
  const { isoCBOR } = await webAuthnHelpers();
  const key = isoCBOR.decodeFirst<Map<number, unknown>>(cose);
  const bytes = (label: number) => Buffer.from(key.get(label) as Uint8Array).toString('base64url');
  let jwk: JsonWebKey;
  if (key.get(KTY) === KTY_EC2) {
    const crv = Object.keys(CURVES).find((name) => CURVES[name] === key.get(CRV));
    if (!crv) throw new Error('unsupported COSE curve');
    jwk = { kty: 'EC', crv, x: bytes(X), y: bytes(Y) };
  } else if (key.get(KTY) === KTY_RSA) {
    jwk = { kty: 'RSA', n: bytes(N), e: bytes(E) };
  } else {
    throw new Error('unsupported COSE key type');
  }
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

/** The COSE key the verification library reads, from a stored PEM public key and its COSE algorithm. */
export async function pemToCose(pem: string, algorithm: number): Promise<Uint8Array> {
  const { isoCBOR } = await webAuthnHelpers();
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  const raw = (value: string | undefined) => new Uint8Array(Buffer.from(value ?? '', 'base64url'));
  const key = new Map<number, number | Uint8Array>([
    [KTY, jwk.kty === 'EC' ? KTY_EC2 : KTY_RSA],
    [ALG, algorithm],
  ]);
  if (jwk.kty === 'EC') {
    key.set(CRV, CURVES[jwk.crv ?? ''] ?? 0);
    key.set(X, raw(jwk.x));
    key.set(Y, raw(jwk.y));
  } else {
    key.set(N, raw(jwk.n));
    key.set(E, raw(jwk.e));
  }
  return isoCBOR.encode(key);
}

/** The key type a COSE algorithm needs (`EC` for ES*, `RSA` for RS* and PS*), to check an imported PEM against it. */
export function keyTypeOf(algorithm: number): 'EC' | 'RSA' {
  return [-7, -35, -36].includes(algorithm) ? 'EC' : 'RSA';
}

/** The key type of a PEM public key, or undefined when it is not one. */
export function pemKeyType(pem: string): string | undefined {
  try {
    return createPublicKey(pem).export({ format: 'jwk' }).kty;
  } catch {
    return undefined;
  }
}
