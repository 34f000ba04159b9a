import type { Application } from './application.js';
import type { Registration } from './registration.js';

/**
 * The roles a token carries for a user in an application (the `roles` claim): the registration's own roles and,
 * for a registered user only, the application's roles granted by the groups the user belongs to, each once
 * (https://fusionauth.io/docs/get-started/core-concepts/groups: "a member of this Group will be dynamically
 * assigned these roles if they have a registration for the Application"). Undefined without a registration,
 * so the claim is left out. `groupRoleIds` are read when the token is minted, so a deleted group or role is
 * gone from every token issued afterwards; a group role id the application no longer has grants nothing.
 * The registration's own `roles`, as the User and Registration APIs answer them, are never changed.
 */
export function effectiveRoles(
  application: Application,
  registration: Registration | undefined,
  groupRoleIds: readonly string[] = [],
): string[] | undefined {
  if (!registration) return undefined;
  const granted = new Set(groupRoleIds);
  const fromGroups = application.roles.filter((role) => granted.has(role.id)).map((role) => role.name);
  return [...new Set([...registration.roles, ...fromGroups])];
}
