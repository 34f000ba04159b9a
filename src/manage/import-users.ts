import { randomUUID } from 'node:crypto';
import { ApiError, type ErrorMessage, type Errors } from '../errors.js';
import { withEvents, type EventInput } from '../events/emit.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import { buildUser, type User } from '../model/user.js';
import { encodeImportedHash, factorRule, hashProblem, IMPORTED_SCHEMES, isImportedScheme, type ImportedScheme } from '../passwords/imported-hash.js';
import type { Standin } from '../standin.js';
import { joinGroupsOnCreate, plannedMemberships } from './group-members.js';
import { buildRegistrationFor } from './registrations.js';
import { userWithRegistrations } from './user-view.js';

/** How the route tells each user's tenant: the request's, or the user's own `tenantId` when the request names none. */
export type TenantOfUser = (givenTenantId: unknown) => string;

/** A user of the request, read and checked before anything is written. */
interface ImportedUser {
  id: string;
  tenantId: string;
  /** The user object without its password fields. */
  input: JsonObject;
  /** The hash to store, or the plaintext to hash with argon2id first. */
  password: { stored: string } | { plaintext: string };
  passwordLastUpdateInstant: number;
  insertInstant: number;
  registrations: unknown[];
}

/** The user's fields that describe its password, never kept in the user's body. */
const PASSWORD_FIELDS = ['password', 'salt', 'encryptionScheme', 'factor'] as const;

/** Thrown by the dry run to roll its writes back once every user was checked, with the users as they were written. */
class DryRun extends Error {
  constructor(readonly written: readonly { tenantId: string; user: JsonObject }[]) {
    super('dry run');
  }
}

/**
 * FusionAuth's Import Users API (https://fusionauth.io/docs/apis/users, "Import Users"): every user of the
 * request, with its registrations and group memberships, is written in one transaction, or none is. The users
 * are checked by a dry run of that transaction before any plaintext password is hashed, so a bad user costs no
 * hashing; the write checks them again. One `user.bulk.create` per tenant goes to the webhooks before the write,
 * carrying the users as the dry run wrote them; a transactional one can refuse it
 * (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-bulk-create).
 */
export async function importUsers(standin: Standin, body: JsonObject, tenantOf: TenantOfUser, info: JsonObject): Promise<void> {
  const { users, validateDbConstraints } = body;
  if (!Array.isArray(users) || users.length === 0) {
    throw new ApiError(400, {
      fieldErrors: { users: [{ code: '[missing]users', message: 'You must specify at least one user in the [users] property.' }] },
      generalErrors: [],
    });
  }
  const plaintextScheme = body.encryptionScheme;
  if (plaintextScheme !== undefined && plaintextScheme !== null) refuseUnknownScheme(plaintextScheme, 'encryptionScheme');
  const now = standin.config.now();
  const prepared = users.map((user, index) => readUser(user, index, tenantOf, now));
  const write = (plaintextHashes: ReadonlyMap<number, string>, dryRun: boolean) => {
    standin.stores.db.transaction(() => {
      const written = writeUsers(standin, prepared, plaintextHashes, now, validateDbConstraints === true);
      if (dryRun) throw new DryRun(written.map((user) => ({ tenantId: user.tenantId, user: userWithRegistrations(standin.stores, user) })));
    })();
  };
  let written: DryRun['written'] = [];
  try {
    write(new Map(), true);
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
    written = error.written;
  }
  const hashes = new Map<number, string>();
  await Promise.all(
    prepared.map(async (user, index) => {
      if ('plaintext' in user.password) hashes.set(index, await standin.passwords.hash(user.password.plaintext));
    }),
  );
  const tenantIds = [...new Set(written.map(({ tenantId }) => tenantId))];
  const events = tenantIds.map((tenantId): EventInput => ({
    type: 'user.bulk.create',
    tenantId,
    users: written.filter((entry) => entry.tenantId === tenantId).map(({ user }) => user),
    info,
  }));
  await withEvents(standin, events, () => {
    write(hashes, false);
  });
}

