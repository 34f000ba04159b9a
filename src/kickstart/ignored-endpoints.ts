/**
 * FusionAuth API families Standin does not model. A kickstart request to one is accepted and logged as
 * ignored, so that a kickstart written for FusionAuth (themes, email templates, …) runs unchanged; any other
 * request is replayed, and fails start-up if Standin refuses it.
 */
export const IGNORED_ENDPOINTS: readonly string[] = [
  '/api/connector',
  '/api/consent',
  '/api/email/template',
  '/api/entity',
  '/api/form',
  '/api/group',
  '/api/identity-provider',
  '/api/integration',
  '/api/ip-acl',
  '/api/lambda',
  '/api/message/template',
  '/api/messenger',
  '/api/reactor',
  '/api/theme',
  '/api/user-action',
  '/api/user-action-reason',
  '/api/user/family',
  '/api/webhook',
];

export function isIgnoredEndpoint(path: string): boolean {
  const normalized = path.replace(/\/+$/, '');
  return IGNORED_ENDPOINTS.some((family) => normalized === family || normalized.startsWith(`${family}/`));
}
