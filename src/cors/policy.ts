import { isObject } from '../model/json.js';

/**
 * FusionAuth's CORS filter as plain functions: the system configuration's `corsConfiguration`, which paths
 * it covers, and what each request gets (docs/cors-and-discovery.md;
 * https://fusionauth.io/docs/operate/secure/cors). No Fastify here: src/plugins/cors.ts applies the answer.
 */
export interface CorsSettings {
  enabled: boolean;
  allowCredentials: boolean;
  allowedHeaders: string[];
  allowedMethods: string[];
  allowedOrigins: string[];
  exposedHeaders: string[];
  preflightMaxAgeInSeconds: number;
  debug: boolean;
}

/** FusionAuth's shipped configuration, which also fills any field left unset ("Default Configuration"). */
export const CORS_DEFAULTS: Readonly<CorsSettings> = Object.freeze({
  enabled: false,
  allowCredentials: false,
  allowedHeaders: [
    'Accept',
    'Access-Control-Request-Headers',
    'Access-Control-Request-Method',
    'Authorization',
    'Content-Type',
    'Last-Modified',
    'Origin',
    'X-FusionAuth-TenantId',
    'X-Requested-With',
  ],
  allowedMethods: ['GET', 'OPTIONS'],
  allowedOrigins: [],
  exposedHeaders: ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials'],
  preflightMaxAgeInSeconds: 1800,
  debug: false,
});

/**
 * The settings from a stored `corsConfiguration` (stored as the System Configuration API was given it):
 * each field that is missing or of the wrong type takes FusionAuth's default.
 */
export function corsSettings(stored: unknown): CorsSettings {
  const given = isObject(stored) ? stored : {};
  const flag = (name: 'enabled' | 'allowCredentials' | 'debug') => (typeof given[name] === 'boolean' ? given[name] : CORS_DEFAULTS[name]);
  const list = (name: 'allowedHeaders' | 'allowedMethods' | 'allowedOrigins' | 'exposedHeaders') => {
    const value = given[name];
    return Array.isArray(value)
      ? value
          .filter((item): item is string => typeof item === 'string')
          .map((item) => item.trim())
          .filter((item) => item !== '')
      : [...CORS_DEFAULTS[name]];
  };
  const maxAge = given.preflightMaxAgeInSeconds;
  return {
    enabled: flag('enabled'),
    allowCredentials: flag('allowCredentials'),
    allowedHeaders: list('allowedHeaders'),
    allowedMethods: list('allowedMethods').map((method) => method.toUpperCase()),
    allowedOrigins: list('allowedOrigins'),
    exposedHeaders: list('exposedHeaders'),
    preflightMaxAgeInSeconds: Number.isInteger(maxAge) && (maxAge as number) >= 0 ? (maxAge as number) : CORS_DEFAULTS.preflightMaxAgeInSeconds,
    debug: flag('debug'),
  };
}

/**
 * Which rule a path is under:
 * - `outside`: never CORS. FusionAuth's excluded paths (`/account*`, `/admin*`, `/support*`, `/ajax*`), the
 *   authorization endpoint (RFC 9700 §2.6: CORS MUST NOT be supported there; its form posts are guarded by
 *   the login CSRF checks instead), and Standin's test control API and pages under `/_standin/`, which are
 *   not for browsers on other origins.
 * - `hosted-backend`: `/app/*`, the filter plus the applications' `authorizedOriginURLs` (see corsDecision).
 * - `filter`: everything else, as FusionAuth's filter.
 */
export type CorsScope = 'outside' | 'hosted-backend' | 'filter';

const EXCLUDED = ['/account', '/admin', '/support', '/ajax', '/_standin'];

export function corsScope(path: string): CorsScope {
  if (EXCLUDED.some((prefix) => path.startsWith(prefix))) return 'outside';
  if (path === '/oauth2/authorize' || path.startsWith('/oauth2/authorize/')) return 'outside';
  if (path === '/app' || path.startsWith('/app/')) return 'hosted-backend';
  return 'filter';
}