/** One user of the request, its password read per its scheme; field errors as FusionAuth names them (`user.x`). */
function readUser(given: unknown, index: number, tenantOf: TenantOfUser, now: number): ImportedUser {
  if (!isObject(given)) throw generalError('[invalid]users', `The user at index [${index}] of [users] must be an object.`);
  const tenantId = tenantOf(given.tenantId);
  const id = given.id === undefined || given.id === null ? randomUUID() : given.id;
  if (typeof id !== 'string' || !isUuid(id)) throw fieldError('user.id', 'invalid', `The [user.id] property of user [${index}] must be a UUID.`);
  const twoFactor = given.twoFactor;
  if (isObject(twoFactor) && (nonEmpty(twoFactor.methods) || nonEmpty(twoFactor.recoveryCodes))) {
    throw generalError(
      '[NotModelled]',
      'Standin does not import two-factor methods or recovery codes; add methods through the Two Factor API (docs/two-factor.md).',
    );
  }
  const input: JsonObject = { active: false, verified: false, ...given };
  for (const field of [...PASSWORD_FIELDS, 'twoFactor', 'registrations']) delete input[field];
  const registrations = given.registrations ?? [];
  if (!Array.isArray(registrations)) throw fieldError('user.registrations', 'invalid', 'The [user.registrations] property must be a list.');
  // Ids chosen once, so the dry run's user.bulk.create carries the ids the write then uses.
  if (Array.isArray(input.memberships)) input.memberships = input.memberships.map(withId);
  return {
    id: id.toLowerCase(),
    tenantId,
    input,
    password: readPassword(given, index),
    // Kept only for a hash: a plaintext is a new password (Import Users, `users[x].passwordLastUpdateInstant`).
    passwordLastUpdateInstant:
      given.encryptionScheme === undefined || given.encryptionScheme === null ? now : instantOr(given.passwordLastUpdateInstant, now),
    insertInstant: instantOr(given.insertInstant, now),
    registrations: registrations.map(withId),
  };
}

/** A registration or membership with the id the request gave it, else a new one. */
function withId(item: unknown): unknown {
  return isObject(item) && (item.id === undefined || item.id === null) ? { ...item, id: randomUUID() } : item;
}

/**
 * `password` is a hash in `encryptionScheme` with `salt` and `factor`, or, with no scheme, the plaintext
 * (https://fusionauth.io/docs/apis/users, "Import Users", `users[x].encryptionScheme`).
 */
function readPassword(user: JsonObject, index: number): ImportedUser['password'] {
  const { password, salt, encryptionScheme, factor } = user;
  if (typeof password !== 'string' || password === '') {
    throw fieldError('user.password', 'blank', `You must specify the [user.password] property of user [${index}].`);
  }
  if (encryptionScheme === undefined || encryptionScheme === null) return { plaintext: password };
  const scheme = refuseUnknownScheme(encryptionScheme, 'user.encryptionScheme');
  if (typeof salt !== 'string')
    throw fieldError('user.salt', 'missing', `The [user.salt] property of user [${index}] is required with [user.encryptionScheme].`);
  const problem = hashProblem(scheme, salt, password);
  if (problem) throw fieldError('user.password', 'invalid', `The [user.password] of user [${index}] is not a ${scheme} hash. ${problem}`);
  return { stored: encodeImportedHash({ scheme, factor: readFactor(scheme, factor, index), salt, hash: password }) };
}

/** The factor FusionAuth reads as a number or a string; refused beyond what Standin accepts for the scheme. */
function readFactor(scheme: ImportedScheme, given: unknown, index: number): number {
  const rule = factorRule(scheme);
  if (!rule.usesFactor) return 0;
  const factor = typeof given === 'string' && /^\d+$/.test(given) ? Number(given) : given;
  if (factor === undefined || factor === null || factor === '') {
    if (rule.defaultFactor !== undefined) return rule.defaultFactor;
    throw fieldError('user.factor', 'blank', `You must specify the [user.factor] property of user [${index}] for [${scheme}].`);
  }
  if (typeof factor !== 'number' || !Number.isInteger(factor) || factor < rule.min || factor > rule.max) {
    throw fieldError(
      'user.factor',
      'invalid',
      `The [user.factor] property of user [${index}] must be a whole number from ${rule.min} to ${rule.max} for [${scheme}] (docs/management-api.md, "Importing users").`,
    );
  }
  return factor;
}

/** A scheme Standin checks, or 400 `[NotModelled]` naming the one it does not (a plugin, phpass, …). */
function refuseUnknownScheme(name: unknown, field: string): ImportedScheme {
  if (isImportedScheme(name)) return name;
  throw generalError(
    '[NotModelled]',
    `Standin does not model the password encryption scheme [${String(name)}] in [${field}]; it checks ${IMPORTED_SCHEMES.join(', ')} (docs/management-api.md, "Importing users").`,
  );
}

