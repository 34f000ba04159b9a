import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import type { StandinApp } from '../../src/app.js';
import { apiHeaders } from './build.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiResponse {
  status: number;
  /** The parsed JSON body, or undefined when the body is empty. */
  body: any;
  raw: LightMyRequestResponse;
}

export interface ApiClient {
  (method: Method, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

/**
 * An `/api` caller with the test API key. Every response it sees is checked for secrets: no `password`
 * member, no password hash (`$argon2…` or any stored hash), and no private key material (no `privateKey`
 * member, no PEM private key, no stored private key or HMAC secret). A leak fails the calling test.
 */
export function apiClient(t: Test, app: StandinApp): ApiClient {
  return async (method, url, body, headers = {}) => {
    const raw = await app.inject({
      method,
      url,
      headers: apiHeaders(body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    assertNoSecrets(t, app, raw.body, `${method} ${url}`);
    return { status: raw.statusCode, body: raw.body === '' ? undefined : JSON.parse(raw.body), raw };
  };
}

/** Fails `t` if `text` (a response body) holds a password, a password hash or private key material. */
export function assertNoSecrets(t: Test, app: StandinApp, text: string, label: string): void {
  const leaks: string[] = [];
  if (/"password"\s*:/.test(text)) leaks.push('a "password" member');
  if (/"(passwordHash|password_hash|privateKey|private_key|secret)"\s*:/.test(text)) leaks.push('a secret-named member');
  if (text.includes('$argon2')) leaks.push('an argon2 hash');
  if (text.includes('PRIVATE KEY')) leaks.push('a PEM private key');
  const { db } = app.standin.stores;
  const hashes = db.prepare('SELECT password_hash AS v FROM users WHERE password_hash IS NOT NULL').all() as { v: string }[];
  const privates = db.prepare('SELECT private_key AS v FROM keys WHERE private_key IS NOT NULL').all() as { v: string }[];
  if (hashes.some(({ v }) => text.includes(v))) leaks.push('a stored password hash');
  // A PEM's body lines, or an HMAC secret, anywhere in the text (even re-encoded line by line).
  if (privates.some(({ v }) => secretParts(v).some((part) => text.includes(part)))) leaks.push('stored private key material');
  if (leaks.length > 0) t.fail(`${label} leaks ${leaks.join(', ')}`);
}

function secretParts(stored: string): string[] {
  if (!stored.includes('-----BEGIN')) return [stored];
  return stored
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'))
    .filter((line) => line.length >= 32);
}
