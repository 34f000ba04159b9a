import { isObject } from './json.js';

/** An API key as stored (the raw key itself is kept only as a hash, store/api-keys.ts). */
export interface ApiKey {
  id: string;
  /** FusionAuth's `metaData.attributes.description`. */
  description?: string;
  /** Unique among keys (FusionAuth API Key API, since 1.56.0). */
  name?: string;
  /** A key bound to a tenant acts only within it (FusionAuth API Key API). */
  tenantId?: string;
  /** Endpoints and the methods allowed on each; none listed means every endpoint (FusionAuth API Key API). */
  permissions?: { endpoints: Record<string, string[]> };
  /** Milliseconds since the epoch; the key answers nothing from then on. */
  expirationInstant?: number;
  /**
   * May call the API Key API (FusionAuth API Key API, "The Key Manager Setting"). Set only by a kickstart: the API
   * can neither create a key manager nor make a key one.
   */
  keyManager?: boolean;
  /** The IP ACL the key is limited to: from a blocked client address it answers FusionAuth's 401 (docs/ip-acls.md). */
  ipAccessControlListId?: string;
  insertInstant: number;
  /** Absent on keys stored before the API Key API was modelled: their insertInstant. */
  lastUpdateInstant?: number;
}

/** The endpoint of FusionAuth's API Key API, as permissions name it. */
export const API_KEY_ENDPOINT = '/api/api-key';

/** The HTTP methods an endpoint permission may list (FusionAuth API authentication docs, "API Key Permissions"). */
export const KEY_METHODS: readonly string[] = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];

type Permissions = { endpoints: Record<string, string[]> };

/**
 * The endpoints FusionAuth lets only a key bound to no tenant call, of those Standin serves ("API Endpoints Guarded
 * by API Keys" in FusionAuth's API authentication docs, https://fusionauth.io/docs/apis/authentication): they act
 * on the whole server, so a key bound to one tenant could otherwise reach every other tenant through them.
 */
const GLOBAL_KEY_ENDPOINTS = new Set([
  '/api/email/template',
  '/api/email/template/search',
  '/api/email/template/preview',
  // Form Field and Forms APIs: "global-api-key" (https://fusionauth.io/docs/apis/custom-forms/forms).
  '/api/form',
  '/api/form/field',
  // Messenger API: "global-api-key" (https://fusionauth.io/docs/apis/messengers/generic). Message templates: Standin's
  // choice, as for email templates, where the Message Template API's page says only "api-key": they belong to no
  // tenant, and a tenant's key could otherwise change every tenant's text messages.
  '/api/message/template',
  '/api/message/template/preview',
  '/api/messenger',
  // Entity types belong to no tenant (Entity Type API: every operation takes a global API key).
  '/api/entity/type',
  '/api/entity/type/permission',
  '/api/entity/type/search',
  // Standin's choice where the Connector API's pages say "api-key": connectors belong to no tenant, and every
  // tenant's logins can go through one, so a tenant's key could otherwise redirect another tenant's passwords.
  '/api/connector',
  // Standin's choice, as for the system configuration: integrations are the whole server's.
  '/api/integration',
  // IP ACL API: every operation takes a global API key (https://fusionauth.io/docs/apis/ip-acl).
  '/api/ip-acl',
  '/api/ip-acl/search',
  '/api/key',
  '/api/key/generate',
  '/api/key/import',
  '/api/key/search',
  '/api/lambda',
  '/api/lambda/search',
  '/api/system-configuration',
  // "global-api-key" (https://fusionauth.io/docs/apis/system/rebuild-the-elasticsearch-index).
  '/api/system/reindex',
  // Standin's choice, as for the event log: the audit log holds no tenant, so a tenant's key would read every one's.
  '/api/system/audit-log',
  '/api/system/audit-log/search',
  '/api/system/event-log',
  '/api/system/event-log/search',
  '/api/tenant/search',
  '/api/theme',
  '/api/theme/search',
  // Standin's choice where FusionAuth's docs are silent: user action definitions belong to no tenant, and a hard
  // delete removes every tenant's actions taken with one (docs/user-actions.md).
  '/api/user-action',
  // Standin's choice, as for user actions: consents belong to no tenant, and deleting one deletes every tenant's user
  // consents granted with it (docs/consents-and-families.md).
  '/api/consent',
  '/api/consent/search',
  // FusionAuth's docs: the User Action Reason API takes a global API key
  // (https://fusionauth.io/docs/apis/user-action-reasons).
  '/api/user-action-reason',
]);

