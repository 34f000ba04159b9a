import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.js';
import { mergePatch, type JsonObject } from '../model/json.js';
import { buildRegistration, type Registration } from '../model/registration.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import { createUser } from './users.js';

/** Registers an existing user (body without `user`) to an application. */
export function registerUser(stores: Stores, now: number, user: User, input: unknown): Registration {
  return stores.db.transaction(() => {
    const registration = buildFor(stores, now, user, input);
    stores.registrations.insert(user.id, registration);
    return registration;
  })();
}

/**
 * FusionAuth's combined call (`{user, registration}`): the user and the registration are created together
 * or not at all. The registration is checked before the password is hashed, so a bad application id fails fast.
 */
export async function createUserAndRegistration(standin: Standin, tenantId: string, userId: string | undefined, body: JsonObject): Promise<{ user: User; registration: Registration }> {
  const now = standin.config.now();
  const probe = { id: userId ?? randomUUID(), tenantId } as User;
  buildFor(standin.stores, now, probe, body.registration, tenantId);
  let registration: Registration | undefined;
  const user = await createUser(standin, tenantId, probe.id, body.user, (created) => {
    registration = buildFor(standin.stores, now, created, body.registration, tenantId);
    standin.stores.registrations.insert(created.id, registration);
  });
  return { user, registration: registration! };
}

/** PUT replaces the registration with `input`; PATCH merges `input` into it (RFC 7396). */
export function updateRegistration(stores: Stores, now: number, user: User, existing: Registration, input: unknown, mode: 'replace' | 'merge'): Registration {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const registration = buildRegistration(next, {
    id: existing.id,
    now,
    existing,
    application: (id) => applicationInTenant(stores, id, user.tenantId),
    isRegistered: () => false,
  });
  stores.registrations.update(registration);
  return registration;
}

function buildFor(stores: Stores, now: number, user: User, input: unknown, tenantId = user.tenantId): Registration {
  if (input === undefined) throw ApiError.general('[missing]registration', 'You must specify the [registration] property.');
  return buildRegistration(input, {
    id: randomUUID(),
    now,
    application: (id) => applicationInTenant(stores, id, tenantId),
    isRegistered: (applicationId) => stores.registrations.get(user.id, applicationId) !== undefined,
  });
}

/** A user can only register to an application of their own tenant. */
function applicationInTenant(stores: Stores, applicationId: string, tenantId: string) {
  const application = stores.applications.get(applicationId);
  return application?.tenantId === tenantId ? application : undefined;
}
