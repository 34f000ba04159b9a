/**
 * FusionAuth API families Standin does not model. A kickstart request to one is accepted and logged as
 * ignored, so that a kickstart written for FusionAuth (forms, identity providers, …) runs unchanged; any other
 * request is replayed, and fails start-up if Standin refuses it.
 */
export const IGNORED_ENDPOINTS: readonly string[] = [
  '/api/connector',
  '/api/consent',
  '/api/entity',
  '/api/form',
  '/api/identity-provider',
  '/api/integration',
  '/api/ip-acl',
  '/api/message/template',
  '/api/messenger',
  '/api/reactor',
  '/api/user-action-reason',
  '/api/user/family',
];

/** The ignored family `path` belongs to (`/api/form/x` → `/api/form`), or undefined when Standin models it. */
export function ignoredFamily(path: string): string | undefined {
  const normalized = path.replace(/\/+$/, '');
  return IGNORED_ENDPOINTS.find((family) => normalized === family || normalized.startsWith(`${family}/`));
}

export function isIgnoredEndpoint(path: string): boolean {
  return ignoredFamily(path) !== undefined;
}