/**
 * The FusionAuth endpoint a route serves, as API key permissions name it: its URL without the id segments
 * (`/api/user/:userId` is `/api/user`, `/api/application/:applicationId/role/:roleId` is `/api/application/role`).
 */
export function endpointOf(routeUrl: string): string {
  return routeUrl
    .split('/')
    .filter((segment) => !segment.startsWith(':'))
    .join('/');
}

/** Whether `apiKey` may call `method` on `endpoint` now (FusionAuth's API authentication docs, "API Key Permissions"). */
export function keyAllows(apiKey: ApiKey, endpoint: string, method: string, nowMs: number): boolean {
  if (!isLive(apiKey, nowMs)) return false;
  if (apiKey.tenantId !== undefined && GLOBAL_KEY_ENDPOINTS.has(endpoint)) return false;
  // Only a key manager calls the API Key API, whatever endpoints it lists; its endpoints bound the keys it may make
  // instead (keyCovers). FusionAuth's Kickstart docs: a key manager limited to GET /api/user creates keys that may
  // only retrieve users.
  if (endpoint === API_KEY_ENDPOINT) return apiKey.keyManager === true;
  const endpoints = apiKey.permissions?.endpoints;
  if (endpoints === undefined || Object.keys(endpoints).length === 0) return true;
  // A HEAD asks what the GET would answer.
  const asked = method === 'HEAD' ? 'GET' : method;
  return endpoints[endpoint]?.includes(asked) === true;
}

/** A key that may act on the whole server (the control API, the inspect page): bound to no tenant, unrestricted, live. */
export function isServerWideKey(apiKey: ApiKey | undefined, nowMs: number): boolean {
  return (
    apiKey !== undefined && apiKey.tenantId === undefined && Object.keys(apiKey.permissions?.endpoints ?? {}).length === 0 && isLive(apiKey, nowMs)
  );
}

/**
 * `permissions` as a request or a kickstart gives it, with each endpoint (`/api/user`) written without a trailing
 * slash and its methods in upper case, once each: undefined when it lists no endpoints (the key may call every
 * endpoint), `'invalid'` when it is not `{"endpoints": {"/api/…": [methods]}}` with methods from KEY_METHODS.
 */
export function endpointPermissions(permissions: unknown): Permissions | undefined | 'invalid' {
  if (permissions === undefined || permissions === null) return undefined;
  if (!isObject(permissions)) return 'invalid';
  const { endpoints } = permissions;
  if (endpoints === undefined || endpoints === null) return undefined;
  if (!isObject(endpoints)) return 'invalid';
  const normalized: Array<[string, string[]]> = [];
  for (const [endpoint, methods] of Object.entries(endpoints)) {
    const path = endpoint.replace(/\/+$/, '');
    if (!path.startsWith('/api/') || !Array.isArray(methods)) return 'invalid';
    const upper = methods.map((method) => (typeof method === 'string' ? method.toUpperCase() : ''));
    if (!upper.every((method) => KEY_METHODS.includes(method))) return 'invalid';
    normalized.push([path, [...new Set(upper)]]);
  }
  return normalized.length === 0 ? undefined : { endpoints: Object.fromEntries(normalized) };
}

/**
 * Whether `caller` holds every right `target` has, FusionAuth's "equal or greater permissions" for retrieving,
 * updating and deleting a key, and what keeps a key from making one with more rights than its own (FusionAuth API
 * Key API; Kickstart docs): a caller limited to some endpoints covers only a key limited to some of those endpoints
 * and methods, and an expiring caller only a key that expires no later (Standin's rule where FusionAuth's docs are
 * silent: a key about to expire cannot mint one that outlives it). Tenants are the caller's scope, checked by the
 * route (routes/api/api-key.ts).
 */
export function keyCovers(caller: ApiKey, target: Pick<ApiKey, 'permissions' | 'expirationInstant' | 'keyManager'>): boolean {
  if (target.keyManager === true && caller.keyManager !== true) return false;
  if (caller.expirationInstant !== undefined && (target.expirationInstant === undefined || target.expirationInstant > caller.expirationInstant))
    return false;
  const mine = caller.permissions?.endpoints ?? {};
  if (Object.keys(mine).length === 0) return true;
  const theirs = Object.entries(target.permissions?.endpoints ?? {});
  return theirs.length > 0 && theirs.every(([endpoint, methods]) => methods.every((method) => mine[endpoint]?.includes(method) === true));
}

function isLive(apiKey: ApiKey, nowMs: number): boolean {
  return apiKey.expirationInstant === undefined || apiKey.expirationInstant > nowMs;
}
