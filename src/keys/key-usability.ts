import type { KeyStore } from '../store/keys.js';

/** Why a key cannot sign a token now: none named, the key is gone, or it holds no secret of its own. */
export type KeyUnusable = 'unset' | 'missing' | 'idTokenOnly' | 'noClientSecret';

/**
 * Whether `keyId` can sign an access or id token now. A built-in OpenID Connect key has no secret: it signs id
 * tokens only, with the application's client secret (OpenID Connect Core §10.1). Every stored key holds its
 * private part (Standin generates keys and imports none), so a key that exists otherwise signs.
 */
export function keyUnusable(keys: KeyStore, keyId: string | undefined, token: 'access' | 'id', clientSecret?: string): KeyUnusable | undefined {
  if (keyId === undefined) return 'unset';
  const held = keys.holdsPrivateKey(keyId);
  if (held === undefined) return 'missing';
  if (held) return undefined;
  if (token === 'access') return 'idTokenOnly';
  return clientSecret === undefined || clientSecret === '' ? 'noClientSecret' : undefined;
}
