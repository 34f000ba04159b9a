import { isClientSecretKey } from '../model/built-in-keys.js';
import type { KeyStore } from '../store/keys.js';

/**
 * Why a key cannot sign a token now: none named, the key is gone, it holds no secret of its own, or it is an
 * imported public key or certificate, which verifies and never signs.
 */
export type KeyUnusable = 'unset' | 'missing' | 'idTokenOnly' | 'noClientSecret' | 'verifyOnly';

/**
 * Whether `keyId` can sign an access or id token now. A built-in OpenID Connect key has no secret: it signs id
 * tokens only, with the application's client secret (OpenID Connect Core §10.1). A key imported without its private
 * part signs nothing; any other stored key signs.
 */
export function keyUnusable(keys: KeyStore, keyId: string | undefined, token: 'access' | 'id', clientSecret?: string): KeyUnusable | undefined {
  if (keyId === undefined) return 'unset';
  const held = keys.holdsPrivateKey(keyId);
  if (held === undefined) return 'missing';
  if (held) return undefined;
  if (!isClientSecretKey(keyId)) return 'verifyOnly';
  if (token === 'access') return 'idTokenOnly';
  return clientSecret === undefined || clientSecret === '' ? 'noClientSecret' : undefined;
}
