import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { mergePatch } from '../model/json.js';
import { buildTenant, type Tenant } from '../model/tenant.js';
import type { Stores } from '../store/index.js';

export function createTenant(stores: Stores, now: number, id: string | undefined, input: unknown): Tenant {
  const tenantId = id ?? randomUUID();
  const errors = new FieldErrors();
  if (stores.tenants.get(tenantId)) errors.add('tenantId', 'duplicate', `A tenant with Id [${tenantId}] already exists.`);
  errors.throwIfAny();
  const tenant = buildTenant(input, { id: tenantId, now, keyExists: stores.keys.exists });
  checkUniqueName(stores, tenant);
  stores.tenants.insert(tenant);
  return tenant;
}

/** PUT replaces the tenant with `input`; PATCH merges `input` into it (RFC 7396). */
export function updateTenant(stores: Stores, now: number, existing: Tenant, input: unknown, mode: 'replace' | 'merge'): Tenant {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const tenant = buildTenant(next, { id: existing.id, now, existing, keyExists: stores.keys.exists });
  checkUniqueName(stores, tenant);
  stores.tenants.update(tenant);
  return tenant;
}

function checkUniqueName(stores: Stores, tenant: Tenant): void {
  const holder = stores.tenants.idByName(tenant.name);
  if (holder !== undefined && holder !== tenant.id) {
    new FieldErrors().add('tenant.name', 'duplicate', `A tenant with name [${tenant.name}] already exists.`).throwIfAny();
  }
}
