import type { Test } from 'tap';
import { buildApp, type StandinApp } from '../../src/app.js';
import type { ConfigInput } from '../../src/config.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { API_KEY, T0, TENANT_ID } from './constants.js';

/** The smallest useful kickstart: one API key, the default tenant's id pinned. */
export function testKickstart(requests: Kickstart['requests'] = []): Kickstart {
  return { variables: { defaultTenantId: TENANT_ID }, apiKeys: [{ key: API_KEY }], requests };
}

/**
 * A Standin on an in-memory database with cheap password hashing and a pinned clock, closed when the test
 * ends. Seeded with `testKickstart()` unless the options name another kickstart.
 */
export async function buildEmptyApp(t: Test, options: ConfigInput = {}): Promise<StandinApp> {
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', now: () => T0, kickstart: testKickstart(), ...options });
  t.teardown(() => app.close());
  injectAsBrowserAtBaseUrl(app);
  return app;
}

/**
 * Makes `app.inject` send `Host: <the configured base URL's host>` unless the test names one, as a browser
 * at Standin's URL does. light-my-request's own default, `localhost:80`, is an origin nobody uses, and
 * discovery and the hosted backend build URLs from the origin a request came to.
 */
export function injectAsBrowserAtBaseUrl(app: StandinApp): void {
  const inject = app.inject.bind(app) as (options?: unknown) => unknown;
  const host = () => new URL(app.standin.baseUrl()).host;
  (app as unknown as { inject: (options?: unknown) => unknown }).inject = (options?: unknown) => {
    if (typeof options === 'string') return inject({ url: options, headers: { host: host() } });
    if (options && typeof options === 'object') {
      const given = options as { headers?: Record<string, unknown>; authority?: string };
      const named = given.authority !== undefined || Object.keys(given.headers ?? {}).some((name) => name.toLowerCase() === 'host');
      return inject(named ? options : { ...given, headers: { ...given.headers, host: host() } });
    }
    return inject(options);
  };
}

/** Headers for an `/api` call with the test API key. */
export function apiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: API_KEY, ...extra };
}
