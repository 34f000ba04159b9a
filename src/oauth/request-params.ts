import { OAuthError } from '../errors.js';
import { shownValue } from '../model/json.js';

/**
 * One parameter of a form or query: absent and empty are the same (RFC 6749 §3.1), and a parameter sent
 * twice is an invalid request (RFC 6749 §3.1, §3.2; @fastify/formbody turns duplicates into arrays).
 */
export function param(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) throw new OAuthError('invalid_request', 'unknown', `The ${name} parameter was given more than once.`);
  if (value === undefined || value === null || value === '') return undefined;
  return shownValue(value);
}
