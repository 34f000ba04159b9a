import { randomBytes, randomInt } from 'node:crypto';
import { isObject } from './json.js';

const ALPHABETS: Record<string, string> = {
  randomAlpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  randomAlphaNumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  randomDigits: '0123456789',
};

/**
 * A secret per one of FusionAuth's SecureGeneratorConfiguration objects ({length, type}; tenant
 * `externalIdentifierConfiguration`, https://fusionauth.io/docs/apis/tenants), else per `fallback`, FusionAuth's default.
 */
export function generate(configured: unknown, fallback: { length: number; type: string }): string {
  const given = isObject(configured) ? configured : {};
  const length = typeof given.length === 'number' && given.length >= 4 && given.length <= 256 ? Math.floor(given.length) : fallback.length;
  const type = typeof given.type === 'string' ? given.type : fallback.type;
  const alphabet = ALPHABETS[type];
  if (!alphabet) return randomBytes(length).toString('base64url');
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}
