import { isObject } from '../model/json.js';
import { MODELLED_IDENTITY_PROVIDER_TYPES } from '../model/identity-provider.js';

/**
 * FusionAuth API families Standin does not model. A kickstart request to one is accepted and logged as
 * ignored, so that a kickstart written for FusionAuth (entities, …) runs unchanged; any other
 * request is replayed, and fails start-up if Standin refuses it. The identity provider API is modelled for the
 * OpenID Connect and External JWT types only: see `ignoredIdentityProviderRequest`.
 */
export const IGNORED_ENDPOINTS: readonly string[] = ['/api/reactor'];

/** The ignored family `path` belongs to (`/api/reactor/x` → `/api/reactor`), or undefined when Standin models it. */
export function ignoredFamily(path: string): string | undefined {
  const normalized = path.replace(/\/+$/, '');
  return IGNORED_ENDPOINTS.find((family) => normalized === family || normalized.startsWith(`${family}/`));
}

export function isIgnoredEndpoint(path: string): boolean {
  return ignoredFamily(path) !== undefined;
}

/** FusionAuth's Connector API, which Standin models for the Generic type (and the built-in FusionAuth one) only. */
export const CONNECTOR_FAMILY = '/api/connector';
const CONNECTOR_PATH = /^\/api\/connector(?:\/([0-9a-fA-F-]{36}))?$/;

/**
 * Whether a kickstart request to the Connector API is one Standin ignores (and lists in the banner): one that creates
 * or replaces an LDAP connector, which Standin cannot speak to (docs/connectors.md), and one that changes or deletes a
 * connector that is not stored (it was one of those). The rest are replayed.
 */
export function ignoredConnectorRequest(path: string, method: string, body: unknown, isStored: (id: string) => boolean): boolean {
  const match = CONNECTOR_PATH.exec(path.replace(/\/+$/, ''));
  if (!match) return false;
  const connector = isObject(body) && isObject(body.connector) ? body.connector : undefined;
  if ((method === 'POST' || method === 'PUT') && connector?.type === 'LDAP') return true;
  const id = match[1];
  return method !== 'POST' && method !== 'GET' && id !== undefined && !isStored(id);
}

/** FusionAuth's Integration API: modelled while CleanSpeak and Kafka are disabled (model/integrations.ts). */
export const INTEGRATION_FAMILY = '/api/integration';

/**
 * Whether a kickstart request to the Integration API is one Standin ignores (and lists in the banner): one that enables
 * CleanSpeak, its username moderation or Kafka, which Standin never calls. The rest are replayed.
 */
export function ignoredIntegrationRequest(path: string, method: string, body: unknown): boolean {
  if (path.replace(/\/+$/, '') !== INTEGRATION_FAMILY || (method !== 'PUT' && method !== 'PATCH')) return false;
  const integrations = isObject(body) && isObject(body.integrations) ? body.integrations : {};
  return Object.values(integrations).some(
    (integration) =>
      isObject(integration) &&
      (integration.enabled === true || (isObject(integration.usernameModeration) && integration.usernameModeration.enabled === true)),
  );
}

/** FusionAuth's Identity Provider API, which Standin models for the OpenID Connect and External JWT types (docs/identity-providers.md). */
export const IDENTITY_PROVIDER_FAMILY = '/api/identity-provider';
const PROVIDER_PATH = /^\/api\/identity-provider(?:\/([0-9a-fA-F-]{36}))?$/;
const MODELLED_SUB_APIS: ReadonlySet<string> = new Set(['/link', '/login', '/lookup', '/search']);

/**
 * Whether a kickstart request to the Identity Provider API is one Standin ignores (and lists in the banner): one that
 * creates or replaces a provider of another type than OpenID Connect or External JWT, one that changes or deletes a provider that is
 * not stored (it was one of those), and the sub-APIs Standin does not model (start, test, pending links, …). The Link,
 * Login, Search and Lookup APIs are modelled, and replayed.
 */
export function ignoredIdentityProviderRequest(path: string, method: string, body: unknown, isStored: (id: string) => boolean): boolean {
  const normalized = path.replace(/\/+$/, '');
  if (normalized !== IDENTITY_PROVIDER_FAMILY && !normalized.startsWith(`${IDENTITY_PROVIDER_FAMILY}/`)) return false;
  // The Link API is modelled (pending links are refused by it), and so are these.
  if (MODELLED_SUB_APIS.has(normalized.slice(IDENTITY_PROVIDER_FAMILY.length))) return false;
  const match = PROVIDER_PATH.exec(normalized);
  if (!match) return true;
  const provider = isObject(body) && isObject(body.identityProvider) ? body.identityProvider : undefined;
  const type = provider?.type;
  if ((method === 'POST' || method === 'PUT') && typeof type === 'string' && !MODELLED_IDENTITY_PROVIDER_TYPES.includes(type)) return true;
  const id = match[1];
  return method !== 'POST' && method !== 'GET' && id !== undefined && !isStored(id);
}
