import { addDuplicateId, addDuplicateName } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { hmacKid, thumbprintKid } from '../keys/generate-key.js';
import { importedMaterial } from '../keys/imported-material.js';
import { isObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import type { Key } from '../store/keys.js';

/**
 * FusionAuth's `POST /api/key/import/{keyId}` (https://fusionauth.io/docs/apis/keys, "Import a Key"):
 * `{key: {name, algorithm?, type?, kid?, publicKey?, privateKey?, certificate?, secret?}}`. The kid, when not
 * given, is made as for a generated key: from the public key, or at random for an HMAC secret. A key imported
 * without its private part verifies and never signs (`hasPrivateKey: false`). Checked and stored in one write.
 */
export function importSigningKey(stores: Stores, now: number, id: string | undefined, input: unknown): Key {
  const keyId = id ?? randomUUID();
  const request = isObject(input) ? input : {};
  return stores.db
    .transaction(() => {
      const errors = new FieldErrors();
      const material = importedMaterial(request, errors);
      if (stores.keys.exists(keyId)) addDuplicateId(errors, 'keyId', 'A key', keyId);
      if (typeof request.name !== 'string' || request.name.trim() === '')
        errors.add('key.name', 'blank', 'You must specify the [key.name] property.');
      else if (stores.keys.idByName(request.name) !== undefined) addDuplicateName(errors, 'key.name', 'A key', request.name);
      const givenKid = request.kid;
      if (givenKid !== undefined && givenKid !== null && (typeof givenKid !== 'string' || givenKid.trim() === '')) {
        errors.add('key.kid', 'invalid', 'The [key.kid] property must be a non-empty string.');
      }
      const kid =
        typeof givenKid === 'string' && givenKid.trim() !== ''
          ? givenKid
          : material && (material.publicKey ? thumbprintKid(material.publicKey) : hmacKid());
      // A kid names one key in a JWT header and in the JWKS (RFC 7515 §4.1.4); a computed one repeats only for the same public key.
      if (kid !== undefined && stores.keys.idByKid(kid) !== undefined) errors.add('key.kid', 'duplicate', `A key with kid [${kid}] already exists.`);
      errors.throwIfAny();
      // No error means the material was read, and with it the kid made.
      const imported = material!;
      const key: Key = {
        id: keyId,
        name: request.name as string,
        algorithm: imported.algorithm,
        type: imported.type,
        kid: kid!,
        length: imported.length,
        ...(imported.publicKey === undefined ? {} : { publicKey: imported.publicKey }),
        ...(imported.certificate === undefined
          ? {}
          : {
              certificate: imported.certificate.pem,
              expirationInstant: imported.certificate.expirationInstant,
              issuer: imported.certificate.issuer,
            }),
        ...(imported.privateKey === undefined ? { hasPrivateKey: false as const } : {}),
        insertInstant: now,
      };
      stores.keys.insert({ key, ...(imported.privateKey === undefined ? {} : { privateKey: imported.privateKey }) });
      return key;
    })
    .immediate();
}
