import { selfSignedCertificate } from '../keys/certificate.js';
import type { Standin } from '../standin.js';
import type { Key } from '../store/keys.js';
import type { Stores } from '../store/index.js';

export interface CertificateContext {
  stores: Stores;
  now: number;
  /** The issuer a certificate names when its key has none: the default tenant's, as FusionAuth does (Key API, `key.issuer`). */
  defaultIssuer: string;
}

/** Standin's certificate context now: its database and clock, and the default (first) tenant's issuer. */
export function certificateContext(standin: Standin): CertificateContext {
  const defaultTenant = standin.stores.tenants.list()[0];
  return { stores: standin.stores, now: standin.config.now(), defaultIssuer: defaultTenant ? standin.issuerOf(defaultTenant) : standin.baseUrl() };
}

// One certificate in the making per key of a database: two requests that find a key without one wait for the same.
const making = new WeakMap<Stores, Map<string, Promise<void>>>();

/**
 * The keys with their certificates. An RSA or EC key gets its self-signed certificate the first time it is
 * shown (by the Key API or in the JWKS), which is also how keys made by an older Standin get one; the
 * certificate is stored, so every later answer shows the same one (docs/built-ins-and-defaults.md). Start-up
 * never waits for one.
 */
export async function withCertificates(context: CertificateContext, keys: Key[]): Promise<Key[]> {
  // A key imported without its private part has nothing to sign a certificate with: it keeps none.
  const missing = keys.filter(
    (key) => key.type !== 'HMAC' && key.publicKey !== undefined && key.certificate === undefined && key.hasPrivateKey !== false,
  );
  if (missing.length === 0) return keys;
  await Promise.all(missing.map((key) => certify(context, key.id)));
  return keys.map((key) => (missing.includes(key) ? (context.stores.keys.get(key.id)?.key ?? key) : key));
}

function certify(context: CertificateContext, id: string): Promise<void> {
  let inFlight = making.get(context.stores);
  if (!inFlight) making.set(context.stores, (inFlight = new Map<string, Promise<void>>()));
  let pending = inFlight.get(id);
  if (!pending) {
    pending = make(context, id).finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

// The certificates this process made, by database and key id: a control-API reset may restore a key as it
// was before its certificate was stored, and it must come back with the same certificate (the same `x5t`).
const made = new WeakMap<Stores, Map<string, Pick<Key, 'publicKey' | 'issuer' | 'certificate' | 'expirationInstant'>>>();

async function make({ stores, now, defaultIssuer }: CertificateContext, id: string): Promise<void> {
  const stored = stores.keys.get(id);
  if (!stored || stored.privateKey === undefined || stored.key.publicKey === undefined || stored.key.certificate !== undefined) return;
  let ofStores = made.get(stores);
  if (!ofStores) made.set(stores, (ofStores = new Map<string, Pick<Key, 'publicKey' | 'issuer' | 'certificate' | 'expirationInstant'>>()));
  let members = ofStores.get(id);
  if (members?.publicKey !== stored.key.publicKey) {
    const issuer = stored.key.issuer ?? defaultIssuer;
    const certificate = await selfSignedCertificate(stored.key.algorithm, stored.privateKey, stored.key.publicKey, issuer, now);
    members = { publicKey: stored.key.publicKey, issuer, certificate: certificate.pem, expirationInstant: certificate.expirationInstant };
    ofStores.set(id, members);
  }
  // Written only if no other process gave the key a certificate meanwhile; the caller reads back whichever won.
  stores.keys.setCertificate(id, { ...stored.key, ...members });
}
