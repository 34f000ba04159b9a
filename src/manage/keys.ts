import { addDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { ALGORITHMS, isAlgorithm, keyTypeOf, RSA_LENGTHS, type Algorithm } from '../keys/algorithms.js';
import { generateKey } from '../keys/generate-key.js';
import { isObject } from '../model/json.js';
import type { Key } from '../store/keys.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';

/**
 * FusionAuth's `POST /api/key/generate/{keyId}`: `{key: {algorithm, name, length?, issuer?}}`. The key is
 * generated off the event loop, then its name is checked again and it is stored in one write.
 */
export async function generateSigningKey(stores: Stores, now: number, id: string | undefined, input: unknown): Promise<Key> {
  const keyId = id ?? randomUUID();
  const request = isObject(input) ? input : {};
  const check = () => {
    const errors = new FieldErrors();
    if (stores.keys.exists(keyId)) addDuplicateId(errors, 'keyId', 'A key', keyId);
    if (!isAlgorithm(request.algorithm)) {
      errors.add(
        'key.algorithm',
        'invalid',
        'The [key.algorithm] property must be one of RS256, RS384, RS512, ES256, ES384, ES512, HS256, HS384, HS512.',
      );
    }
    if (typeof request.name !== 'string' || request.name.trim() === '') errors.add('key.name', 'blank', 'You must specify the [key.name] property.');
    else if (stores.keys.idByName(request.name) !== undefined)
      errors.add('key.name', 'duplicate', `A key with name [${request.name}] already exists.`);
    if (
      isAlgorithm(request.algorithm) &&
      keyTypeOf(request.algorithm) === 'RSA' &&
      request.length !== undefined &&
      !RSA_LENGTHS.includes(request.length as number)
    ) {
      errors.add('key.length', 'invalid', `The [key.length] property must be one of ${RSA_LENGTHS.join(', ')}.`);
    }
    errors.throwIfAny();
  };
  check();
  const algorithm = request.algorithm as Algorithm;
  const material = await generateKey(algorithm, (request.length as number | undefined) ?? 2048);
  const key: Key = {
    id: keyId,
    name: request.name as string,
    algorithm,
    type: material.type,
    kid: material.kid,
    length: material.length,
    ...(material.publicKey === undefined ? {} : { publicKey: material.publicKey }),
    ...(typeof request.issuer === 'string' ? { issuer: request.issuer } : {}),
    insertInstant: now,
  };
  stores.db.transaction(() => {
    check();
    stores.keys.insert({ key, privateKey: material.privateKey });
  })();
  return key;
}

/**
 * FusionAuth's Search for Keys (https://fusionauth.io/docs/apis/keys): `name` as text, `algorithm` and `type`
 * exactly (`Ed25519` and `OKP` are FusionAuth's too, and name no Standin key); ordered by `algorithm`,
 * `expiration`, `id`, `insertInstant`, `name` (the default) or `type`. `keys` are the keys as the API shows them,
 * with the expiration of their certificates.
 */
export function searchKeys<K extends Key>(keys: readonly K[], criteria: unknown, prefix: string): Found<K> {
  return searchObjects(
    keys,
    criteria,
    {
      orderBy: {
        algorithm: (key) => key.algorithm,
        expiration: (key) => key.expirationInstant,
        id: (key) => key.id,
        insertInstant: (key) => key.insertInstant,
        name: (key) => key.name,
        type: (key) => key.type,
      },
      defaultOrder: 'name',
      text: { name: (key) => key.name },
      exact: {
        algorithm: { values: [...ALGORITHMS, 'Ed25519'], of: (key) => key.algorithm },
        type: { values: ['EC', 'HMAC', 'OKP', 'RSA'], of: (key) => key.type },
      },
    },
    prefix,
  );
}