/**
 * Writes every user, checking each against the database as it stands with the users before it written, so a
 * duplicate within the request is found as one against the database is. Every user's errors are reported
 * together. A duplicate of a user that was there before the request is, as FusionAuth reports it without
 * `validateDbConstraints`, one general `[ImportRequestFailed]` error. Answers the users as written.
 */
function writeUsers(
  standin: Standin,
  users: readonly ImportedUser[],
  plaintextHashes: ReadonlyMap<number, string>,
  now: number,
  validateDbConstraints: boolean,
): User[] {
  const { stores } = standin;
  const errors: Errors = { fieldErrors: {}, generalErrors: [] };
  const importedIds = new Set<string>();
  const written: User[] = [];
  // Set from the callbacks below, so an object: a `let` would read as always false after the loop.
  const conflicts = { withDatabase: false };
  users.forEach((imported, index) => {
    try {
      if (stores.users.get(imported.id)) {
        if (!importedIds.has(imported.id)) conflicts.withDatabase = true;
        throw fieldError('user.id', 'duplicate', `A user with Id [${imported.id}] already exists.`);
      }
      const { user } = buildUser(imported.input, {
        id: imported.id,
        tenantId: imported.tenantId,
        now,
        hasPassword: true,
        isTaken: (field, value) => {
          const holder = stores.users.idHolding(imported.tenantId, field, value);
          if (holder === undefined || holder === imported.id) return false;
          if (!importedIds.has(holder)) conflicts.withDatabase = true;
          return true;
        },
      });
      const stored: User = {
        ...user,
        insertInstant: imported.insertInstant,
        passwordLastUpdateInstant: imported.passwordLastUpdateInstant,
      };
      const memberships = withUserPrefix(() => plannedMemberships(stores, now, stored, imported.input));
      stores.users.insert(stored, 'stored' in imported.password ? imported.password.stored : (plaintextHashes.get(index) ?? ''));
      importedIds.add(stored.id);
      for (const given of imported.registrations) {
        const registration = withUserPrefix(() => buildRegistrationFor(stores, now, stored, isObject(given) ? { verified: false, ...given } : given));
        stores.registrations.insert(stored.id, registration);
      }
      joinGroupsOnCreate(stores, now, stored, memberships);
      written.push(stored);
    } catch (error) {
      if (error instanceof ApiError && error.errors) mergeErrors(errors, error.errors);
      else if (isConstraintError(error)) {
        conflicts.withDatabase = true;
        errors.generalErrors.push({ code: '[ImportRequestFailed]', message: `User [${index}] conflicts with a row already stored.` });
      } else throw error;
    }
  });
  if (conflicts.withDatabase && !validateDbConstraints) {
    throw generalError(
      '[ImportRequestFailed]',
      'The import failed, most likely because one or more of its users already exist. Send the request again with [validateDbConstraints] set to true to see which.',
    );
  }
  if (Object.keys(errors.fieldErrors).length > 0 || errors.generalErrors.length > 0) throw new ApiError(400, errors);
  return written;
}

/** The registration and membership errors of an imported user as FusionAuth names them (`user.registration.x`). */
function withUserPrefix<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ApiError) || !error.errors) throw error;
    const fieldErrors: Record<string, ErrorMessage[]> = {};
    for (const [field, messages] of Object.entries(error.errors.fieldErrors)) {
      const named = field.startsWith('user.') ? field : `user.${field}`;
      fieldErrors[named] = messages.map(({ code, message }) => ({ code: code.replace(`]${field}`, `]${named}`), message }));
    }
    throw new ApiError(error.statusCode, { fieldErrors, generalErrors: error.errors.generalErrors });
  }
}

function mergeErrors(into: Errors, from: Errors): void {
  for (const [field, messages] of Object.entries(from.fieldErrors)) (into.fieldErrors[field] ??= []).push(...messages);
  into.generalErrors.push(...from.generalErrors);
}

function isConstraintError(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

function instantOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fallback;
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function fieldError(field: string, code: string, message: string): ApiError {
  return new ApiError(400, { fieldErrors: { [field]: [{ code: `[${code}]${field}`, message }] }, generalErrors: [] });
}

function generalError(code: string, message: string): ApiError {
  return ApiError.general(code, message);
}
