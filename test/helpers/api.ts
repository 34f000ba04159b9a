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
  const privates = db.prepare('SELECT private_key AS v FROM keys').all() as { v: string }[];
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

/** A FusionAuth field error: 400, JSON, and `fieldErrors[field]` holds `[code]field`. */
export function assertFieldError(t: Test, response: ApiResponse, field: string, code: string): void {
  t.equal(response.status, 400, `status 400 for ${field}`);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  const codes = (response.body?.fieldErrors?.[field] ?? []).map((error: { code: string }) => error.code);
  t.ok(codes.includes(`[${code}]${field}`), `fieldErrors[${field}] has [${code}]${field}`, { found: response.body });
  for (const error of response.body?.fieldErrors?.[field] ?? []) t.type(error.message, 'string');
}

/** A FusionAuth general error: `status`, JSON, and `generalErrors` holds `code`. */
export function assertGeneralError(t: Test, response: ApiResponse, code: string, status = 400): void {
  t.equal(response.status, status, `status ${status}`);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  t.same(response.body?.fieldErrors, {}, 'no field errors');
  const codes = (response.body?.generalErrors ?? []).map((error: { code: string }) => error.code);
  t.same(codes, [code], `generalErrors is [${code}]`);
}

/** An empty-bodied answer, as FusionAuth gives for 401, 404 and DELETE. */
export function assertEmpty(t: Test, response: ApiResponse, status: number): void {
  t.equal(response.status, status, `status ${status}`);
  t.equal(response.raw.body, '', 'empty body');
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
