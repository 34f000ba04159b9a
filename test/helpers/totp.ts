import { createHmac } from 'node:crypto';

/**
 * A test's own authenticator app: RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) written apart from Standin's, so a
 * test that computes codes with it checks Standin against the RFC rather than against itself.
 */
export function authenticatorCode(base32Secret: string, nowMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = base32Secret
    .replace(/=+$/, '')
    .split('')
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
