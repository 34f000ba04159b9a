import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { renameInRegistrations } from './application-roles.js';
import { buildApplication, type Application } from '../model/application.js';
import { checkApplicationLambdas } from '../model/lambda.js';
import { isObject, mergePatch } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { scopedCriteria, searchObjects, type Found, type SearchDefinition } from './search.js';
import { withIpAclReference } from './ip-acls.js';
import { withThemeReference } from './themes.js';

export function createApplication(stores: Stores, now: number, tenantId: string, id: string | undefined, input: unknown): Application {
  const applicationId = id ?? randomUUID();
  refuseDuplicateId(stores.applications.get(applicationId) !== undefined, 'applicationId', 'An application', applicationId);
  const application = withIpAclReference(
    stores,
    withThemeReference(
      stores,
      buildApplication(input, { id: applicationId, tenantId, now, keyHoldsPrivateKey: stores.keys.holdsPrivateKey }),
      'application',
    ),
    'application',
  );
  checkApplicationLambdas(application, (id) => stores.lambdas.get(id)?.type);
  stores.applications.insert(application);
  return application;
}

/**
 * PUT replaces the application with `input`; PATCH merges `input` into it (RFC 7396). A role the update removes or
 * renames is removed from or renamed in the registrations too, as the Role API does: registrations name roles by
 * name, and a name left behind would stay in tokens and come back with any later role of that name.
 */
export function updateApplication(stores: Stores, now: number, existing: Application, input: unknown, mode: 'replace' | 'merge'): Application {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const built = buildApplication(next, {
    id: existing.id,
    tenantId: existing.tenantId,
    now,
    existing,
    keyHoldsPrivateKey: stores.keys.holdsPrivateKey,
  });
  const application = withIpAclReference(stores, withThemeReference(stores, built, 'application'), 'application');
  checkApplicationLambdas(application, (id) => stores.lambdas.get(id)?.type);
  stores.db.transaction(() => {
    stores.applications.update(application);
    for (const role of existing.roles) {
      const renamed = application.roles.find((candidate) => candidate.id === role.id)?.name;
      if (renamed !== role.name) renameInRegistrations(stores, now, application.id, role.name, renamed);
    }
  })();
  return application;
}

/**
 * FusionAuth's Reactivate an Application (`PUT /api/application/{id}?reactivate=true`,
 * https://fusionauth.io/docs/apis/applications): an inactive application is active again, with everything it had; an
 * active one is answered as it is.
 */
export function reactivateApplication(stores: Stores, now: number, existing: Application): Application {
  if (existing.active) return existing;
  const reactivated: Application = { ...existing, active: true, state: 'Active', lastUpdateInstant: now };
  stores.applications.update(reactivated);
  return reactivated;
}

/** FusionAuth's DELETE deactivates unless `hardDelete=true`, which also removes its registrations. */
export function deleteApplication(stores: Stores, now: number, existing: Application, hardDelete: boolean): void {
  if (hardDelete) stores.applications.delete(existing.id);
  else stores.applications.update({ ...existing, active: false, state: 'Inactive', lastUpdateInstant: now });
}

/**
 * FusionAuth's Search for Applications (https://fusionauth.io/docs/apis/applications): `name` as text, `state`
 * (`Active`, `Inactive`; `PendingDelete` names none here, since Standin deletes at once), `tenantId` (replaced by the
 * tenant the request acts in, `scopedTenantId`), `universal` (Standin has no universal applications, so `true` finds
 * none); ordered by `id`, `insertInstant`, `name` (the default) or `tenant` (the tenant's name).
 */
export function searchApplications(stores: Stores, criteria: unknown, scopedTenantId: string | undefined, prefix: string): Found<Application> {
  const tenantName = (tenantId: string) => stores.tenants.get(tenantId)?.name;
  const definition: SearchDefinition<Application, 'id' | 'insertInstant' | 'name' | 'tenant'> = {
    orderBy: { id: (a) => a.id, insertInstant: (a) => a.insertInstant, name: (a) => a.name, tenant: (a) => tenantName(a.tenantId) },
    defaultOrder: 'name',
    text: { name: (a) => a.name },
    exact: {
      state: { values: ['Active', 'Inactive', 'PendingDelete'], of: (a) => a.state },
      universal: { values: ['true', 'false'], of: () => 'false' },
    },
    ids: { tenantId: (a, id) => a.tenantId === id },
  };
  const given = scopedCriteria(criteria, scopedTenantId);
  // `universal` is a JSON boolean in a POST and the text `true` or `false` in a GET's query.
  const asText = isObject(given) && typeof given.universal === 'boolean' ? { ...given, universal: String(given.universal) } : given;
  return searchObjects(stores.applications.list(), asText, definition, prefix);
}
