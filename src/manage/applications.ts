import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { buildApplication, type Application } from '../model/application.js';
import { checkApplicationLambdas } from '../model/lambda.js';
import { mergePatch } from '../model/json.js';
import type { Stores } from '../store/index.js';

export function createApplication(stores: Stores, now: number, tenantId: string, id: string | undefined, input: unknown): Application {
  const applicationId = id ?? randomUUID();
  if (stores.applications.get(applicationId)) {
    new FieldErrors().add('applicationId', 'duplicate', `An application with Id [${applicationId}] already exists.`).throwIfAny();
  }
  const application = buildApplication(input, { id: applicationId, tenantId, now, keyExists: stores.keys.exists });
  checkApplicationLambdas(application, (id) => stores.lambdas.get(id)?.type);
  stores.applications.insert(application);
  return application;
}

/** PUT replaces the application with `input`; PATCH merges `input` into it (RFC 7396). */
export function updateApplication(stores: Stores, now: number, existing: Application, input: unknown, mode: 'replace' | 'merge'): Application {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const application = buildApplication(next, { id: existing.id, tenantId: existing.tenantId, now, existing, keyExists: stores.keys.exists });
  checkApplicationLambdas(application, (id) => stores.lambdas.get(id)?.type);
  stores.applications.update(application);
  return application;
}

/** FusionAuth's DELETE deactivates unless `hardDelete=true`, which also removes its registrations. */
export function deleteApplication(stores: Stores, now: number, existing: Application, hardDelete: boolean): void {
  if (hardDelete) stores.applications.delete(existing.id);
  else stores.applications.update({ ...existing, active: false, state: 'Inactive', lastUpdateInstant: now });
}
