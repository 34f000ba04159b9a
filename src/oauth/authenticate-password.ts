import { isObject } from '../model/json.js';
import type { User } from '../model/user.js';
import { isImportedHash } from '../passwords/imported-hash.js';
import type { Standin } from '../standin.js';

/** The result of checking a login id and password: the user, or one failure for every reason. */
export type PasswordCheck = { ok: true; user: User } | { ok: false };

// One dummy hash per hasher, so it has the cost that Standin's real hashes have (a `fast` Standin and a
// `standard` one in the same process must not share it).
const dummyHashes = new WeakMap<Standin['passwords'], Promise<string>>();

/**
 * Checks credentials the same way whether or not the user exists: an unknown login id is verified against a
 * dummy hash of the same cost, so neither the answer nor its timing tells which it was (docs/hardening.md,
 * "Enumeration"). A deactivated user fails like a wrong password. A hash brought in by the Import Users API is
 * checked in its own scheme and becomes argon2id on this login only when the tenant's
 * `passwordEncryptionConfiguration.modifyEncryptionSchemeOnLogin` is on (https://fusionauth.io/docs/apis/tenants).
 */
export async function authenticatePassword(standin: Standin, tenantId: string, loginId: string, password: string): Promise<PasswordCheck> {
  const { users } = standin.stores;
  const user = users.byLoginId(tenantId, loginId);
  const hash = user ? users.passwordHash(user.id) : undefined;
  let dummyHash = dummyHashes.get(standin.passwords);
  if (!dummyHash) dummyHashes.set(standin.passwords, (dummyHash = standin.passwords.hash('standin-dummy-password-for-timing')));
  const matches = await standin.passwords.verify(hash ?? (await dummyHash), password);
  // An imported hash in a fast scheme (salted-md5: microseconds) would answer far sooner than the argon2id check an
  // unknown login id pays for: it pays that check too, until a login replaces it (docs/hardening.md).
  if (hash !== undefined && isImportedHash(hash)) await standin.passwords.verify(await dummyHash, password);
  if (!user || hash === undefined || !matches || !user.active) return { ok: false };
  if (isImportedHash(hash) ? modifiesSchemeOnLogin(standin, user.tenantId) : await standin.passwords.needsRehash(hash)) {
    users.setPasswordHash(user.id, await standin.passwords.hash(password));
  }
  return { ok: true, user };
}

function modifiesSchemeOnLogin(standin: Standin, tenantId: string): boolean {
  const configuration = standin.stores.tenants.get(tenantId)?.passwordEncryptionConfiguration;
  return isObject(configuration) && configuration.modifyEncryptionSchemeOnLogin === true;
}
