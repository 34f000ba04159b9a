/**
 * FusionAuth's OpenID Connect "shadow" keys (Kickstart docs, "Default entities":
 * https://fusionauth.io/docs/get-started/download-and-install/development/kickstart). Every install has them with
 * these ids. They hold no secret: chosen as an id token key, they sign with the application's client secret
 * (OpenID Connect Core §10.1), so they are never published and cannot be changed or deleted.
 */
export interface BuiltInKey {
  id: string;
  name: string;
  algorithm: 'HS256' | 'HS384' | 'HS512';
  type: 'HMAC';
  /** FusionAuth gives each a random 9-character hex kid per install; Standin's are fixed. */
  kid: string;
}

export const BUILT_IN_KEYS: readonly BuiltInKey[] = [
  {
    id: '092dbedc-30af-4149-9c61-b578f2c72f59',
    name: 'OpenID Connect compliant HMAC using SHA-256',
    algorithm: 'HS256',
    type: 'HMAC',
    kid: '092dbedc3',
  },
  {
    id: '4b8f1c06-518e-45bd-9ac5-d549686ae02a',
    name: 'OpenID Connect compliant HMAC using SHA-384',
    algorithm: 'HS384',
    type: 'HMAC',
    kid: '4b8f1c065',
  },
  {
    id: 'c753a44d-7f2e-48d3-bc4e-c2c16488a23b',
    name: 'OpenID Connect compliant HMAC using SHA-512',
    algorithm: 'HS512',
    type: 'HMAC',
    kid: 'c753a44d7',
  },
];

export function builtInKey(id: string): BuiltInKey | undefined {
  return BUILT_IN_KEYS.find((key) => key.id === id);
}

export function isClientSecretKey(id: string | undefined): boolean {
  return id !== undefined && builtInKey(id) !== undefined;
}