/** What the plugin knows of a request. */
export interface CorsRequest {
  method: string;
  path: string;
  /** The `Origin` header, as sent. */
  origin: string | undefined;
  /** Standin's own origins as this request reached it (`protocol://Host`) and as configured. */
  ownOrigins: readonly string[];
  /** `Sec-Fetch-Site`, which browsers send and pages cannot forge. */
  fetchSite: string | undefined;
  /** `Access-Control-Request-Method` and `-Headers`, present on a preflight. */
  requestMethod: string | undefined;
  requestHeaders: string | undefined;
  /** The `Content-Type` header, if any: a cross-origin POST without one is no valid CORS request. */
  contentType: string | undefined;
}

export type CorsDecision =
  /** Not a CORS request (or CORS does not apply): the request goes on, with no Access-Control-* header. */
  | { kind: 'not-cors'; vary: string[] }
  /** Refused with 403 and no Access-Control-* header, as FusionAuth's filter does. */
  | { kind: 'refuse'; reason: string; vary: string[] }
  /** A preflight, answered here (204, no body) with these headers; the route never sees it. */
  | { kind: 'preflight'; headers: Record<string, string>; vary: string[] }
  /** A cross-origin request allowed: it goes on, and its answer carries these headers. */
  | { kind: 'actual'; headers: Record<string, string>; vary: string[] };

// The methods the hosted backend's endpoints use (GET login/me/logout, POST refresh).
const HOSTED_BACKEND_METHODS = ['GET', 'POST', 'OPTIONS'];
const VARY_ORIGIN = ['Origin'];
const VARY_PREFLIGHT = ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'];

/**
 * The answer for one request:
 * - No `Origin`, `Origin` equal to Standin's own, or `Sec-Fetch-Site: same-origin`: not CORS.
 * - `Origin: null` (an opaque origin: Chromium sends it for the login page's own form posts, which are served
 *   with `Referrer-Policy: no-referrer`): never granted CORS headers, but an ordinary request is let through
 *   so that those posts work; a preflight from it is refused.
 * - Otherwise, on a `filter` path with the filter enabled: the origin must be in `allowedOrigins` (or
 *   `allowedOrigins` is `*`), the method in `allowedMethods`, a preflight's headers in `allowedHeaders`
 *   (case-insensitive), and a POST must carry a `Content-Type`; if not, 403. With the filter disabled nothing
 *   is added or refused, as in FusionAuth.
 * - On `/app/*` the same, and besides an origin in the application's `authorizedOriginURLs`
 *   (`appOriginAllowed`) is let in with credentials and the hosted backend's methods: FusionAuth's SDKs
 *   call these endpoints with cookies. Any other cross-origin request there is refused, even with the
 *   filter disabled, because these endpoints answer with the user's cookies.
 */
