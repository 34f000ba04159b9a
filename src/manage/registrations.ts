import { randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { withEvents } from '../events/emit.js';
import { registrationEvent, userEvent } from '../events/payloads.js';
import type { GroupMember } from '../model/group.js';
import { mergePatch, type JsonObject } from '../model/json.js';
import { buildRegistration, type Registration } from '../model/registration.js';
import type { User } from '../model/user.js';
import { FUSIONAUTH_APPLICATION_ID } from '../kickstart/built-in-variables.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import { asksSetPasswordEmail } from './set-password-email.js';
import { createUser } from './users.js';

/**
 * Registers an existing user (body without `user`) to an application; `user.registration.create` goes to the
 * webhooks before the write (docs/webhooks.md), with `info` (the request's `eventInfo`) when given.
 */
export async function registerUser(standin: Standin, user: User, input: unknown, info?: JsonObject): Promise<Registration> {
  const { stores } = standin;
  const now = standin.config.now();
  const draft = buildRegistrationFor(stores, now, user, input);
  const event = registrationEvent(stores, 'user.registration.create', user, draft, info ? { info } : {}, {
    registrations: [...stores.registrations.ofUser(user.id), draft],
  });
  return withEvents(standin, [event], () =>
    stores.db.transaction(() => {
      const registration = buildRegistrationFor(stores, now, user, input, user.tenantId, draft.id);
      stores.registrations.insert(user.id, registration);
      return registration;
    })(),
  );
}

/**
 * FusionAuth's combined call (`{user, registration}`): the user and the registration are created together
 * or not at all. The registration is checked before the password is hashed, so a bad application id fails fast.
 * Both events carry `info` (the request's `eventInfo`) when given.
 */
export async function createUserAndRegistration(
  standin: Standin,
  tenantId: string,
  userId: string | undefined,
  body: JsonObject,
  info?: JsonObject,
): Promise<{ user: User; registration: Registration }> {
  const now = standin.config.now();
  const probe = { id: userId ?? randomUUID(), tenantId } as User;
  const draft = buildRegistrationFor(standin.stores, now, probe, body.registration, tenantId);
  let registration: Registration | undefined;
  // Both events see the user with the registration it is about to get (docs/webhooks.md).
  const extra = info ? { info } : {};
  const events = (user: User, memberships: GroupMember[]) => [
    userEvent(standin.stores, 'user.create', user, extra, { registrations: [draft], memberships }),
    registrationEvent(standin.stores, 'user.registration.create', user, draft, extra, { registrations: [draft], memberships }),
  ];
  const user = await createUser(standin, tenantId, probe.id, body.user, {
    also: (created) => {
      registration = buildRegistrationFor(standin.stores, now, created, body.registration, tenantId, draft.id);
      standin.stores.registrations.insert(created.id, registration);
    },
    events,
    // The registration's application picks the set-password template, else the tenant's.
    ...(asksSetPasswordEmail(body) ? { setPasswordEmail: { application: standin.stores.applications.get(draft.applicationId) } } : {}),
  });
  return { user, registration: registration! };
}

/**
 * PUT replaces the registration with `input`; PATCH merges `input` into it (RFC 7396). `user.registration.update`
 * carries the registration before the change as `original`.
 */
export async function updateRegistration(
  standin: Standin,
  user: User,
  existing: Registration,
  input: unknown,
  mode: 'replace' | 'merge',
  info?: JsonObject,
): Promise<Registration> {
  const { stores } = standin;
  const now = standin.config.now();
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const registration = withKnownRoles(
    stores,
    buildRegistration(next, {
      id: existing.id,
      now,
      existing,
      application: (id) => applicationInTenant(stores, id, user.tenantId),
      isRegistered: () => false,
      idTaken: () => false,
    }),
  );
  const event = registrationEvent(stores, 'user.registration.update', user, registration, { original: existing, ...(info ? { info } : {}) });
  await withEvents(standin, [event], () => {
    stores.registrations.update(registration);
  });
  return registration;
}

/**
 * Deletes a registration; `user.registration.delete` goes to the webhooks before the write, with `info` (the
 * request's `eventInfo`) when given.
 */
export async function deleteRegistration(standin: Standin, user: User, registration: Registration, info?: JsonObject): Promise<void> {
  const event = registrationEvent(standin.stores, 'user.registration.delete', user, registration, info ? { info } : {});
  await withEvents(standin, [event], () => standin.stores.registrations.delete(user.id, registration.applicationId));
}

/** A new registration of `user`, built and checked against the stores (the Import Users API builds its users' too). */
export function buildRegistrationFor(
  stores: Stores,
  now: number,
  user: User,
  input: unknown,
  tenantId = user.tenantId,
  id: string = randomUUID(),
): Registration {
  if (input === undefined) throw ApiError.general('[missing]registration', 'You must specify the [registration] property.');
  return withKnownRoles(
    stores,
    buildRegistration(input, {
      id,
      now,
      application: (id) => applicationInTenant(stores, id, tenantId),
      isRegistered: (applicationId) => stores.registrations.get(user.id, applicationId) !== undefined,
      idTaken: (registrationId) => stores.registrations.exists(registrationId),
    }),
  );
}

/**
 * A registration holds only roles its application has (FusionAuth answers `[invalid]registration.roles`, quoted in
 * fusionauth-issues #1452), else a misspelt role would be signed into tokens. The built-in FusionAuth application is
 * not checked: Standin gives it only `admin` of FusionAuth's admin roles, which kickstarts may name.
 */
function withKnownRoles(stores: Stores, registration: Registration): Registration {
  if (registration.applicationId === FUSIONAUTH_APPLICATION_ID) return registration;
  const known = new Set(stores.applications.get(registration.applicationId)?.roles.map((role) => role.name));
  const errors = new FieldErrors();
  for (const role of registration.roles.filter((name) => !known.has(name)))
    errors.add(
      'registration.roles',
      'invalid',
      `The role [${role}] does not exist in the Application indicated by the [registration.applicationId] property.`,
    );
  errors.throwIfAny();
  return registration;
}

/** A user can only register to an application of their own tenant. */
function applicationInTenant(stores: Stores, applicationId: string, tenantId: string) {
  const application = stores.applications.get(applicationId);
  return application?.tenantId === tenantId ? application : undefined;
}
