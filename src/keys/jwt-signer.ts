import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { Algorithm } from './algorithms.js';
import type { KeyStore, StoredKey } from '../store/keys.js';

export type Claims = Record<string, unknown>;
/** A JWS protected header (RFC 7515 §4). */
export type Header = Record<string, unknown>;

export interface JwtSigner {
  /**
   * Signs `claims` with the key `keyId`, the header carrying its `kid` (RFC 7515 §4.1.4) and any `extraHeader`
   * parameters (never `alg`, `typ` or `kid`, which stay Standin's).
   */
  sign(keyId: string, claims: Claims, extraHeader?: Header): Promise<string>;
  /**
   * Verifies a JWT Standin signed: the key is found by `kid` and the algorithm must be that key's own, never
   * the one the header claims (RFC 8725 §3.1). Expiry is checked against `now` (seconds), so an injected
   * clock applies. Returns undefined for anything that does not verify.
   */
  verify(token: string, now: number, options?: { ignoreExpiry?: boolean }): Promise<{ claims: Claims; key: StoredKey; header: Header } | undefined>;
  /** Drops the parsed keys: after a reset a key id may come back with other material (control API reset). */
  forgetKeys(): void;
}

// jose is loaded on first use: signing happens at the first login, not at start-up, and Standin should
// answer its first request as soon as it can.
const jose = () => import('jose');

/** Signs and verifies JWTs with the keys in the store; parsed keys are cached by key id. */
export function createJwtSigner(keys: KeyStore): JwtSigner {
  const privateKeys = new Map<string, KeyObject>();
  const verifyKeys = new Map<string, KeyObject>();

  const privateKey = (stored: StoredKey): KeyObject => {
    let key = privateKeys.get(stored.key.id);
    if (!key) {
      key = stored.key.type === 'HMAC' ? createSecretKey(Buffer.from(stored.privateKey, 'base64')) : createPrivateKey(stored.privateKey);
      privateKeys.set(stored.key.id, key);
    }
    return key;
  };
  const verifyKey = (stored: StoredKey): KeyObject => {
    let key = verifyKeys.get(stored.key.id);
    if (!key) {
      key = stored.key.type === 'HMAC' ? privateKey(stored) : createPublicKey(stored.key.publicKey!);
      verifyKeys.set(stored.key.id, key);
    }
    return key;
  };

  return {
    forgetKeys() {
      privateKeys.clear();
      verifyKeys.clear();
    },
    async sign(keyId, claims, extraHeader = {}) {
      const stored = keys.get(keyId);
      if (!stored) throw new Error(`no signing key ${keyId}`);
      const { SignJWT } = await jose();
      return new SignJWT(claims).setProtectedHeader({ ...extraHeader, alg: stored.key.algorithm, typ: 'JWT', kid: stored.key.kid }).sign(privateKey(stored));
    },
    async verify(token, now, options = {}) {
      const { decodeProtectedHeader, jwtVerify } = await jose();
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        return undefined;
      }
      const stored = typeof kid === 'string' ? keys.byKid(kid) : undefined;
      if (!stored) return undefined;
      try {
        const { payload, protectedHeader } = await jwtVerify(token, verifyKey(stored), {
          algorithms: [stored.key.algorithm satisfies Algorithm],
          currentDate: new Date(now * 1000),
          ...(options.ignoreExpiry ? { clockTolerance: Number.MAX_SAFE_INTEGER } : {}),
        });
        return { claims: payload as Claims, key: stored, header: protectedHeader as Header };
      } catch {
        return undefined;
      }
    },
  };
}