export function corsDecision(request: CorsRequest, readSettings: () => CorsSettings, appOriginAllowed: (origin: string) => boolean): CorsDecision {
  const scope = corsScope(request.path);
  if (scope === 'outside') return { kind: 'not-cors', vary: [] };
  // On a covered path the answer may depend on Origin, now or after the next configuration change, so a
  // cache must always key on it (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches).
  const { origin } = request;
  if (origin === undefined || request.fetchSite === 'same-origin' || isOwnOrigin(origin, request.ownOrigins))
    return { kind: 'not-cors', vary: VARY_ORIGIN };
  // Read only for cross-origin requests: most traffic (servers, SDKs, page loads) sends no Origin.
  const settings = readSettings();
  if (scope === 'filter' && !settings.enabled) return { kind: 'not-cors', vary: VARY_ORIGIN };
  const preflight = request.method === 'OPTIONS' && request.requestMethod !== undefined;
  const vary = preflight ? VARY_PREFLIGHT : VARY_ORIGIN;
  if (origin === 'null' && !preflight) return { kind: 'not-cors', vary };
  if (origin === 'null' || !isSerializedOrigin(origin))
    return { kind: 'refuse', reason: `the Origin ${JSON.stringify(origin.slice(0, 100))} is not an origin CORS can allow`, vary };

  const grant =
    scope === 'hosted-backend' && appOriginAllowed(origin)
      ? hostedBackendGrant(settings)
      : settings.enabled && originAllowed(settings, origin)
        ? settings
        : undefined;
  if (!grant) {
    const reason =
      scope === 'hosted-backend'
        ? `the origin ${origin} is neither in corsConfiguration.allowedOrigins (enabled) nor in the application's authorizedOriginURLs`
        : `the origin ${origin} is not in corsConfiguration.allowedOrigins`;
    return { kind: 'refuse', reason, vary };
  }
  // `*` only without credentials, the origin itself with them (https://fetch.spec.whatwg.org/#cors-protocol-and-credentials).
  const allowOrigin = grant.allowedOrigins.includes('*') && !grant.allowCredentials ? '*' : origin;
  const common: Record<string, string> = { 'access-control-allow-origin': allowOrigin };
  if (grant.allowCredentials) common['access-control-allow-credentials'] = 'true';

  if (preflight) {
    const method = (request.requestMethod ?? '').trim();
    if (!grant.allowedMethods.includes(method))
      return { kind: 'refuse', reason: `the method ${JSON.stringify(method.slice(0, 20))} is not in corsConfiguration.allowedMethods`, vary };
    const allowedHeaders = new Set(grant.allowedHeaders.map((name) => name.toLowerCase()));
    const asked = (request.requestHeaders ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== '');
    const refused = asked.find((name) => !allowedHeaders.has(name));
    if (refused !== undefined)
      return { kind: 'refuse', reason: `the header ${JSON.stringify(refused.slice(0, 60))} is not in corsConfiguration.allowedHeaders`, vary };
    // The method asked for, not the whole list, as FusionAuth's filter answers (docs/cors-and-discovery.md).
    // Its filter sends Access-Control-Max-Age only for a positive age: 0 leaves the header out, and so the
    // browser's default applies (5 seconds, https://fetch.spec.whatwg.org/#http-network-or-cache-fetch), not 0.
    const headers: Record<string, string> = { ...common, 'access-control-allow-methods': method };
    if (grant.preflightMaxAgeInSeconds > 0) headers['access-control-max-age'] = String(grant.preflightMaxAgeInSeconds);
    return {
      kind: 'preflight',
      headers: grant.allowedHeaders.length > 0 ? { ...headers, 'access-control-allow-headers': grant.allowedHeaders.join(', ') } : headers,
      vary,
    };
  }
  // FusionAuth's filter cannot tell a POST without a Content-Type a simple from a preflighted request, and
  // refuses it as an invalid CORS request (docs/cors-and-discovery.md): browsers send no Content-Type for a
  // fetch POST without a body, so an app learns here, not in production, to set one.
  if (request.method === 'POST' && request.contentType === undefined)
    return { kind: 'refuse', reason: 'a cross-origin POST without a Content-Type header is not a valid CORS request', vary };
  if (!grant.allowedMethods.includes(request.method))
    return { kind: 'refuse', reason: `the method ${request.method} is not in corsConfiguration.allowedMethods`, vary };
  return {
    kind: 'actual',
    headers: grant.exposedHeaders.length > 0 ? { ...common, 'access-control-expose-headers': grant.exposedHeaders.join(', ') } : common,
    vary,
  };
}

/** The system settings as they apply to an application's own origin on `/app/*`: with cookies, and the hosted backend's methods. */
function hostedBackendGrant(settings: CorsSettings): CorsSettings {
  const methods = [...settings.allowedMethods, ...HOSTED_BACKEND_METHODS.filter((method) => !settings.allowedMethods.includes(method))];
  return { ...settings, allowCredentials: true, allowedMethods: methods };
}

function originAllowed(settings: CorsSettings, origin: string): boolean {
  return settings.allowedOrigins.includes('*') || settings.allowedOrigins.includes(origin);
}

function isOwnOrigin(origin: string, own: readonly string[]): boolean {
  if (!isSerializedOrigin(origin)) return false;
  const normalised = new URL(origin).origin;
  return own.includes(normalised);
}

/**
 * An origin as browsers serialise it: `scheme://host[:port]` with nothing after (RFC 6454 §6.2). Any scheme, as
 * FusionAuth's filter takes any origin that parses with one: the apps that send `capacitor://localhost` (Ionic),
 * `chrome-extension://…` or `tauri://localhost` have no http origin (for those, WHATWG URL's `origin` is `null`).
 */
export function isSerializedOrigin(value: string): boolean {
  if (value.length > 300 || !/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s%@\\]+$/i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.host !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
