import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ApiError, type FieldErrors } from '../errors.js';
import type { JsonObject } from '../model/json.js';
import { ALGORITHMS, isAlgorithm, keyTypeOf, type Algorithm, type KeyType } from './algorithms.js';

/** What an import request's key material is, read and checked; the private part only ever goes to the store. */
export interface ImportedMaterial {
  algorithm: Algorithm;
  type: KeyType;
  length: number;
  /** SPKI PEM; absent for HMAC. */
  publicKey?: string;
  /** PKCS #8 PEM, or the base64 of the HMAC secret's UTF-8 bytes; absent for a public key or certificate alone. */
  privateKey?: string;
  /** An imported certificate: its PEM, when it expires (milliseconds) and the common name of its issuer. */
  certificate?: { pem: string; expirationInstant: number; issuer: string };
}

/** The OpenSSL names of the curves RFC 7518 §3.4 gives each ES algorithm. */
const CURVE_ALGORITHMS: Readonly<Record<string, { algorithm: Algorithm; length: number }>> = {
  prime256v1: { algorithm: 'ES256', length: 256 },
  secp384r1: { algorithm: 'ES384', length: 384 },
  secp521r1: { algorithm: 'ES512', length: 521 },
};

/**
 * The RSA sizes FusionAuth's Key API imports ("Import a Key"): 1024 bits only for a key that verifies (a public key
 * or a certificate alone), since RFC 7518 §3.3 asks 2048 bits or more of a key that signs.
 */
const RSA_IMPORT_LENGTHS: readonly number[] = [1024, 2048, 3072, 4096];

type Field = 'key.publicKey' | 'key.privateKey' | 'key.certificate';

/**
 * Reads the key material of FusionAuth's `POST /api/key/import[/{keyId}]` (https://fusionauth.io/docs/apis/keys,
 * "Import a Key"): an HMAC `secret`, or PEM `publicKey`, `privateKey` and `certificate` (the public key then comes
 * from the certificate), any of them alone or together as long as they are one key. `algorithm` and `type` are
 * inferred from the material where they can be and must agree with it where given. Adds a field error to `errors`
 * for each problem and answers undefined then; kinds of key Standin cannot sign with (EdDSA, FusionAuth's
 * non-cryptographic Secrets) answer 400 `[NotModelled]`.
 */
export function importedMaterial(request: JsonObject, errors: FieldErrors): ImportedMaterial | undefined {
  refuseUnmodelledKinds(request);
  const algorithm = request.algorithm;
  if (algorithm !== undefined && algorithm !== null && !isAlgorithm(algorithm)) {
    errors.add('key.algorithm', 'invalid', `The [key.algorithm] property must be one of ${ALGORITHMS.join(', ')}.`);
    return undefined;
  }
  const type = request.type;
  if (type !== undefined && type !== null && type !== 'RSA' && type !== 'EC' && type !== 'HMAC') {
    errors.add('key.type', 'invalid', 'The [key.type] property must be one of EC, HMAC, RSA.');
    return undefined;
  }
  const given = isAlgorithm(algorithm) ? algorithm : undefined;
  const hasAsymmetric = present(request.publicKey) || present(request.privateKey) || present(request.certificate);
  const hmac = (given !== undefined && keyTypeOf(given) === 'HMAC') || type === 'HMAC' || (!hasAsymmetric && present(request.secret));
  return hmac ? hmacMaterial(request, given, type, errors) : asymmetricMaterial(request, given, type, errors);
}

function hmacMaterial(request: JsonObject, algorithm: Algorithm | undefined, type: unknown, errors: FieldErrors): ImportedMaterial | undefined {
  // HS256, HS384 and HS512 take the same secret: nothing in it says which one is meant.
  if (algorithm === undefined) errors.add('key.algorithm', 'blank', 'You must specify the [key.algorithm] property when importing an HMAC secret.');
  else if (keyTypeOf(algorithm) !== 'HMAC')
    errors.add('key.algorithm', 'invalid', `The [key.algorithm] property [${algorithm}] is not an HMAC algorithm.`);
  if (type !== undefined && type !== null && type !== 'HMAC')
    errors.add('key.type', 'invalid', `The [key.type] property must be HMAC for an HMAC secret.`);
  const secret = request.secret;
  if (typeof secret !== 'string' || secret.trim() === '') errors.add('key.secret', 'blank', 'You must specify the [key.secret] property.');
  if (algorithm === undefined || keyTypeOf(algorithm) !== 'HMAC' || typeof secret !== 'string' || secret.trim() === '') return undefined;
  // FusionAuth signs with the UTF-8 bytes of the secret as given (fusionauth-jwt's HMACSigner), so a verifier that
  // holds the same text verifies; stored as base64, as generated secrets are.
  const bytes = Buffer.from(secret, 'utf8');
  return { algorithm, type: 'HMAC', length: bytes.length * 8, privateKey: bytes.toString('base64') };
}

