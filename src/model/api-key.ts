/** An API key as stored (the raw key itself is kept only as a hash, store/api-keys.ts). */
export interface ApiKey {
  id: string;
  description?: string;
  /** A key bound to a tenant acts only within it (FusionAuth API Key API). */
  tenantId?: string;
  /** Endpoints and the methods allowed on each; none listed means every endpoint (FusionAuth API Key API). */
  permissions?: { endpoints: Record<string, string[]> };
  /** Milliseconds since the epoch; the key answers nothing from then on. */
  expirationInstant?: number;
  insertInstant: number;
}

/**
 * The endpoints FusionAuth lets only a key bound to no tenant call, of those Standin serves ("API Endpoints Guarded
 * by API Keys" in FusionAuth's API authentication docs, https://fusionauth.io/docs/apis/authentication): they act
 * on the whole server, so a key bound to one tenant could otherwise reach every other tenant through them.
 */
const GLOBAL_KEY_ENDPOINTS = new Set([
  '/api/email/template',
  '/api/email/template/search',
  '/api/key',
  '/api/key/generate',
  '/api/key/import',
  '/api/key/search',
  '/api/lambda',
  '/api/lambda/search',
  '/api/system-configuration',
  '/api/system/event-log',
  '/api/system/event-log/search',
  '/api/tenant/search',
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

function isLive(apiKey: ApiKey, nowMs: number): boolean {
  return apiKey.expirationInstant === undefined || apiKey.expirationInstant > nowMs;
}
