import { createHmac, createPrivateKey, createPublicKey, createSecretKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import type { Algorithm } from './algorithms.js';
import type { KeyStore, StoredKey } from '../store/keys.js';

export type Claims = Record<string, unknown>;
/** A JWS protected header (RFC 7515 §4). */
export type Header = Record<string, unknown>;

export interface JwtSigner {
  /**
   * Signs `claims` with the key `keyId`, the header carrying its `kid` (RFC 7515 §4.1.4) and any `header`
   * parameters (never `alg`, `typ` or `kid`, which stay Standin's). A built-in client-secret key signs with
   * `clientSecret` (OpenID Connect Core §10.1) and refuses to sign without one.
   */
  sign(keyId: string, claims: Claims, options?: { clientSecret?: string; header?: Header }): Promise<string>;
  /**
   * Verifies a JWT Standin signed: the key is found by `kid` and the algorithm must be that key's own, never
   * the one the header claims (RFC 8725 §3.1). Expiry is checked against `nowSeconds`, so an injected
   * clock applies. Returns undefined for anything that does not verify. A token signed with a client secret
   * (an id token under a built-in key) verifies only when `clientSecretKeys` is set, with the secret of the
   * application its `aud` names: access tokens never come from those keys.
   */
  verify(
    token: string,
    nowSeconds: number,
    options?: { ignoreExpiry?: boolean; clientSecretKeys?: boolean },
  ): Promise<{ claims: Claims; key: StoredKey; header: Header } | undefined>;
}

// jose is loaded on first use (verification only): Standin should answer its first request as soon as it can.
const jose = () => import('jose');

/** RFC 7518 §3.1: the hash each algorithm's last three digits name. */
const HASHES = { '256': 'sha256', '384': 'sha384', '512': 'sha512' } as const;

/**
 * The JWS signature (RFC 7515 §5.1) of `input`, base64url-encoded. RSA and EC sign with node:crypto's `sign()`,
 * which skips the WebCrypto key import and checks jose pays on every call: with a callback on libuv's thread pool
 * when `onPool` (keys/signing-placement.ts), else inline. RSASSA-PKCS1-v1_5 is deterministic, so RS tokens
 * are the same bytes jose produced; ES signatures use the fixed-size R || S form of RFC 7518 §3.4.
 */
function signInput(algorithm: Algorithm, key: KeyObject, input: string, onPool: boolean): Promise<string> {
  const hash = HASHES[algorithm.slice(2) as keyof typeof HASHES];
  if (algorithm.startsWith('HS')) return Promise.resolve(createHmac(hash, key).update(input).digest('base64url'));
  // RFC 7518 §3.3: RSA keys of 2048 bits or more (jose refused smaller ones too).
  if (algorithm.startsWith('RS') && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    return Promise.reject(new TypeError(`${algorithm} requires key modulusLength to be 2048 bits or larger`));
  const signingKey = algorithm.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  if (!onPool) return Promise.resolve(cryptoSign(hash, Buffer.from(input, 'utf8'), signingKey).toString('base64url'));
  return new Promise((resolve, reject) => {
    cryptoSign(hash, Buffer.from(input, 'utf8'), signingKey, (error, signature) => {
      if (error) reject(error);
      else resolve(signature.toString('base64url'));
    });
  });
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A parsed key and the stored text it was parsed from. */
interface ParsedKey {
  from: string;
  key: KeyObject;
}

/**
 * Signs and verifies JWTs with the keys in the store; parsed keys are cached by key id, each with the text it was
 * parsed from: an id may come back with other material (a key deleted and generated again under its id, here or
 * by another process on the same file, or put back by a reset), and is parsed again then. `clientSecretOf`
 * finds an application's client secret, for the built-in keys that sign with it; `signOnPool` says, at each
 * signature, whether it runs on the thread pool (keys/signing-placement.ts).
 */
export function createJwtSigner(
  keys: KeyStore,
  clientSecretOf: (applicationId: string) => string | undefined = () => undefined,
  signOnPool: () => boolean = () => false,
): JwtSigner {
  const privateKeys = new Map<string, ParsedKey>();
  const publicKeys = new Map<string, ParsedKey>();

  const parsed = (cache: Map<string, ParsedKey>, id: string, from: string, parse: (from: string) => KeyObject): KeyObject => {
    const cached = cache.get(id);
    if (cached?.from === from) return cached.key;
    const key = parse(from);
    cache.set(id, { from, key });
    return key;
  };
  const privateKey = (stored: StoredKey & { privateKey: string }): KeyObject =>
    stored.key.type === 'HMAC'
      ? parsed(privateKeys, stored.key.id, stored.privateKey, (secret) => createSecretKey(Buffer.from(secret, 'base64')))
      : parsed(privateKeys, stored.key.id, stored.privateKey, createPrivateKey);
  const verifyKey = (stored: StoredKey & { privateKey: string }): KeyObject =>
    stored.key.type === 'HMAC' ? privateKey(stored) : parsed(publicKeys, stored.key.id, stored.key.publicKey!, createPublicKey);

  // OpenID Connect Core §10.1: the octets of the UTF-8 client secret are the HMAC key. Not cached: the
  // application's secret may change.
  const clientSecretKey = (secret: string) => createSecretKey(Buffer.from(secret, 'utf8'));
  // The key of a token signed with its audience's client secret; `aud` is read before verifying only to choose it.
  const audienceSecret = (token: string): KeyObject | undefined => {
    let aud: unknown;
    try {
      aud = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown }).aud;
    } catch {
      return undefined;
    }
    const secret = typeof aud === 'string' ? clientSecretOf(aud) : undefined;
    return secret === undefined || secret === '' ? undefined : clientSecretKey(secret);
  };

  return {
    async sign(keyId, claims, options = {}) {
      const stored = keys.get(keyId);
      if (!stored) throw new Error(`no signing key ${keyId}`);
      let key: KeyObject;
      if (stored.privateKey !== undefined) key = privateKey({ ...stored, privateKey: stored.privateKey });
      else if (options.clientSecret !== undefined && options.clientSecret !== '') key = clientSecretKey(options.clientSecret);
      else throw new Error(`the key ${keyId} signs only with a client secret`);
      // RFC 7519 §2: NumericDate is a number; JSON has no Infinity or NaN.
      for (const claim of ['iat', 'nbf', 'exp']) {
        const value = claims[claim];
        if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`"${claim}" claim must be a finite number`);
      }
      const input = `${base64url({ ...options.header, alg: stored.key.algorithm, typ: 'JWT', kid: stored.key.kid })}.${base64url(claims)}`;
      return `${input}.${await signInput(stored.key.algorithm, key, input, signOnPool())}`;
    },
    async verify(token, nowSeconds, options = {}) {
      const { decodeProtectedHeader, jwtVerify } = await jose();
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        return undefined;
      }
      const stored = typeof kid === 'string' ? keys.byKid(kid) : undefined;
      if (!stored) return undefined;
      const key =
        stored.privateKey !== undefined
          ? verifyKey({ ...stored, privateKey: stored.privateKey })
          : options.clientSecretKeys
            ? audienceSecret(token)
            : undefined;
      if (!key) return undefined;
      try {
        const { payload, protectedHeader } = await jwtVerify(token, key, {
          algorithms: [stored.key.algorithm satisfies Algorithm],
          currentDate: new Date(nowSeconds * 1000),
          ...(options.ignoreExpiry ? { clockTolerance: Number.MAX_SAFE_INTEGER } : {}),
        });
        return { claims: payload, key: stored, header: protectedHeader };
      } catch {
        return undefined;
      }
    },
  };
}