function asymmetricMaterial(request: JsonObject, algorithm: Algorithm | undefined, type: unknown, errors: FieldErrors): ImportedMaterial | undefined {
  if (!present(request.publicKey) && !present(request.privateKey) && !present(request.certificate)) {
    errors.add('key.publicKey', 'blank', 'You must specify the [key.publicKey], [key.privateKey] or [key.certificate] property.');
    return undefined;
  }
  const privateKey = present(request.privateKey) ? readPrivateKey(request.privateKey, errors) : undefined;
  const certificate = present(request.certificate) ? readCertificate(request.certificate, errors) : undefined;
  const publicKey = present(request.publicKey) ? readPublicKey(request.publicKey, errors) : undefined;
  if (privateKey === null || certificate === null || publicKey === null) return undefined;

  // Every part given must be the same key: compared by their SPKI encodings.
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  const parts: [Field, KeyObject][] = [];
  if (privateKey) parts.push(['key.privateKey', createPublicKey(privateKey)]);
  if (certificate) parts.push(['key.certificate', certificate.publicKey]);
  if (publicKey) parts.push(['key.publicKey', publicKey]);
  const [[firstField, reference]] = parts as [[Field, KeyObject]];
  for (const [field, part] of parts.slice(1)) {
    if (!spki(part).equals(spki(reference))) {
      errors.add(field, 'invalid', `The [${field}] property is not the same key as the [${firstField}] property.`);
      return undefined;
    }
  }
  const signs = privateKey !== undefined;
  const field: Field = privateKey ? 'key.privateKey' : certificate ? 'key.certificate' : 'key.publicKey';

  const keyType = reference.asymmetricKeyType === 'rsa' ? 'RSA' : reference.asymmetricKeyType === 'ec' ? 'EC' : undefined;
  if (keyType === undefined) {
    errors.add(
      field,
      'invalid',
      `The [${field}] property holds an ${reference.asymmetricKeyType ?? 'unknown'} key; Standin imports RSA and EC keys.`,
    );
    return undefined;
  }
  if (type !== undefined && type !== null && type !== keyType) {
    errors.add('key.type', 'invalid', `The [key.type] property must be ${keyType} for the key given.`);
    return undefined;
  }
  let chosen: Algorithm;
  let length: number;
  if (keyType === 'RSA') {
    length = reference.asymmetricKeyDetails?.modulusLength ?? 0;
    if (!RSA_IMPORT_LENGTHS.includes(length) || (signs && length < 2048)) {
      const allowed = signs ? '2048, 3072 or 4096' : '1024, 2048, 3072 or 4096';
      errors.add(field, 'invalid', `The [${field}] property holds a ${length}-bit RSA key; the key length must be ${allowed} bits.`);
      return undefined;
    }
    // RS256 when not told: the size of an RSA key does not say which hash it signs with.
    chosen = algorithm ?? 'RS256';
  } else {
    const curve = CURVE_ALGORITHMS[reference.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve === undefined) {
      errors.add(field, 'invalid', `The [${field}] property holds an EC key on a curve other than P-256, P-384 and P-521.`);
      return undefined;
    }
    chosen = algorithm ?? curve.algorithm;
    length = curve.length;
    if (chosen !== curve.algorithm && keyTypeOf(chosen) === 'EC') {
      errors.add('key.algorithm', 'invalid', `The [key.algorithm] property must be ${curve.algorithm} for a key on that curve.`);
      return undefined;
    }
  }
  if (keyTypeOf(chosen) !== keyType) {
    errors.add('key.algorithm', 'invalid', `The [key.algorithm] property [${chosen}] cannot be used with an ${keyType} key.`);
    return undefined;
  }
  return {
    algorithm: chosen,
    type: keyType,
    length,
    publicKey: reference.export({ type: 'spki', format: 'pem' }) as string,
    ...(privateKey ? { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string } : {}),
    ...(certificate
      ? { certificate: { pem: certificate.toString(), expirationInstant: Date.parse(certificate.validTo), issuer: commonName(certificate.issuer) } }
      : {}),
  };
}

/** FusionAuth's import takes an Ed25519 key and its non-cryptographic Secrets; Standin signs with neither. */
function refuseUnmodelledKinds(request: JsonObject): void {
  const kind =
    request.algorithm === 'Ed25519' || request.type === 'OKP'
      ? 'EdDSA (Ed25519) keys'
      : request.algorithm === 'None' || request.type === 'SecretKeyValue'
        ? 'Secrets (key type SecretKeyValue)'
        : undefined;
  if (kind !== undefined) throw ApiError.general('[NotModelled]', `Standin does not model ${kind}; see docs/compatibility.md.`);
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** A PEM private key (PKCS #8, PKCS #1 or SEC 1), or null after a field error. Never echoes what it was given. */
function readPrivateKey(value: unknown, errors: FieldErrors): KeyObject | null {
  try {
    if (typeof value !== 'string' || !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(value)) throw new TypeError('not a PEM private key');
    return createPrivateKey(value);
  } catch {
    errors.add('key.privateKey', 'invalid', 'The [key.privateKey] property must be an unencrypted PEM encoded RSA or EC private key.');
    return null;
  }
}

/** A PEM public key (SPKI or PKCS #1), or null after a field error. */
function readPublicKey(value: unknown, errors: FieldErrors): KeyObject | null {
  try {
    // createPublicKey would also take a private key or a certificate and derive the public part: only a public key is one.
    if (typeof value !== 'string' || !/-----BEGIN (RSA )?PUBLIC KEY-----/.test(value)) throw new TypeError('not a PEM public key');
    return createPublicKey(value);
  } catch {
    errors.add('key.publicKey', 'invalid', 'The [key.publicKey] property must be a PEM encoded RSA or EC public key.');
    return null;
  }
}

function readCertificate(value: unknown, errors: FieldErrors): X509Certificate | null {
  try {
    if (typeof value !== 'string') throw new TypeError('not a certificate');
    return new X509Certificate(value);
  } catch {
    errors.add('key.certificate', 'invalid', 'The [key.certificate] property must be a PEM encoded X.509 certificate.');
    return null;
  }
}

/** The CN of an X.509 name as Node prints it (one `attribute=value` a line), else the whole name. */
function commonName(name: string): string {
  const line = name.split('\n').find((part) => part.startsWith('CN='));
  return line === undefined ? name : line.slice(3);
}
