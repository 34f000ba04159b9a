import { ApiError, FieldErrors } from '../errors.js';
import { isClientSecretKey } from '../model/built-in-keys.js';
import { isObject } from '../model/json.js';
import { addDuplicateName } from '../model/refuse-duplicate.js';
import type { Stores } from '../store/index.js';
import type { Key } from '../store/keys.js';

/**
 * FusionAuth's `PUT /api/key/{keyId}` (https://fusionauth.io/docs/apis/keys, "Update a Key"): only the name of a
 * key may change; every other field of the request (algorithm, kid, key material, certificate) is left as it was,
 * as FusionAuth's docs say ("Only the name of the Key may be changed"). A new key is imported instead.
 */
export function updateSigningKey(stores: Stores, now: number, keyId: string, input: unknown): Key {
  const request = isObject(input) ? input : {};
  return stores.db
    .transaction(() => {
      const stored = stores.keys.get(keyId);
      if (!stored) throw ApiError.notFound();
      const errors = new FieldErrors();
      // FusionAuth's built-in OpenID Connect keys cannot be modified (Kickstart docs, "Default entities").
      if (isClientSecretKey(keyId)) errors.add('keyId', 'invalid', 'The key is a built-in OpenID Connect key and cannot be changed.');
      const name = request.name;
      if (typeof name !== 'string' || name.trim() === '') errors.add('key.name', 'blank', 'You must specify the [key.name] property.');
      else if ((stores.keys.idByName(name) ?? keyId) !== keyId) addDuplicateName(errors, 'key.name', 'A key', name);
      errors.throwIfAny();
      const key: Key = { ...stored.key, name: name as string, lastUpdateInstant: now };
      stores.keys.rename(key);
      return key;
    })
    .immediate();
}
