import type { JwtSigner } from '../keys/jwt-signer.js';
import type { LambdaRuntime } from '../lambdas/lambda-runtime.js';
import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import type { KeyStore } from '../store/keys.js';
import { scopesOf, type TokenSubject } from './claims.js';
import { mintAccessToken, mintIdToken, type MintedAccessToken } from './mint-tokens.js';
import type { SubjectParts } from './subject-parts.js';

export interface Signing {
  jwt: JwtSigner;
  keys: KeyStore;
  /** Milliseconds since the epoch. */
  nowMs: number;
  lambdas: LambdaRuntime;
  issuerOf: (tenant: Tenant) => string;
}

/** What a grant signs with: this Standin's signer, keys and lambdas, at `nowMs`. */
export function signingOf(standin: Standin, nowMs: number): Signing {
  return { jwt: standin.jwt, keys: standin.stores.keys, nowMs, lambdas: standin.lambdas, issuerOf: standin.issuerOf };
}

/** What a grant adds to the subject parts: the token's subject but for whom it names and who issues it. */
export type GrantFacts = Omit<TokenSubject, keyof SubjectParts | 'tenantId' | 'issuer'>;

export interface SignOptions {
  /** OIDC Core §3.1.2.1: echoed in the id token when the authorization request had one; never on refresh (§12.2). */
  nonce?: string | undefined;
  /** The authorization code, for the id token's `c_hash` (OIDC Core §3.3.2.11). */
  code?: string | undefined;
  /** Seconds; the access token's lifetime when the caller asked for a shorter one. */
  ttl?: number | undefined;
  jti?: string | undefined;
  /** `/api/jwt/refresh` answers with an access token only (FusionAuth JWT API). */
  withoutIdToken?: boolean | undefined;
}

/**
 * Signs what a grant issues, after its transaction has committed (docs/storage.md): the access token, and the id
 * token when the scope has `openid` (OIDC Core §3.1.3.3).
 */
export async function signTokens(
  { jwt, keys, nowMs, lambdas, issuerOf }: Signing,
  parts: SubjectParts,
  grant: GrantFacts,
  options: SignOptions = {},
): Promise<{ access: MintedAccessToken; idToken?: string }> {
  const subject: TokenSubject = { ...parts, tenantId: parts.tenant.id, issuer: issuerOf(parts.tenant), ...grant };
  const minting = { jwt, keys, tenant: parts.tenant, nowSeconds: Math.floor(nowMs / 1000), lambdas };
  const access = await mintAccessToken(minting, subject, options.ttl, options.jti);
  if (options.withoutIdToken || !scopesOf(subject.scope).has('openid')) return { access };
  const idToken = await mintIdToken(minting, subject, {
    accessToken: access.token,
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(options.code === undefined ? {} : { code: options.code }),
  });
  return { access, idToken };
}
