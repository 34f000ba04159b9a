import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A WebAuthn authenticator in software, for tests: one P-256 key per registration (node:crypto), the attestation
 * object CBOR-encoded (format `none`, or `packed` self-attestation), and assertions signed over
 * authenticatorData || SHA-256(clientDataJSON) (WebAuthn §6.3.3), each with a growing signature counter. It answers
 * in FusionAuth's JSON (base64url strings), as a page would after `navigator.credentials.create()`/`.get()`.
 */

// Authenticator data flags (WebAuthn §6.1): user present, user verified, attested credential data included.
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export interface Passkey {
  credentialId: string;
  privateKey: KeyObject;
  counter: number;
  userHandle: string;
}

export interface CeremonyOptions {
  origin: string;
  /** The relying party id whose hash goes in the authenticator data; by default the origin's host. */
  rpId?: string;
  /** Signs this challenge in place of the one the options carry. */
  challenge?: string;
  /** Leaves the user-verified flag off. */
  unverified?: boolean;
}

function authenticatorData(rpId: string, flags: number, counter: number, attested?: Uint8Array): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** The COSE_Key of a P-256 public key (RFC 9053 §7.1.1): kty EC2, alg ES256, crv P-256, x, y. */
function coseKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]),
  );
}

/**
 * `navigator.credentials.create()`: a new passkey for the creation `options` FusionAuth answered, and the credential
 * JSON its register/complete reads.
 */
export function register(
  options: { challenge?: string; rp?: { id?: string }; user?: { id?: string } },
  ceremony: CeremonyOptions & { format?: 'none' | 'packed' | 'fido-u2f' },
): { passkey: Passkey; credential: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rawId = randomBytes(16);
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(rawId.length);
  const attested = Buffer.concat([Buffer.alloc(16), idLength, rawId, coseKey(publicKey)]);
  const rpId = ceremony.rpId ?? options.rp?.id ?? new URL(ceremony.origin).hostname;
  const authData = authenticatorData(rpId, UP | (ceremony.unverified ? 0 : UV) | AT, 0, attested);
  const clientDataJSON = clientData('webauthn.create', ceremony.challenge ?? options.challenge!, ceremony.origin);
  const format = ceremony.format ?? 'none';
  // Packed self-attestation (WebAuthn §8.2): the credential's own key signs authData || hash(clientDataJSON).
  const attStmt =
    format === 'packed'
      ? new Map<string, number | Uint8Array>([
          ['alg', -7],
          ['sig', new Uint8Array(sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), privateKey))],
        ])
      : new Map<string, number | Uint8Array>();
  const attestationObject = isoCBOR.encode(
    new Map<string, string | Uint8Array | Map<string, number | Uint8Array>>([
      ['fmt', format],
      ['attStmt', attStmt],
      ['authData', new Uint8Array(authData)],
    ]),
  );
  return {
    passkey: { credentialId: b64url(rawId), privateKey, counter: 0, userHandle: options.user?.id ?? '' },
    credential: {
      id: b64url(rawId),
      type: 'public-key',
      transports: ['internal'],
      clientExtensionResults: { credProps: { rk: true } },
      response: { attestationObject: b64url(attestationObject), clientDataJSON: b64url(clientDataJSON) },
    },
  };
}

/**
 * `navigator.credentials.get()`: an assertion by `passkey` for the request `options` FusionAuth answered, its counter
 * one more than the last (or `counter`, to replay an old one), as the credential JSON login and assert read.
 */
export function assert(
  passkey: Passkey,
  options: { challenge?: string; rpId?: string },
  ceremony: CeremonyOptions & { counter?: number; signWith?: KeyObject },
): Record<string, unknown> {
  passkey.counter = ceremony.counter ?? passkey.counter + 1;
  const rpId = ceremony.rpId ?? options.rpId ?? new URL(ceremony.origin).hostname;
  const authData = authenticatorData(rpId, UP | (ceremony.unverified ? 0 : UV), passkey.counter);
  const clientDataJSON = clientData('webauthn.get', ceremony.challenge ?? options.challenge!, ceremony.origin);
  const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), ceremony.signWith ?? passkey.privateKey);
  return {
    id: passkey.credentialId,
    type: 'public-key',
    response: {
      authenticatorData: b64url(authData),
      clientDataJSON: b64url(clientDataJSON),
      signature: b64url(signature),
      userHandle: passkey.userHandle,
    },
  };
}

/** Another P-256 key, to sign an assertion with the wrong one. */
export const strangerKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

/** A PEM public key of a fresh P-256 key, for imports. */
export function importablePem(): { pem: string; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}
