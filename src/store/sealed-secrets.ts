import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * A secret kept so that only the holder of another secret can read it back: AES-256-GCM under a key derived (HMAC-SHA-256)
 * from `keySecret`. Standin keeps a verification id as a hash only, so a one-time code sealed with the id can be
 * emailed later by whoever presents the id (the Identity Verify API's Send), while the database alone reveals neither.
 */
export function sealSecret(secret: string, keySecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derivedKey(keySecret), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

/** The secret `sealSecret` sealed with `keySecret`; undefined when the text is not one it sealed with that key. */
export function openSealedSecret(sealed: string, keySecret: string): string | undefined {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body || iv.length !== 12 || tag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', derivedKey(keySecret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

// A key of its own, so that it never equals the SHA-256 the database keeps of the same secret (secrets.ts).
function derivedKey(keySecret: string): Buffer {
  return createHmac('sha256', 'standin sealed secret').update(keySecret, 'utf8').digest();
}
