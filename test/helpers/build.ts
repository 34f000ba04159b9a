import type { Test } from 'tap';
import { buildApp, type StandinApp } from '../../src/app.js';
import type { ConfigInput } from '../../src/config.js';
import type { Kickstart } from '../../src/kickstart/types.js';

/** A fixed instant for tests: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/** The API key of `testKickstart`. */
export const API_KEY = 'test-api-key-0123456789-abcdefghijklmnopqrstuvwxyz';
export const TENANT_ID = 'aaaaaaaa-0000-4000-8000-000000000001';

/** The smallest useful kickstart: one API key, the default tenant's id pinned. */
export function testKickstart(requests: Kickstart['requests'] = []): Kickstart {
  return { variables: { defaultTenantId: TENANT_ID }, apiKeys: [{ key: API_KEY }], requests };
}

/**
 * A Standin on an in-memory database with cheap password hashing and a pinned clock, closed when the test
 * ends. Seeded with `testKickstart()` unless the options name another kickstart.
 */
export async function build(t: Test, options: ConfigInput = {}): Promise<StandinApp> {
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', now: () => T0, kickstart: testKickstart(), ...options });
  t.teardown(() => app.close());
  return app;
}

/** Headers for an `/api` call with the test API key. */
export function apiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: API_KEY, ...extra };
}
