import { FieldErrors } from '../errors.js';

// An object that others name (a theme a tenant uses, a form an application registers with, a key that signs) is not
// deleted: they would be left naming nothing. Every API that refuses so answers `[inUse]<field>` in one wording,
// "The <kind> is in use by <users> and cannot be deleted.", written once here so that the answers cannot drift apart.

/**
 * Refuses (400 `[inUse]<field>`) the deletion of a `kind` when `users` is not empty: each says what names it ("the
 * tenant [Default]"), joined with commas. `relation` replaces "is in use by" where an API says how they hold it
 * ("is the type of", for an entity type and its entities).
 */
export function refuseInUse(field: string, kind: string, users: readonly string[], relation = 'is in use by'): void {
  if (users.length > 0) new FieldErrors().add(field, 'inUse', `The ${kind} ${relation} ${users.join(', ')} and cannot be deleted.`).throwIfAny();
}
