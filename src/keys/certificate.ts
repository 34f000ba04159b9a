import { createHash, createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import { EC_CURVES, type Algorithm } from './algorithms.js';

/** How long a generated key's certificate is valid: long, since a local key is never rotated by its expiry. */
export const CERTIFICATE_VALIDITY_MS = 10 * 365 * 24 * 60 * 60 * 1000;

export interface Certificate {
  /** PEM, as FusionAuth's Key API shows `key.certificate`. */
  pem: string;
  /** When the certificate expires, as FusionAuth's `key.expirationInstant` (milliseconds). */
  expirationInstant: number;
}

// @peculiar/x509 (and its ASN.1 stack) takes a noticeable time to load: it is imported only when a
// certificate is made, never at start-up.
const x509 = async () => {
  const module = await import('@peculiar/x509');
  module.cryptoProvider.set(webcrypto as unknown as Crypto);
  return module;
};

/**
 * A self-signed X.509 certificate for an RSA or EC signing key, as FusionAuth makes for the keys it generates
 * (Key API, `key.certificate`; `key.issuer` "The issuer of the certificate"): subject and issuer are
 * `CN=<issuer>`, signed with the key itself using the hash of its JWS algorithm (RFC 7518 §3.3, §3.4).
 */
export async function selfSignedCertificate(
  algorithm: Algorithm,
  privateKeyPem: string,
  publicKeyPem: string,
  issuer: string,
  now: number,
): Promise<Certificate> {
  const { X509CertificateGenerator } = await x509();
  const hash = `SHA-${algorithm.slice(2)}`;
  const params = algorithm.startsWith('RS')
    ? { name: 'RSASSA-PKCS1-v1_5', hash }
    : { name: 'ECDSA', namedCurve: EC_CURVES[algorithm as keyof typeof EC_CURVES], hash };
  const { subtle } = webcrypto;
  const privateDer = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  const publicDer = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const keys = {
    privateKey: await subtle.importKey('pkcs8', privateDer, params, false, ['sign']),
    publicKey: await subtle.importKey('spki', publicDer, params, true, ['verify']),
  };
  // X.509 times have whole seconds (RFC 5280 §4.1.2.5), so the instants do too.
  const notBefore = Math.floor(now / 1000) * 1000;
  const expirationInstant = notBefore + CERTIFICATE_VALIDITY_MS;
  // A positive serial number (RFC 5280 §4.1.2.2): 16 random bytes with the top bit clear.
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    // The JSON form of the name, so that no character of the issuer needs escaping (RFC 4514 §2.4).
    name: [{ CN: [issuer] }],
    notBefore: new Date(notBefore),
    notAfter: new Date(expirationInstant),
    signingAlgorithm: params,
    keys: keys,
  });
  return { pem: certificate.toString('pem'), expirationInstant };
}

/** The JWK members that carry a certificate (RFC 7517 §4.7–4.9): the DER in base64, its SHA-1 and SHA-256 thumbprints. */
export function certificateMembers(pem: string): { x5c: string[]; x5t: string; 'x5t#S256': string } {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''), 'base64');
  return {
    x5c: [der.toString('base64')],
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
}
